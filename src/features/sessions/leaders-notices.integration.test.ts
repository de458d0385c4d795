// Leader history of held meetings (`session_leader`) and change notices with their delivery view.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, count, eq, inArray } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { auditEvent } from "../../platform/audit/schema.ts";
import { isAppError } from "../../platform/http/errors.ts";
import { mailMessage } from "../../platform/mail/schema.ts";
import type { Actor } from "../../platform/policy/policy.ts";
import { groupMembership } from "../groups/schema.ts";
import { sessionLeader, sessionNotice, sessionNoticeRecipient } from "./schema.ts";
import { createSessionsService } from "./service.server.ts";

type Person = Awaited<ReturnType<typeof signUp>>;
interface ErrorBody {
  error: { code: string; fields?: { path: string; message: string }[] };
}

let app: TestApp;
let org: Awaited<ReturnType<typeof orgWithPerson>>["org"];
let owner: Person;
let lena: Person; // leader throughout
let cora: Person; // co-leader, steps down
let nico: Person; // co-leader who joins later
let member: Person;
let outsider: Person;

beforeAll(async () => {
  app = await createTestApp();
  ({ org, person: owner } = await orgWithPerson(app, "owner"));
  lena = await signUp(app, { verified: true, name: "Lena Leader" });
  cora = await signUp(app, { verified: true, name: "Cora Coleader" });
  nico = await signUp(app, { verified: true, name: "Nico Newleader" });
  for (const p of [lena, cora, nico]) await addMember(app, org.id, p.id, "leader");
  member = await signUp(app, { verified: true, name: "Mara Member" });
  await addMember(app, org.id, member.id, "member");
  outsider = await signUp(app, { verified: true, name: "Otto Outsider" });
  await addMember(app, org.id, outsider.id, "member");
});
afterAll(async () => app?.close());

const actorOf = (p: Person, role: "leader" | "member" = "leader"): Actor => ({ kind: "user", userId: p.id, memberships: new Map([[org.id, role]]) });
const url = (groupId: string, rest = "") => `/api/v1/orgs/${org.id}/groups/${groupId}${rest}`;
const enc = (iso: string) => encodeURIComponent(iso);

