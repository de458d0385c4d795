import type { Actor } from "../policy/policy.ts";
import type { Locale } from "../i18n/locales.ts";
import type { AppServices } from "../services.server.ts";

/** The signed-in person, as loaders and API handlers see them. */
export interface SessionUser {
  id: string;
  name: string;
  email: string;
  emailVerified: boolean;
  twoFactorEnabled: boolean;
  timeZone: string;
  locale: Locale;
  sessionId: string | null;
}

/**
 * Everything a request handler may use: who is asking, in which language and time zone, and the
 * application services. Built once per request by the HTTP layer and handed to REST handlers
 * (Hono `c.var.ctx`) and to React Router loaders and actions (`context.get(requestContext)`).
 * UI code imports this file for types only.
 */
export interface RequestContext {
  services: AppServices;
  actor: Actor;
  user: SessionUser | null;
  requestId: string;
  ipAddress: string | null;
  locale: Locale;
  timeZone: string;
  /** Per-request CSP nonce for inline scripts. */
  nonce: string;
  /** Headers of the incoming request, for calls into better-auth on the person's behalf. */
  headers: Headers;
}
