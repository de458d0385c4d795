import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { cookiesFrom, createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { signUp } from "../../../tests/support/factories.ts";
import { auditEvent } from "../../platform/audit/schema.ts";
import { user } from "../../platform/auth/schema.ts";
import { isAppError } from "../../platform/http/errors.ts";
import { totpFromUri } from "./testing/totp.ts";

/** Merges Set-Cookie headers into an existing Cookie header (later values win). */
function mergeCookies(cookie: string, setCookies: string[]): string {
  const jar = new Map(cookie.split("; ").filter(Boolean).map((c) => [c.split("=")[0]!, c] as const));
  for (const header of setCookies) {
    const pair = header.split(";")[0]!;
    const name = pair.split("=")[0]!;
    if (pair.endsWith("=") || /max-age=0/i.test(header)) jar.delete(name);
    else jar.set(name, pair);
  }
  return [...jar.values()].join("; ");
}

describe("two-step verification (TOTP + recovery codes)", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => app?.close());

  it("is turned on with a code, then guards password sign-in; a recovery code works once", async () => {
    const person = await signUp(app, { verified: true });
    const caller = (cookie: string) => ({ headers: new Headers({ cookie }), locale: "en" as const });
    let cookie = person.cookie;

    const wrongPassword = await app.services.accounts.startTwoFactor(caller(cookie), { password: "not-my-password-at-all" }).catch((e: unknown) => e);
    expect(isAppError(wrongPassword) && wrongPassword.fields?.[0]?.path).toBe("password");

    const started = await app.services.accounts.startTwoFactor(caller(cookie), { password: person.password });
    expect(started.totpURI).toMatch(/^otpauth:\/\/totp\/Balint%20Commons:/);
    expect(started.secret.length).toBeGreaterThan(16);
    // Not on until a code confirms the app works.
    const [before] = await app.services.kernel.db.select({ on: user.twoFactorEnabled }).from(user).where(eq(user.id, person.id));
    expect(before!.on).toBe(false);

    const badCode = await app.services.accounts.confirmTwoFactor(caller(cookie), { code: "000000" }).catch((e: unknown) => e);
    expect(isAppError(badCode) && badCode.fields?.[0]?.path).toBe("code");

    const confirmed = await app.services.accounts.confirmTwoFactor(caller(cookie), { code: totpFromUri(started.totpURI) });
    expect(confirmed.data.recoveryCodes).toHaveLength(10);
    cookie = mergeCookies(cookie, confirmed.cookies);
    expect((await app.request("/api/v1/me", { cookie })).status).toBe(200);

    // Password sign-in now stops at the second factor: no session yet.
    const signIn = await app.request("/api/auth/sign-in/email", { method: "POST", json: { email: person.email, password: person.password } });
    expect(signIn.status).toBe(200);
    expect(await signIn.json()).toMatchObject({ twoFactorRedirect: true });
    const challenge = cookiesFrom(signIn);
    expect(challenge).toMatch(/two_factor/);
    expect(challenge).not.toMatch(/session_token/);
    expect((await app.request("/api/v1/me", { cookie: challenge })).status).toBe(401);

    const viaCode = await app.request("/api/auth/two-factor/verify-totp", { method: "POST", cookie: challenge, json: { code: totpFromUri(started.totpURI) } });
    expect(viaCode.status).toBe(200);
    expect((await app.request("/api/v1/me", { cookie: cookiesFrom(viaCode) })).status).toBe(200);

    // The service reports the challenge the same way the pages need it.
    const viaService = await app.services.accounts.signInWithPassword({ headers: new Headers() }, { email: person.email, password: person.password });
    expect(viaService.data.twoFactorRedirect).toBe(true);
    const serviceChallenge = viaService.cookies.map((c) => c.split(";")[0]).join("; ");
    const recoveryCode = confirmed.data.recoveryCodes[0]!;
    const recovered = await app.services.accounts.verifyRecoveryCodeSignIn({ headers: new Headers({ cookie: serviceChallenge }) }, { code: recoveryCode });
    expect(recovered.data.userId).toBe(person.id);
    expect((await app.request("/api/v1/me", { cookie: recovered.cookies.map((c) => c.split(";")[0]).join("; ") })).status).toBe(200);

    // The same recovery code is refused the second time.
    const again = await app.services.accounts.signInWithPassword({ headers: new Headers() }, { email: person.email, password: person.password });
    const reuse = await app.services.accounts
      .verifyRecoveryCodeSignIn({ headers: new Headers({ cookie: again.cookies.map((c) => c.split(";")[0]).join("; ") }) }, { code: recoveryCode })
      .catch((e: unknown) => e);
    expect(isAppError(reuse) && reuse.fields?.[0]?.path).toBe("code");

    const actions = (await app.services.kernel.db.select().from(auditEvent).where(eq(auditEvent.actorUserId, person.id))).map((a) => a.action);
    expect(actions).toContain("auth.two_factor_enabled");
    expect(actions.filter((a) => a === "auth.signed_in").length).toBeGreaterThanOrEqual(2);
  });

  it("regenerates recovery codes and turns off with the password", async () => {
    const person = await signUp(app, { verified: true });
    let cookie = person.cookie;
    const caller = () => ({ headers: new Headers({ cookie }), locale: "en" as const });
    const started = await app.services.accounts.startTwoFactor(caller(), { password: person.password });
    const confirmed = await app.services.accounts.confirmTwoFactor(caller(), { code: totpFromUri(started.totpURI) });
    cookie = mergeCookies(cookie, confirmed.cookies);

    const fresh = await app.services.accounts.regenerateRecoveryCodes(caller(), { password: person.password });
    expect(fresh.recoveryCodes).toHaveLength(10);
    expect(fresh.recoveryCodes).not.toEqual(confirmed.data.recoveryCodes);

    const disabled = await app.services.accounts.disableTwoFactor(caller(), { password: person.password });
    cookie = mergeCookies(cookie, disabled.cookies);
    const [row] = await app.services.kernel.db.select({ on: user.twoFactorEnabled }).from(user).where(eq(user.id, person.id));
    expect(row!.on).toBe(false);
    const signIn = await app.request("/api/auth/sign-in/email", { method: "POST", json: { email: person.email, password: person.password } });
    expect(cookiesFrom(signIn)).toMatch(/session_token/);
    const actions = (await app.services.kernel.db.select().from(auditEvent).where(eq(auditEvent.actorUserId, person.id))).map((a) => a.action);
    expect(actions).toContain("auth.two_factor_disabled");
  });
});