let seq = 0;
/** Sundays 19:00 in New York from 4 March 2029, 8 meetings; Lena leads, Cora co-leads; Mara is a member. */
async function createGroup() {
  seq += 1;
  const res = await app.request(`/api/v1/orgs/${org.id}/groups`, {
    method: "POST",
    cookie: owner.cookie,
    json: {
      name: `Leaders group ${seq}`,
      description: "A standing Balint group.",
      format: "online",
      meetingLink: `https://meet.example.org/leaders-${seq}`,
      languages: ["en"],
      timeZone: "America/New_York",
      schedule: { rrule: "FREQ=WEEKLY;BYDAY=SU;COUNT=8", dtstartLocal: "2029-03-04T19:00", durationMinutes: 90 },
      capacity: 10,
      leaders: [
        { userId: lena.id, kind: "leader" },
        { userId: cora.id, kind: "co_leader" },
      ],
    },
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  const g = ((await res.json()) as { id: string }).id;
  await app.services.kernel.db.insert(groupMembership).values({ groupId: g, userId: member.id, status: "active", term: 1, agreementAcceptedAt: new Date() });
  return g;
}

const FIRST = "2029-03-05T00:00:00.000Z";
const SECOND = "2029-03-11T23:00:00.000Z";
const THIRD = "2029-03-18T23:00:00.000Z";
const LATER = new Date("2029-03-20T00:00:00Z");

const ledOf = async (p: Person, g: string) => (await app.services.sessions.participationOf(p.id, LATER)).led.filter((l) => l.groupId === g).map((l) => [l.occurrenceStart, l.kind]);

describe("who led each held meeting", () => {
  it("snapshots the leaders when attendance is first recorded, so credits survive leader changes", async () => {
    const g = await createGroup();
    const svc = app.services.sessions;
    const db = app.services.kernel.db;
    await svc.recordAttendance(actorOf(lena), org.id, g, FIRST, { entries: [{ userId: member.id, status: "present" }] }, {}, LATER);
    // Recording again (a correction of attendance) does not take a second snapshot.
    await svc.recordAttendance(actorOf(lena), org.id, g, FIRST, { entries: [{ userId: member.id, status: "absent" }] }, {}, LATER);
    const rows = await db.select().from(sessionLeader).where(eq(sessionLeader.groupId, g));
    expect(rows.map((r) => [r.userId, r.kind, r.led, r.recordedByUserId]).sort()).toEqual(
      [
        [lena.id, "leader", true, lena.id],
        [cora.id, "co_leader", true, lena.id],
      ].sort(),
    );

    // Cora steps down, Nico becomes co-leader: each change of leadership is audited on its own.
    const patch = await app.request(url(g), { method: "PATCH", cookie: owner.cookie, json: { leaders: [{ userId: lena.id, kind: "leader" }, { userId: nico.id, kind: "co_leader" }] } });
    expect(patch.status).toBe(200);
    const audits = await db.select().from(auditEvent).where(and(inArray(auditEvent.action, ["group.leader_added", "group.leader_removed", "group.leader_kind_changed"]), inArray(auditEvent.targetId, [lena.id, cora.id, nico.id])));
    const mine = audits.filter((a) => a.details["groupId"] === g);
    expect(mine.map((a) => [a.action, a.targetId, a.details["kind"]]).sort()).toEqual(
      [
        ["group.leader_added", lena.id, "leader"],
        ["group.leader_added", cora.id, "co_leader"],
        ["group.leader_added", nico.id, "co_leader"],
        ["group.leader_removed", cora.id, "co_leader"],
      ].sort(),
    );

    await svc.recordAttendance(actorOf(lena), org.id, g, SECOND, { entries: [{ userId: member.id, status: "present" }] }, {}, LATER);

    expect(await ledOf(lena, g)).toEqual([
      [FIRST, "leader"],
      [SECOND, "leader"],
    ]);
    // Cora keeps the meeting she co-led; Nico gains only the meeting after he joined.
    expect(await ledOf(cora, g)).toEqual([[FIRST, "co_leader"]]);
    expect(await ledOf(nico, g)).toEqual([[SECOND, "co_leader"]]);
  });

  it("lets the leaders correct who led a meeting (audited), validating names and meetings", async () => {
    const g = await createGroup();
    const svc = app.services.sessions;
    const db = app.services.kernel.db;
    await svc.recordAttendance(actorOf(lena), org.id, g, FIRST, { entries: [{ userId: member.id, status: "present" }] }, {}, LATER);

    // The attendance page shows both leaders, ticked.
    const sheet = await svc.attendanceSheet(actorOf(lena), g, FIRST);
    expect(sheet.leaders.map((l) => [l.name, l.kind, l.led, l.recorded])).toEqual([
      ["Lena Leader", "leader", true, true],
      ["Cora Coleader", "co_leader", true, true],
    ]);

    // Cora was away.
    const r = await svc.setSessionLeaders(actorOf(lena), org.id, g, FIRST, { leaders: [{ userId: lena.id, led: true }, { userId: cora.id, led: false }] }, {}, LATER);
    expect(r.changed).toBe(1);
    expect(await ledOf(cora, g)).toEqual([]);
    expect(await ledOf(lena, g)).toEqual([[FIRST, "leader"]]);
    const [audit] = await db.select().from(auditEvent).where(and(eq(auditEvent.action, "session.leader_credit_changed"), eq(auditEvent.targetId, cora.id)));
    expect(audit?.details).toMatchObject({ groupId: g, occurrenceStart: FIRST, kind: "co_leader", led: false });
    // Saving the same again changes nothing.
    expect((await svc.setSessionLeaders(actorOf(lena), org.id, g, FIRST, { leaders: [{ userId: cora.id, led: false }] }, {}, LATER)).changed).toBe(0);
    // The row stays (led = false): the page still shows Cora, unticked.
    expect((await svc.sessionLeadersFor(actorOf(lena), org.id, g, FIRST)).items.find((l) => l.userId === cora.id)).toMatchObject({ led: false, recorded: true });

    // Someone who is not a leader of the group or the meeting: 400 naming the entry, nothing written.
    const bad = await svc.setSessionLeaders(actorOf(lena), org.id, g, FIRST, { leaders: [{ userId: cora.id, led: true }, { userId: outsider.id, led: true }] }, {}, LATER).catch((e: unknown) => e);
    expect(isAppError(bad) && bad.fields?.[0]?.path).toBe("leaders.1.userId");
    expect(await ledOf(cora, g)).toEqual([]);

    // Through the API: members may not, a future meeting is refused (now is before 2029), bad body names the field.
    const put = (cookie: string, start: string, json: unknown) => app.request(url(g, `/sessions/${enc(start)}/leaders`), { method: "PUT", cookie, json });
    expect((await put(member.cookie, FIRST, { leaders: [{ userId: lena.id, led: true }] })).status).toBe(403);
    expect((await put(lena.cookie, THIRD, { leaders: [{ userId: lena.id, led: true }] })).status).toBe(409);
    const invalid = await put(lena.cookie, FIRST, { leaders: [{ userId: lena.id, led: "yes" }] });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as ErrorBody).error.fields?.[0]?.path).toMatch(/^leaders\.0\.led/);
    const get = await app.request(url(g, `/sessions/${enc(FIRST)}/leaders`), { cookie: lena.cookie });
    expect(get.status).toBe(200);
    expect(((await get.json()) as { items: { userId: string; led: boolean }[] }).items.map((i) => [i.userId, i.led])).toEqual([
      [lena.id, true],
      [cora.id, false],
    ]);

    // A meeting cancelled afterwards is not credited.
    await svc.recordAttendance(actorOf(lena), org.id, g, SECOND, { entries: [{ userId: member.id, status: "present" }] }, {}, LATER);
    expect((await ledOf(lena, g)).map(([s]) => s)).toEqual([FIRST, SECOND]);
    await db.insert((await import("./schema.ts")).sessionException).values({ groupId: g, occurrenceStart: new Date(SECOND), kind: "cancelled" });
    expect((await ledOf(lena, g)).map(([s]) => s)).toEqual([FIRST]);
  });
});

