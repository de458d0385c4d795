// The leaders' debrief end to end through the REST API: encryption at rest, AAD binding, who may
// read, revisions, the identifier check, strict bodies, expiry, supervision, completions, and the
// data-key race. Runs on PGlite and on PostgreSQL (TEST_DB=postgres).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { auditEvent } from "../../platform/audit/schema.ts";
import { groupMembership } from "../groups/schema.ts";
import { sessionException, sessionLeader } from "../sessions/schema.ts";
import { debriefCompletion, meetingDebrief, organisationDataKey } from "./schema.ts";

type Person = Awaited<ReturnType<typeof signUp>>;
interface DebriefBody {
  debrief: { text: string | null; revision: number; unreadable: boolean; exists: boolean; expiresAt: string | null; attachedToSupervisionAt: string | null; completedByMe: boolean; retentionDays: number };
}

let app: TestApp;
let org: { id: string };
let owner: Person;
let lena: Person; // leader of group G
let cora: Person; // co-leader of group G
let leo: Person; // leads another group H in the same organisation
let coordinator: Person;
let member: Person; // active member of G
let otherOwner: Person; // owner of another organisation
let g: string;
let h: string;

const DAY = 86_400_000;
// A daily group at 19:00 UTC that started 10 days ago: meetings 0..8 have taken place, 15 is ahead.
const base = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() - 10, 19, 0, 0));
const meeting = (k: number) => new Date(base.getTime() + k * DAY).toISOString();
const url = (groupId: string, k: number | string, rest = "", orgId = org.id) => `/api/v1/orgs/${orgId}/groups/${groupId}/meetings/${encodeURIComponent(typeof k === "number" ? meeting(k) : k)}/debrief${rest}`;

const put = (p: Person, groupId: string, k: number, json: unknown) => app.request(url(groupId, k), { method: "PUT", cookie: p.cookie, json });
const get = (p: Person, groupId: string, k: number) => app.request(url(groupId, k), { cookie: p.cookie });

