import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, count, eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { isAppError } from "../../platform/http/errors.ts";
import { createJobQueue } from "../../platform/jobs/jobs.server.ts";
import { createLogger } from "../../platform/logging/logger.server.ts";
import { mailMessage } from "../../platform/mail/schema.ts";
import { createSessionsService, type ReminderJob } from "./service.server.ts";
import type { Actor } from "../../platform/policy/policy.ts";
import { groupMembership } from "../groups/schema.ts";
import { attendance, attendanceChange, calendarFeed, rsvp } from "./schema.ts";

type Person = Awaited<ReturnType<typeof signUp>>;
type Json = Record<string, unknown>;
interface ErrorBody {
  error: { code: string; message: string; fields?: { path: string; message: string }[] };
}
interface SessionItem {
  occurrenceStart: string;
  start: string;
  end: string;
  status: string;
  meetingLink: string | null;
  myRsvp: string | null;
}

let app: TestApp;
let org: Awaited<ReturnType<typeof orgWithPerson>>["org"];
let owner: Person;
let leader: Person;
let member: Person;
let unagreed: Person;
let outsider: Person;

beforeAll(async () => {
  app = await createTestApp();
  ({ org, person: owner } = await orgWithPerson(app, "owner"));
  leader = await signUp(app, { verified: true, name: "Lena Leader" });
  await addMember(app, org.id, leader.id, "leader");
  member = await signUp(app, { verified: true, name: "Mara Member" });
  await addMember(app, org.id, member.id, "member");
  unagreed = await signUp(app, { verified: true, name: "Ulla Unagreed" });
  await addMember(app, org.id, unagreed.id, "member");
  outsider = await signUp(app, { verified: true, name: "Otto Outsider" });
  await addMember(app, org.id, outsider.id, "member");
});
afterAll(async () => app?.close());

const actorOf = (p: Person, role: "leader" | "member" = "member"): Actor => ({ kind: "user", userId: p.id, memberships: new Map([[org.id, role]]) });

let seq = 0;
/** Sundays 19:00 in New York: 4 March 2029 (EST), across the DST change of 11 March 2029, 8 meetings. */
async function createGroup(schedule: Json = { rrule: "FREQ=WEEKLY;BYDAY=SU;COUNT=8", dtstartLocal: "2029-03-04T19:00", durationMinutes: 90 }) {
  seq += 1;
  const res = await app.request(`/api/v1/orgs/${org.id}/groups`, {
    method: "POST",
    cookie: owner.cookie,
    json: {
      name: `Sunday group ${seq}`,
      description: "A standing Balint group.",
      format: "online",
      meetingLink: `https://meet.example.org/room-${seq}`,
      languages: ["en"],
      timeZone: "America/New_York",
      schedule,
      capacity: 10,
      leaders: [{ userId: leader.id, kind: "leader" }],
    },
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  const g = (await res.json()) as { id: string };
  // Memberships are set up directly (joining is the groups slice's business, tested there).
  const db = app.services.kernel.db;
  await db.insert(groupMembership).values([
    { groupId: g.id, userId: member.id, status: "active", term: 1, agreementAcceptedAt: new Date() },
    { groupId: g.id, userId: unagreed.id, status: "active", term: 1 },
  ]);
  return g.id;
}

const url = (groupId: string, rest = "") => `/api/v1/orgs/${org.id}/groups/${groupId}${rest}`;
const enc = (iso: string) => encodeURIComponent(iso);

async function list(groupId: string, cookie: string, from = "2029-03-01T00:00:00Z", to = "2029-06-01T00:00:00Z") {
  const res = await app.request(url(groupId, `/sessions?from=${enc(from)}&to=${enc(to)}`), { cookie });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: SessionItem[] }).items;
}

