import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { STRONG_PASSWORD } from "../../../tests/support/factories.ts";
import { user } from "../../platform/auth/schema.ts";
import { organisation } from "../../platform/tenancy/schema.ts";

describe("first-run setup", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => app?.close());

  const valid = { organisationName: "American Balint Society", ownerName: "Ada Owner", ownerEmail: "ada@example.org", ownerPassword: STRONG_PASSWORD, timeZone: "America/New_York" };

  it("reports that setup is needed on an empty installation", async () => {
    const res = await app.request("/api/v1/setup");
    expect(await res.json()).toEqual({ needed: true });
  });

  it("names each invalid field and writes nothing", async () => {
    const res = await app.request("/api/v1/setup", { method: "POST", json: { ...valid, ownerEmail: "not-an-email", timeZone: "Mars/Olympus" } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; fields: { path: string }[] } };
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.fields.map((f) => f.path).sort()).toEqual(["ownerEmail", "timeZone"]);
    const [orgs] = await app.services.kernel.db.select({ n: count() }).from(organisation);
    expect(orgs!.n).toBe(0);
  });

  it("refuses a weak password without creating the account", async () => {
    const res = await app.request("/api/v1/setup", { method: "POST", json: { ...valid, ownerPassword: "password123" } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { fields: { path: string }[] } };
    expect(body.error.fields[0]!.path).toBe("ownerPassword");
    const [users] = await app.services.kernel.db.select({ n: count() }).from(user);
    expect(users!.n).toBe(0);
  });

  it("creates the organisation and owner once, and refuses every later attempt, even concurrent ones", async () => {
    const attempts = await Promise.all(
      [0, 1, 2].map((i) => app.request("/api/v1/setup", { method: "POST", json: { ...valid, ownerEmail: `owner${i}@example.org` } })),
    );
    const statuses = attempts.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409]);
    const [orgs] = await app.services.kernel.db.select({ n: count() }).from(organisation);
    expect(orgs!.n).toBe(1);
    const [users] = await app.services.kernel.db.select({ n: count() }).from(user);
    expect(users!.n).toBe(1);
    expect(await (await app.request("/api/v1/setup")).json()).toEqual({ needed: false });
    const again = await app.request("/api/v1/setup", { method: "POST", json: { ...valid, ownerEmail: "late@example.org" } });
    expect(again.status).toBe(409);
  });

  it("sends the new owner an email verification link", async () => {
    const created = await app.services.kernel.db.select({ email: user.email }).from(user);
    const mail = await app.waitForMail(created[0]!.email, /confirm/i);
    expect(mail.text).toMatch(/http:\/\/localhost:3000\/api\/auth\/verify-email\?token=/);
  });
});
