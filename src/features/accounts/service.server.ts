import { and, desc, eq, gt } from "drizzle-orm";
import type { z } from "zod";
import { AUTH_BASE_PATH, VERIFY_EMAIL_PAGE } from "../../platform/auth/auth.server.ts";
import { passkey as passkeyTable, session as sessionTable, user as userTable } from "../../platform/auth/schema.ts";
import { recordAudit } from "../../platform/audit/audit.server.ts";
import { AppError, type ErrorCode, type FieldError } from "../../platform/http/errors.ts";
import { DEFAULT_LOCALE, type Locale } from "../../platform/i18n/locales.ts";
import { createTranslator, type Translate } from "../../platform/i18n/translate.ts";
import type { Kernel } from "../../platform/kernel.server.ts";
import { describeUserAgent, maskIp, type DeviceDescription } from "./device.ts";
import { checkPassword } from "./password-strength.ts";
import {
  ChangePasswordInput,
  EmailInput,
  PasskeyNameInput,
  PasswordConfirmInput,
  RecoveryCodeInput,
  ResetPasswordInput,
  SessionIdInput,
  SignInInput,
  SignUpInput,
  TotpCodeInput,
  safeRedirect,
} from "./schemas.ts";

/**
 * Who is calling, as the HTTP layer knows it: RequestContext satisfies this. The incoming
 * headers carry the session cookie (and the pending two-factor cookie) to better-auth.
 */
export interface AuthCaller {
  headers: Headers;
  ipAddress?: string | null;
  locale?: Locale;
  requestId?: string | null;
}

/** A result plus the Set-Cookie headers the page must forward to the browser. */
export interface WithCookies<T> {
  data: T;
  cookies: string[];
}

export interface SessionView {
  id: string;
  current: boolean;
  device: DeviceDescription;
  /** The network the session was opened from, host part hidden (203.0.113.x). */
  network: string | null;
  createdAt: string;
  lastActiveAt: string;
  expiresAt: string;
}

export interface PasskeyView {
  id: string;
  name: string | null;
  createdAt: string | null;
  deviceType: string;
  backedUp: boolean;
}

/** Logical form fields; each call may rename them (e.g. password → newPassword). */
type LogicalField = "email" | "password" | "currentPassword" | "code" | "token" | "name";

/** better-auth error codes → translated message and the form field at fault. */
const AUTH_ERRORS: Record<string, { key: string; field?: LogicalField; code?: ErrorCode }> = {
  INVALID_EMAIL: { key: "accounts.error.invalidEmail", field: "email" },
  USER_ALREADY_EXISTS: { key: "accounts.error.emailTaken", field: "email", code: "conflict" },
  USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL: { key: "accounts.error.emailTaken", field: "email", code: "conflict" },
  INVALID_EMAIL_OR_PASSWORD: { key: "accounts.error.invalidCredentials", code: "unauthenticated" },
  INVALID_PASSWORD: { key: "accounts.error.wrongPassword", field: "currentPassword" },
  CREDENTIAL_ACCOUNT_NOT_FOUND: { key: "accounts.error.wrongPassword", field: "currentPassword" },
  PASSWORD_TOO_SHORT: { key: "accounts.password.too_short", field: "password" },
  PASSWORD_TOO_LONG: { key: "accounts.password.too_long", field: "password" },
  PASSWORD_TOO_GUESSABLE: { key: "accounts.password.too_guessable", field: "password" },
  INVALID_TOKEN: { key: "accounts.error.invalidToken", field: "token", code: "gone" },
  TOKEN_EXPIRED: { key: "accounts.error.invalidToken", field: "token", code: "gone" },
  INVALID_CODE: { key: "accounts.error.invalidCode", field: "code", code: "validation_failed" },
  INVALID_BACKUP_CODE: { key: "accounts.error.invalidRecoveryCode", field: "code", code: "validation_failed" },
  INVALID_TWO_FACTOR_COOKIE: { key: "accounts.error.twoFactorExpired", code: "unauthenticated" },
  TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE: { key: "accounts.error.twoFactorTooManyAttempts", code: "unauthenticated" },
  SESSION_NOT_FRESH: { key: "accounts.error.signInAgain", code: "forbidden" },
  SESSION_EXPIRED: { key: "accounts.error.signInAgain", code: "unauthenticated" },
  UNAUTHORIZED: { key: "accounts.error.signInAgain", code: "unauthenticated" },
  TOTP_ALREADY_ENABLED: { key: "accounts.error.twoFactorAlreadyOn", code: "conflict" },
  TWO_FACTOR_NOT_ENABLED: { key: "accounts.error.twoFactorOff", code: "conflict" },
  TOTP_NOT_ENABLED: { key: "accounts.error.twoFactorOff", code: "conflict" },
  PASSKEY_NOT_FOUND: { key: "accounts.error.passkeyNotFound", code: "not_found" },
};

