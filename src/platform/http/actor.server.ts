import { eq } from "drizzle-orm";
import { profile } from "../../features/profile/schema.ts";
import { negotiateLocale } from "../i18n/locales.ts";
import { anonymousActor, type Actor } from "../policy/policy.ts";
import type { AppServices } from "../services.server.ts";
import { membershipsOf } from "../tenancy/memberships.server.ts";
import type { SessionUser } from "./request-context.ts";

export interface ResolvedIdentity {
  actor: Actor;
  user: SessionUser | null;
  /** How the request authenticated: a session cookie, an API token, or not at all. */
  via: "cookie" | "token" | "none";
}

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * Who is asking: an API token (Authorization: Bearer) or a better-auth session cookie.
 * A malformed or unknown token is an authentication failure, never a silent fallback to
 * the cookie.
 */
export async function resolveIdentity(services: AppServices, headers: Headers): Promise<ResolvedIdentity | "invalid_token"> {
  const authorization = headers.get("authorization");
  // Present but empty is malformed too.
  if (authorization !== null) {
    const match = BEARER.exec(authorization);
    if (!match) return "invalid_token";
    const resolved = await services.apiTokens.authenticate(match[1]!);
    if (!resolved) return "invalid_token";
    return { ...resolved, via: "token" };
  }
  if (!headers.get("cookie")?.includes("session_token")) return { actor: anonymousActor, user: null, via: "none" };
  const session = await services.kernel.auth.api.getSession({ headers });
  if (!session) return { actor: anonymousActor, user: null, via: "none" };
  const [memberships, profileRow] = await Promise.all([
    membershipsOf(services.kernel.db, session.user.id),
    services.kernel.db.select({ timeZone: profile.timeZone, locale: profile.locale }).from(profile).where(eq(profile.userId, session.user.id)),
  ]);
  const p = profileRow[0];
  return {
    via: "cookie",
    actor: { kind: "user", userId: session.user.id, memberships: new Map(memberships.map((m) => [m.organisationId, m.role])) },
    user: {
      id: session.user.id,
      name: session.user.name,
      email: session.user.email,
      emailVerified: session.user.emailVerified,
      twoFactorEnabled: Boolean((session.user as { twoFactorEnabled?: boolean | null }).twoFactorEnabled),
      timeZone: p?.timeZone ?? "UTC",
      // The profile's choice, else the browser's Accept-Language, else English.
      locale: negotiateLocale(p?.locale, headers.get("accept-language")),
      sessionId: session.session.id,
    },
  };
}
