import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { cookiesFrom, createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { signUp, uniqueEmail } from "../../../tests/support/factories.ts";
import { auditEvent } from "../../platform/audit/schema.ts";
import { user } from "../../platform/auth/schema.ts";
import { isAppError } from "../../platform/http/errors.ts";

const NEW_PASSWORD = "copper-meadow-whistle-77";

function linkIn(text: string): URL {
  const match = /https?:\/\/\S+/.exec(text);
  if (!match) throw new Error(`no link in: ${text}`);
  return new URL(match[0]);
}

/** Lets queued mail jobs run, then returns everything sent to `to`. */
async function mailTo(app: TestApp, to: string, settleMs = 2500) {
  await new Promise((r) => setTimeout(r, settleMs));
  return app.mail.sent.filter((m) => m.to === to);
}

describe("password reset by email", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => app?.close());

  it("answers the same for known and unknown addresses, and mails only the known one", async () => {
    const person = await signUp(app, { verified: true });
    const stranger = uniqueEmail("stranger");
    const known = await app.request("/api/auth/request-password-reset", { method: "POST", json: { email: person.email } });
    const unknown = await app.request("/api/auth/request-password-reset", { method: "POST", json: { email: stranger } });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(known.status);
    expect(await unknown.json()).toEqual(await known.json());
    await app.waitForMail(person.email, /reset/i);
    expect(await mailTo(app, stranger)).toHaveLength(0);

    // The service gives the pages the same neutral answer.
    const caller = { headers: new Headers(), locale: "en" as const };
    expect(await app.services.accounts.requestPasswordReset(caller, { email: stranger })).toEqual({ sent: true });
  });

  it("resets with the emailed token, ends old sessions, signs in with the new password, and refuses the token twice", async () => {
    const person = await signUp(app, { verified: true });
    expect((await app.request("/api/v1/me", { cookie: person.cookie })).status).toBe(200);
    await app.request("/api/auth/request-password-reset", { method: "POST", json: { email: person.email } });
    const mail = await app.waitForMail(person.email, /reset/i);
    const link = linkIn(mail.text);
    expect(link.pathname).toBe("/reset-password");
    const token = link.searchParams.get("token")!;
    expect(await app.services.accounts.isResetTokenValid(token)).toBe(true);

    // A weak new password is refused without using up the token.
    const weak = await app.request("/api/auth/reset-password", { method: "POST", json: { token, newPassword: "password1234" } });
    expect(weak.status).toBe(400);
    expect(await app.services.accounts.isResetTokenValid(token)).toBe(true);

    const reset = await app.request("/api/auth/reset-password", { method: "POST", json: { token, newPassword: NEW_PASSWORD } });
    expect(reset.status).toBe(200);
    expect((await app.request("/api/v1/me", { cookie: person.cookie })).status).toBe(401);

    const oldPassword = await app.request("/api/auth/sign-in/email", { method: "POST", json: { email: person.email, password: person.password } });
    expect(oldPassword.status).toBe(401);
    const newPassword = await app.request("/api/auth/sign-in/email", { method: "POST", json: { email: person.email, password: NEW_PASSWORD } });
    expect(newPassword.status).toBe(200);
    expect((await app.request("/api/v1/me", { cookie: cookiesFrom(newPassword) })).status).toBe(200);

    const again = await app.request("/api/auth/reset-password", { method: "POST", json: { token, newPassword: "another-fine-sentence-31" } });
    expect(again.status).toBe(400);
    expect(await app.services.accounts.isResetTokenValid(token)).toBe(false);
    const viaService = await app.services.accounts.resetPassword({ headers: new Headers() }, { token, password: "another-fine-sentence-31" }).catch((e: unknown) => e);
    expect(isAppError(viaService) && viaService.fields?.[0]?.path).toBe("token");

    const audits = await app.services.kernel.db.select().from(auditEvent).where(eq(auditEvent.action, "auth.password_reset"));
    expect(audits.some((a) => a.actorUserId === person.id)).toBe(true);
    expect(JSON.stringify(audits)).not.toContain(token);
  });
});

describe("magic links", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => app?.close());

  it("mails a known address a link that signs in once; the second use fails", async () => {
    const person = await signUp(app, { verified: true });
    const res = await app.request("/api/auth/sign-in/magic-link", { method: "POST", json: { email: person.email, callbackURL: "/home", errorCallbackURL: "/sign-in/magic-link" } });
    expect(res.status).toBe(200);
    const mail = await app.waitForMail(person.email, /sign-in link/i);
    const link = linkIn(mail.text);
    expect(link.pathname).toBe("/api/auth/magic-link/verify");

    const first = await app.request(link.pathname + link.search, { redirect: "manual" });
    expect(first.status).toBe(302);
    expect(first.headers.get("location")).toBe("http://localhost:3000/home");
    const cookie = cookiesFrom(first);
    expect((await app.request("/api/v1/me", { cookie })).status).toBe(200);

    const second = await app.request(link.pathname + link.search, { redirect: "manual" });
    expect(second.status).toBe(302);
    expect(second.headers.get("location")).toMatch(/\/sign-in\/magic-link\?error=/);
    expect(cookiesFrom(second)).not.toMatch(/session_token/);
  });

  it("sends nothing to an unknown address and answers the same", async () => {
    const person = await signUp(app, { verified: true });
    const stranger = uniqueEmail("nobody");
    const known = await app.services.accounts.requestMagicLink({ headers: new Headers() }, { email: person.email });
    const unknown = await app.services.accounts.requestMagicLink({ headers: new Headers() }, { email: stranger });
    expect(unknown).toEqual(known);
    const viaApi = await app.request("/api/auth/sign-in/magic-link", { method: "POST", json: { email: stranger } });
    expect(viaApi.status).toBe(200);
    await app.waitForMail(person.email, /sign-in link/i);
    expect(await mailTo(app, stranger)).toHaveLength(0);
  });

  it("never lets a link skip the second factor of an account that has one", async () => {
    const person = await signUp(app, { verified: true });
    await app.request("/api/auth/sign-in/magic-link", { method: "POST", json: { email: person.email, callbackURL: "/home", errorCallbackURL: "/sign-in/magic-link" } });
    const link = linkIn((await app.waitForMail(person.email, /sign-in link/i)).text);
    // Two-step verification is turned on after the link was sent.
    await app.services.kernel.db.update(user).set({ twoFactorEnabled: true }).where(eq(user.id, person.id));
    const res = await app.request(link.pathname + link.search, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/\/sign-in\/magic-link\?error=TWO_FACTOR_REQUIRED/);
    expect(cookiesFrom(res)).not.toMatch(/session_token/);
    // And no new link is mailed to such an account.
    const before = app.mail.sent.filter((m) => m.to === person.email).length;
    await app.services.accounts.requestMagicLink({ headers: new Headers() }, { email: person.email });
    expect(await mailTo(app, person.email)).toHaveLength(before);
  });
});
