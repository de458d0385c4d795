import { z } from "zod";

/**
 * Inputs of the account forms, shared by the service (server) and the pages (browser).
 * Messages here are English fallbacks; the service replaces them with translated ones.
 */
// Kept free of password-strength.ts (zxcvbn dictionaries) so pages can import this file cheaply.
const INPUT_MAX = 512;
const email = z.string().trim().toLowerCase().max(254, "Use at most 254 characters.").pipe(z.email("Enter an email address like name@example.org."));
// Length and guessability are judged by checkPassword (password-strength.ts); here only "present".
const password = z.string().min(1, "Enter a password.").max(INPUT_MAX, "That password is too long.");

export const SignUpInput = z.object({
  name: z.string().trim().min(1, "Tell us your name.").max(120, "Use at most 120 characters."),
  email,
  password,
});
export type SignUpInput = z.infer<typeof SignUpInput>;

export const SignInInput = z.object({ email, password, rememberMe: z.boolean().default(true) });
export type SignInInput = z.infer<typeof SignInInput>;

export const EmailInput = z.object({ email });

export const ResetPasswordInput = z.object({ token: z.string().min(1).max(512), password });

export const ChangePasswordInput = z.object({
  currentPassword: z.string().min(1, "Enter your current password.").max(INPUT_MAX),
  newPassword: password,
  revokeOtherSessions: z.boolean().default(true),
});

export const PasswordConfirmInput = z.object({ password: z.string().min(1, "Enter your password.").max(INPUT_MAX) });

/** A six-digit authenticator code (spaces allowed) or a recovery code. */
export const TotpCodeInput = z.object({
  code: z
    .string()
    .transform((c) => c.replace(/[\s-]/g, ""))
    .pipe(z.string().regex(/^\d{6}$/, "Enter the 6-digit code from your authenticator app.")),
  trustDevice: z.boolean().default(false),
});

export const RecoveryCodeInput = z.object({
  code: z
    .string()
    .trim()
    .pipe(z.string().regex(/^[A-Za-z0-9-]{6,32}$/, "Enter one of your recovery codes.")),
});

export const PasskeyNameInput = z.object({
  id: z.string().min(1).max(200),
  name: z.string().trim().min(1, "Give the passkey a name.").max(60, "Use at most 60 characters."),
});

export const SessionIdInput = z.object({ sessionId: z.string().min(1).max(200) });

/**
 * Where to go after signing in: only a same-site relative path ("/x", never "//host" or
 * "/\host", no scheme, no control characters), else the fallback. Prevents open redirects.
 */
export function safeRedirect(target: unknown, fallback = "/home"): string {
  if (typeof target !== "string" || target.length === 0 || target.length > 2048) return fallback;
  if (!target.startsWith("/") || target.startsWith("//") || target.startsWith("/\\")) return fallback;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(target)) return fallback;
  try {
    const base = "http://same.invalid";
    const resolved = new URL(target, base);
    if (resolved.origin !== base) return fallback;
    return resolved.pathname + resolved.search + resolved.hash;
  } catch {
    return fallback;
  }
}