function codeForStatus(status: number): ErrorCode {
  if (status === 401) return "unauthenticated";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 409 || status === 422) return "conflict";
  if (status === 410) return "gone";
  if (status === 429) return "rate_limited";
  return "validation_failed";
}

/**
 * Thin wrappers around better-auth for the account pages. Every call goes through better-auth's
 * HTTP handler (not `auth.api.*`), so its rate limits, origin checks and hooks (password
 * strength, audit) apply to forms exactly as to API clients. better-auth's errors come back as
 * AppErrors with translated messages and the form field at fault.
 */
export function createAccountsService(kernel: Kernel) {
  const { db, config } = kernel;
  const appOrigin = new URL(config.appUrl).origin;

  function translator(caller: AuthCaller): Translate {
    return createTranslator(caller.locale ?? DEFAULT_LOCALE);
  }

  /** Our own zod validation, with translated messages. */
  function parse<S extends z.ZodType>(caller: AuthCaller, schema: S, raw: unknown, rename: Partial<Record<string, string>> = {}): z.infer<S> {
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const t = translator(caller);
    const fields: FieldError[] = parsed.error.issues.map((issue) => {
      const path = issue.path.map(String).join(".") || "(body)";
      const key = `accounts.invalid.${path}`;
      const message = t(key);
      return { path: rename[path] ?? path, message: message === key ? issue.message : message };
    });
    const seen = new Set<string>();
    const unique = fields.filter((f) => (seen.has(f.path) ? false : (seen.add(f.path), true)));
    throw new AppError("validation_failed", t("accounts.error.checkFields"), unique);
  }

  function passwordProblem(caller: AuthCaller, password: string, personal: Array<string | null | undefined>, field: string): AppError | null {
    const verdict = checkPassword(password, personal);
    if (verdict.ok) return null;
    const t = translator(caller);
    const message = t(`accounts.password.${verdict.reason!}`, { min: 10, max: 128 });
    return new AppError("validation_failed", message, [{ path: field, message }]);
  }

  interface CallOptions {
    method?: "GET" | "POST";
    body?: unknown;
    query?: Record<string, string>;
    /** Renames logical fields for this form, e.g. { password: "newPassword" }. */
    fields?: Partial<Record<LogicalField, string>>;
  }

  async function call<T>(caller: AuthCaller, path: string, options: CallOptions = {}): Promise<{ data: T; cookies: string[]; status: number; location: string | null }> {
    const method = options.method ?? (options.body === undefined ? "GET" : "POST");
    const url = new URL(`${AUTH_BASE_PATH}${path}`, config.appUrl);
    for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
    const headers = new Headers();
    for (const name of ["cookie", "user-agent", "accept-language", "x-forwarded-for"]) {
      const value = caller.headers.get(name);
      if (value) headers.set(name, value);
    }
    // The HTTP layer has already checked the browser's Origin; this call is ours.
    headers.set("origin", appOrigin);
    if (caller.ipAddress) headers.set("x-bc-client-ip", caller.ipAddress);
    if (method === "POST") headers.set("content-type", "application/json");
    const response = await kernel.auth.handler(
      new Request(url, { method, headers, ...(method === "POST" ? { body: JSON.stringify(options.body ?? {}) } : {}) }),
    );
    const cookies = response.headers.getSetCookie();
    const text = await response.text();
    let payload: unknown = null;
    try {
      payload = text ? JSON.parse(text) : null;
    } catch {
      payload = null;
    }
    if (response.status >= 400) throw toAppError(caller, response.status, payload, options.fields ?? {});
    return { data: payload as T, cookies, status: response.status, location: response.headers.get("location") };
  }

  function toAppError(caller: AuthCaller, status: number, payload: unknown, rename: Partial<Record<LogicalField, string>>): Error {
    const t = translator(caller);
    const body = (payload ?? {}) as { code?: string; message?: string };
    if (status === 429) return new AppError("rate_limited", t("accounts.error.rateLimited"));
    if (status >= 500) return new Error(`better-auth answered ${status}: ${body.code ?? ""} ${body.message ?? ""}`.trim());
    const known = body.code ? AUTH_ERRORS[body.code] : undefined;
    if (!known) return new AppError(codeForStatus(status), body.message ?? t("accounts.error.generic"));
    const message = t(known.key, { min: 10, max: 128 });
    const field = known.field ? (rename[known.field] ?? known.field) : undefined;
    return new AppError(known.code ?? codeForStatus(status), message, field ? [{ path: field, message }] : undefined);
  }

  /** The signed-in person of this request, or 401. */
  async function currentSession(caller: AuthCaller) {
    if (!caller.headers.get("cookie")?.includes("session_token")) throw new AppError("unauthenticated", translator(caller)("accounts.error.signInAgain"));
    const found = await kernel.auth.api.getSession({ headers: caller.headers, query: { disableCookieCache: true } });
    if (!found) throw new AppError("unauthenticated", translator(caller)("accounts.error.signInAgain"));
    return found;
  }

  function audit(caller: AuthCaller, userId: string, action: string, extra: { targetType?: string; targetId?: string; details?: Record<string, string | number | boolean | null> } = {}) {
    return recordAudit(db, { actorUserId: userId, action, ipAddress: caller.ipAddress ?? null, requestId: caller.requestId ?? null, ...extra });
  }

  return {
    /** Creates the account, signs it in and sends the confirmation email. */
    async signUp(caller: AuthCaller, raw: unknown): Promise<WithCookies<{ userId: string }>> {
      let input: z.infer<typeof SignUpInput>;
      try {
        input = parse(caller, SignUpInput, raw);
      } catch (error) {
        // Name every field at fault at once, the password's strength included.
        const r = (raw ?? {}) as Record<string, unknown>;
        const weakToo = typeof r["password"] === "string" && r["password"] ? passwordProblem(caller, r["password"], [String(r["email"] ?? ""), String(r["name"] ?? "")], "password") : null;
        if (error instanceof AppError && weakToo && !error.fields?.some((f) => f.path === "password")) {
          throw new AppError(error.code, error.message, [...(error.fields ?? []), ...(weakToo.fields ?? [])]);
        }
        throw error;
      }
      const weak = passwordProblem(caller, input.password, [input.email, input.name], "password");
      if (weak) throw weak;
      const res = await call<{ user: { id: string } }>(caller, "/sign-up/email", {
        body: { name: input.name, email: input.email, password: input.password, callbackURL: VERIFY_EMAIL_PAGE },
      });
      return { data: { userId: res.data.user.id }, cookies: res.cookies };
    },

    /** Password sign-in. With two-step verification on, no session yet: a challenge cookie. */
    async signInWithPassword(caller: AuthCaller, raw: unknown): Promise<WithCookies<{ twoFactorRedirect: boolean }>> {
      const input = parse(caller, SignInInput, raw);
      const res = await call<{ twoFactorRedirect?: boolean }>(caller, "/sign-in/email", {
        body: { email: input.email, password: input.password, rememberMe: input.rememberMe },
        fields: { password: "password", currentPassword: "password" },
      });
      return { data: { twoFactorRedirect: Boolean(res.data?.twoFactorRedirect) }, cookies: res.cookies };
    },

    /** Second step of a password sign-in: the authenticator code. */
    async verifyTwoFactorSignIn(caller: AuthCaller, raw: unknown): Promise<WithCookies<{ userId: string }>> {
      const input = parse(caller, TotpCodeInput, raw);
      const res = await call<{ user: { id: string } }>(caller, "/two-factor/verify-totp", { body: { code: input.code } });
      return { data: { userId: res.data.user.id }, cookies: res.cookies };
    },

    /** Second step with a one-time recovery code instead of the authenticator. */
    async verifyRecoveryCodeSignIn(caller: AuthCaller, raw: unknown): Promise<WithCookies<{ userId: string }>> {
      const input = parse(caller, RecoveryCodeInput, raw);
      const res = await call<{ user: { id: string } }>(caller, "/two-factor/verify-backup-code", { body: { code: input.code } });
      return { data: { userId: res.data.user.id }, cookies: res.cookies };
    },

    /** Sends a sign-in link if the address belongs to an account; the answer never says which. */
    async requestMagicLink(caller: AuthCaller, raw: unknown, options: { redirectTo?: string } = {}): Promise<{ sent: true }> {
      const input = parse(caller, EmailInput, raw);
      await call(caller, "/sign-in/magic-link", {
        body: { email: input.email, callbackURL: safeRedirect(options.redirectTo), errorCallbackURL: "/sign-in/magic-link" },
      });
      return { sent: true };
    },

    /** Sends a reset link if the address belongs to an account; the answer never says which. */
    async requestPasswordReset(caller: AuthCaller, raw: unknown): Promise<{ sent: true }> {
      const input = parse(caller, EmailInput, raw);
      await call(caller, "/request-password-reset", { body: { email: input.email } });
      return { sent: true };
    },

    /** Whether a reset link's token is still usable (the page says so before asking for a password). */
    async isResetTokenValid(token: string): Promise<boolean> {
      if (!token || token.length > 512) return false;
      const ctx = await kernel.auth.$context;
      const found = await ctx.internalAdapter.findVerificationValue(`reset-password:${token}`);
      return Boolean(found && new Date(found.expiresAt) > new Date());
    },

    /** Sets a new password with a reset token; better-auth then ends every session of the account. */
    async resetPassword(caller: AuthCaller, raw: unknown): Promise<void> {
      const input = parse(caller, ResetPasswordInput, raw);
      const weak = passwordProblem(caller, input.password, [], "password");
      if (weak) throw weak;
      await call(caller, "/reset-password", { body: { token: input.token, newPassword: input.password } });
    },

    /** Changes the password; optionally signs out every other session (a new cookie is issued). */
    async changePassword(caller: AuthCaller, raw: unknown): Promise<WithCookies<null>> {
      const current = await currentSession(caller);
      const input = parse(caller, ChangePasswordInput, raw);
      const weak = passwordProblem(caller, input.newPassword, [current.user.email, current.user.name], "newPassword");
      if (weak) throw weak;
      const res = await call(caller, "/change-password", {
        body: { currentPassword: input.currentPassword, newPassword: input.newPassword, revokeOtherSessions: input.revokeOtherSessions },
        fields: { password: "newPassword" },
      });
      await audit(caller, current.user.id, "auth.password_changed", { targetType: "user", targetId: current.user.id, details: { otherSessionsRevoked: input.revokeOtherSessions } });
      return { data: null, cookies: res.cookies };
    },

    async signOut(caller: AuthCaller): Promise<WithCookies<null>> {
      const current = caller.headers.get("cookie")?.includes("session_token") ? await kernel.auth.api.getSession({ headers: caller.headers }).catch(() => null) : null;
      const res = await call(caller, "/sign-out", { body: {} }).catch((error: unknown) => {
        // Signing out without a (valid) session is not an error for the person.
        if (error instanceof AppError) return { data: null, cookies: [] as string[] };
        throw error;
      });
      if (current) await audit(caller, current.user.id, "auth.signed_out", { targetType: "session", targetId: current.session.id });
      return { data: null, cookies: res.cookies };
    },

    /** The person's own active sessions, newest first, with this one marked. No tokens. */
    async listSessions(caller: AuthCaller): Promise<SessionView[]> {
      const current = await currentSession(caller);
      const rows = await db
        .select({ id: sessionTable.id, createdAt: sessionTable.createdAt, updatedAt: sessionTable.updatedAt, expiresAt: sessionTable.expiresAt, userAgent: sessionTable.userAgent, ipAddress: sessionTable.ipAddress })
        .from(sessionTable)
        .where(and(eq(sessionTable.userId, current.user.id), gt(sessionTable.expiresAt, new Date())))
        .orderBy(desc(sessionTable.updatedAt))
        .limit(100);
      const views = rows.map((r) => ({
        id: r.id,
        current: r.id === current.session.id,
        device: describeUserAgent(r.userAgent),
        network: maskIp(r.ipAddress),
        createdAt: r.createdAt.toISOString(),
        lastActiveAt: r.updatedAt.toISOString(),
        expiresAt: r.expiresAt.toISOString(),
      }));
      return views.sort((a, b) => Number(b.current) - Number(a.current));
    },

    /** Ends one of the person's sessions (ending this one signs out here). */
    async revokeSession(caller: AuthCaller, raw: unknown): Promise<WithCookies<{ signedOut: boolean }>> {
      const current = await currentSession(caller);
      const input = parse(caller, SessionIdInput, raw);
      const [row] = await db
        .select({ token: sessionTable.token })
        .from(sessionTable)
        .where(and(eq(sessionTable.id, input.sessionId), eq(sessionTable.userId, current.user.id)));
      if (!row) throw new AppError("not_found", translator(caller)("accounts.error.sessionNotFound"));
      if (input.sessionId === current.session.id) {
        const out = await call(caller, "/sign-out", { body: {} });
        await audit(caller, current.user.id, "auth.signed_out", { targetType: "session", targetId: input.sessionId });
        return { data: { signedOut: true }, cookies: out.cookies };
      }
      await call(caller, "/revoke-session", { body: { token: row.token } });
      await audit(caller, current.user.id, "auth.sessions_revoked", { targetType: "session", targetId: input.sessionId, details: { scope: "one" } });
      return { data: { signedOut: false }, cookies: [] };
    },

    /** "Sign out everywhere else". */
    async revokeOtherSessions(caller: AuthCaller): Promise<void> {
      const current = await currentSession(caller);
      await call(caller, "/revoke-other-sessions", { body: {} });
      await audit(caller, current.user.id, "auth.sessions_revoked", { targetType: "user", targetId: current.user.id, details: { scope: "others" } });
    },

    /**
     * First step of turning on two-step verification: confirms the password and returns the
     * authenticator secret (as an otpauth:// URI and as text). Nothing is on until confirmed.
     */
    async startTwoFactor(caller: AuthCaller, raw: unknown): Promise<{ totpURI: string; secret: string }> {
      await currentSession(caller);
      const input = parse(caller, PasswordConfirmInput, raw);
      const res = await call<{ totpURI: string }>(caller, "/two-factor/enable", { body: { password: input.password }, fields: { currentPassword: "password" } });
      const secret = new URL(res.data.totpURI).searchParams.get("secret") ?? "";
      return { totpURI: res.data.totpURI, secret };
    },

    /** Second step: a code from the app proves it works. Returns the recovery codes, shown once. */
    async confirmTwoFactor(caller: AuthCaller, raw: unknown): Promise<WithCookies<{ recoveryCodes: string[] }>> {
      const current = await currentSession(caller);
      const input = parse(caller, TotpCodeInput, raw);
      const res = await call(caller, "/two-factor/verify-totp", { body: { code: input.code } });
      const codes = (await kernel.auth.api.viewBackupCodes({ body: { userId: current.user.id } })) as { backupCodes: string[] };
      await audit(caller, current.user.id, "auth.two_factor_enabled", { targetType: "user", targetId: current.user.id });
      return { data: { recoveryCodes: codes.backupCodes }, cookies: res.cookies };
    },

    async disableTwoFactor(caller: AuthCaller, raw: unknown): Promise<WithCookies<null>> {
      const current = await currentSession(caller);
      const input = parse(caller, PasswordConfirmInput, raw);
      const res = await call(caller, "/two-factor/disable", { body: { password: input.password }, fields: { currentPassword: "password" } });
      await audit(caller, current.user.id, "auth.two_factor_disabled", { targetType: "user", targetId: current.user.id });
      return { data: null, cookies: res.cookies };
    },

    /** New recovery codes (the old ones stop working). */
    async regenerateRecoveryCodes(caller: AuthCaller, raw: unknown): Promise<{ recoveryCodes: string[] }> {
      const current = await currentSession(caller);
      const input = parse(caller, PasswordConfirmInput, raw);
      const res = await call<{ backupCodes: string[] }>(caller, "/two-factor/generate-backup-codes", { body: { password: input.password }, fields: { currentPassword: "password" } });
      await audit(caller, current.user.id, "auth.recovery_codes_regenerated", { targetType: "user", targetId: current.user.id });
      return { recoveryCodes: res.data.backupCodes };
    },

    async listPasskeys(caller: AuthCaller): Promise<PasskeyView[]> {
      const current = await currentSession(caller);
      const rows = await db
        .select({ id: passkeyTable.id, name: passkeyTable.name, createdAt: passkeyTable.createdAt, deviceType: passkeyTable.deviceType, backedUp: passkeyTable.backedUp })
        .from(passkeyTable)
        .where(eq(passkeyTable.userId, current.user.id))
        .orderBy(desc(passkeyTable.createdAt))
        .limit(50);
      return rows.map((r) => ({ ...r, createdAt: r.createdAt ? r.createdAt.toISOString() : null }));
    },

    async renamePasskey(caller: AuthCaller, raw: unknown): Promise<void> {
      const current = await currentSession(caller);
      const input = parse(caller, PasskeyNameInput, raw);
      await call(caller, "/passkey/update-passkey", { body: { id: input.id, name: input.name } });
      await audit(caller, current.user.id, "auth.passkey_renamed", { targetType: "passkey", targetId: input.id });
    },

    async deletePasskey(caller: AuthCaller, raw: unknown): Promise<void> {
      const current = await currentSession(caller);
      const input = parse(caller, PasskeyNameInput.pick({ id: true }), raw);
      await call(caller, "/passkey/delete-passkey", { body: { id: input.id } });
      await audit(caller, current.user.id, "auth.passkey_removed", { targetType: "passkey", targetId: input.id });
    },

    /** Sends the confirmation email again to the signed-in person's address. */
    async resendVerification(caller: AuthCaller): Promise<{ sent: boolean }> {
      const current = await currentSession(caller);
      if (current.user.emailVerified) return { sent: false };
      await call(caller, "/send-verification-email", { body: { email: current.user.email, callbackURL: VERIFY_EMAIL_PAGE } });
      return { sent: true };
    },

    /** Whether the address is confirmed (for the /verify-email landing page). */
    async isEmailVerified(userId: string): Promise<boolean> {
      const [row] = await db.select({ v: userTable.emailVerified }).from(userTable).where(eq(userTable.id, userId));
      return Boolean(row?.v);
    },
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
