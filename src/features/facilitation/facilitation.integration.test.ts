import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, count, eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { createLogger } from "../../platform/logging/logger.server.ts";
import { auditEvent } from "../../platform/audit/schema.ts";
import { startApp, type RunningApp } from "../../server.ts";
import { groupMembership } from "../groups/schema.ts";
import { attendance, attendanceChange, sessionLeader } from "../sessions/schema.ts";
import { meetingPresenter, meetingRun } from "./schema.ts";
import type { CompanionState } from "./service.server.ts";

type Person = Awaited<ReturnType<typeof signUp>>;
interface ErrorBody {
  error: { code: string; message: string; fields?: { path: string; message: string }[] };
  state?: CompanionState;
}

const onPostgres = process.env.TEST_DB === "postgres";

let app: TestApp;
let org: Awaited<ReturnType<typeof orgWithPerson>>["org"];
let owner: Person;
let leader: Person;
let coLeader: Person;
let otherLeader: Person;
let members: Person[];
let otherOrg: Awaited<ReturnType<typeof orgWithPerson>>;

beforeAll(async () => {
  app = await createTestApp();
  ({ org, person: owner } = await orgWithPerson(app, "owner"));
  leader = await signUp(app, { verified: true, name: "Lena Leader" });
  await addMember(app, org.id, leader.id, "leader");
  coLeader = await signUp(app, { verified: true, name: "Cora Coleader" });
  await addMember(app, org.id, coLeader.id, "leader");
  otherLeader = await signUp(app, { verified: true, name: "Oskar Otherleader" });
  await addMember(app, org.id, otherLeader.id, "leader");
  members = [];
  for (const name of ["Ada Member", "Bo Member", "Cy Member"]) {
    const m = await signUp(app, { verified: true, name });
    await addMember(app, org.id, m.id, "member");
    members.push(m);
  }
  otherOrg = await orgWithPerson(app, "owner");
}, 60_000);
afterAll(async () => app?.close());

let seq = 0;
/**
 * A daily group in UTC whose meeting "today" started `minutesAgo` minutes ago (negative: starts later).
 * Returns its id and that meeting's original start.
 */
