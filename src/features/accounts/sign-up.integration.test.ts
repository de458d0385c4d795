import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { cookiesFrom, createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { STRONG_PASSWORD, signUp, uniqueEmail } from "../../../tests/support/factories.ts";
import { user } from "../../platform/auth/schema.ts";
import { auditEvent } from "../../platform/audit/schema.ts";
import { isAppError } from "../../platform/http/errors.ts";

interface ErrorShape {
  error: { code: string; message: string; fields?: { path: string; message: string }[] };
}

function linkIn(text: string): string {
  const match = /https?:\/\/\S+/.exec(text);
  if (!match) throw new Error(`no link in: ${text}`);
  return match[0];
}

describe("sign-up, email verification and audit", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => app?.close());

  async function usersWith(email: string) {
    const [row] = await app.services.kernel.db.select({ n: count() }).from(user).where(eq(user.email, email));
    return row!.n;
  }

  it("refuses a weak password with the shared error shape naming password, and creates nobody", async () => {
    const email = uniqueEmail();
    const res = await app.request("/api/auth/sign-up/email", { method: "POST", json: { name: "Weak Person", email, password: "password123" } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorShape;
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.fields?.map((f) => f.path)).toEqual(["password"]);
    expect(await usersWith(email)).toBe(0);
  });

  it("refuses a password built from the person's own name and email", async () => {
    const email = "margarethamilton@example.org";
    const res = await app.request("/api/auth/sign-up/email", { method: "POST", json: { name: "Margaret Hamilton", email, password: "MargaretHamilton1" } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorShape).error.fields?.[0]?.path).toBe("password");
  });

  it("refuses an invalid email naming the email field", async () => {
    const res = await app.request("/api/auth/sign-up/email", { method: "POST", json: { name: "No Email", email: "not-an-email", password: STRONG_PASSWORD } });
    const viaService = await app.services.accounts.signUp({ headers: new Headers() }, { name: "Both Wrong", email: "nope", password: "password1" }).catch((e: unknown) => e);
    expect(isAppError(viaService) && viaService.fields?.map((f) => f.path).sort()).toEqual(["email", "password"]);
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorShape;
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.fields?.map((f) => f.path)).toContain("email");
  });

  it("refuses a second account with the same email (any letter case)", async () => {
    const first = await signUp(app);
    const res = await app.request("/api/auth/sign-up/email", { method: "POST", json: { name: "Copy", email: first.email.toUpperCase(), password: STRONG_PASSWORD } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const body = (await res.json()) as ErrorShape;
    expect(body.error.fields?.map((f) => f.path)).toContain("email");
    expect(await usersWith(first.email)).toBe(1);
  });

  it("sends a confirmation email whose link lands on /verify-email and marks the address verified", async () => {
    const person = await signUp(app);
    const mail = await app.waitForMail(person.email, /confirm/i);
    const link = linkIn(mail.text);
    expect(new URL(link).searchParams.get("callbackURL")).toBe("/verify-email");
    const res = await app.request(link.replace("http://localhost:3000", ""), { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/verify-email");
    // Confirming an address proves the mailbox, not the person: no session is handed out.
    expect(cookiesFrom(res)).not.toMatch(/session_token/);
    const [row] = await app.services.kernel.db.select({ v: user.emailVerified }).from(user).where(eq(user.id, person.id));
    expect(row!.v).toBe(true);
    const audits = await app.services.kernel.db.select().from(auditEvent).where(eq(auditEvent.action, "auth.email_verified"));
    expect(audits.some((a) => a.actorUserId === person.id)).toBe(true);
  });

  it("sends an invalid or tampered confirmation link to /verify-email with an error", async () => {
    const res = await app.request("/api/auth/verify-email?token=not-a-token&callbackURL=/verify-email", { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^\/verify-email\?error=/);
  });

  it("records sign-up and sign-in in the audit log with identifiers only", async () => {
    const person = await signUp(app);
    const res = await app.request("/api/auth/sign-in/email", { method: "POST", json: { email: person.email, password: person.password } });
    expect(res.status).toBe(200);
    const rows = await app.services.kernel.db.select().from(auditEvent).where(eq(auditEvent.actorUserId, person.id));
    const actions = rows.map((r) => r.action);
    expect(actions).toContain("auth.signed_up");
    expect(actions).toContain("auth.signed_in");
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(person.password);
    const token = decodeURIComponent(cookiesFrom(res).split("=")[1] ?? "").split(".")[0]!;
    expect(token.length).toBeGreaterThan(10);
    expect(dump).not.toContain(token);
  });

  it("records a failed password attempt against the account, without the password", async () => {
    const person = await signUp(app);
    const res = await app.request("/api/auth/sign-in/email", { method: "POST", json: { email: person.email, password: "wrong-password-entirely-9" } });
    expect(res.status).toBe(401);
    const rows = await app.services.kernel.db.select().from(auditEvent).where(eq(auditEvent.targetId, person.id));
    const failed = rows.filter((r) => r.action === "auth.sign_in_failed");
    expect(failed).toHaveLength(1);
    expect(JSON.stringify(failed)).not.toContain("wrong-password-entirely-9");
  });

  describe("through the accounts service (what the pages call)", () => {
    const caller = (cookie?: string) => ({ headers: new Headers(cookie ? { cookie } : {}), locale: "en" as const });

    it("signs up, returns the session cookie, and names the field at fault on bad input", async () => {
      const email = uniqueEmail();
      const ok = await app.services.accounts.signUp(caller(), { name: "Service Person", email, password: STRONG_PASSWORD });
      expect(ok.cookies.join(";")).toMatch(/bc\.session_token=/);
      const me = await app.request("/api/v1/me", { cookie: ok.cookies.map((c) => c.split(";")[0]).join("; ") });
      expect(me.status).toBe(200);

      const weak = await app.services.accounts.signUp(caller(), { name: "Weak", email: uniqueEmail(), password: "short" }).catch((e: unknown) => e);
      expect(isAppError(weak) && weak.fields?.map((f) => f.path)).toEqual(["password"]);

      const dup = await app.services.accounts.signUp(caller(), { name: "Dup", email, password: STRONG_PASSWORD }).catch((e: unknown) => e);
      expect(isAppError(dup) && dup.fields?.map((f) => f.path)).toEqual(["email"]);
    });

    it("answers in Spanish when the caller's locale is Spanish", async () => {
      const error = await app.services.accounts
        .signInWithPassword({ headers: new Headers(), locale: "es" }, { email: uniqueEmail(), password: "whatever-it-is-1" })
        .catch((e: unknown) => e);
      expect(isAppError(error) && error.message).toBe("La dirección de correo o la contraseña no son correctas.");
    });

    it("resends the confirmation email only while the address is unconfirmed", async () => {
      const person = await signUp(app);
      await app.waitForMail(person.email, /confirm/i);
      expect(await app.services.accounts.resendVerification(caller(person.cookie))).toEqual({ sent: true });
      const deadline = Date.now() + 15_000;
      while (app.mail.sent.filter((m) => m.to === person.email).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(app.mail.sent.filter((m) => m.to === person.email)).toHaveLength(2);
      await app.services.kernel.db.update(user).set({ emailVerified: true }).where(eq(user.id, person.id));
      expect(await app.services.accounts.resendVerification(caller(person.cookie))).toEqual({ sent: false });
    });
  });
});
