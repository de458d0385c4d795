import { passkey } from "@better-auth/passkey";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { createHash } from "node:crypto";
import { APIError, createAuthMiddleware, getSessionFromCtx } from "better-auth/api";
import { magicLink, twoFactor } from "better-auth/plugins";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { checkPassword } from "../../features/accounts/password-strength.ts";
import { profile } from "../../features/profile/schema.ts";
import type { AppConfig } from "../config.server.ts";
import type { Database } from "../db/client.server.ts";
import { recordAudit } from "../audit/audit.server.ts";
import { DEFAULT_LOCALE, isLocale, type Locale } from "../i18n/locales.ts";
import type { Mailer } from "../mail/mailer.server.ts";
import * as authSchema from "./schema.ts";

export const AUTH_BASE_PATH = "/api/auth";
export const MAGIC_LINK_MINUTES = 10;
/** UI pages that better-auth's email links lead to (see features/accounts/routes.ts). */
export const VERIFY_EMAIL_PAGE = "/verify-email";
export const RESET_PASSWORD_PAGE = "/reset-password";
export const TWO_FACTOR_REQUIRED_ERROR = "TWO_FACTOR_REQUIRED";

/** The recipient's preferred language for account emails. */
async function localeOf(db: Database, userId: string | undefined): Promise<Locale> {
  if (!userId) return DEFAULT_LOCALE;
  const [row] = await db.select({ locale: profile.locale }).from(profile).where(eq(profile.userId, userId));
  return isLocale(row?.locale) ? row.locale : DEFAULT_LOCALE;
}

/** Endpoints whose body carries an `email`: checked here so the error names the field. */
const EMAIL_PATHS = new Set(["/sign-up/email", "/sign-in/email", "/sign-in/magic-link", "/request-password-reset", "/send-verification-email"]);
const EmailSchema = z.email();

const PASSWORD_PATHS: Record<string, string> = {
  "/sign-up/email": "password",
  "/reset-password": "newPassword",
  "/change-password": "newPassword",
};

/** The stored form of a magic-link token (`storeToken: "hashed"`: SHA-256, base64url). */
function hashedMagicToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

/**
 * Accounts, sessions, passwords, magic links, passkeys and TOTP two-factor, by better-auth.
 * Its `user` table is the canonical person; Balint Commons adds a profile row per user.
 */