async function createGroup(minutesAgo = 30, coLead: Person = coLeader): Promise<{ groupId: string; start: string }> {
  seq += 1;
  const startMs = Math.floor((Date.now() - minutesAgo * 60_000) / 60_000) * 60_000;
  const first = new Date(startMs - 2 * 86_400_000);
  const dtstartLocal = first.toISOString().slice(0, 16);
  const res = await app.request(`/api/v1/orgs/${org.id}/groups`, {
    method: "POST",
    cookie: owner.cookie,
    json: {
      name: `Companion group ${seq}`,
      description: "A standing Balint group.",
      format: "online",
      meetingLink: `https://meet.example.org/companion-${seq}`,
      languages: ["en"],
      timeZone: "UTC",
      schedule: { rrule: "FREQ=DAILY;COUNT=6", dtstartLocal, durationMinutes: 90 },
      capacity: 10,
      leaders: [
        { userId: leader.id, kind: "leader" },
        { userId: coLead.id, kind: "co_leader" },
      ],
    },
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  const g = (await res.json()) as { id: string };
  await app.services.kernel.db.insert(groupMembership).values(members.map((m) => ({ groupId: g.id, userId: m.id, status: "active" as const, term: 1, agreementAcceptedAt: new Date() })));
  return { groupId: g.id, start: new Date(startMs).toISOString() };
}

const base = (groupId: string, start: string, orgId = org.id) => `/api/v1/orgs/${orgId}/groups/${groupId}/meetings/${encodeURIComponent(start)}`;

async function call(a: TestApp, path: string, cookie: string, method = "GET", json?: unknown) {
  const res = await a.request(path, { method, cookie, ...(json !== undefined ? { json } : {}) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as CompanionState & ErrorBody };
}

const command = (groupId: string, start: string, cookie: string, body: unknown) => call(app, `${base(groupId, start)}/commands`, cookie, "POST", body);

describe("the leader's flow", () => {
  it("opens, runs the phases, records a presenter and taps, and ends the meeting", async () => {
    const { groupId, start } = await createGroup();
    const before = await call(app, `${base(groupId, start)}/companion`, leader.cookie);
    expect(before.status).toBe(200);
    expect(before.body.clock).toBeNull();
    expect(before.body.canOpen).toBe(true);
    expect(before.body.meetingLink).toMatch(/companion-/);
    expect(before.body.roster.map((r) => r.name)).toEqual(["Ada Member", "Bo Member", "Cy Member"]);
    expect(before.body.leaders.map((l) => l.kind)).toEqual(["leader", "co_leader"]);

    // Commands before the companion is open: 409.
    expect((await command(groupId, start, leader.cookie, { type: "start", expectedVersion: 0 })).status).toBe(409);

    const opened = await call(app, `${base(groupId, start)}/companion`, leader.cookie, "POST");
    expect(opened.status).toBe(200);
    expect(opened.body.clock?.status).toBe("ready");
    expect(opened.body.view?.phase).toBe("opening");
    // Opening twice (the co-leader too) keeps the same run.
    expect((await call(app, `${base(groupId, start)}/companion`, coLeader.cookie, "POST")).body.clock?.version).toBe(0);

    let s = await command(groupId, start, leader.cookie, { type: "start", expectedVersion: 0 });
    expect(s.status).toBe(200);
    expect(s.body.clock?.status).toBe("running");
    expect(typeof s.body.serverNow).toBe("number");
    s = await command(groupId, start, coLeader.cookie, { type: "pause", expectedVersion: 1 });
    expect(s.body.clock?.status).toBe("paused");
    s = await command(groupId, start, leader.cookie, { type: "resume", expectedVersion: 2 });
    s = await command(groupId, start, leader.cookie, { type: "next", expectedVersion: 3 });
    expect(s.body.view?.phase).toBe("presentation");
    s = await command(groupId, start, leader.cookie, { type: "extend", expectedVersion: 4 });
    expect(s.body.clock?.steps[1]?.extendedSeconds).toBe(300);
    s = await command(groupId, start, leader.cookie, { type: "back", expectedVersion: 5 });
    expect(s.body.view?.phase).toBe("opening");
    s = await command(groupId, start, leader.cookie, { type: "add_case", expectedVersion: 6 });
    expect(s.body.view?.cases).toBe(2);
    expect(s.body.clock?.version).toBe(7);

    // The presenter of case 1 (a member), then case 2; the suggestions leave today's presenters out.
    s = await call(app, `${base(groupId, start)}/presenters`, leader.cookie, "PUT", { caseNumber: 1, userId: members[1]!.id });
    expect(s.status).toBe(200);
    expect(s.body.presenters).toEqual([{ caseNumber: 1, userId: members[1]!.id, name: "Bo Member" }]);
    expect(s.body.suggestions.map((x) => x.userId)).not.toContain(members[1]!.id);
    // A leader is not a member: 400 naming userId. A third case does not exist yet: 400.
    const notMember = await call(app, `${base(groupId, start)}/presenters`, leader.cookie, "PUT", { caseNumber: 2, userId: leader.id });
    expect(notMember.status).toBe(400);
    expect(notMember.body.error.fields?.[0]?.path).toBe("userId");
    expect((await call(app, `${base(groupId, start)}/presenters`, leader.cookie, "PUT", { caseNumber: 3, userId: members[0]!.id })).status).toBe(400);

    // Taps are the attendance record.
    s = await call(app, `${base(groupId, start)}/attendance`, coLeader.cookie, "PUT", { userId: members[0]!.id, status: "present" });
    expect(s.status).toBe(200);
    s = await call(app, `${base(groupId, start)}/attendance`, leader.cookie, "PUT", { userId: members[1]!.id, status: "excused" });
    expect(s.body.roster.map((r) => r.attendance)).toEqual(["present", "excused", null]);
    const db = app.services.kernel.db;
    expect((await db.select().from(sessionLeader).where(eq(sessionLeader.groupId, groupId))).length).toBe(2);

    // End: clock ended, Cy (untapped) absent, the others untouched, both leaders credited.
    const ended = await call(app, `${base(groupId, start)}/end`, leader.cookie, "POST", {});
    expect(ended.status).toBe(200);
    expect(ended.body.clock?.status).toBe("ended");
    expect(ended.body.roster.map((r) => r.attendance)).toEqual(["present", "excused", "absent"]);
    const credits = await db.select().from(sessionLeader).where(eq(sessionLeader.groupId, groupId));
    expect(credits.map((c) => [c.userId, c.kind, c.led]).sort()).toEqual(
      [
        [leader.id, "leader", true],
        [coLeader.id, "co_leader", true],
      ].sort(),
    );
    const participation = await app.services.sessions.participationOf(coLeader.id);
    expect(participation.led.some((l) => l.groupId === groupId && l.kind === "co_leader")).toBe(true);

    // Idempotent: pressing end again (or `end` as a command) changes nothing.
    const changesBefore = (await db.select({ n: count() }).from(attendanceChange).where(eq(attendanceChange.groupId, groupId)))[0]!.n;
    const again = await call(app, `${base(groupId, start)}/end`, coLeader.cookie, "POST", {});
    expect(again.status).toBe(200);
    expect(again.body.clock?.version).toBe(ended.body.clock?.version);
    expect((await command(groupId, start, leader.cookie, { type: "end", expectedVersion: ended.body.clock!.version })).status).toBe(200);
    expect((await db.select({ n: count() }).from(attendanceChange).where(eq(attendanceChange.groupId, groupId)))[0]!.n).toBe(changesBefore);
    const endAudits = await db.select().from(auditEvent).where(and(eq(auditEvent.action, "facilitation.meeting_ended"), eq(auditEvent.targetId, groupId)));
    expect(endAudits).toHaveLength(1);
    // After the end, no more commands.
    expect((await command(groupId, start, leader.cookie, { type: "pause", expectedVersion: ended.body.clock!.version })).status).toBe(409);
  });

  it("ends through the sessions slice's recordAttendance: a meeting that did not take place cannot be ended into attendance", async () => {
    const db = app.services.kernel.db;
    // Ended normally, the untapped are recorded by recordAttendance (its audit, one history row each).
    const held = await createGroup();
    await call(app, `${base(held.groupId, held.start)}/companion`, leader.cookie, "POST");
    await call(app, `${base(held.groupId, held.start)}/attendance`, leader.cookie, "PUT", { userId: members[0]!.id, status: "present" });
    expect((await call(app, `${base(held.groupId, held.start)}/end`, leader.cookie, "POST", {})).status).toBe(200);
    const recorded = await db.select().from(auditEvent).where(and(eq(auditEvent.action, "session.attendance_recorded"), eq(auditEvent.targetId, held.groupId)));
    expect(recorded.map((a) => a.details?.["changed"]).sort()).toEqual([1, 2]);
    const changes = await db.select().from(attendanceChange).where(eq(attendanceChange.groupId, held.groupId));
    expect(changes.map((c) => [c.userId, c.previousStatus, c.status]).sort()).toEqual(
      [
        [members[0]!.id, null, "present"],
        [members[1]!.id, null, "absent"],
        [members[2]!.id, null, "absent"],
      ].sort(),
    );

    // Opened, one tap, then the meeting is cancelled: recordAttendance's rule ("only for a meeting
    // that took place") now holds for the end too — 409 naming start, and nothing of the end is kept.
    const { groupId, start } = await createGroup();
    await call(app, `${base(groupId, start)}/companion`, leader.cookie, "POST");
    expect((await command(groupId, start, leader.cookie, { type: "start", expectedVersion: 0 })).status).toBe(200);
    await call(app, `${base(groupId, start)}/attendance`, leader.cookie, "PUT", { userId: members[0]!.id, status: "present" });
    const cancel = await app.request(`/api/v1/orgs/${org.id}/groups/${groupId}/sessions/${encodeURIComponent(start)}/cancel`, { method: "POST", cookie: leader.cookie, json: {} });
    expect(cancel.status).toBe(200);
    const refused = await call(app, `${base(groupId, start)}/end`, leader.cookie, "POST", {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.fields).toEqual([{ path: "start", message: "this meeting did not take place" }]);
    // The clock did not end (the one transaction rolled back), the untapped were not marked absent.
    const [run] = await db.select().from(meetingRun).where(eq(meetingRun.groupId, groupId));
    expect(run!.clock.status).toBe("running");
    expect(run!.endedAt).toBeNull();
    const rows = await db.select().from(attendance).where(eq(attendance.groupId, groupId));
    expect(rows.map((r) => [r.userId, r.status])).toEqual([[members[0]!.id, "present"]]);
    expect(await db.select().from(auditEvent).where(and(eq(auditEvent.action, "facilitation.meeting_ended"), eq(auditEvent.targetId, groupId)))).toHaveLength(0);
    // The tap's rule was already recordAttendance's: no more taps for a cancelled meeting either.
    expect((await call(app, `${base(groupId, start)}/attendance`, leader.cookie, "PUT", { userId: members[1]!.id, status: "present" })).status).toBe(409);
  });

  it("refuses a stale version with 409 and the current state, and commands out of order with 409", async () => {
    const { groupId, start } = await createGroup();
    await call(app, `${base(groupId, start)}/companion`, leader.cookie, "POST");
    // Out of order: pause, resume, next before start.
    for (const type of ["pause", "resume", "next", "back", "extend"]) {
      const r = await command(groupId, start, leader.cookie, { type, expectedVersion: 0 });
      expect(r.status, type).toBe(409);
      expect(r.body.error.code).toBe("conflict");
    }
    expect((await command(groupId, start, leader.cookie, { type: "start", expectedVersion: 0 })).status).toBe(200);
    expect((await command(groupId, start, leader.cookie, { type: "resume", expectedVersion: 1 })).status).toBe(409);
    // Both leaders press "next" having seen version 1: the first wins, the second is stale.
    const [a, b] = await Promise.all([command(groupId, start, leader.cookie, { type: "next", expectedVersion: 1 }), command(groupId, start, coLeader.cookie, { type: "next", expectedVersion: 1 })]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const stale = a.status === 409 ? a : b;
    expect(stale.body.error.fields?.[0]?.path).toBe("expectedVersion");
    expect(stale.body.state?.clock?.version).toBe(2);
    expect(stale.body.state?.view?.phase).toBe("presentation");
    const [row] = await app.services.kernel.db.select().from(meetingRun).where(eq(meetingRun.groupId, groupId));
    expect(row!.version).toBe(2);
    expect(row!.clock.index).toBe(1);
    // Bad extension length: 400 naming seconds.
    const bad = await command(groupId, start, leader.cookie, { type: "extend", expectedVersion: 2, seconds: 5 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields?.[0]?.path).toBe("seconds");
  });

  it("404s members, other leaders, coordinators, and other organisations; 401 anonymous", async () => {
    const { groupId, start } = await createGroup();
    await call(app, `${base(groupId, start)}/companion`, leader.cookie, "POST");
    for (const who of [members[0]!, otherLeader, owner, otherOrg.person]) {
      for (const [path, method, body] of [
        ["/companion", "GET", undefined],
        ["/companion", "POST", undefined],
        ["/commands", "POST", { type: "start", expectedVersion: 0 }],
        ["/attendance", "PUT", { userId: members[0]!.id, status: "present" }],
        ["/presenters", "PUT", { caseNumber: 1, userId: members[0]!.id }],
        ["/end", "POST", {}],
        ["/events", "GET", undefined],
      ] as const) {
        const r = await app.request(`${base(groupId, start)}${path}`, { method, cookie: who.cookie, ...(body ? { json: body } : {}) });
        expect(r.status, `${who.id} ${method} ${path}`).toBe(404);
      }
    }
    // The other organisation's owner, under their own organisation id: still 404.
    expect((await call(app, `${base(groupId, start, otherOrg.org.id)}/companion`, otherOrg.person.cookie)).status).toBe(404);
    expect((await app.request(`${base(groupId, start)}/companion`)).status).toBe(401);
    const [row] = await app.services.kernel.db.select().from(meetingRun).where(eq(meetingRun.groupId, groupId));
    expect(row!.version).toBe(0);
  });

  it("rejects unknown fields (smuggled case text) with 400 naming them, storing nothing", async () => {
    const { groupId, start } = await createGroup();
    await call(app, `${base(groupId, start)}/companion`, leader.cookie, "POST");
    const r = await command(groupId, start, leader.cookie, { type: "start", expectedVersion: 0, caseNotes: "the patient, 54, who…" });
    expect(r.status).toBe(400);
    expect(r.body.error.fields?.map((f) => f.path)).toEqual(["caseNotes"]);
    const p = await call(app, `${base(groupId, start)}/presenters`, leader.cookie, "PUT", { caseNumber: 1, userId: members[0]!.id, topic: "a difficult patient" });
    expect(p.status).toBe(400);
    expect(p.body.error.fields?.[0]?.path).toBe("topic");
    const t = await call(app, `${base(groupId, start)}/attendance`, leader.cookie, "PUT", { userId: members[0]!.id, status: "present", note: "x" });
    expect(t.body.error.fields?.[0]?.path).toBe("note");
    const s = await call(app, `/api/v1/orgs/${org.id}/groups/${groupId}/companion-settings`, leader.cookie, "PUT", { phaseMinutes: { opening: 5, presentation: 10, questions: 10, pushback: 30, return: 5, closing: 10, caseText: 1 } });
    expect(s.status).toBe(400);
    expect(s.body.error.fields?.[0]?.path).toBe("phaseMinutes.caseText");
    const db = app.services.kernel.db;
    const [row] = await db.select().from(meetingRun).where(eq(meetingRun.groupId, groupId));
    expect(row!.version).toBe(0);
    expect(await db.select().from(meetingPresenter).where(eq(meetingPresenter.groupId, groupId))).toHaveLength(0);
    expect(await db.select().from(attendance).where(eq(attendance.groupId, groupId))).toHaveLength(0);
    // Malformed start: 400 naming start; a start that is not a meeting: 404.
    expect((await call(app, `/api/v1/orgs/${org.id}/groups/${groupId}/meetings/yesterday/companion`, leader.cookie)).body.error.fields?.[0]?.path).toBe("start");
    expect((await call(app, `${base(groupId, new Date(Date.parse(start) + 60_000).toISOString())}/companion`, leader.cookie)).status).toBe(404);
    expect((await call(app, `${base(groupId, "2099-01-01T00:00:00.000Z")}/companion`, leader.cookie)).status).toBe(404);
  });

  it("opens only from 2 h before the start to 24 h after, and ends only after the start", async () => {
    const later = await createGroup(-180);
    const r = await call(app, `${base(later.groupId, later.start)}/companion`, leader.cookie, "POST");
    expect(r.status).toBe(409);
    const soon = await createGroup(-60);
    expect((await call(app, `${base(soon.groupId, soon.start)}/companion`, leader.cookie, "POST")).status).toBe(200);
    expect((await call(app, `${base(soon.groupId, soon.start)}/end`, leader.cookie, "POST", {})).status).toBe(409);
    const old = await createGroup(60 * 25);
    expect((await call(app, `${base(old.groupId, old.start)}/companion`, leader.cookie, "POST")).status).toBe(409);
    // A cancelled meeting cannot be opened.
    const cancelled = await createGroup(-30);
    const c = await app.request(`/api/v1/orgs/${org.id}/groups/${cancelled.groupId}/sessions/${encodeURIComponent(cancelled.start)}/cancel`, { method: "POST", cookie: leader.cookie, json: {} });
    expect(c.status).toBe(200);
    expect((await call(app, `${base(cancelled.groupId, cancelled.start)}/companion`, leader.cookie, "POST")).status).toBe(409);
  });

  it("lets leaders and coordinators change the group's settings, which a new run uses", async () => {
    const { groupId, start } = await createGroup();
    const url = `/api/v1/orgs/${org.id}/groups/${groupId}/companion-settings`;
    expect((await call(app, url, members[0]!.cookie)).status).toBe(404);
    expect((await call(app, url, otherLeader.cookie, "PUT", { softSound: true })).status).toBe(404);
    const bad = await call(app, url, leader.cookie, "PUT", { phaseMinutes: { opening: 5, presentation: 10, questions: 10, pushback: 300, return: 5, closing: 10 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields?.[0]?.path).toBe("phaseMinutes.pushback");
    const ok = await call(app, url, leader.cookie, "PUT", { phaseMinutes: { opening: 3, presentation: 12, questions: 8, pushback: 25, return: 6, closing: 7 }, groundRules: "What is said here stays here." });
    expect(ok.status).toBe(200);
    const coord = await call(app, url, owner.cookie, "PUT", { softSound: true });
    expect(coord.status).toBe(200);
    expect(coord.body).toMatchObject({ softSound: true, groundRules: "What is said here stays here." });
    const opened = await call(app, `${base(groupId, start)}/companion`, leader.cookie, "POST");
    expect(opened.body.clock?.steps.map((st) => st.plannedSeconds / 60)).toEqual([3, 12, 8, 25, 6, 7]);
    expect(opened.body.settings.softSound).toBe(true);
  });
});

// ---- the live stream ----

interface SseEvent {
  event: string;
  data: string;
}

/** Reads server-sent events from a response body. */
function sseReader(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const queue: SseEvent[] = [];
  const raw: string[] = [];
  /** When each comment (heartbeat) arrived. */
  const comments: number[] = [];
  let done = false;
  const parse = () => {
    let at;
    while ((at = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, at);
      buffer = buffer.slice(at + 2);
      const lines = block.split("\n");
      for (const l of lines) if (l.startsWith(":")) comments.push(Date.now());
      const event = lines.find((l) => l.startsWith("event:"))?.slice(6).trim();
      const data = lines.filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trimStart()).join("\n");
      if (event) queue.push({ event, data });
    }
  };
  return {
    raw,
    comments,
    /** Everything until the server ends the stream (throws if it has not ended within the time). */
    async rest(timeoutMs = 5000): Promise<SseEvent[]> {
      const deadline = Date.now() + timeoutMs;
      while (!done) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error("the stream did not end in time");
        const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), left))]);
        if (chunk === null) throw new Error("the stream did not end in time");
        if (chunk.done) done = true;
        else {
          buffer += decoder.decode(chunk.value, { stream: true });
          raw.push(buffer);
          parse();
        }
      }
      return queue.splice(0);
    },
    async next(timeoutMs = 5000): Promise<SseEvent> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = queue.shift();
        if (found) return found;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error("no event in time");
        const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), left))]);
        if (chunk === null) throw new Error("no event in time");
        if (chunk.done) throw new Error("stream ended");
        buffer += decoder.decode(chunk.value, { stream: true });
        raw.push(buffer);
        parse();
      }
    },
    cancel: () => reader.cancel().catch(() => {}),
  };
}

