import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { getConnInfo } from "@hono/node-server/conninfo";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { compress } from "hono/compress";
import { HTTPException } from "hono/http-exception";
import { RouterContextProvider, createRequestHandler, type ServerBuild } from "react-router";
import { localizeErrorBody } from "../i18n/field-messages.ts";
import { negotiateLocale, type Locale } from "../i18n/locales.ts";
import type { AppServices } from "../services.server.ts";
import { AUTH_BASE_PATH } from "../auth/auth.server.ts";
import { resolveIdentity } from "./actor.server.ts";
import { createApi, type ApiEnv } from "./api.server.ts";
import { registerApiRoutes } from "./api-routes.server.ts";
import { apiDocsPage } from "./api-docs.server.ts";
import { AppError, isAppError, type ErrorBody } from "./errors.ts";
import type { RequestContext } from "./request-context.ts";
import { createNonce, securityHeaders } from "./security-headers.server.ts";
import { findNulInBody } from "./nul-guard.ts";

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const CLIENT_IP_HEADER = "x-bc-client-ip";

export interface HttpAppOptions {
  /** The React Router server build; null serves the API only (some tests). */
  uiBuild: ServerBuild | null;
  /** Directory with the browser assets (build/client). */
  clientDir?: string;
}

/**
 * Request-log opt-out (ADR 013): requests whose path matches one of these patterns are logged with
 * method and status only — no path, no request id, no timing, nothing about who asked — so a log
 * line cannot tie a person to an anonymous answer. Slices register their paths when their API is
 * registered (e.g. the feedback slice's answer routes).
 */
const anonymousLogPaths: RegExp[] = [];
export function logPathsAnonymously(...patterns: RegExp[]): void {
  for (const p of patterns) if (!anonymousLogPaths.some((q) => q.source === p.source)) anonymousLogPaths.push(p);
}
export function isAnonymousLogPath(path: string): boolean {
  return anonymousLogPaths.some((p) => p.test(path));
}

/**
 * The language of an error body: the request context's (the person's profile choice, else
 * Accept-Language, as for the UI), or Accept-Language alone for errors raised before the person is
 * known. Messages are translated by the field-message catalog; codes and paths never change.
 */
function errorLocale(c: Context): Locale {
  const ctx = c.get("ctx") as RequestContext | undefined;
  return ctx?.locale ?? negotiateLocale(null, c.req.header("accept-language"));
}

function errorJson(c: Context, error: AppError, requestId: string) {
  return c.json(localizeErrorBody(error.toBody(requestId), errorLocale(c)), error.status as 400);
}

/**
 * The one Hono application: health checks, better-auth under /api/auth, the REST API under
 * /api/v1 (OpenAPI at /api/v1/openapi.json, docs at /api/docs) and the server-rendered UI.
 */
