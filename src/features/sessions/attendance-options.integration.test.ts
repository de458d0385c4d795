// recordAttendance's options for callers that record attendance as part of their own write (the
// facilitation companion's end): `tx` (the caller's transaction) and `unrecordedOnly`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { auditEvent } from "../../platform/audit/schema.ts";
import { isAppError } from "../../platform/http/errors.ts";
import type { Actor } from "../../platform/policy/policy.ts";
import { groupMembership } from "../groups/schema.ts";
import { attendance, attendanceChange, sessionLeader } from "./schema.ts";

type Person = Awaited<ReturnType<typeof signUp>>;

let app: TestApp;
let orgId: string;
let owner: Person;
let leader: Person;
let members: Person[];
let outsider: Person;
let lead: Actor;

// A weekly group of 2029 (UTC); "now" is passed explicitly, after its first meeting.
const FIRST = "2029-03-05T19:00:00.000Z";
const LATER = new Date("2029-03-06T00:00:00Z");

beforeAll(async () => {
  app = await createTestApp();
  const made = await orgWithPerson(app, "owner");
  orgId = made.org.id;
  owner = made.person;
  leader = await signUp(app, { verified: true, name: "Lena Leader" });
  await addMember(app, orgId, leader.id, "leader");
  lead = { kind: "user", userId: leader.id, memberships: new Map([[orgId, "leader"]]) };
  members = [];
  for (const name of ["Ada Member", "Bo Member", "Cy Member"]) {
    const m = await signUp(app, { verified: true, name });
    await addMember(app, orgId, m.id, "member");
    members.push(m);
  }
  outsider = await signUp(app, { verified: true, name: "Otto Outsider" });
  await addMember(app, orgId, outsider.id, "member");
});
afterAll(async () => app?.close());

let seq = 0;
async function createGroup(): Promise<string> {
  seq += 1;
  const res = await app.request(`/api/v1/orgs/${orgId}/groups`, {
    method: "POST",
    cookie: owner.cookie,
    json: {
      name: `Attendance group ${seq}`,
      description: "A standing Balint group.",
      format: "online",
      meetingLink: `https://meet.example.org/attendance-${seq}`,
      languages: ["en"],
      timeZone: "UTC",
      schedule: { rrule: "FREQ=WEEKLY;COUNT=4", dtstartLocal: "2029-03-05T19:00", durationMinutes: 90 },
      capacity: 10,
      leaders: [{ userId: leader.id, kind: "leader" }],
    },
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  const id = ((await res.json()) as { id: string }).id;
  await app.services.kernel.db.insert(groupMembership).values(members.map((m) => ({ groupId: id, userId: m.id, status: "active" as const, term: 1, agreementAcceptedAt: new Date() })));
  return id;
}

const entries = (status: "present" | "absent" | "excused", people: Person[]) => ({ entries: people.map((p) => ({ userId: p.id, status })) });

describe("recordAttendance with unrecordedOnly", () => {
  it("records only members without a record; recorded values stand and get no history", async () => {
    const g = await createGroup();
    const svc = app.services.sessions;
    const db = app.services.kernel.db;
    await svc.recordAttendance(lead, orgId, g, FIRST, entries("present", [members[0]!]), {}, LATER);
    await svc.recordAttendance(lead, orgId, g, FIRST, entries("excused", [members[1]!]), {}, LATER);
    const result = await svc.recordAttendance(lead, orgId, g, FIRST, entries("absent", members), {}, LATER, { unrecordedOnly: true });
    expect(result.changed).toBe(1);
    const rows = await db.select().from(attendance).where(eq(attendance.groupId, g));
    expect(Object.fromEntries(rows.map((r) => [r.userId, r.status]))).toEqual({ [members[0]!.id]: "present", [members[1]!.id]: "excused", [members[2]!.id]: "absent" });
    const history = await db.select().from(attendanceChange).where(eq(attendanceChange.groupId, g));
    expect(history).toHaveLength(3);
    // Again: nothing left to record.
    expect((await svc.recordAttendance(lead, orgId, g, FIRST, entries("absent", members), {}, LATER, { unrecordedOnly: true })).changed).toBe(0);
    expect(await db.select().from(attendanceChange).where(eq(attendanceChange.groupId, g))).toHaveLength(3);
    // Without the option, the same call overrides (the ordinary rule).
    expect((await svc.recordAttendance(lead, orgId, g, FIRST, entries("absent", [members[0]!]), {}, LATER)).changed).toBe(1);
  });

  it("keeps the rules: active members only (400 naming the entry)", async () => {
    const g = await createGroup();
    const error = await app.services.sessions.recordAttendance(lead, orgId, g, FIRST, entries("absent", [members[0]!, outsider]), {}, LATER, { unrecordedOnly: true }).catch((e: unknown) => e);
    expect(isAppError(error) && error.fields?.[0]?.path).toBe("entries.1.userId");
  });
});

describe("recordAttendance in the caller's transaction", () => {
  it("writes attendance, history, the leaders' snapshot and its audit in that transaction: all or nothing", async () => {
    const g = await createGroup();
    const db = app.services.kernel.db;
    const svc = app.services.sessions;
    const failure = new Error("the caller's next step failed");
    const thrown = await db
      .transaction(async (tx) => {
        const r = await svc.recordAttendance(lead, orgId, g, FIRST, entries("present", members), {}, LATER, { tx });
        expect(r.changed).toBe(3);
        // Visible inside the transaction.
        expect(await tx.select().from(attendance).where(eq(attendance.groupId, g))).toHaveLength(3);
        throw failure;
      })
      .catch((e: unknown) => e);
    expect(thrown).toBe(failure);
    expect(await db.select().from(attendance).where(eq(attendance.groupId, g))).toHaveLength(0);
    expect(await db.select().from(attendanceChange).where(eq(attendanceChange.groupId, g))).toHaveLength(0);
    expect(await db.select().from(sessionLeader).where(eq(sessionLeader.groupId, g))).toHaveLength(0);
    expect(await db.select().from(auditEvent).where(and(eq(auditEvent.action, "session.attendance_recorded"), eq(auditEvent.targetId, g)))).toHaveLength(0);

    // Committed with the caller's transaction.
    await db.transaction(async (tx) => {
      await svc.recordAttendance(lead, orgId, g, FIRST, entries("present", members), {}, LATER, { tx });
    });
    expect(await db.select().from(attendance).where(eq(attendance.groupId, g))).toHaveLength(3);
    expect((await db.select().from(sessionLeader).where(eq(sessionLeader.groupId, g))).map((l) => l.userId)).toEqual([leader.id]);
  });

  it("checks the rules inside the transaction too (a cancelled meeting did not take place: 409)", async () => {
    const g = await createGroup();
    const db = app.services.kernel.db;
    const cancel = await app.request(`/api/v1/orgs/${orgId}/groups/${g}/sessions/${encodeURIComponent(FIRST)}/cancel`, { method: "POST", cookie: leader.cookie, json: {} });
    expect(cancel.status).toBe(200);
    const error = await db.transaction(async (tx) => app.services.sessions.recordAttendance(lead, orgId, g, FIRST, entries("absent", members), {}, LATER, { tx, unrecordedOnly: true })).catch((e: unknown) => e);
    expect(isAppError(error) && error.status).toBe(409);
    expect(isAppError(error) && error.fields?.[0]).toEqual({ path: "start", message: "this meeting did not take place" });
  });
});
