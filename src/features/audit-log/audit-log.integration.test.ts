import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { recordAudit } from "../../platform/audit/audit.server.ts";
import { auditEvent } from "../../platform/audit/schema.ts";

interface Page {
  items: { id: number; action: string; actorUserId: string | null; actorName: string | null; actorEmail: string | null; createdAt: string; targetId: string | null }[];
  page: number;
  pageSize: number;
  total: number;
}

describe("audit log viewer", () => {
  let app: TestApp;
  let owner: Awaited<ReturnType<typeof orgWithPerson>>;
  let other: Awaited<ReturnType<typeof orgWithPerson>>;
  let memberCookie: string;
  let memberId: string;

  beforeAll(async () => {
    app = await createTestApp();
    owner = await orgWithPerson(app, "owner");
    other = await orgWithPerson(app, "owner");
    const m = await signUp(app, { verified: true, name: "Mo Member" });
    await addMember(app, owner.org.id, m.id, "member");
    memberCookie = m.cookie;
    memberId = m.id;
    const db = app.services.kernel.db;
    // 30 rows in the owner's organisation, and one in another organisation.
    for (let i = 0; i < 30; i++) {
      await recordAudit(db, {
        organisationId: owner.org.id,
        actorUserId: owner.person.id,
        action: i % 3 === 0 ? "member.removed" : "invitation.created",
        targetType: "user",
        targetId: `target-${i}`,
      });
    }
    const rows = await db.select({ id: auditEvent.id }).from(auditEvent).where(eq(auditEvent.organisationId, owner.org.id)).orderBy(auditEvent.id);
    expect(rows.length).toBe(30);
    await recordAudit(db, { organisationId: other.org.id, actorUserId: other.person.id, action: "member.removed", targetId: "secret-other-target" });
  });
  afterAll(async () => app?.close());

  const url = (q = "") => `/api/v1/orgs/${owner.org.id}/audit-events${q}`;

  it("lists only the organisation's rows, newest first, with the actor joined, paginated", async () => {
    const res = await app.request(url("?pageSize=10&page=2"), { cookie: owner.person.cookie });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Page;
    // 30 organisation rows + the account events (sign-ups) of its two members.
    expect(body.total).toBe(32);
    expect(body.page).toBe(2);
    expect(body.pageSize).toBe(10);
    expect(body.items).toHaveLength(10);
    expect(JSON.stringify(body)).not.toContain("secret-other-target");
    expect(body.items[0]!.actorEmail).toBe(owner.person.email);
    expect(body.items[0]!.actorName).toBe("Test Person");
    const ids = body.items.map((i) => i.id);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    const first = (await (await app.request(url("?pageSize=10&page=1"), { cookie: owner.person.cookie })).json()) as Page;
    expect(first.items.at(-1)!.id).toBeGreaterThan(body.items[0]!.id);
    const last = (await (await app.request(url("?pageSize=10&page=4"), { cookie: owner.person.cookie })).json()) as Page;
    expect(last.items).toHaveLength(2);
    const beyond = (await (await app.request(url("?pageSize=10&page=5"), { cookie: owner.person.cookie })).json()) as Page;
    expect(beyond.items).toHaveLength(0);
  });

  it("includes its members' account events, but not those of people outside it", async () => {
    const res = await app.request(url("?action=auth.signed_up&pageSize=100"), { cookie: owner.person.cookie });
    const body = (await res.json()) as Page;
    expect(new Set(body.items.map((i) => i.actorUserId))).toEqual(new Set([owner.person.id, memberId]));
    expect(body.items.map((i) => i.actorUserId)).not.toContain(other.person.id);
  });

  it("filters by action and by actor", async () => {
    const removed = (await (await app.request(url("?action=member.removed&pageSize=100"), { cookie: owner.person.cookie })).json()) as Page;
    expect(removed.total).toBe(10);
    expect(new Set(removed.items.map((i) => i.action))).toEqual(new Set(["member.removed"]));
    const nobody = (await (await app.request(url(`?actorUserId=${other.person.id}`), { cookie: owner.person.cookie })).json()) as Page;
    expect(nobody.total).toBe(0);
  });

  it("filters by date range (days read in the viewer's time zone, or instants)", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const inRange = (await (await app.request(url(`?from=2000-01-01&to=${today}`), { cookie: owner.person.cookie })).json()) as Page;
    expect(inRange.total).toBeGreaterThanOrEqual(30);
    const past = (await (await app.request(url("?from=2000-01-01&to=2000-12-31"), { cookie: owner.person.cookie })).json()) as Page;
    expect(past.total).toBe(0);
    const future = (await (await app.request(url(`?from=${new Date(Date.now() + 3_600_000).toISOString()}`), { cookie: owner.person.cookie })).json()) as Page;
    expect(future.total).toBe(0);
  });

  it("names bad filters in the shared error shape", async () => {
    const res = await app.request(url("?from=yesterday&pageSize=1000&action=DROP%20TABLE"), { cookie: owner.person.cookie });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; fields: { path: string }[] } };
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.fields.map((f) => f.path).sort()).toEqual(["action", "from", "pageSize"]);
  });

  it("gives outsiders 404, members without audit:read 403, anonymous 401", async () => {
    expect((await app.request(url(), { cookie: other.person.cookie })).status).toBe(404);
    expect((await app.request(url("/export"), { cookie: other.person.cookie })).status).toBe(404);
    // Even with nonsense filters an outsider learns nothing but 404.
    expect((await app.request(url("?from=nonsense"), { cookie: other.person.cookie })).status).toBe(404);
    expect((await app.request(url(), { cookie: memberCookie })).status).toBe(403);
    expect((await app.request(url("/export"), { cookie: memberCookie })).status).toBe(403);
    expect((await app.request(url())).status).toBe(401);
  });

  it("exports CSV with proper quoting and a formula guard, and records the export", async () => {
    const db = app.services.kernel.db;
    const sneaky = await signUp(app, { verified: true, name: '=HYPERLINK("http://evil.example","click"), "Dr" Smith' });
    await addMember(app, owner.org.id, sneaky.id, "admin");
    await recordAudit(db, { organisationId: owner.org.id, actorUserId: sneaky.id, action: "organisation.updated", targetType: "organisation", targetId: "@target", details: { field: "+name" } });
    const res = await app.request(url("/export?action=organisation.updated"), { cookie: owner.person.cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="audit-log-\d{4}-\d{2}-\d{2}\.csv"/);
    const csv = await res.text();
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("time_utc,action,actor_kind,actor_user_id,actor_name,actor_email,target_type,target_id,details,ip_address,request_id");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil.example"",""click""), ""Dr"" Smith"`);
    expect(lines[1]).toContain(",'@target,");
    expect(lines[1]).toContain(",field=+name,");
    const exported = await db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.organisationId, owner.org.id), eq(auditEvent.action, "audit.exported")));
    expect(exported).toHaveLength(1);
    expect(exported[0]!.actorUserId).toBe(owner.person.id);
    expect(exported[0]!.details).toMatchObject({ rows: 1, action: "organisation.updated" });
  });
});