interface Expanded {
  start: string;
  end: string;
  recurrenceId: string;
}
/** Every instance ical.js computes (RRULE, EXDATE, RECURRENCE-ID applied), for UIDs containing `uidPart`. */
function expand(text: string, uidPart = ""): Expanded[] {
  const vcal = new ICAL.Component(ICAL.parse(text));
  for (const vtz of vcal.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(vtz);
  const comps = vcal.getAllSubcomponents("vevent");
  const out: Expanded[] = [];
  const uids = new Set(comps.map((c) => String(c.getFirstPropertyValue("uid"))).filter((u) => u.includes(uidPart)));
  for (const uid of uids) {
    const mine = comps.filter((c) => String(c.getFirstPropertyValue("uid")) === uid);
    const masterComp = mine.find((c) => !c.hasProperty("recurrence-id"))!;
    const master = new ICAL.Event(masterComp);
    for (const c of mine) if (c !== masterComp) master.relateException(c);
    const it = master.iterator();
    for (let next = it.next(); next; next = it.next()) {
      const d = master.getOccurrenceDetails(next);
      out.push({ start: d.startDate.toJSDate().toISOString(), end: d.endDate.toJSDate().toISOString(), recurrenceId: d.recurrenceId.toJSDate().toISOString() });
      if (out.length > 1000) throw new Error("runaway");
    }
  }
  return out.sort((a, b) => a.start.localeCompare(b.start));
}

describe("occurrences and exceptions", () => {
  it("lists meetings at 19:00 New York time across the DST change", async () => {
    const g = await createGroup();
    const items = await list(g, member.cookie);
    expect(items.map((i) => i.start).slice(0, 3)).toEqual(["2029-03-05T00:00:00.000Z", "2029-03-11T23:00:00.000Z", "2029-03-18T23:00:00.000Z"]);
    expect(items[0]!.end).toBe("2029-03-05T01:30:00.000Z");
    expect(items).toHaveLength(8);
    expect(items[0]!.myRsvp).toBe("going");
    expect(items[0]!.meetingLink).toMatch(/^https:\/\/meet\.example\.org\/room-/);
    // A member who has not accepted the agreement does not see the link.
    expect((await list(g, unagreed.cookie))[0]!.meetingLink).toBeNull();
  });

  it("cancel, reschedule and own link show in upcoming and email the members", async () => {
    const g = await createGroup();
    const second = "2029-03-11T23:00:00.000Z";
    const third = "2029-03-18T23:00:00.000Z";
    const fourth = "2029-03-25T23:00:00.000Z";
    // Members may not change meetings.
    expect((await app.request(url(g, `/sessions/${enc(second)}/cancel`), { method: "POST", cookie: member.cookie, json: {} })).status).toBe(403);
    const c = await app.request(url(g, `/sessions/${enc(second)}/cancel`), { method: "POST", cookie: leader.cookie, json: { reason: "holiday" } });
    expect(c.status).toBe(200);
    expect(((await c.json()) as Json)["status"]).toBe("cancelled");
    const again = await app.request(url(g, `/sessions/${enc(second)}/cancel`), { method: "POST", cookie: leader.cookie, json: {} });
    expect(again.status).toBe(409);
    const r = await app.request(url(g, `/sessions/${enc(third)}/reschedule`), { method: "POST", cookie: leader.cookie, json: { start: "2029-03-20T23:00:00.000Z", durationMinutes: 60 } });
    expect(r.status).toBe(200);
    const l = await app.request(url(g, `/sessions/${enc(fourth)}/link`), { method: "POST", cookie: leader.cookie, json: { meetingLink: "https://meet.example.org/other" } });
    expect(l.status).toBe(200);

    const items = await list(g, member.cookie);
    const by = new Map(items.map((i) => [i.occurrenceStart, i]));
    expect(by.get(second)!.status).toBe("cancelled");
    expect(by.get(third)).toMatchObject({ status: "rescheduled", start: "2029-03-20T23:00:00.000Z", end: "2029-03-21T00:00:00.000Z" });
    expect(by.get(fourth)!.meetingLink).toBe("https://meet.example.org/other");

    const cancelled = await app.waitForMail(member.email, /cancelled/);
    expect(cancelled.text).toContain("Sunday group");
    await app.waitForMail(member.email, /changed/);
  });

  it("refuses an unknown meeting instant, naming the field, and pauses skip meetings", async () => {
    const g = await createGroup();
    const bad = await app.request(url(g, `/sessions/${enc("2029-03-12T23:00:00.000Z")}/cancel`), { method: "POST", cookie: leader.cookie, json: {} });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).error.fields?.[0]?.path).toBe("start");
    const notDate = await app.request(url(g, `/sessions/yesterday/cancel`), { method: "POST", cookie: leader.cookie, json: {} });
    expect(notDate.status).toBe(400);
    const p = await app.request(url(g, "/pauses"), { method: "POST", cookie: leader.cookie, json: { startDate: "2029-03-15", endDate: "2029-03-31" } });
    expect(p.status).toBe(201);
    const pause = (await p.json()) as { id: string };
    expect((await list(g, member.cookie)).map((i) => i.start)).not.toContain("2029-03-18T23:00:00.000Z");
    expect(await list(g, member.cookie)).toHaveLength(6);
    expect((await app.request(url(g, `/pauses/${pause.id}`), { method: "DELETE", cookie: leader.cookie })).status).toBe(200);
    expect(await list(g, member.cookie)).toHaveLength(8);
    const reversed = await app.request(url(g, "/pauses"), { method: "POST", cookie: leader.cookie, json: { startDate: "2029-03-31", endDate: "2029-03-15" } });
    expect(reversed.status).toBe(400);
    expect(((await reversed.json()) as ErrorBody).error.fields?.[0]?.path).toBe("endDate");
  });
});

