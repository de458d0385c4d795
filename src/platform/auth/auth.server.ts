import { passkey } from "@better-auth/passkey";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { magicLink, twoFactor } from "better-auth/plugins";
import { eq } from "drizzle-orm";
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

/** The recipient's preferred language for account emails. */
async function localeOf(db: Database, userId: string | undefined): Promise<Locale> {
  if (!userId) return DEFAULT_LOCALE;
  const [row] = await db.select({ locale: profile.locale }).from(profile).where(eq(profile.userId, userId));
  return isLocale(row?.locale) ? row.locale : DEFAULT_LOCALE;
}

const PASSWORD_PATHS: Record<string, string> = {
  "/sign-up/email": "password",
  "/reset-password": "newPassword",
  "/change-password": "newPassword",
};

/**
 * Accounts, sessions, passwords, magic links, passkeys and TOTP two-factor, by better-auth.
 * Its `user` table is the canonical person; Balint Commons adds a profile row per user.
 */
export function createAuth(deps: { config: AppConfig; db: Database; mailer: Mailer }) {
  const { config, db, mailer } = deps;
  const url = new URL(config.appUrl);
  return betterAuth({
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
      sendResetPassword: async ({ user, url: link }) => {
        await mailer.send(user.email, {
          template: "resetPassword",
          locale: await localeOf(db, user.id),
          recipientName: user.name,
          actionUrl: link,
        });
      },
    },
    emailVerification: {
      sendOnSignUp: true,
      autoSignInAfterVerification: true,
      expiresIn: 60 * 60 * 24,
      sendVerificationEmail: async ({ user, url: link }) => {
        await mailer.send(user.email, {
          template: "verifyEmail",
          locale: await localeOf(db, user.id),
          recipientName: user.name,
          actionUrl: link,
        });
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
        const field = PASSWORD_PATHS[ctx.path];
        if (!field) return;
        const body = (ctx.body ?? {}) as Record<string, unknown>;
        const password = body[field];
        if (typeof password !== "string") return; // better-auth's own validation reports it
        const verdict = checkPassword(password, [typeof body["email"] === "string" ? body["email"] : null, typeof body["name"] === "string" ? body["name"] : null]);
        if (!verdict.ok) {
          throw new APIError("BAD_REQUEST", { message: verdict.message!, code: `PASSWORD_${verdict.reason!.toUpperCase()}` });
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        const ip = ctx.request?.headers.get("x-bc-client-ip") ?? null;
        const newSession = ctx.context.newSession;
        if (ctx.path.startsWith("/sign-in") || ctx.path === "/magic-link/verify" || ctx.path.startsWith("/two-factor/verify") || ctx.path === "/passkey/verify-authentication") {
          if (newSession) {
            await recordAudit(db, { actorUserId: newSession.user.id, action: "auth.signed_in", details: { method: ctx.path.replace(/^\//, "") }, ipAddress: ip });
          }
        }
        if (ctx.path === "/sign-up/email" && newSession) {
          await recordAudit(db, { actorUserId: newSession.user.id, action: "auth.signed_up", ipAddress: ip });
        }
        if (ctx.path === "/reset-password") {
          const returned = ctx.context.returned as { status?: boolean } | undefined;
          if (returned && !(returned instanceof Error) && returned.status) await recordAudit(db, { action: "auth.password_reset", ipAddress: ip });
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
          const [u] = await db.select({ id: authSchema.user.id, name: authSchema.user.name }).from(authSchema.user).where(eq(authSchema.user.email, email.toLowerCase()));
          if (!u) return; // say nothing about unknown addresses
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
}

export type Auth = ReturnType<typeof createAuth>;