async function createGroup(name: string, leaders: { userId: string; kind: "leader" | "co_leader" }[]): Promise<string> {
  const res = await app.request(`/api/v1/orgs/${org.id}/groups`, {
    method: "POST",
    cookie: owner.cookie,
    json: {
      name,
      description: "A standing Balint group.",
      format: "online",
      meetingLink: "https://meet.example.org/debrief",
      languages: ["en"],
      timeZone: "UTC",
      schedule: { rrule: "FREQ=DAILY;COUNT=20", dtstartLocal: base.toISOString().slice(0, 16), durationMinutes: 90 },
      capacity: 10,
      leaders,
    },
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

async function rawRows(): Promise<unknown[]> {
  const result = (await app.services.kernel.db.execute(sql`select * from meeting_debrief`)) as unknown as { rows: unknown[] };
  return result.rows;
}

beforeAll(async () => {
  app = await createTestApp();
  ({ org, person: owner } = await orgWithPerson(app, "owner"));
  lena = await signUp(app, { verified: true, name: "Lena Leader" });
  cora = await signUp(app, { verified: true, name: "Cora Coleader" });
  leo = await signUp(app, { verified: true, name: "Leo Otherleader" });
  for (const p of [lena, cora, leo]) await addMember(app, org.id, p.id, "leader");
  coordinator = await signUp(app, { verified: true, name: "Coco Coordinator" });
  await addMember(app, org.id, coordinator.id, "coordinator");
  member = await signUp(app, { verified: true, name: "Mara Member" });
  await addMember(app, org.id, member.id, "member");
  ({ person: otherOwner } = await orgWithPerson(app, "owner"));
  g = await createGroup("Debrief group", [
    { userId: lena.id, kind: "leader" },
    { userId: cora.id, kind: "co_leader" },
  ]);
  h = await createGroup("Other group", [{ userId: leo.id, kind: "leader" }]);
  await app.services.kernel.db.insert(groupMembership).values({ groupId: g, userId: member.id, status: "active", term: 1, agreementAcceptedAt: new Date() });
});
afterAll(async () => app?.close());

const PLAIN = "We noticed how the group circled around the doctor's guilt and stayed with it quietly.";

describe("the leaders' debrief", () => {
  it("is stored only sealed: the raw row never holds the text; the leaders read it back", async () => {
    const res = await put(lena, g, 0, { text: PLAIN, revision: 0 });
    expect(res.status).toBe(200);
    const saved = (await res.json()) as DebriefBody;
    expect(saved.debrief).toMatchObject({ text: PLAIN, revision: 1, exists: true, completedByMe: true, retentionDays: 180 });
    const expires = new Date(saved.debrief.expiresAt!).getTime();
    expect(Math.abs(expires - (Date.now() + 180 * DAY))).toBeLessThan(60_000);

    const raw = JSON.stringify(await rawRows());
    expect(raw).toContain("v1.1.");
    for (const word of ["guilt", "circled", "quietly", PLAIN]) expect(raw).not.toContain(word);
    const keysRaw = JSON.stringify(((await app.services.kernel.db.execute(sql`select * from organisation_data_key`)) as unknown as { rows: unknown[] }).rows);
    expect(keysRaw).toContain("wk1.");
    const audits = JSON.stringify(await app.services.kernel.db.select().from(auditEvent).where(eq(auditEvent.organisationId, org.id)));
    expect(audits).toContain("debrief.created");
    expect(audits).not.toContain("guilt");

    // The co-leader reads the same text.
    const theirs = (await (await get(cora, g, 0)).json()) as DebriefBody;
    expect(theirs.debrief).toMatchObject({ text: PLAIN, revision: 1, completedByMe: false });
  });

  it("is bound to its row: sealed text copied to another meeting's row reads as unreadable, cleanly", async () => {
    expect((await put(lena, g, 1, { text: "A different meeting, a different text.", revision: 0 })).status).toBe(200);
    const db = app.services.kernel.db;
    const [a] = await db.select().from(meetingDebrief).where(and(eq(meetingDebrief.groupId, g), eq(meetingDebrief.occurrenceStart, new Date(meeting(0)))));
    await db.update(meetingDebrief).set({ bodySealed: a!.bodySealed }).where(and(eq(meetingDebrief.groupId, g), eq(meetingDebrief.occurrenceStart, new Date(meeting(1)))));
    const res = await get(lena, g, 1);
    expect(res.status).toBe(200);
    const text = await res.text();
    const body = JSON.parse(text) as DebriefBody;
    expect(body.debrief).toMatchObject({ unreadable: true, text: null, exists: true });
    expect(text).not.toContain("guilt");
    expect(text).not.toMatch(/tampered|Authentication|stack/i);
    // The leaders can overwrite it.
    const fixed = await put(lena, g, 1, { text: "Written again.", revision: body.debrief.revision });
    expect(fixed.status).toBe(200);
    expect(((await fixed.json()) as DebriefBody).debrief).toMatchObject({ text: "Written again.", unreadable: false });
  });

  it("is only for the leaders of that meeting: everyone else gets 404", async () => {
    for (const p of [leo, coordinator, owner, member, otherOwner]) {
      expect((await get(p, g, 0)).status, p.email).toBe(404);
      expect((await put(p, g, 0, { text: "x", revision: 1 })).status, p.email).toBe(404);
      expect((await app.request(url(g, 0), { method: "DELETE", cookie: p.cookie })).status, p.email).toBe(404);
      expect((await app.request(url(g, 0, "/attach"), { method: "POST", cookie: p.cookie, json: { attached: true } })).status, p.email).toBe(404);
    }
    // Leo leads his own group's meetings, just not this one.
    expect((await get(leo, h, 0)).status).toBe(200);
    // Another organisation's id in the path: 404 too.
    expect((await app.request(url(g, 0, "", "00000000-0000-4000-8000-000000000000"), { cookie: lena.cookie })).status).toBe(404);
    expect((await app.request(url(g, 0))).status).toBe(401);
  });

  it("follows the record of who led the meeting, not the group's current leaders", async () => {
    // Meeting 2 was recorded as led by Lena only (Cora did not lead it).
    await app.services.kernel.db.insert(sessionLeader).values([
      { groupId: g, occurrenceStart: new Date(meeting(2)), userId: lena.id, kind: "leader", led: true, recordedAt: new Date() },
      { groupId: g, occurrenceStart: new Date(meeting(2)), userId: cora.id, kind: "co_leader", led: false, recordedAt: new Date() },
    ]);
    expect((await get(lena, g, 2)).status).toBe(200);
    expect((await get(cora, g, 2)).status).toBe(404);
  });

  it("is only for meetings that took place: not started or cancelled is 409, not a meeting 404, bad start 400", async () => {
    expect((await get(lena, g, 15)).status).toBe(409);
    await app.services.kernel.db.insert(sessionException).values({ groupId: g, occurrenceStart: new Date(meeting(3)), kind: "cancelled" });
    expect((await put(lena, g, 3, { text: "x", revision: 0 })).status).toBe(409);
    expect((await app.request(url(g, "2020-01-01T19:00:00.000Z"), { cookie: lena.cookie })).status).toBe(404);
    const bad = await app.request(url(g, "yesterday"), { cookie: lena.cookie });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("start");
  });

  it("refuses a stale revision with 409 and the co-leader's text", async () => {
    const first = (await (await get(cora, g, 0)).json()) as DebriefBody;
    const mine = await put(cora, g, 0, { text: "Cora adds a thought about the pushback phase.", revision: first.debrief.revision });
    expect(mine.status).toBe(200);
    const stale = await put(lena, g, 0, { text: "Lena's edit from the old version.", revision: first.debrief.revision });
    expect(stale.status).toBe(409);
    const body = (await stale.json()) as { error: { code: string }; current: DebriefBody["debrief"] };
    expect(body.error.code).toBe("conflict");
    expect(body.current).toMatchObject({ text: "Cora adds a thought about the pushback phase.", revision: first.debrief.revision + 1 });
    // Cora saving records her completion too.
    expect(body.current.completedByMe).toBe(true);
  });

  it("returns identifier findings with 422, then saves when they are acknowledged", async () => {
    const text = "Mrs Delacroix, born 14 March 1961, was discussed.";
    const res = await put(lena, g, 4, { text, revision: 0 });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string }; findings: { kind: string; text: string }[] };
    expect(body.error.code).toBe("identifiers_found");
    expect(body.findings.map((f) => f.kind)).toEqual(expect.arrayContaining(["name", "date_of_birth"]));
    expect(await app.services.kernel.db.select().from(meetingDebrief).where(and(eq(meetingDebrief.groupId, g), eq(meetingDebrief.occurrenceStart, new Date(meeting(4)))))).toHaveLength(0);
    const ok = await put(lena, g, 4, { text, revision: 0, acknowledgeFindings: true });
    expect(ok.status).toBe(200);
    const audits = await app.services.kernel.db.select().from(auditEvent).where(and(eq(auditEvent.organisationId, org.id), eq(auditEvent.action, "debrief.created")));
    const last = JSON.stringify(audits.map((a) => a.details));
    expect(last).toContain("identifierKinds");
    expect(last).not.toContain("Delacroix");
  });

  it("rejects unknown fields, bad types and overlong text with 400 naming the field, storing nothing", async () => {
    const cases: [unknown, string][] = [
      [{ text: "ok", revision: 0, patientName: "smuggled" }, "patientName"],
      [{ text: 5, revision: 0 }, "text"],
      [{ text: "ok", revision: -1 }, "revision"],
      [{ text: "x".repeat(20_001), revision: 0 }, "text"],
      [{ text: "   ", revision: 0 }, "text"],
      [{ text: "ok" }, "revision"],
    ];
    for (const [json, field] of cases) {
      const res = await put(lena, g, 5, json);
      expect(res.status, JSON.stringify(json).slice(0, 60)).toBe(400);
      expect(JSON.stringify(await res.json())).toContain(field);
    }
    const attach = await app.request(url(g, 0, "/attach"), { method: "POST", cookie: lena.cookie, json: { attached: true, note: "x" } });
    expect(attach.status).toBe(400);
    expect(await app.services.kernel.db.select().from(meetingDebrief).where(and(eq(meetingDebrief.groupId, g), eq(meetingDebrief.occurrenceStart, new Date(meeting(5)))))).toHaveLength(0);
  });

  it("expires for good unless kept for supervision; completions survive; deleting now works", async () => {
    // Meeting 0 kept for supervision; meeting 4 not.
    const att = await app.request(url(g, 0, "/attach"), { method: "POST", cookie: lena.cookie, json: { attached: true } });
    expect(att.status).toBe(200);
    expect(((await att.json()) as DebriefBody).debrief).toMatchObject({ expiresAt: null });
    expect((await app.request(url(g, 6, "/attach"), { method: "POST", cookie: lena.cookie, json: { attached: true } })).status).toBe(409);

    // The daily job is scheduled at start (it runs expireDue, below, and schedules the next day).
    const queued = (await app.services.kernel.db.execute(sql`select name from pgboss.job where name = 'debrief-expire'`)) as unknown as { rows: unknown[] };
    expect(queued.rows.length).toBeGreaterThanOrEqual(1);

    const later = new Date(Date.now() + 400 * DAY);
    // Two instances at once: each row deleted once, one audit entry each.
    const [x, y] = await Promise.all([app.services.debrief.expireDue(later), app.services.debrief.expireDue(later)]);
    const db = app.services.kernel.db;
    const left = await db.select({ occurrenceStart: meetingDebrief.occurrenceStart }).from(meetingDebrief).where(eq(meetingDebrief.groupId, g));
    expect(left.map((r) => r.occurrenceStart.toISOString())).toEqual([meeting(0)]);
    const expired = await db.select().from(auditEvent).where(and(eq(auditEvent.organisationId, org.id), eq(auditEvent.action, "debrief.expired")));
    expect(x + y).toBe(expired.length);
    expect(expired.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(expired)).not.toMatch(/Delacroix/);
    const done = await db.select().from(debriefCompletion).where(and(eq(debriefCompletion.groupId, g), eq(debriefCompletion.occurrenceStart, new Date(meeting(4)))));
    expect(done.map((d) => d.userId)).toEqual([lena.id]);

    const completions = (await (await app.request("/api/v1/me/debrief-completions", { cookie: lena.cookie })).json()) as { items: { occurrenceStart: string }[] };
    expect(completions.items.map((i) => i.occurrenceStart)).toEqual(expect.arrayContaining([meeting(0), meeting(1), meeting(4)]));

    // Delete now: gone for good, completion kept, audited without text.
    const del = await app.request(url(g, 0), { method: "DELETE", cookie: cora.cookie });
    expect(del.status).toBe(200);
    expect(await db.select().from(meetingDebrief).where(eq(meetingDebrief.groupId, g))).toHaveLength(0);
    expect((await app.request(url(g, 0), { method: "DELETE", cookie: cora.cookie })).status).toBe(404);
    expect(await db.select().from(debriefCompletion).where(and(eq(debriefCompletion.groupId, g), eq(debriefCompletion.occurrenceStart, new Date(meeting(0)))))).toHaveLength(2);
  });

  it("lets a leader mark it complete without writing, and lists meetings still needing a debrief", async () => {
    const before = await app.services.debrief.pending({ kind: "user", userId: cora.id, memberships: new Map([[org.id, "leader"]]) });
    const pendingStarts = before.items.filter((i) => i.groupId === g).map((i) => i.occurrenceStart);
    expect(pendingStarts).toContain(meeting(7));
    expect(pendingStarts).not.toContain(meeting(0)); // Cora saved that one
    expect(pendingStarts).not.toContain(meeting(2)); // she did not lead it
    expect(pendingStarts).not.toContain(meeting(3)); // cancelled
    expect(pendingStarts).not.toContain(meeting(15)); // not yet
    const res = await app.request(url(g, 7, "/complete"), { method: "POST", cookie: cora.cookie, json: {} });
    expect(res.status).toBe(200);
    expect(((await res.json()) as DebriefBody).debrief.completedByMe).toBe(true);
    const after = await app.services.debrief.pending({ kind: "user", userId: cora.id, memberships: new Map([[org.id, "leader"]]) });
    expect(after.items.map((i) => i.occurrenceStart)).not.toContain(meeting(7));
  });

  it("two leaders saving first at once: one wins, the other gets 409, one data key", async () => {
    const org2 = await orgWithPerson(app, "owner");
    const a = await signUp(app, { verified: true });
    const b = await signUp(app, { verified: true });
    await addMember(app, org2.org.id, a.id, "leader");
    await addMember(app, org2.org.id, b.id, "leader");
    const savedOrg = org;
    const savedOwner = owner;
    org = org2.org;
    owner = org2.person;
    try {
      const k = await createGroup("Race group", [
        { userId: a.id, kind: "leader" },
        { userId: b.id, kind: "co_leader" },
      ]);
      const [ra, rb] = await Promise.all([put(a, k, 1, { text: "A writes first.", revision: 0 }), put(b, k, 1, { text: "B writes first.", revision: 0 })]);
      expect([ra.status, rb.status].sort()).toEqual([200, 409]);
      const loser = (await (ra.status === 409 ? ra : rb).json()) as { current: { text: string; revision: number } };
      expect(loser.current.revision).toBe(1);
      expect(["A writes first.", "B writes first."]).toContain(loser.current.text);
      const keys = await app.services.kernel.db.select().from(organisationDataKey).where(eq(organisationDataKey.organisationId, org2.org.id));
      expect(keys.map((r) => [r.version, r.status])).toEqual([[1, "active"]]);
    } finally {
      org = savedOrg;
      owner = savedOwner;
    }
  });

  it("uses the organisation's retention setting (30..3650 days) for new debriefs", async () => {
    const patch = (json: unknown, who = owner) => app.request(`/api/v1/orgs/${org.id}`, { method: "PATCH", cookie: who.cookie, json });
    for (const bad of [29, 3651, 45.5, "45"]) {
      const res = await patch({ settings: { debriefRetentionDays: bad } });
      expect(res.status, String(bad)).toBe(400);
      expect(JSON.stringify(await res.json())).toContain("settings.debriefRetentionDays");
    }
    expect([403, 404]).toContain((await patch({ settings: { debriefRetentionDays: 45 } }, lena)).status);
    const ok = await patch({ settings: { debriefRetentionDays: 45 } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { settings: { debriefRetentionDays: number } }).settings.debriefRetentionDays).toBe(45);
    const saved = (await (await put(cora, g, 6, { text: "A short debrief.", revision: 0 })).json()) as DebriefBody;
    expect(saved.debrief.retentionDays).toBe(45);
    expect(Math.abs(new Date(saved.debrief.expiresAt!).getTime() - (Date.now() + 45 * DAY))).toBeLessThan(60_000);
  });

  it("rotates an organisation's data key: debriefs are re-sealed and still read", async () => {
    expect((await put(lena, g, 8, { text: "Before the rotation.", revision: 0 })).status).toBe(200);
    const result = await app.services.debrief.rotateOrganisationKey(org.id);
    expect(result.version).toBe(2);
    expect(result.resealed).toBeGreaterThanOrEqual(1);
    const rows = await app.services.kernel.db.select().from(meetingDebrief).where(eq(meetingDebrief.organisationId, org.id));
    expect(rows.every((r) => r.keyVersion === 2 && r.bodySealed.startsWith("v1.2."))).toBe(true);
    const keys = await app.services.kernel.db.select().from(organisationDataKey).where(eq(organisationDataKey.organisationId, org.id));
    expect(keys.map((k) => [k.version, k.status]).sort()).toEqual([
      [1, "retired"],
      [2, "active"],
    ]);
    app.services.debrief.keys.clearCache();
    expect(((await (await get(lena, g, 8)).json()) as DebriefBody).debrief.text).toBe("Before the rotation.");
  });
});

describe("a meeting held before a pause was added", () => {
  // The sessions slice's rule of "took place" (didNotTakePlace): a pause added later does not undo
  // a meeting that was held and recorded; a meeting in the pause with nothing recorded did not take place.
  it("keeps its debrief for its leaders; a meeting in the pause with nothing recorded is still refused", async () => {
    const p = await createGroup("Paused group", [
      { userId: lena.id, kind: "leader" },
      { userId: cora.id, kind: "co_leader" },
    ]);
    await app.services.kernel.db.insert(groupMembership).values({ groupId: p, userId: member.id, status: "active", term: 1, agreementAcceptedAt: new Date() });
    const asLeader = { kind: "user" as const, userId: lena.id, memberships: new Map([[org.id, "leader" as const]]) };
    // Meeting 5 is held and its attendance recorded; then the leaders pause the series over meetings 4..7.
    await app.services.sessions.recordAttendance(asLeader, org.id, p, meeting(5), { entries: [{ userId: member.id, status: "present" }] });
    await app.services.sessions.pause(asLeader, org.id, p, { startDate: meeting(4).slice(0, 10), endDate: meeting(7).slice(0, 10) });
    expect((await app.services.sessions.upcoming(asLeader, org.id, p, { from: meeting(0), to: meeting(9) })).items.map((i) => i.occurrenceStart)).not.toContain(meeting(5));

    // Before anything is written it is on each leader's list of debriefs to write; meeting 6 is not.
    const pending = (await app.services.debrief.pending({ kind: "user", userId: cora.id, memberships: new Map([[org.id, "leader"]]) })).items.filter((i) => i.groupId === p).map((i) => i.occurrenceStart);
    expect(pending).toContain(meeting(5));
    expect(pending).not.toContain(meeting(6));
    expect(pending).not.toContain(meeting(4));

    // Its leaders (the record of meeting 5: Lena and Cora) write and read it.
    const saved = await put(lena, p, 5, { text: "Held before the break; the group stayed with the silence.", revision: 0 });
    expect(saved.status).toBe(200);
    expect(((await saved.json()) as DebriefBody).debrief).toMatchObject({ revision: 1, exists: true });
    const read = await get(cora, p, 5);
    expect(read.status).toBe(200);
    expect(((await read.json()) as DebriefBody).debrief).toMatchObject({ text: "Held before the break; the group stayed with the silence.", revision: 1 });
    // Still only theirs.
    expect((await get(leo, p, 5)).status).toBe(404);

    // Meeting 6 falls in the pause and nothing was recorded for it: it did not take place.
    for (const res of [await get(lena, p, 6), await put(lena, p, 6, { text: "x", revision: 0 })]) {
      expect(res.status).toBe(409);
      expect(JSON.stringify(await res.json())).toContain("did not take place");
    }
    // A meeting held and recorded, then cancelled afterwards, did not take place either.
    await app.services.sessions.recordAttendance(asLeader, org.id, p, meeting(2), { entries: [{ userId: member.id, status: "present" }] });
    expect((await get(lena, p, 2)).status).toBe(200);
    await app.services.sessions.cancel(asLeader, org.id, p, meeting(2), {});
    expect((await get(lena, p, 2)).status).toBe(409);
  });
});