describe("RSVP", () => {
  it("stores a member's answer and refuses cancelled, past, unknown meetings and non-members", async () => {
    const g = await createGroup();
    const first = "2029-03-05T00:00:00.000Z";
    const second = "2029-03-11T23:00:00.000Z";
    const count0 = async () => (await app.services.kernel.db.select({ n: count() }).from(rsvp).where(eq(rsvp.groupId, g)))[0]!.n;

    const ok = await app.request(url(g, `/sessions/${enc(first)}/rsvp`), { method: "PUT", cookie: member.cookie, json: { status: "not_going", note: "On call that night." } });
    expect(ok.status).toBe(200);
    expect((await list(g, member.cookie)).find((i) => i.occurrenceStart === first)!.myRsvp).toBe("not_going");
    const answers = await app.request(url(g, `/sessions/${enc(first)}/rsvps`), { cookie: leader.cookie });
    expect(((await answers.json()) as { items: { userId: string; status: string; note: string | null }[] }).items.find((i) => i.userId === member.id)).toMatchObject({ status: "not_going", note: "On call that night." });
    expect((await app.request(url(g, `/sessions/${enc(first)}/rsvps`), { cookie: member.cookie })).status).toBe(403);

    await app.request(url(g, `/sessions/${enc(second)}/cancel`), { method: "POST", cookie: leader.cookie, json: {} });
    const cancelled = await app.request(url(g, `/sessions/${enc(second)}/rsvp`), { method: "PUT", cookie: member.cookie, json: { status: "going" } });
    expect(cancelled.status).toBe(409);
    expect(((await cancelled.json()) as ErrorBody).error.fields?.[0]?.path).toBe("start");

    const unknown = await app.request(url(g, `/sessions/${enc("2029-03-06T00:00:00.000Z")}/rsvp`), { method: "PUT", cookie: member.cookie, json: { status: "going" } });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as ErrorBody).error.fields?.[0]?.path).toBe("start");

    const long = await app.request(url(g, `/sessions/${enc(first)}/rsvp`), { method: "PUT", cookie: member.cookie, json: { status: "going", note: "x".repeat(281) } });
    expect(long.status).toBe(400);
    expect(((await long.json()) as ErrorBody).error.fields?.[0]?.path).toBe("note");

    expect((await app.request(url(g, `/sessions/${enc(first)}/rsvp`), { method: "PUT", cookie: outsider.cookie, json: { status: "going" } })).status).toBe(403);
    expect((await app.request(url(g, `/sessions/${enc(first)}/rsvp`), { method: "PUT", cookie: unagreed.cookie, json: { status: "going" } })).status).toBe(403);

    // In the past (the service takes "now" for this test).
    const past = await app.services.sessions.rsvp(actorOf(member), org.id, g, first, { status: "going" }, new Date("2029-04-01T00:00:00Z")).catch((e: unknown) => e);
    expect(isAppError(past) && past.code).toBe("conflict");
    expect(isAppError(past) && past.fields?.[0]?.path).toBe("start");
    expect(await count0()).toBe(1);
  });
});

