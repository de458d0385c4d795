// Change notices survive a crash between the commit and the send (their delivery job is written in
// the change's transaction), and taking back a change tells the members (English and Spanish).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { createTestApp, type CapturedMail, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import type { Actor } from "../../platform/policy/policy.ts";
import { groupMembership } from "../groups/schema.ts";
import { profile } from "../profile/schema.ts";
import { sessionNotice, sessionNoticeRecipient } from "./schema.ts";
import { NOTICE_DELIVER_QUEUE, NOTICE_JOB_DELAY_MS, createSessionsService } from "./service.server.ts";

type Person = Awaited<ReturnType<typeof signUp>>;

let app: TestApp;
let org: Awaited<ReturnType<typeof orgWithPerson>>["org"];
let owner: Person;
let lena: Person; // leader
let mara: Person; // member, English
let sofia: Person; // member, Spanish

beforeAll(async () => {
  app = await createTestApp();
  ({ org, person: owner } = await orgWithPerson(app, "owner"));
  lena = await signUp(app, { verified: true, name: "Lena Leader" });
  await addMember(app, org.id, lena.id, "leader");
  mara = await signUp(app, { verified: true, name: "Mara Member" });
  sofia = await signUp(app, { verified: true, name: "Sofía Miembro" });
  const db = app.services.kernel.db;
  for (const [p, locale] of [
    [mara, "en"],
    [sofia, "es"],
  ] as const) {
    await addMember(app, org.id, p.id, "member");
    await db.insert(profile).values({ userId: p.id, locale, timeZone: "America/New_York" }).onConflictDoUpdate({ target: profile.userId, set: { locale, timeZone: "America/New_York" } });
  }
});
afterAll(async () => app?.close());

const actorOf = (p: Person): Actor => ({ kind: "user", userId: p.id, memberships: new Map([[org.id, "leader"]]) });
const url = (groupId: string, rest = "") => `/api/v1/orgs/${org.id}/groups/${groupId}${rest}`;
const enc = (iso: string) => encodeURIComponent(iso);