export function createHttpApp(services: AppServices, options: HttpAppOptions) {
  const { config, logger } = services.kernel;
  const https = config.appUrl.startsWith("https:");
  const appOrigin = new URL(config.appUrl).origin;
  const app = new Hono<ApiEnv>();

  // Request id, client IP, structured access log.
  app.use(async (c, next) => {
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && /^[\w.-]{8,64}$/.test(incoming) ? incoming : randomUUID();
    c.set("requestId", requestId);
    const started = performance.now();
    await next();
    c.header("X-Request-Id", requestId);
    const ms = Math.round((performance.now() - started) * 10) / 10;
    const line = isAnonymousLogPath(c.req.path) ? { method: c.req.method, status: c.res.status, anonymous: true } : { requestId, method: c.req.method, path: c.req.path, status: c.res.status, ms };
    if (c.res.status >= 500) logger.error(line, "request failed");
    else if (c.req.path !== "/healthz" && c.req.path !== "/readyz") logger.info(line, "request");
  });

  app.onError((error, c) => {
    const requestId = c.get("requestId") ?? randomUUID();
    if (isAppError(error)) return errorJson(c, error, requestId);
    if (error instanceof HTTPException) {
      if (error.status === 400 && /json/i.test(error.message)) {
        return errorJson(c, new AppError("malformed_json", "The request body is not valid JSON."), requestId);
      }
      if (error.status === 413) return errorJson(c, new AppError("payload_too_large", "The request body is too large."), requestId);
      const code = error.status === 401 ? "unauthenticated" : error.status === 403 ? "forbidden" : error.status === 404 ? "not_found" : "validation_failed";
      return errorJson(c, new AppError(code, error.message || "Request refused."), requestId);
    }
    logger.error({ err: error, requestId }, "unhandled error");
    const body: ErrorBody = { error: { code: "internal_error", message: "Something went wrong on our side.", requestId } };
    return c.json(localizeErrorBody(body, errorLocale(c)), 500);
  });

  // Evidence uploads (accreditation: files ≤ 5 MB, checked again by the file store) get a larger limit.
  const uploadLimit = Math.max(config.bodyLimit, 5 * 1024 * 1024 + 256 * 1024);
  const isUpload = (p: string) => /^\/api\/v1\/orgs\/[^/]+\/accreditation\/candidates\/[^/]+\/evidence$/.test(p) || p === "/accreditation";
  const defaultLimit = bodyLimit({
    maxSize: config.bodyLimit,
    onError: (c) => errorJson(c, new AppError("payload_too_large", `The request body is larger than ${config.bodyLimit} bytes.`), c.get("requestId")),
  });
  const uploadBodyLimit = bodyLimit({
    maxSize: uploadLimit,
    onError: (c) => errorJson(c, new AppError("payload_too_large", "Files may be at most 5 MB."), c.get("requestId")),
  });
  app.use((c, next) => (isUpload(c.req.path) ? uploadBodyLimit(c, next) : defaultLimit(c, next)));
  app.use(compress());

  // Security headers; each HTML response gets its own CSP nonce (read back by the UI renderer).
  app.use(async (c, next) => {
    const nonce = createNonce();
    c.set("nonce", nonce);
    await next();
    // Swagger UI and the development outbox's email preview need inline styles.
    const relaxed = c.req.path === "/api/docs" || (config.devOutbox && c.req.path.startsWith("/dev/outbox/"));
    for (const [name, value] of Object.entries(securityHeaders(nonce, { https, relaxedStyles: relaxed }))) c.res.headers.set(name, value);
  });

  // Static browser assets: content-hashed files are cached for a year.
  const clientDir = options.clientDir;
  if (clientDir && existsSync(clientDir)) {
    const root = path.relative(process.cwd(), clientDir) || ".";
    app.use(
      "/assets/*",
      serveStatic({ root, onFound: (_p, c) => c.header("Cache-Control", "public, max-age=31536000, immutable") }),
    );
    app.use("/favicon.svg", serveStatic({ root, onFound: (_p, c) => c.header("Cache-Control", "public, max-age=86400") }));
  }
  const swaggerDir = path.dirname(new URL(import.meta.resolve("swagger-ui-dist/package.json")).pathname);
  app.use(
    "/api/docs/assets/*",
    serveStatic({
      root: path.relative(process.cwd(), swaggerDir) || ".",
      rewriteRequestPath: (p) => p.replace(/^\/api\/docs\/assets/, ""),
      onFound: (_p, c) => c.header("Cache-Control", "public, max-age=86400"),
    }),
  );

  app.get("/healthz", (c) => c.json({ status: "ok", uptimeSeconds: Math.round(process.uptime()) }));
  app.get("/readyz", async (c) => {
    try {
      await services.kernel.database.ping();
      return c.json({ status: "ready", database: services.kernel.database.kind });
    } catch (error) {
      logger.warn({ err: error }, "readiness check failed");
      return c.json({ status: "unavailable", database: services.kernel.database.kind }, 503);
    }
  });

  // Client IP: the socket address, or X-Forwarded-For behind a trusted proxy. A client-sent
  // copy of our internal header is always dropped.
  function clientIp(c: Context): string | null {
    if (config.trustProxy) {
      const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
      if (forwarded) return forwarded;
    }
    try {
      return getConnInfo(c).remote.address ?? null;
    } catch {
      return null;
    }
  }

  // Input the database cannot store (a NUL character) or an address that is not validly
  // percent-encoded gets a 400 naming the place, never a 500 from deep inside.
  app.use(async (c, next) => {
    const url = new URL(c.req.url);
    let address: string;
    try {
      address = decodeURIComponent(url.pathname) + decodeURIComponent(url.search.replaceAll("+", " "));
    } catch {
      return errorJson(c, new AppError("validation_failed", "The address is not validly percent-encoded.", [{ path: "url", message: "malformed percent-encoding" }]), c.get("requestId"));
    }
    if (address.includes("\u0000")) {
      return errorJson(c, new AppError("validation_failed", "The address contains a NUL character.", [{ path: "url", message: "contains a NUL character" }]), c.get("requestId"));
    }
    const contentType = c.req.header("content-type") ?? "";
    if (UNSAFE.has(c.req.method) && (contentType.includes("json") || contentType.includes("form"))) {
      const field = findNulInBody(await c.req.raw.clone().text(), contentType);
      if (field) {
        return errorJson(c, new AppError("validation_failed", `${field}: text cannot contain a NUL character.`, [{ path: field, message: "contains a NUL character" }]), c.get("requestId"));
      }
    }
    await next();
  });

  // Same-origin check for browser writes (CSRF). API-token requests carry no ambient
  // credentials and are exempt; so are payment webhooks (authenticated by their HMAC signature
  // only, never by a cookie: see src/features/events/payments.server.ts).
  app.use(async (c, next) => {
    if (UNSAFE.has(c.req.method) && !c.req.header("authorization") && !c.req.path.startsWith("/api/v1/payments/webhook/")) {
      const origin = c.req.header("origin");
      const site = c.req.header("sec-fetch-site");
      const sameOrigin = origin && origin !== "null" ? origin === appOrigin || origin === new URL(c.req.url).origin : site === "same-origin" || site === "none";
      if (!sameOrigin) {
        return errorJson(c, new AppError("csrf_failed", "This request did not come from Balint Commons (Origin check failed)."), c.get("requestId"));
      }
    }
    await next();
  });

  // better-auth: accounts, sessions, magic links, passkeys, two-factor.
  app.on(["GET", "POST"], `${AUTH_BASE_PATH}/*`, async (c) => {
    const headers = new Headers(c.req.raw.headers);
    headers.delete(CLIENT_IP_HEADER);
    const ip = clientIp(c);
    if (ip) headers.set(CLIENT_IP_HEADER, ip);
    const request = new Request(c.req.raw, { headers, duplex: "half" } as RequestInit);
    const response = await services.kernel.auth.handler(request);
    const isJson = response.headers.get("content-type")?.includes("application/json");
    if (response.status >= 400 && (isJson || response.status === 429)) {
      // Keep better-auth's own fields (its client reads them) and add the shared error shape.
      const text = await response.text();
      let body: { code?: string; message?: string } = {};
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        body = { message: text || undefined };
      }
      const code = response.status === 429 ? "rate_limited" : response.status === 401 ? "unauthenticated" : response.status === 403 ? "forbidden" : response.status === 404 ? "not_found" : "validation_failed";
      const message = body.message ?? (response.status === 429 ? "Too many attempts. Please wait a minute and try again." : "Request refused.");
      // better-auth's own validation says "[body.email] Invalid input": name that field.
      const named = /^\[body\.([\w.]+)\]\s*(.*)$/.exec(body.message ?? "");
      const fields = named
        ? [{ path: named[1]!, message: named[2] || "Invalid input" }]
        : /password/i.test(body.code ?? "")
          ? [{ path: "password", message }]
          : /email/i.test(body.code ?? "")
            ? [{ path: "email", message }]
            : undefined;
      const shared = new AppError(code, message, fields).toBody(c.get("requestId"));
      const headers = new Headers(response.headers);
      headers.delete("content-length");
      headers.set("content-type", "application/json");
      return new Response(JSON.stringify({ ...body, ...shared }), { status: response.status, headers });
    }
    return response;
  });

  // Who is asking, for everything below.
  app.use(async (c, next) => {
    const identity = await resolveIdentity(services, c.req.raw.headers);
    if (identity === "invalid_token") {
      return errorJson(c, new AppError("unauthenticated", "The API token is invalid, expired or revoked."), c.get("requestId"));
    }
    const ctx: RequestContext = {
      services,
      actor: identity.actor,
      user: identity.user,
      requestId: c.get("requestId"),
      ipAddress: clientIp(c),
      locale: negotiateLocale(identity.user?.locale ?? null, c.req.header("accept-language")),
      timeZone: identity.user?.timeZone ?? "UTC",
      nonce: (c.get("nonce")) ?? "",
      headers: c.req.raw.headers,
    };
    if (identity.user && !identity.user.locale) ctx.locale = negotiateLocale(null, c.req.header("accept-language"));
    c.set("ctx", ctx);
    await next();
  });

  // REST API.
  const api = createApi();
  registerApiRoutes(api);
  api.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", { type: "http", scheme: "bearer", description: "Personal API token (bc_pat_…)" });
  api.openAPIRegistry.registerComponent("securitySchemes", "cookieAuth", { type: "apiKey", in: "cookie", name: "bc.session_token" });
  api.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Balint Commons API",
      version: "1.0.0",
      description:
        "REST API of Balint Commons. Authenticate with a personal API token (Authorization: Bearer) scoped to one organisation, or a browser session. Errors share one shape: { error: { code, message, fields[] } }; `message` texts follow the person's language (profile, else Accept-Language: English or Spanish), `code` and `path` never change.",
      license: { name: "AGPL-3.0-or-later", url: "https://www.gnu.org/licenses/agpl-3.0.html" },
    },
    servers: [{ url: `${config.appUrl}/api/v1` }],
  });
  app.route("/api/v1", api);
  app.get("/api/docs", (c) => c.html(apiDocsPage(c.get("nonce"))));
  app.all("/api/*", (c) => errorJson(c, new AppError("not_found", `No API route ${c.req.method} ${c.req.path}.`), c.get("requestId")));

  // Server-rendered UI.
  if (options.uiBuild) {
    const build = options.uiBuild;
    const handler = createRequestHandler(build, config.isProduction ? "production" : "development");
    const key = (build.entry.module as unknown as { requestContext?: unknown }).requestContext;
    if (!key) throw new Error("UI build does not export requestContext from entry.server.tsx");
    app.all("*", async (c) => {
      const context = new RouterContextProvider();
      context.set(key as never, c.get("ctx") as never);
      return handler(c.req.raw, context);
    });
  }

  return app;
}

export type HttpApp = ReturnType<typeof createHttpApp>;