describe("attendance and participation", () => {
  it("records attendance for past meetings of active members only, keeps history, credits participation", async () => {
    const g = await createGroup();
    const first = "2029-03-05T00:00:00.000Z";
    const second = "2029-03-11T23:00:00.000Z";
    const later = new Date("2029-03-15T00:00:00Z");
    const svc = app.services.sessions;
    const lead = actorOf(leader, "leader");

    // Not yet (through the API, "now" is 2026: every meeting of 2029 is in the future).
    const future = await app.request(url(g, `/sessions/${enc(first)}/attendance`), { method: "PUT", cookie: leader.cookie, json: { entries: [{ userId: member.id, status: "present" }] } });
    expect(future.status).toBe(409);
    // Members may not record.
    expect((await app.request(url(g, `/sessions/${enc(first)}/attendance`), { method: "PUT", cookie: member.cookie, json: { entries: [{ userId: member.id, status: "present" }] } })).status).toBe(403);

    const notMember = await svc.recordAttendance(lead, org.id, g, first, { entries: [{ userId: member.id, status: "present" }, { userId: outsider.id, status: "present" }] }, {}, later).catch((e: unknown) => e);
    expect(isAppError(notMember) && notMember.fields?.[0]?.path).toBe("entries.1.userId");
    expect((await app.services.kernel.db.select({ n: count() }).from(attendance).where(eq(attendance.groupId, g)))[0]!.n).toBe(0);

    const overdue = await svc.attendanceOverdue(lead, later);
    expect(overdue.items.filter((i) => i.groupId === g).map((i) => i.occurrenceStart)).toEqual([first, second]);

    expect(await svc.recordAttendance(lead, org.id, g, first, { entries: [{ userId: member.id, status: "absent" }, { userId: unagreed.id, status: "present" }] }, {}, later)).toMatchObject({ changed: 2 });
    expect(await svc.recordAttendance(lead, org.id, g, first, { entries: [{ userId: member.id, status: "present" }] }, {}, later)).toMatchObject({ changed: 1 });
    expect(await svc.recordAttendance(lead, org.id, g, second, { entries: [{ userId: member.id, status: "excused" }] }, {}, later)).toMatchObject({ changed: 1 });

    const history = await app.services.kernel.db.select().from(attendanceChange).where(and(eq(attendanceChange.groupId, g), eq(attendanceChange.userId, member.id)));
    expect(history.map((h) => [h.previousStatus, h.status]).sort()).toEqual([["absent", "present"], [null, "absent"], [null, "excused"]].sort());
    expect((await svc.attendanceOverdue(lead, later)).items.filter((i) => i.groupId === g)).toHaveLength(0);

    const mine = await svc.participationOf(member.id, later);
    expect(mine.attended.filter((a) => a.groupId === g).map((a) => a.occurrenceStart)).toEqual([first]);
    const led = await svc.participationOf(leader.id, later);
    expect(led.led.filter((a) => a.groupId === g)).toEqual([
      { organisationId: org.id, groupId: g, occurrenceStart: first, kind: "leader" },
      { organisationId: org.id, groupId: g, occurrenceStart: second, kind: "leader" },
    ]);
    expect(led.attended.filter((a) => a.groupId === g)).toHaveLength(0);

    const att = await app.request(url(g, `/sessions/${enc(first)}/attendance`), { cookie: leader.cookie });
    expect(((await att.json()) as { items: { userId: string; status: string | null }[] }).items.find((i) => i.userId === member.id)!.status).toBe("present");
  });
});