let seq = 0;
/** Sundays 19:00 in New York from 4 March 2029, 8 meetings; Lena leads; Mara and Sofía are members. */
async function createGroup(): Promise<{ id: string; name: string }> {
  seq += 1;
  const name = `Harbour group ${seq}`;
  const res = await app.request(`/api/v1/orgs/${org.id}/groups`, {
    method: "POST",
    cookie: owner.cookie,
    json: {
      name,
      description: "A standing Balint group.",
      format: "online",
      meetingLink: `https://meet.example.org/harbour-${seq}`,
      languages: ["en", "es"],
      timeZone: "America/New_York",
      schedule: { rrule: "FREQ=WEEKLY;BYDAY=SU;COUNT=8", dtstartLocal: "2029-03-04T19:00", durationMinutes: 90 },
      capacity: 10,
      leaders: [{ userId: lena.id, kind: "leader" }],
    },
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  const id = ((await res.json()) as { id: string }).id;
  for (const p of [mara, sofia]) await app.services.kernel.db.insert(groupMembership).values({ groupId: id, userId: p.id, status: "active", term: 1, agreementAcceptedAt: new Date() });
  return { id, name };
}

const THIRD = "2029-03-18T23:00:00.000Z";
const FOURTH = "2029-03-25T23:00:00.000Z";

/** Mails captured so far to `to` whose subject names the group (each test has its own group). */
const mailsTo = (to: Person, group: { name: string }, subject?: RegExp): CapturedMail[] => app.mail.sent.filter((m) => m.to === to.email && m.subject.includes(group.name) && (!subject || subject.test(m.subject)));

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The delivery jobs of one notice in the queue's own tables. */
async function jobsOf(noticeId: string) {
  const result = await app.services.kernel.db.execute(sql`select id, state, start_after from pgboss.job where name = ${NOTICE_DELIVER_QUEUE} and data->>'noticeId' = ${noticeId}`);
  return (result as unknown as { rows: { id: string; state: string; start_after: Date | string }[] }).rows;
}

const noticeOf = async (groupId: string, kind: string) => {
  const rows = await app.services.kernel.db.select().from(sessionNotice).where(and(eq(sessionNotice.groupId, groupId), eq(sessionNotice.kind, kind as "cancelled")));
  expect(rows).toHaveLength(1);
  return rows[0]!;
};
const recipientsOf = async (noticeId: string) => (await app.services.kernel.db.select().from(sessionNoticeRecipient).where(eq(sessionNoticeRecipient.noticeId, noticeId))).map((r) => r.userId).sort();

describe("the delivery job of a change notice", () => {
  it("is written in the change's transaction: a change rolled back leaves no job", async () => {
    const { db, jobs } = app.services.kernel;
    const marker = randomUUID();
    const later = new Date(Date.now() + 3_600_000);
    const failed = await db
      .transaction(async (tx) => {
        await jobs.enqueue(NOTICE_DELIVER_QUEUE, { noticeId: marker }, { tx, startAfter: later });
        throw new Error("the change failed");
      })
      .catch((e: unknown) => e);
    expect((failed as Error).message).toBe("the change failed");
    expect(await jobsOf(marker)).toEqual([]);
    await db.transaction(async (tx) => {
      await jobs.enqueue(NOTICE_DELIVER_QUEUE, { noticeId: marker }, { tx, startAfter: later });
    });
    expect(await jobsOf(marker)).toHaveLength(1);
  });

  it("delivers a notice whose request died after the commit, once per member; running it again sends nothing", async () => {
    const group = await createGroup();
    const kernel = app.services.kernel;
    // An app instance whose process dies right after the commit: its request gets no email out.
    const crashing = createSessionsService({ ...kernel, mailer: { transportKind: kernel.mailer.transportKind, send: () => Promise.reject(new Error("process died")) } });
    const before = Date.now();
    await crashing.cancel(actorOf(lena), org.id, group.id, THIRD, { reason: "holiday" });
    const notice = await noticeOf(group.id, "cancelled");
    expect(await recipientsOf(notice.id)).toEqual([]);

    // The delivery job was committed with the notice, due a little later.
    const [job, ...others] = await jobsOf(notice.id);
    expect(others).toEqual([]);
    expect(job!.state).toBe("created");
    expect(new Date(job!.start_after).getTime()).toBeGreaterThanOrEqual(before + NOTICE_JOB_DELAY_MS - 1000);
    // Nothing went out yet.
    await new Promise((r) => setTimeout(r, 1500));
    expect(mailsTo(mara, group)).toEqual([]);

    // Time passes: the job is due, and a worker of the surviving instance runs it.
    await kernel.db.execute(sql`update pgboss.job set start_after = now() where id = ${job!.id}`);
    const english = await app.waitForMail(mara.email, new RegExp(`${group.name} is cancelled`));
    expect(english.text).toContain("March 18, 2029");
    const spanish = await app.waitForMail(sofia.email, new RegExp(`Se canceló una reunión de ${group.name}`));
    expect(spanish.text).toContain("18 de marzo de 2029");
    expect((await waitFor(() => jobsOf(notice.id), (rows) => rows[0]?.state === "completed"))[0]!.state).toBe("completed");
    expect(await recipientsOf(notice.id)).toEqual([mara.id, sofia.id].sort());

    // A second run (a retry, a duplicate job, another instance) finds everyone served.
    expect(await app.services.sessions.deliverNotice(notice.id)).toBe(0);
    await kernel.jobs.enqueue(NOTICE_DELIVER_QUEUE, { noticeId: notice.id });
    await waitFor(() => jobsOf(notice.id), (rows) => rows.length === 2 && rows.every((r) => r.state === "completed"));
    expect((await jobsOf(notice.id)).map((r) => r.state)).toEqual(["completed", "completed"]);
    await new Promise((r) => setTimeout(r, 1000));
    expect(mailsTo(mara, group)).toHaveLength(1);
    expect(mailsTo(sofia, group)).toHaveLength(1);
  });

  it("is not needed when the request delivers: the members get one email each", async () => {
    const group = await createGroup();
    const res = await app.request(url(group.id, `/sessions/${enc(THIRD)}/link`), { method: "POST", cookie: lena.cookie, json: { meetingLink: "https://meet.example.org/elsewhere" } });
    expect(res.status).toBe(200);
    const notice = await noticeOf(group.id, "link_changed");
    // Claimed in the request, before the job is due.
    expect(await recipientsOf(notice.id)).toEqual([mara.id, sofia.id].sort());
    expect(await jobsOf(notice.id)).toHaveLength(1);
    await app.waitForMail(mara.email, /new meeting link/i);
    // The job, when it runs, finds nobody left.
    const [job] = await jobsOf(notice.id);
    await app.services.kernel.db.execute(sql`update pgboss.job set start_after = now() where id = ${job!.id}`);
    await waitFor(() => jobsOf(notice.id), (rows) => rows[0]?.state === "completed");
    await new Promise((r) => setTimeout(r, 1000));
    expect(mailsTo(mara, group)).toHaveLength(1);
    expect(mailsTo(sofia, group)).toHaveLength(1);
  });
});

describe("taking back a change", () => {
  it("tells the members who were told of the cancellation that the meeting takes place, in their language", async () => {
    const group = await createGroup();
    expect((await app.request(url(group.id, `/sessions/${enc(THIRD)}/cancel`), { method: "POST", cookie: lena.cookie, json: { reason: "holiday" } })).status).toBe(200);
    const cancelled = await app.waitForMail(mara.email, new RegExp(`${group.name} is cancelled`));
    await app.waitForMail(sofia.email, new RegExp(`Se canceló una reunión de ${group.name}`));

    const res = await app.request(url(group.id, `/sessions/${enc(THIRD)}/exception`), { method: "DELETE", cookie: lena.cookie });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ restored: true, notified: true });
    const english = await app.waitForMail(mara.email, new RegExp(`A meeting of ${group.name} takes place as planned`));
    expect(english.text).toContain("Sunday, March 18, 2029");
    expect(english.text).toContain("the earlier cancellation or change is taken back");
    expect(english.text).toContain("http://localhost:3000/sessions");
    const spanish = await app.waitForMail(sofia.email, new RegExp(`Una reunión de ${group.name} tiene lugar según lo previsto`));
    expect(spanish.text).toContain("domingo, 18 de marzo de 2029");
    expect(spanish.text).toContain("Hola, Sofía Miembro");
    // Like the cancellation (which carried no calendar file), the change reaches calendars through the subscription.
    expect((cancelled as { attachments?: unknown }).attachments).toBeUndefined();
    expect((english as { attachments?: unknown }).attachments).toBeUndefined();

    // One notice, one email a person, listed for the leaders with the other notices of the meeting.
    const notice = await noticeOf(group.id, "restored");
    expect(notice.occurrenceStart?.toISOString()).toBe(THIRD);
    expect(await app.services.sessions.deliverNotice(notice.id)).toBe(0);
    expect(mailsTo(mara, group, /takes place as planned/)).toHaveLength(1);
    const listed = await app.request(url(group.id, "/notices"), { cookie: lena.cookie });
    const items = ((await listed.json()) as { items: { kind: string; occurrenceStart: string | null; recipients: unknown[] }[] }).items;
    expect(items.map((i) => [i.kind, i.occurrenceStart, i.recipients.length])).toEqual([
      ["restored", THIRD, 2],
      ["cancelled", THIRD, 2],
    ]);
    // The meeting is on again.
    const sessions = await app.services.sessions.upcoming(actorOf(lena), org.id, group.id, { from: "2029-03-01T00:00:00.000Z", to: "2029-04-30T00:00:00.000Z" });
    expect(sessions.items.find((s) => s.occurrenceStart === THIRD)?.status).toBe("scheduled");
  });

  it("taking back a move that leaves the meeting inside a pause tells the members it does not take place", async () => {
    const group = await createGroup();
    const svc = app.services.sessions;
    await svc.reschedule(actorOf(lena), org.id, group.id, FOURTH, { start: "2029-03-28T23:00:00.000Z" });
    await app.waitForMail(mara.email, new RegExp(`A meeting of ${group.name} has changed`));
    await svc.pause(actorOf(lena), org.id, group.id, { startDate: "2029-03-22", endDate: "2029-03-26" });
    await app.waitForMail(mara.email, new RegExp(`${group.name} takes a break`));
    // Until now the move wins over the pause; taken back, the meeting is on its usual date, in the pause.
    expect(await svc.restore(actorOf(lena), org.id, group.id, FOURTH)).toEqual({ restored: true, notified: true });
    const mail = await app.waitForMail(mara.email, new RegExp(`${group.name} is cancelled`));
    expect(mail.text).toContain("March 25, 2029");
    expect(mailsTo(mara, group, /takes place as planned/)).toEqual([]);
  });

  it("emails nobody for a meeting that has already started (a correction of the records)", async () => {
    const group = await createGroup();
    const svc = app.services.sessions;
    await svc.cancel(actorOf(lena), org.id, group.id, THIRD, { reason: "holiday" });
    await app.waitForMail(mara.email, new RegExp(`${group.name} is cancelled`));
    expect(await svc.restore(actorOf(lena), org.id, group.id, THIRD, {}, new Date("2029-03-20T00:00:00Z"))).toEqual({ restored: true, notified: false });
    const notices = await app.services.kernel.db.select().from(sessionNotice).where(eq(sessionNotice.groupId, group.id));
    expect(notices.map((n) => n.kind)).toEqual(["cancelled"]);
    // Nothing left to take back: 404.
    expect((await app.request(url(group.id, `/sessions/${enc(THIRD)}/exception`), { method: "DELETE", cookie: lena.cookie })).status).toBe(404);
  });
});
