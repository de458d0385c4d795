import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, cookiesFrom, type TestApp } from "../../tests/support/test-app.ts";
import { user } from "../platform/auth/schema.ts";
import { auditEvent } from "../platform/audit/schema.ts";
import { installation, membership, organisation } from "../platform/tenancy/schema.ts";
import { invitation } from "../features/organisations/schema.ts";
import { apiToken } from "../features/api-tokens/schema.ts";
import { profile } from "../features/profile/schema.ts";
import { ROLES } from "../platform/tenancy/schema.ts";
import { DEMO_PASSWORD, DEMO_PEOPLE, DEMO_SHOWCASE, createPrng, demoEmail, seedDemo } from "./seed.ts";

describe("demo seed", () => {
  let app: TestApp;
  let result: Awaited<ReturnType<typeof seedDemo>>;
  beforeAll(async () => {
    app = await createTestApp();
    result = await seedDemo(app.services, { now: new Date("2026-06-01T12:00:00Z") });
  });
  afterAll(async () => app?.close());

  it("fills an empty installation with three organisations and about forty people", async () => {
    const { db } = app.services.kernel;
    expect(result).toMatchObject({ seeded: true, organisations: 3, people: DEMO_PEOPLE.length });
    const [orgs] = await db.select({ n: count() }).from(organisation);
    const [people] = await db.select({ n: count() }).from(user);
    const [profiles] = await db.select({ n: count() }).from(profile);
    expect(orgs!.n).toBe(3);
    expect(people!.n).toBeGreaterThanOrEqual(38);
    expect(people!.n).toBe(DEMO_PEOPLE.length);
    expect(profiles!.n).toBe(people!.n);
    const verified = await db.select({ n: count() }).from(user).where(eq(user.emailVerified, true));
    expect(verified[0]!.n).toBe(people!.n);
    const [installed] = await db.select({ n: count() }).from(installation);
    expect(installed!.n).toBe(1);
    expect(await app.services.setup.isNeeded()).toBe(false);
  });

  it("represents every role, people in two organisations, and the Spanish-language hospital", async () => {
    const { db } = app.services.kernel;
    const rows = await db.select({ role: membership.role, userId: membership.userId }).from(membership);
    expect(new Set(rows.map((r) => r.role))).toEqual(new Set(ROLES));
    const perPerson = new Map<string, number>();
    for (const r of rows) perPerson.set(r.userId, (perPerson.get(r.userId) ?? 0) + 1);
    expect([...perPerson.values()].filter((n) => n > 1).length).toBeGreaterThanOrEqual(3);
    const [hospital] = await db.select().from(organisation).where(eq(organisation.name, "Hospital Clínico San Rafael · Bienestar"));
    expect(hospital).toMatchObject({ defaultLocale: "es", timeZone: "Europe/Madrid", kind: "hospital" });
    const spanish = await db.select({ n: count() }).from(profile).where(eq(profile.locale, "es"));
    expect(spanish[0]!.n).toBeGreaterThanOrEqual(10);
  });

  it("has pending and accepted invitations, an API token and an audit history of identifiers", async () => {
    const { db } = app.services.kernel;
    const invitations = await db.select({ status: invitation.status }).from(invitation);
    expect(invitations.filter((i) => i.status === "pending").length).toBeGreaterThanOrEqual(3);
    expect(invitations.filter((i) => i.status === "accepted").length).toBeGreaterThanOrEqual(20);
    const [tokens] = await db.select({ n: count() }).from(apiToken);
    expect(tokens!.n).toBe(1);
    expect(result.apiToken?.token).toMatch(/^bc_pat_/);
    const events = (await db.select().from(auditEvent)).filter((e) => !e.action.startsWith("group"));
    expect(events.length).toBe(result.auditEvents + 1); // + api_token.created by the service (group events come from the groups service)
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(["setup.completed", "auth.signed_in", "invitation.accepted", "member.role_changed", "api_token.created"]));
  });

  it("fills the public directory with listed groups that have members and free seats", async () => {
    expect(result.groups).toBe(12);
    const page = (await (await app.request("/api/v1/directory/groups?pageSize=50")).json()) as {
      total: number;
      items: Array<{ seatsLeft: number; capacity: number; meetingLink?: unknown }>;
    };
    expect(page.total).toBe(12);
    expect(page.items.every((g) => g.seatsLeft > 0 && g.seatsLeft < g.capacity)).toBe(true);
    expect(JSON.stringify(page)).not.toContain("meet.example.org");
  });

  it("lets a demo account sign in with the shared password, and the API token work", async () => {
    for (const { handle } of DEMO_SHOWCASE.slice(0, 2)) {
      const res = await app.request("/api/auth/sign-in/email", { method: "POST", json: { email: demoEmail(handle), password: DEMO_PASSWORD } });
      expect(res.status, handle).toBe(200);
      const me = await app.request("/api/v1/me", { cookie: cookiesFrom(res) });
      expect(me.status).toBe(200);
    }
    const wrong = await app.request("/api/auth/sign-in/email", { method: "POST", json: { email: demoEmail("amara.okafor"), password: "not-the-password-at-all" } });
    expect(wrong.status).toBe(401);
    const viaToken = await app.request("/api/v1/me", { token: result.apiToken!.token });
    expect(viaToken.status).toBe(200);
  });

  it("does nothing on an installation that already has data", async () => {
    const again = await seedDemo(app.services);
    expect(again.seeded).toBe(false);
    const [people] = await app.services.kernel.db.select({ n: count() }).from(user);
    expect(people!.n).toBe(DEMO_PEOPLE.length);
  });

  it("is deterministic: the same seed gives the same sequence", () => {
    const a = createPrng(7);
    const b = createPrng(7);
    const c = createPrng(8);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
  });
});