describe("calendar", () => {
  it("feed: token auth, ETag/304, exceptions honoured by ical.js, revoke and regenerate", async () => {
    const g = await createGroup();
    const second = "2029-03-11T23:00:00.000Z";
    const third = "2029-03-18T23:00:00.000Z";
    await app.request(url(g, `/sessions/${enc(second)}/cancel`), { method: "POST", cookie: leader.cookie, json: {} });
    await app.request(url(g, `/sessions/${enc(third)}/reschedule`), { method: "POST", cookie: leader.cookie, json: { start: "2029-03-20T23:00:00.000Z" } });

    const created = await app.request("/api/v1/me/calendar-feed", { method: "POST", cookie: member.cookie });
    expect(created.status).toBe(201);
    const feed = (await created.json()) as { https: string; webcal: string };
    expect(feed.webcal).toBe(feed.https.replace(/^https?:/, "webcal:"));
    const path = new URL(feed.https).pathname;
    const token = path.split("/").at(-1)!.replace(/\.ics$/, "");
    const [stored] = await app.services.kernel.db.select().from(calendarFeed).where(eq(calendarFeed.userId, member.id));
    expect(stored!.tokenHash).not.toContain(token);

    const res = await app.request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    const etag = res.headers.get("etag")!;
    const text = await res.text();
    expect(text).toContain("REFRESH-INTERVAL");
    expect(text).not.toContain("Mara");
    expect(text).not.toContain("Lena");
    const instances = expand(text, `balint-group-${g}@`);
    expect(instances).toHaveLength(7);
    expect(instances.map((i) => i.start)).not.toContain(second);
    expect(instances.find((i) => i.recurrenceId === third)!.start).toBe("2029-03-20T23:00:00.000Z");
    expect(instances.find((i) => i.recurrenceId === "2029-03-05T00:00:00.000Z")).toBeTruthy();

    expect((await app.request(path, { headers: { "if-none-match": etag } })).status).toBe(304);
    // A change gives a new ETag.
    await app.request(url(g, `/sessions/${enc("2029-03-25T23:00:00.000Z")}/cancel`), { method: "POST", cookie: leader.cookie, json: {} });
    expect((await app.request(path, { headers: { "if-none-match": etag } })).status).toBe(200);

    // Regenerate: the old URL stops working.
    const again = (await (await app.request("/api/v1/me/calendar-feed", { method: "POST", cookie: member.cookie })).json()) as { https: string };
    expect((await app.request(path)).status).toBe(404);
    const newPath = new URL(again.https).pathname;
    expect((await app.request(newPath)).status).toBe(200);
    expect((await app.request("/api/v1/me/calendar-feed", { method: "DELETE", cookie: member.cookie })).status).toBe(200);
    expect((await app.request(newPath)).status).toBe(404);
    expect((await app.request("/api/v1/calendar/not-a-token.ics")).status).toBe(404);
  });

  it("one meeting as .ics; outsiders of the group get 404", async () => {
    const g = await createGroup();
    const third = "2029-03-18T23:00:00.000Z";
    const res = await app.request(url(g, `/session-ics/${enc(third)}.ics`), { cookie: member.cookie });
    expect(res.status).toBe(200);
    const [only] = expand(`${await res.text()}`.replace(/\r\n/g, "\r\n"));
    expect(only!.start).toBe(third);
    expect((await app.request(url(g, `/session-ics/${enc(third)}.ics`), { cookie: outsider.cookie })).status).toBe(404);
    expect((await app.request(url(g, `/session-ics/${enc("2029-03-19T23:00:00.000Z")}.ics`), { cookie: member.cookie })).status).toBe(400);
  });
});