export function createAuth(deps: { config: AppConfig; db: Database; mailer: Mailer }) {
  const { config, db, mailer } = deps;
  const url = new URL(config.appUrl);
  const auth = betterAuth({
    appName: "Balint Commons",
    baseURL: config.appUrl,
    basePath: AUTH_BASE_PATH,
    secret: config.authSecret,
    trustedOrigins: [config.appUrl],
    database: drizzleAdapter(db, { provider: "pg", schema: authSchema }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 10,
      maxPasswordLength: 128,
      requireEmailVerification: false,
      revokeSessionsOnPasswordReset: true,
      resetPasswordTokenExpiresIn: 3600,
      // The link opens our own page, which asks for the new password and posts it with the token.
      sendResetPassword: async ({ user, token }) => {
        await mailer.send(user.email, {
          template: "resetPassword",
          locale: await localeOf(db, user.id),
          recipientName: user.name,
          actionUrl: `${config.appUrl}${RESET_PASSWORD_PAGE}?token=${encodeURIComponent(token)}`,
        });
      },
      onPasswordReset: async ({ user }, request) => {
        await recordAudit(db, { actorUserId: user.id, action: "auth.password_reset", targetType: "user", targetId: user.id, ipAddress: request?.headers.get("x-bc-client-ip") ?? null });
      },
    },
    emailVerification: {
      sendOnSignUp: true,
      // A confirmation link proves the address, not the person: it never signs anyone in (it
      // would otherwise bypass the password and the second factor).
      autoSignInAfterVerification: false,
      expiresIn: 60 * 60 * 24,
      sendVerificationEmail: async ({ user, url: link }) => {
        // Whoever asked for the email, the link lands on our confirmation page.
        const actionUrl = new URL(link);
        actionUrl.searchParams.set("callbackURL", VERIFY_EMAIL_PAGE);
        await mailer.send(user.email, {
          template: "verifyEmail",
          locale: await localeOf(db, user.id),
          recipientName: user.name,
          actionUrl: actionUrl.toString(),
        });
      },
      afterEmailVerification: async (user, request) => {
        await recordAudit(db, { actorUserId: user.id, action: "auth.email_verified", targetType: "user", targetId: user.id, ipAddress: request?.headers.get("x-bc-client-ip") ?? null });
      },
    },
    session: { expiresIn: 60 * 60 * 24 * 14, updateAge: 60 * 60 * 24 },
    rateLimit: {
      enabled: true,
      storage: "database",
      modelName: "rateLimit",
      window: config.authRateLimit.windowSeconds,
      max: config.authRateLimit.max * 10,
      customRules: {
        "/sign-in/email": { window: config.authRateLimit.windowSeconds, max: config.authRateLimit.max },
        "/sign-up/email": { window: config.authRateLimit.windowSeconds, max: config.authRateLimit.max },
        "/sign-in/magic-link": { window: config.authRateLimit.windowSeconds, max: config.authRateLimit.max },
        "/request-password-reset": { window: config.authRateLimit.windowSeconds, max: config.authRateLimit.max },
        "/two-factor/verify-totp": { window: config.authRateLimit.windowSeconds, max: config.authRateLimit.max },
        "/two-factor/verify-backup-code": { window: config.authRateLimit.windowSeconds, max: config.authRateLimit.max },
      },
    },
    advanced: {
      ipAddress: { ipAddressHeaders: config.trustProxy ? ["x-forwarded-for"] : ["x-bc-client-ip"] },
      useSecureCookies: url.protocol === "https:",
      cookiePrefix: "bc",
    },
    databaseHooks: {
      user: {
        create: {
          after: async (user) => {
            await db.insert(profile).values({ userId: user.id }).onConflictDoNothing();
          },
        },
      },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        const body = (ctx.body ?? {}) as Record<string, unknown>;
        // Devices are never "trusted": every password sign-in of a 2FA account asks for the code.
        if (ctx.path.startsWith("/two-factor/verify") && body["trustDevice"]) {
          return { context: { body: { ...body, trustDevice: false } } };
        }
        if (ctx.path === "/magic-link/verify") {
          // An email link must not bypass the second factor of an account that has one.
          const token = typeof ctx.query?.["token"] === "string" ? (ctx.query["token"] as string) : "";
          if (!token) return;
          const stored = await ctx.context.internalAdapter.findVerificationValue(hashedMagicToken(token));
          if (!stored) return; // better-auth reports the invalid token
          const { email } = JSON.parse(stored.value) as { email?: string };
          const found = email ? await ctx.context.internalAdapter.findUserByEmail(email) : null;
          if (found && (found.user as { twoFactorEnabled?: boolean | null }).twoFactorEnabled) {
            await ctx.context.internalAdapter.consumeVerificationValue(hashedMagicToken(token));
            const target = new URL(typeof ctx.query?.["errorCallbackURL"] === "string" ? (ctx.query["errorCallbackURL"] as string) : "/sign-in", config.appUrl);
            if (target.origin !== url.origin) target.href = new URL("/sign-in", config.appUrl).href;
            target.searchParams.set("error", TWO_FACTOR_REQUIRED_ERROR);
            throw ctx.redirect(target.toString());
          }
          return;
        }
        if (EMAIL_PATHS.has(ctx.path) && "email" in body && !(typeof body["email"] === "string" && EmailSchema.safeParse(body["email"]).success)) {
          throw new APIError("BAD_REQUEST", { message: "Enter a valid email address.", code: "INVALID_EMAIL" });
        }
        const field = PASSWORD_PATHS[ctx.path];
        if (!field) return;
        const password = body[field];
        if (typeof password !== "string") return; // better-auth's own validation reports it
        const personal: Array<string | null> = [typeof body["email"] === "string" ? body["email"] : null, typeof body["name"] === "string" ? body["name"] : null];
        if (ctx.path === "/change-password") {
          const current = await getSessionFromCtx(ctx).catch(() => null);
          if (current) personal.push(current.user.email, current.user.name);
        } else if (ctx.path === "/reset-password") {
          const token = typeof body["token"] === "string" ? body["token"] : "";
          const pending = token ? await ctx.context.internalAdapter.findVerificationValue(`reset-password:${token}`) : null;
          const person = pending ? await ctx.context.internalAdapter.findUserById(pending.value) : null;
          if (person) personal.push(person.email, person.name);
        }
        const verdict = checkPassword(password, personal);
        if (!verdict.ok) {
          throw new APIError("BAD_REQUEST", { message: verdict.message!, code: `PASSWORD_${verdict.reason!.toUpperCase()}` });
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        const ip = ctx.request?.headers.get("x-bc-client-ip") ?? null;
        const newSession = ctx.context.newSession;
        const returned = ctx.context.returned;
        const failed = returned instanceof Error || (typeof returned === "object" && returned !== null && "statusCode" in returned && Number((returned as { statusCode: unknown }).statusCode) >= 400);
        if (ctx.path.startsWith("/sign-in") || ctx.path === "/magic-link/verify" || ctx.path.startsWith("/two-factor/verify") || ctx.path === "/passkey/verify-authentication") {
          // The two-factor plugin (it runs after this hook) turns a password sign-in of a 2FA
          // account into a challenge: that sign-in is recorded when the code is verified.
          const pendingSecondFactor = ctx.path === "/sign-in/email" && Boolean((newSession?.user as { twoFactorEnabled?: boolean | null } | undefined)?.twoFactorEnabled);
          if (newSession && !pendingSecondFactor) {
            await recordAudit(db, { actorUserId: newSession.user.id, action: "auth.signed_in", details: { method: ctx.path.replace(/^\//, "") }, ipAddress: ip });
          }
        }
        if (ctx.path === "/sign-in/email" && failed) {
          // Failed attempts on a real account are recorded against it (identifiers only).
          const email = typeof (ctx.body as { email?: unknown } | undefined)?.email === "string" ? (ctx.body as { email: string }).email.toLowerCase() : null;
          const found = email ? await ctx.context.internalAdapter.findUserByEmail(email).catch(() => null) : null;
          if (found) await recordAudit(db, { action: "auth.sign_in_failed", targetType: "user", targetId: found.user.id, details: { method: "password" }, ipAddress: ip });
        }
        if (ctx.path === "/sign-up/email" && newSession) {
          await recordAudit(db, { actorUserId: newSession.user.id, action: "auth.signed_up", ipAddress: ip });
        }
        if (ctx.path === "/passkey/verify-registration" && !failed && returned && typeof returned === "object" && "id" in returned && "userId" in returned) {
          const added = returned as { id: string; userId: string };
          await recordAudit(db, { actorUserId: added.userId, action: "auth.passkey_added", targetType: "passkey", targetId: added.id, ipAddress: ip });
        }
      }),
    },
    plugins: [
      twoFactor({ issuer: "Balint Commons", backupCodeOptions: { amount: 10, length: 10 } }),
      magicLink({
        expiresIn: MAGIC_LINK_MINUTES * 60,
        disableSignUp: true,
        storeToken: "hashed",
        sendMagicLink: async ({ email, url: link }) => {
          const [u] = await db
            .select({ id: authSchema.user.id, name: authSchema.user.name, twoFactorEnabled: authSchema.user.twoFactorEnabled })
            .from(authSchema.user)
            .where(eq(authSchema.user.email, email.toLowerCase()));
          // Say nothing about unknown addresses. Accounts with two-step verification sign in with
          // their password and code, or a passkey: a link alone would skip the second factor.
          if (!u || u.twoFactorEnabled) return;
          await mailer.send(email, {
            template: "magicLink",
            locale: await localeOf(db, u.id),
            recipientName: u.name,
            values: { minutes: MAGIC_LINK_MINUTES },
            actionUrl: link,
          });
        },
      }),
      passkey({ rpID: url.hostname, rpName: "Balint Commons", origin: config.appUrl }),
    ],
  });
  // better-auth's rate limiter answers 429 as text/plain; label it JSON (it is) so the HTTP layer
  // adds the shared error shape to it like to every other refusal.
  const handler = auth.handler;
  auth.handler = async (request: Request) => {
    const response = await handler(request);
    if (response.status === 429 && !response.headers.get("content-type")?.includes("application/json")) {
      const headers = new Headers(response.headers);
      headers.set("content-type", "application/json");
      const retryAfter = headers.get("x-retry-after");
      if (retryAfter && !headers.has("retry-after")) headers.set("retry-after", retryAfter);
      return new Response(await response.text(), { status: 429, statusText: response.statusText, headers });
    }
    return response;
  };
  auth.fetch = auth.handler;
  return auth;
}

export type Auth = ReturnType<typeof createAuth>;