describe("change notices", () => {
  it("changing a meeting's link and pausing / resuming the series email the members; leaders see each email's status", async () => {
    const g = await createGroup();
    const link = await app.request(url(g, `/sessions/${enc(THIRD)}/link`), { method: "POST", cookie: lena.cookie, json: { meetingLink: "https://meet.example.org/other-room" } });
    expect(link.status).toBe(200);
    const linkMail = await app.waitForMail(member.email, /new meeting link/i);
    // The link itself is not in the email (members see it after accepting the agreement).
    expect(linkMail.text).not.toContain("other-room");
    const p = await app.request(url(g, "/pauses"), { method: "POST", cookie: lena.cookie, json: { startDate: "2029-04-01", endDate: "2029-04-14" } });
    expect(p.status).toBe(201);
    const paused = await app.waitForMail(member.email, /takes a break/);
    expect(paused.text).toContain("April 1, 2029");
    const pauseId = ((await p.json()) as { id: string }).id;
    expect((await app.request(url(g, `/pauses/${pauseId}`), { method: "DELETE", cookie: lena.cookie })).status).toBe(200);
    await app.waitForMail(member.email, /meets again/);
    const cancel = await app.request(url(g, `/sessions/${enc(SECOND)}/cancel`), { method: "POST", cookie: lena.cookie, json: { reason: "holiday" } });
    expect(cancel.status).toBe(200);
    await app.waitForMail(member.email, /cancelled/);

    // The delivery view: newest first, one recipient (the active member), status from the mail queue.
    const deadline = Date.now() + 10_000;
    let items: { kind: string; occurrenceStart: string | null; startDate: string | null; recipients: { userId: string; mailStatus: string }[]; sent: number }[] = [];
    for (;;) {
      const res = await app.request(url(g, "/notices"), { cookie: lena.cookie });
      expect(res.status).toBe(200);
      items = ((await res.json()) as { items: typeof items }).items;
      if (items.every((i) => i.sent === 1) || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(items.map((i) => i.kind).sort()).toEqual(["cancelled", "link_changed", "paused", "resumed"]);
    expect(items.find((i) => i.kind === "link_changed")?.occurrenceStart).toBe(THIRD);
    expect(items.find((i) => i.kind === "resumed")?.startDate).toBe("2029-04-01");
    for (const i of items) expect(i.recipients.map((r) => [r.userId, r.mailStatus])).toEqual([[member.id, "sent"]]);
    // Members see nothing of it; outsiders of the organisation get 404.
    expect((await app.request(url(g, "/notices"), { cookie: member.cookie })).status).toBe(403);
    const stranger = await signUp(app, { verified: true, name: "Sam Stranger" });
    expect((await app.request(url(g, "/notices"), { cookie: stranger.cookie })).status).toBe(404);
  });

  it("delivers each notice once per person, however many instances deliver it", async () => {
    const g = await createGroup();
    const res = await app.request(url(g, `/sessions/${enc(THIRD)}/link`), { method: "POST", cookie: lena.cookie, json: { meetingLink: "https://meet.example.org/twice" } });
    expect(res.status).toBe(200);
    const db = app.services.kernel.db;
    const [notice] = await db.select().from(sessionNotice).where(and(eq(sessionNotice.groupId, g), eq(sessionNotice.kind, "link_changed")));
    expect(notice).toBeDefined();
    // A second service instance on the same database (another app instance) and a retry, at once.
    const other = createSessionsService(app.services.kernel);
    const queued = await Promise.all([app.services.sessions.deliverNotice(notice!.id), other.deliverNotice(notice!.id), other.deliverNotice(notice!.id)]);
    expect(queued).toEqual([0, 0, 0]);
    const [recipients] = await db.select({ n: count() }).from(sessionNoticeRecipient).where(eq(sessionNoticeRecipient.noticeId, notice!.id));
    expect(recipients!.n).toBe(1);
    const [mails] = await db.select({ n: count() }).from(mailMessage).where(and(eq(mailMessage.toAddress, member.email), eq(mailMessage.template, "sessionLinkChanged"), eq(mailMessage.organisationId, org.id)));
    // One per link change of the groups in this file so far (this group's one included), never two for one notice.
    const [notices] = await db.select({ n: count() }).from(sessionNotice).innerJoin(sessionNoticeRecipient, eq(sessionNoticeRecipient.noticeId, sessionNotice.id)).where(and(eq(sessionNotice.kind, "link_changed"), eq(sessionNoticeRecipient.userId, member.id)));
    expect(mails!.n).toBe(notices!.n);

    // A member who joins later gets a redelivered notice once; the others are not emailed again.
    const late = await signUp(app, { verified: true, name: "Lara Late" });
    await addMember(app, org.id, late.id, "member");
    await db.insert(groupMembership).values({ groupId: g, userId: late.id, status: "active", term: 1, agreementAcceptedAt: new Date() });
    expect(await Promise.all([app.services.sessions.deliverNotice(notice!.id), other.deliverNotice(notice!.id)])).toEqual(expect.arrayContaining([0, 1]));
    const [after] = await db.select({ n: count() }).from(mailMessage).where(and(eq(mailMessage.toAddress, member.email), eq(mailMessage.template, "sessionLinkChanged")));
    expect(after!.n).toBe(mails!.n);
  });
});

describe("leading credits and pauses", () => {
  const FOURTH = "2029-03-25T23:00:00.000Z";
  const attendedOf = async (p: Person, g: string) => (await app.services.sessions.participationOf(p.id, LATER)).attended.filter((a) => a.groupId === g).map((a) => a.occurrenceStart);
  const conflict = (e: unknown) => (isAppError(e) ? e.code : e);

  it("a meeting that took place keeps its credit when the series is paused later, and its leaders can still correct it", async () => {
    const g = await createGroup();
    const svc = app.services.sessions;
    await svc.recordAttendance(actorOf(lena), org.id, g, SECOND, { entries: [{ userId: member.id, status: "present" }] }, {}, LATER);
    // The leaders then pause the series from the week of that meeting (it already took place).
    await svc.pause(actorOf(lena), org.id, g, { startDate: "2029-03-10", endDate: "2029-03-31" });
    expect(await ledOf(lena, g)).toEqual([[SECOND, "leader"]]);
    expect(await ledOf(cora, g)).toEqual([[SECOND, "co_leader"]]);
    expect(await attendedOf(member, g)).toEqual([SECOND]);
    // Cora was away after all: the credit of a held meeting stays correctable, and so does its attendance.
    expect((await svc.setSessionLeaders(actorOf(lena), org.id, g, SECOND, { leaders: [{ userId: cora.id, led: false }] }, {}, LATER)).changed).toBe(1);
    expect(await ledOf(cora, g)).toEqual([]);
    expect((await svc.recordAttendance(actorOf(lena), org.id, g, SECOND, { entries: [{ userId: member.id, status: "excused" }] }, {}, LATER)).changed).toBe(1);
    expect(await attendedOf(member, g)).toEqual([]);
    // A meeting in the pause that nobody recorded did not take place: nothing can be recorded for it.
    expect(conflict(await svc.recordAttendance(actorOf(lena), org.id, g, THIRD, { entries: [{ userId: member.id, status: "present" }] }, {}, LATER).catch((e: unknown) => e))).toBe("conflict");
    expect(conflict(await svc.setSessionLeaders(actorOf(lena), org.id, g, THIRD, { leaders: [{ userId: lena.id, led: true }] }, {}, LATER).catch((e: unknown) => e))).toBe("conflict");
    expect(await ledOf(lena, g)).toEqual([[SECOND, "leader"]]);
  });

  it("a future meeting removed by a pause carries no credit, even if something was recorded for it", async () => {
    const g = await createGroup();
    const svc = app.services.sessions;
    // The meeting of 25 March is brought forward to Wednesday 14 March and takes place.
    await svc.reschedule(actorOf(lena), org.id, g, FOURTH, { start: "2029-03-14T23:00:00.000Z" });
    await svc.recordAttendance(actorOf(lena), org.id, g, FOURTH, { entries: [{ userId: member.id, status: "present" }] }, {}, LATER);
    expect(await ledOf(lena, g)).toEqual([[FOURTH, "leader"]]);
    // A pause over its usual date does not touch it: the move wins, it took place.
    await svc.pause(actorOf(lena), org.id, g, { startDate: "2029-03-22", endDate: "2029-04-05" });
    expect(await ledOf(lena, g)).toEqual([[FOURTH, "leader"]]);
    // The move is taken back: the meeting is on 25 March again — in the future and inside the pause.
    await svc.restore(actorOf(lena), org.id, g, FOURTH, {}, LATER);
    expect(await ledOf(lena, g)).toEqual([]);
    expect(await ledOf(cora, g)).toEqual([]);
    expect(await attendedOf(member, g)).toEqual([]);
    // The accreditation work reads the same records.
    const record = await svc.myParticipationRecord({ kind: "user", userId: lena.id, memberships: new Map([[org.id, "leader"]]) });
    expect(record.groups.filter((x) => x.groupId === g)).toEqual([]);
  });
});