describe("the live stream", () => {
  it("sends the state on connect and on every change, with a retry hint", async () => {
    const { groupId, start } = await createGroup();
    await call(app, `${base(groupId, start)}/companion`, leader.cookie, "POST");
    const res = await app.request(`${base(groupId, start)}/events`, { cookie: coLeader.cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    const events = sseReader(res);
    const first = await events.next();
    expect(first.event).toBe("state");
    expect((JSON.parse(first.data) as CompanionState).clock?.version).toBe(0);
    expect(events.raw.join("")).toMatch(/retry: \d+/);
    const t0 = Date.now();
    await command(groupId, start, leader.cookie, { type: "start", expectedVersion: 0 });
    const second = JSON.parse((await events.next(1000)).data) as CompanionState;
    expect(second.clock?.status).toBe("running");
    expect(Date.now() - t0).toBeLessThan(1000);
    await call(app, `${base(groupId, start)}/attendance`, leader.cookie, "PUT", { userId: members[2]!.id, status: "present" });
    let third = JSON.parse((await events.next(1000)).data) as CompanionState;
    while (third.roster.find((r) => r.userId === members[2]!.id)?.attendance !== "present") third = JSON.parse((await events.next(1000)).data) as CompanionState;
    await events.cancel();
  });

  it("sends the new state when the group's soft-tone setting changes, without any change to the meeting", async () => {
    const { groupId, start } = await createGroup();
    const other = await createGroup();
    await call(app, `${base(groupId, start)}/companion`, leader.cookie, "POST");
    const res = await app.request(`${base(groupId, start)}/events`, { cookie: coLeader.cookie });
    expect(res.status).toBe(200);
    const events = sseReader(res);
    const first = JSON.parse((await events.next()).data) as CompanionState;
    expect(first.settings.softSound).toBe(false);
    const settingsUrl = (g: string) => `/api/v1/orgs/${org.id}/groups/${g}/companion-settings`;

    // Another group's settings are not this meeting's business: nothing arrives for it (were a
    // state sent for it, it would come before the one below, still without the tone).
    expect((await call(app, settingsUrl(other.groupId), owner.cookie, "PUT", { softSound: true })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));

    // A coordinator offers the tone: the open companion gets it at once.
    const t0 = Date.now();
    expect((await call(app, settingsUrl(groupId), owner.cookie, "PUT", { softSound: true })).status).toBe(200);
    const on = JSON.parse((await events.next(1000)).data) as CompanionState;
    expect(on.settings.softSound).toBe(true);
    expect(Date.now() - t0).toBeLessThan(1000);
    // No meeting change came with it.
    expect(on.clock?.version).toBe(first.clock?.version);
    expect(on.clock?.status).toBe("ready");

    // Turning the offer off mutes every device at once.
    expect((await call(app, settingsUrl(groupId), leader.cookie, "PUT", { softSound: false })).status).toBe(200);
    const off = JSON.parse((await events.next(1000)).data) as CompanionState;
    expect(off.settings.softSound).toBe(false);
    expect(off.clock?.version).toBe(first.clock?.version);
    await events.cancel();
  });
});

describe("the live stream re-checks access with the person's current roles", () => {
  /** A co-leader of their own group (so that removing them leaves the shared people alone). */
  async function coLeaderOfNewGroup(name: string) {
    const person = await signUp(app, { verified: true, name });
    await addMember(app, org.id, person.id, "leader");
    const { groupId, start } = await createGroup(30, person);
    expect((await call(app, `${base(groupId, start)}/companion`, leader.cookie, "POST")).status).toBe(200);
    return { person, groupId, start };
  }

  async function connect(groupId: string, start: string, auth: { cookie?: string; token?: string }) {
    const res = await app.request(`${base(groupId, start)}/events`, auth);
    expect(res.status).toBe(200);
    const events = sseReader(res);
    expect((await events.next()).event).toBe("state");
    return events;
  }

  it("a co-leader removed from the organisation mid-meeting gets a final event on the next change, and no more state", async () => {
    const { person, groupId, start } = await coLeaderOfNewGroup("Cleo Coleader");
    const events = await connect(groupId, start, { cookie: person.cookie });
    // A change while they may still see it arrives.
    expect((await command(groupId, start, leader.cookie, { type: "start", expectedVersion: 0 })).status).toBe(200);
    expect((JSON.parse((await events.next(2000)).data) as CompanionState).clock?.status).toBe("running");

    // The owner removes them from the organisation (their group leader row stays): the roles they
    // connected with would still say "leader".
    expect((await app.request(`/api/v1/orgs/${org.id}/members/${person.id}`, { method: "DELETE", cookie: owner.cookie })).status).toBe(204);
    expect((await command(groupId, start, leader.cookie, { type: "pause", expectedVersion: 1 })).status).toBe(200);
    const rest = await events.rest(3000);
    expect(rest.map((e) => e.event)).toEqual(["end"]);
    expect(JSON.parse(rest[0]!.data)).toEqual({ reason: "access" });
    expect(events.raw.join("")).not.toContain('"status":"paused"');
    // Reconnecting is refused.
    expect((await app.request(`${base(groupId, start)}/events`, { cookie: person.cookie })).status).toBe(404);
  });

  it("a co-leader removed from the group, demoted, signed out or whose token is revoked is cut off at the next heartbeat, without any change", async () => {
    const settings = app.services.facilitation.streamSettings;
    const before = settings.heartbeatMs;
    settings.heartbeatMs = 150;
    try {
      // Removed from the group's leaders (by the owner, as coordinator).
      const removed = await coLeaderOfNewGroup("Remy Removed");
      const events = await connect(removed.groupId, removed.start, { cookie: removed.person.cookie });
      // Heartbeats come at the configured interval while access holds.
      const t0 = Date.now();
      while (events.comments.length < 3 && Date.now() - t0 < 5000) await events.next(300).catch(() => undefined);
      expect(events.comments.length).toBeGreaterThanOrEqual(3);
      expect(events.comments[2]! - t0).toBeGreaterThanOrEqual(2 * 150);
      const patch = await app.request(`/api/v1/orgs/${org.id}/groups/${removed.groupId}`, { method: "PATCH", cookie: owner.cookie, json: { leaders: [{ userId: leader.id, kind: "leader" }] } });
      expect(patch.status).toBe(200);
      const rest = await events.rest(3000);
      expect(rest.map((e) => e.event)).toEqual(["end"]);

      // Demoted to member in the organisation (still on the group's leader list).
      const demoted = await coLeaderOfNewGroup("Dana Demoted");
      const second = await connect(demoted.groupId, demoted.start, { cookie: demoted.person.cookie });
      expect((await app.request(`/api/v1/orgs/${org.id}/members/${demoted.person.id}`, { method: "PATCH", cookie: owner.cookie, json: { role: "member" } })).status).toBe(200);
      expect((await second.rest(3000)).map((e) => e.event)).toEqual(["end"]);

      // Signed out (the session the stream was opened with is gone).
      const signedOut = await coLeaderOfNewGroup("Sol Signedout");
      const third = await connect(signedOut.groupId, signedOut.start, { cookie: signedOut.person.cookie });
      expect((await app.request("/api/auth/sign-out", { method: "POST", cookie: signedOut.person.cookie, json: {} })).status).toBe(200);
      expect((await third.rest(3000)).map((e) => e.event)).toEqual(["end"]);

      // An API token, revoked.
      const tokenHolder = await coLeaderOfNewGroup("Tova Token");
      const created = await app.request("/api/v1/tokens", { method: "POST", cookie: tokenHolder.person.cookie, json: { name: "Companion display", organisationId: org.id, permissions: ["groups:read", "groups:lead"] } });
      expect(created.status).toBe(201);
      const { token, apiToken } = (await created.json()) as { token: string; apiToken: { id: string } };
      const fourth = await connect(tokenHolder.groupId, tokenHolder.start, { token });
      // Still allowed: a change arrives.
      expect((await command(tokenHolder.groupId, tokenHolder.start, leader.cookie, { type: "start", expectedVersion: 0 })).status).toBe(200);
      let seen = await fourth.next(2000);
      while (seen.event !== "state") seen = await fourth.next(2000);
      expect((await app.request(`/api/v1/tokens/${apiToken.id}`, { method: "DELETE", cookie: tokenHolder.person.cookie })).status).toBe(204);
      expect((await fourth.rest(3000)).map((e) => e.event)).toEqual(["end"]);

      // The others keep theirs: the leader's stream still gets every change.
      const kept = await connect(removed.groupId, removed.start, { cookie: leader.cookie });
      expect((await command(removed.groupId, removed.start, leader.cookie, { type: "start", expectedVersion: 0 })).status).toBe(200);
      let next = await kept.next(2000);
      while (next.event !== "state") next = await kept.next(2000);
      expect((JSON.parse(next.data) as CompanionState).clock?.status).toBe("running");
      await kept.cancel();
    } finally {
      settings.heartbeatMs = before;
    }
  });
});

describe.skipIf(!onPostgres)("two app instances on one PostgreSQL", () => {
  let other: RunningApp | null = null;
  afterAll(async () => other?.stop());

  it("a command on one instance reaches an event-stream subscriber of the other within a second", async () => {
    other = await startApp(app.config, { listen: false, ui: false, work: false, logger: createLogger("silent"), transport: app.mail });
    const { groupId, start } = await createGroup();
    await call(app, `${base(groupId, start)}/companion`, leader.cookie, "POST");
    const res = await other.app.request(new URL(`${base(groupId, start)}/events`, "http://localhost:3000").toString(), { headers: { cookie: coLeader.cookie, origin: "http://localhost:3000" } });
    expect(res.status).toBe(200);
    const events = sseReader(res);
    expect((JSON.parse((await events.next()).data) as CompanionState).clock?.status).toBe("ready");
    // Let the LISTEN connection of the other instance come up.
    const bus = other.services.kernel.live as { ready?: () => Promise<void> };
    await bus.ready?.();
    const t0 = Date.now();
    const started = await command(groupId, start, leader.cookie, { type: "start", expectedVersion: 0 });
    expect(started.status).toBe(200);
    const seen = JSON.parse((await events.next(1000)).data) as CompanionState;
    expect(seen.clock?.status).toBe("running");
    expect(Date.now() - t0).toBeLessThan(1000);

    // After the LISTEN connection drops, the bus reconnects, re-LISTENs and notices still arrive.
    const pgBus = other.services.kernel.live as { dropConnection?: () => Promise<void>; ready?: () => Promise<void> };
    await pgBus.dropConnection?.();
    await new Promise((r) => setTimeout(r, 300));
    await pgBus.ready?.();
    await command(groupId, start, leader.cookie, { type: "pause", expectedVersion: 1 });
    let after = JSON.parse((await events.next(5000)).data) as CompanionState;
    while (after.clock?.status !== "paused") after = JSON.parse((await events.next(3000)).data) as CompanionState;
    expect(after.clock?.version).toBe(2);
    await events.cancel();
  }, 30_000);
});