describe("reminders", () => {
  const reminderMails = async (to: string) =>
    (await app.services.kernel.db.select({ n: count() }).from(mailMessage).where(and(eq(mailMessage.toAddress, to), eq(mailMessage.template, "sessionReminder"))))[0]!.n;

  it("plans one job per (person, meeting, offset), sends exactly once, and follows preferences", async () => {
    const svc = app.services.sessions;
    const person = await signUp(app, { verified: true, name: "Rita Reminded" });
    await addMember(app, org.id, person.id, "member");
    const g = await createGroup();
    await app.services.kernel.db.insert(groupMembership).values({ groupId: g, userId: person.id, status: "active", term: 1, agreementAcceptedAt: new Date() });
    const first = "2029-03-05T00:00:00.000Z";
    const now = new Date("2029-03-03T20:00:00Z");

    // Each run queues what is due before the next run and not sent yet: three active members × the
    // 24 h reminder now; the next evening the 1 h reminders too (the 24 h ones are still unsent here).
    expect(await svc.planReminders(now, [g])).toBe(3);
    expect(await svc.planReminders(new Date("2029-03-04T20:00:00Z"), [g])).toBe(6);

    // The planner's slot runs once however many instances start it.
    const slot = Math.floor(now.getTime() / (6 * 3_600_000));
    expect(await svc.runPlanner(slot, now)).toBe("planned");
    expect(await svc.runPlanner(slot, now)).toBe("skipped");

    const bad = await app.request("/api/v1/me/reminders", { method: "PUT", cookie: person.cookie, json: { offsetsMinutes: [61] } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).error.fields?.[0]?.path).toMatch(/^offsetsMinutes/);
    expect(((await (await app.request("/api/v1/me/reminders", { cookie: person.cookie })).json()) as Json)["offsetsMinutes"]).toEqual([1440, 60]);
    const put = await app.request("/api/v1/me/reminders", { method: "PUT", cookie: person.cookie, json: { offsetsMinutes: [60] } });
    expect(put.status).toBe(200);

    const job = (offsetMinutes: number, userId = person.id): ReminderJob => ({ userId, groupId: g, occurrenceStart: first, start: first, offsetMinutes });
    // 24 h is no longer wanted.
    expect(await svc.sendReminder(job(1440), new Date("2029-03-04T00:00:00Z"))).toBe("skipped");
    // Two workers handling the same reminder at once: one sends.
    const at = new Date("2029-03-04T23:00:00Z");
    const outcomes = await Promise.all([svc.sendReminder(job(60), at), svc.sendReminder(job(60), at)]);
    expect(outcomes.sort()).toEqual(["sent", "skipped"]);
    expect(await svc.sendReminder(job(60), at)).toBe("skipped");
    expect(await reminderMails(person.email)).toBe(1);
    const mail = await app.waitForMail(person.email, /Reminder/);
    expect(mail.text).toContain("Sunday group");

    const status = await app.request(url(g, `/sessions/${enc(first)}/reminders`), { cookie: leader.cookie });
    expect(status.status).toBe(200);
    expect(((await status.json()) as { items: { userId: string; offsetMinutes: number }[] }).items).toEqual([expect.objectContaining({ userId: person.id, offsetMinutes: 60 })]);
    expect((await app.request(url(g, `/sessions/${enc(first)}/reminders`), { cookie: member.cookie })).status).toBe(403);

    // A cancelled meeting, or one that was moved since the job was planned, gets none.
    await app.request(url(g, `/sessions/${enc(first)}/cancel`), { method: "POST", cookie: leader.cookie, json: {} });
    expect(await svc.sendReminder(job(60, member.id), at)).toBe("skipped");
    const second = "2029-03-11T23:00:00.000Z";
    await app.request(url(g, `/sessions/${enc(second)}/reschedule`), { method: "POST", cookie: leader.cookie, json: { start: "2029-03-12T23:00:00.000Z" } });
    expect(await svc.sendReminder({ userId: member.id, groupId: g, occurrenceStart: second, start: second, offsetMinutes: 60 }, new Date("2029-03-11T22:00:00Z"))).toBe("skipped");
    expect(await svc.sendReminder({ userId: member.id, groupId: g, occurrenceStart: second, start: "2029-03-12T23:00:00.000Z", offsetMinutes: 60 }, new Date("2029-03-12T22:00:00Z"))).toBe("sent");
  });

  it("two job queues on one database send each due reminder exactly once", async () => {
    // A group whose first meeting is 30 minutes from now (UTC), so both default reminders are due.
    const soon = new Date(Date.now() + 30 * 60_000);
    const local = soon.toISOString().slice(0, 16);
    const person = await signUp(app, { verified: true, name: "Quinn Queue" });
    await addMember(app, org.id, person.id, "member");
    const res = await app.request(`/api/v1/orgs/${org.id}/groups`, {
      method: "POST",
      cookie: owner.cookie,
      json: { name: "Soon group", description: "Soon.", format: "online", meetingLink: "https://meet.example.org/soon", languages: ["en"], timeZone: "UTC", schedule: { rrule: "FREQ=WEEKLY;COUNT=2", dtstartLocal: local, durationMinutes: 60 }, capacity: 10, leaders: [{ userId: leader.id, kind: "leader" }] },
    });
    if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
    const g = ((await res.json()) as { id: string }).id;
    await app.services.kernel.db.insert(groupMembership).values({ groupId: g, userId: person.id, status: "active", term: 1, agreementAcceptedAt: new Date() });

    const kernel = app.services.kernel;
    // On PostgreSQL a second queue with its own connection pool competes for the jobs; PGlite has one.
    const second = process.env.TEST_DB === "postgres" ? createJobQueue(kernel.database, createLogger("silent"), { pollingIntervalSeconds: 0.5 }) : null;
    const other = second ? createSessionsService({ ...kernel, jobs: second }) : app.services.sessions;
    if (second) await second.start({ work: true });
    try {
      await Promise.all([app.services.sessions.planReminders(new Date(), [g]), other.planReminders(new Date(), [g])]);
      await app.waitForMail(person.email, /Reminder/);
      const deadline = Date.now() + 20_000;
      while ((await reminderMails(person.email)) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      // Both offsets (24 h and 1 h) are due: one email each, never more.
      expect(await reminderMails(person.email)).toBe(2);
      await Promise.all([app.services.sessions.planReminders(new Date(), [g]), other.planReminders(new Date(), [g])]);
      await new Promise((r) => setTimeout(r, 1500));
      expect(await reminderMails(person.email)).toBe(2);
    } finally {
      await second?.stop();
    }
  });
});
