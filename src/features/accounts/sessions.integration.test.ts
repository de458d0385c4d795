import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { cookiesFrom, createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { signUp } from "../../../tests/support/factories.ts";
import { auditEvent } from "../../platform/audit/schema.ts";
import { isAppError } from "../../platform/http/errors.ts";

const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0";
const SAFARI_IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1";

describe("sessions, sign out everywhere else, password change", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => app?.close());

  async function signIn(email: string, password: string, userAgent: string) {
    const res = await app.request("/api/auth/sign-in/email", { method: "POST", json: { email, password }, headers: { "user-agent": userAgent } });
    expect(res.status).toBe(200);
    return cookiesFrom(res);
  }

  it("lists both sessions (this one marked, device named, no token), and revoking the others ends the other cookie", async () => {
    const person = await signUp(app, { verified: true });
    await app.services.accounts.signOut({ headers: new Headers({ cookie: person.cookie }) });
    const laptop = await signIn(person.email, person.password, FIREFOX);
    const phone = await signIn(person.email, person.password, SAFARI_IPHONE);

    const sessions = await app.services.accounts.listSessions({ headers: new Headers({ cookie: laptop }) });
    expect(sessions).toHaveLength(2);
    const current = sessions.filter((s) => s.current);
    expect(current).toHaveLength(1);
    expect(current[0]!.device).toMatchObject({ browser: "Firefox", os: "Windows" });
    expect(sessions.find((s) => !s.current)!.device).toMatchObject({ browser: "Safari", os: "iPhone", mobile: true });
    const laptopToken = decodeURIComponent(laptop.split("=")[1]!).split(".")[0]!;
    expect(JSON.stringify(sessions)).not.toContain(laptopToken);

    await app.services.accounts.revokeOtherSessions({ headers: new Headers({ cookie: laptop }) });
    const after = await app.services.accounts.listSessions({ headers: new Headers({ cookie: laptop }) });
    expect(after).toHaveLength(1);
    expect(after[0]!.current).toBe(true);
    expect((await app.request("/api/v1/me", { cookie: phone })).status).toBe(401);
    expect((await app.request("/api/v1/me", { cookie: laptop })).status).toBe(200);
    const audits = await app.services.kernel.db.select().from(auditEvent).where(eq(auditEvent.actorUserId, person.id));
    expect(audits.map((a) => a.action)).toContain("auth.sessions_revoked");
    expect(audits.map((a) => a.action)).toContain("auth.signed_out");
  });

  it("revokes one session by id, and only the person's own", async () => {
    const person = await signUp(app, { verified: true });
    const other = await signUp(app, { verified: true });
    const second = await signIn(person.email, person.password, FIREFOX);
    const sessions = await app.services.accounts.listSessions({ headers: new Headers({ cookie: person.cookie }) });
    const target = sessions.find((s) => !s.current)!;

    const stranger = await app.services.accounts.revokeSession({ headers: new Headers({ cookie: other.cookie }) }, { sessionId: target.id }).catch((e: unknown) => e);
    expect(isAppError(stranger) && stranger.code).toBe("not_found");
    expect((await app.request("/api/v1/me", { cookie: second })).status).toBe(200);

    const done = await app.services.accounts.revokeSession({ headers: new Headers({ cookie: person.cookie }) }, { sessionId: target.id });
    expect(done.data.signedOut).toBe(false);
    expect((await app.request("/api/v1/me", { cookie: second })).status).toBe(401);
    expect((await app.request("/api/v1/me", { cookie: person.cookie })).status).toBe(200);
  });

  it("changes the password (audited, no secrets), optionally ending other sessions", async () => {
    const person = await signUp(app, { verified: true });
    const other = await signIn(person.email, person.password, SAFARI_IPHONE);
    const caller = { headers: new Headers({ cookie: person.cookie }), locale: "en" as const };

    const wrong = await app.services.accounts.changePassword(caller, { currentPassword: "not-the-password-1", newPassword: "amber-lattice-sunrise-58" }).catch((e: unknown) => e);
    expect(isAppError(wrong) && wrong.fields?.[0]?.path).toBe("currentPassword");
    const weak = await app.services.accounts.changePassword(caller, { currentPassword: person.password, newPassword: "qwertyuiop" }).catch((e: unknown) => e);
    expect(isAppError(weak) && weak.fields?.[0]?.path).toBe("newPassword");

    const changed = await app.services.accounts.changePassword(caller, { currentPassword: person.password, newPassword: "amber-lattice-sunrise-58", revokeOtherSessions: true });
    const newCookie = changed.cookies.map((c) => c.split(";")[0] ?? "").filter((c) => c && !c.endsWith("=")).join("; ");
    expect((await app.request("/api/v1/me", { cookie: newCookie })).status).toBe(200);
    expect((await app.request("/api/v1/me", { cookie: other })).status).toBe(401);

    const rows = await app.services.kernel.db.select().from(auditEvent).where(eq(auditEvent.actorUserId, person.id));
    const change = rows.filter((r) => r.action === "auth.password_changed");
    expect(change).toHaveLength(1);
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain("amber-lattice-sunrise-58");
    expect(dump).not.toContain(person.password);
  });

  it("refuses session actions without a session", async () => {
    const error = await app.services.accounts.listSessions({ headers: new Headers() }).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe("unauthenticated");
  });
});
