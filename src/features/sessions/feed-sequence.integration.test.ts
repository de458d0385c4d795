// The calendar feed after a change is taken back: cancel → restore (and move → restore) must give
// calendars a newer copy — a higher SEQUENCE and a LAST-MODIFIED / DTSTAMP that never goes back —
// or some clients keep the cancelled copy. Read with ical.js, an independent parser and expander.
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { balintGroup, groupMembership } from "../groups/schema.ts";

type Person = Awaited<ReturnType<typeof signUp>>;
type Json = Record<string, unknown>;
let app: TestApp;
let org: { id: string };
let owner: Person;
let leader: Person;
let member: Person;
let feedPath: string;

beforeAll(async () => {
  app = await createTestApp();
  ({ org, person: owner } = await orgWithPerson(app, "owner"));
  leader = await signUp(app, { verified: true, name: "Lena Leader" });
  await addMember(app, org.id, leader.id, "leader");
  member = await signUp(app, { verified: true, name: "Mara Member" });
  await addMember(app, org.id, member.id, "member");
  const created = await app.request("/api/v1/me/calendar-feed", { method: "POST", cookie: member.cookie });
  expect(created.status).toBe(201);
  feedPath = new URL(((await created.json()) as { https: string }).https).pathname;
});
afterAll(async () => app?.close());

let seq = 0;
async function createGroup(schedule: Json, timeZone = "America/New_York"): Promise<string> {
  seq += 1;
  const res = await app.request(`/api/v1/orgs/${org.id}/groups`, {
    method: "POST",
    cookie: owner.cookie,
    json: { name: `Feed group ${seq}`, description: "A standing Balint group.", format: "online", meetingLink: `https://meet.example.org/feed-${seq}`, languages: ["en"], timeZone, schedule, capacity: 10, leaders: [{ userId: leader.id, kind: "leader" }] },
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  const g = ((await res.json()) as { id: string }).id;
  const db = app.services.kernel.db;
  await db.insert(groupMembership).values({ groupId: g, userId: member.id, status: "active", term: 1, agreementAcceptedAt: new Date() });
  // The group was set up a while ago: its own row is older than any change to its meetings.
  await db.update(balintGroup).set({ updatedAt: new Date("2020-01-01T00:00:00Z") }).where(eq(balintGroup.id, g));
  return g;
}

const sessionUrl = (g: string, start: string, rest: string) => `/api/v1/orgs/${org.id}/groups/${g}/sessions/${encodeURIComponent(start)}/${rest}`;
async function act(g: string, start: string, action: "cancel" | "restore" | "reschedule", json: Json = {}) {
  const res =
    action === "restore"
      ? await app.request(sessionUrl(g, start, "exception"), { method: "DELETE", cookie: leader.cookie })
      : await app.request(sessionUrl(g, start, action), { method: "POST", cookie: leader.cookie, json });
  expect(res.status, `${action} ${start}`).toBe(200);
}

interface Served {
  etag: string;
  text: string;
}
async function fetchFeed(): Promise<Served> {
  const res = await app.request(feedPath);
  expect(res.status).toBe(200);
  return { etag: res.headers.get("etag")!, text: await res.text() };
}

interface Instance {
  start: string;
  sequence: number;
  lastModified: number;
  dtstamp: number;
}
/** The group's series as ical.js expands it: its master and each meeting by RECURRENCE-ID (ISO). */
function seriesOf(text: string, groupId: string): { master: { sequence: number; lastModified: number; dtstamp: number }; instances: Map<string, Instance> } {
  const vcal = new ICAL.Component(ICAL.parse(text));
  for (const vtz of vcal.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(vtz);
  const mine = vcal.getAllSubcomponents("vevent").filter((c) => String(c.getFirstPropertyValue("uid")).startsWith(`balint-group-${groupId}@`));
  const masterComp = mine.find((c) => !c.hasProperty("recurrence-id"))!;
  const master = new ICAL.Event(masterComp);
  for (const c of mine) if (c !== masterComp) master.relateException(c);
  const time = (c: ICAL.Component, name: string) => (c.getFirstPropertyValue(name) as ICAL.Time).toJSDate().getTime();
  const instances = new Map<string, Instance>();
  const it = master.iterator();
  for (let next = it.next(); next; next = it.next()) {
    const d = master.getOccurrenceDetails(next);
    instances.set(d.recurrenceId.toJSDate().toISOString(), { start: d.startDate.toJSDate().toISOString(), sequence: d.item.sequence, lastModified: time(d.item.component, "last-modified"), dtstamp: time(d.item.component, "dtstamp") });
  }
  return { master: { sequence: master.sequence, lastModified: time(masterComp, "last-modified"), dtstamp: time(masterComp, "dtstamp") }, instances };
}

describe("the calendar feed when a change is taken back", () => {
  it("cancel → restore of an upcoming meeting: a higher SEQUENCE, LAST-MODIFIED never back, a new ETag", async () => {
    const g = await createGroup({ rrule: "FREQ=WEEKLY;BYDAY=SU;COUNT=8", dtstartLocal: "2029-03-04T19:00", durationMinutes: 90 });
    const third = "2029-03-18T23:00:00.000Z";
    const a = await fetchFeed();
    const before = seriesOf(a.text, g);
    expect(before.instances.get(third)).toMatchObject({ start: third, sequence: 0 });

    await act(g, third, "cancel");
    const b = await fetchFeed();
    const cancelled = seriesOf(b.text, g);
    expect(cancelled.instances.has(third)).toBe(false);
    expect(b.etag).not.toBe(a.etag);
    expect(cancelled.master.sequence).toBeGreaterThan(before.master.sequence);
    expect(cancelled.master.lastModified).toBeGreaterThan(before.master.lastModified);

    await act(g, third, "restore");
    const c = await fetchFeed();
    const restored = seriesOf(c.text, g);
    const back = restored.instances.get(third)!;
    expect(back.start).toBe(third);
    // Higher than the copy without it (and than the first copy): clients replace what they hold.
    expect(back.sequence).toBeGreaterThan(cancelled.master.sequence);
    expect(back.lastModified).toBeGreaterThanOrEqual(cancelled.master.lastModified);
    expect(back.dtstamp).toBeGreaterThanOrEqual(cancelled.master.dtstamp);
    expect(c.etag).not.toBe(b.etag);
    expect(c.etag).not.toBe(a.etag);
    // The server answers the new copy to a client that holds the cancelled one.
    expect((await app.request(feedPath, { headers: { "if-none-match": b.etag } })).status).toBe(200);
    expect((await app.request(feedPath, { headers: { "if-none-match": c.etag } })).status).toBe(304);
  });

  it("a meeting that has started (restored without telling anyone) and a moved meeting's override do the same", async () => {
    // A daily group in UTC that began five days ago.
    const now = new Date();
    const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 5, 12, 0, 0));
    const g = await createGroup({ rrule: "FREQ=DAILY;COUNT=10", dtstartLocal: first.toISOString().slice(0, 16), durationMinutes: 60 }, "UTC");
    const day = (k: number) => new Date(first.getTime() + k * 86_400_000).toISOString();
    const a = seriesOf((await fetchFeed()).text, g);

    // A meeting two days ago, cancelled and restored: no notice goes out, the feed still moves on.
    await act(g, day(3), "cancel");
    const b = seriesOf((await fetchFeed()).text, g);
    expect(b.instances.has(day(3))).toBe(false);
    await act(g, day(3), "restore");
    const c = seriesOf((await fetchFeed()).text, g);
    expect(c.instances.get(day(3))!.sequence).toBeGreaterThan(b.master.sequence);
    expect(c.master.lastModified).toBeGreaterThanOrEqual(b.master.lastModified);
    expect(b.master.lastModified).toBeGreaterThan(a.master.lastModified);

    // An upcoming meeting moved (an override), the move taken back, then moved again: each copy of
    // its override is newer than the last, and never older than the master's SEQUENCE.
    const ics = async (start: string) => {
      const res = await app.request(`/api/v1/orgs/${org.id}/groups/${g}/session-ics/${encodeURIComponent(start)}.ics`, { cookie: member.cookie });
      expect(res.status).toBe(200);
      return new ICAL.Event(new ICAL.Component(ICAL.parse(await res.text())).getFirstSubcomponent("vevent")!).sequence;
    };
    const moved = new Date(new Date(day(7)).getTime() + 2 * 3_600_000).toISOString();
    await act(g, day(7), "reschedule", { start: moved });
    const d = seriesOf((await fetchFeed()).text, g);
    const icsMoved = await ics(day(7));
    expect(d.instances.get(day(7))).toMatchObject({ start: moved });
    expect(d.instances.get(day(7))!.sequence).toBeGreaterThanOrEqual(d.master.sequence);
    await act(g, day(7), "restore");
    const e = seriesOf((await fetchFeed()).text, g);
    expect(e.instances.get(day(7))).toMatchObject({ start: day(7) });
    expect(e.instances.get(day(7))!.sequence).toBeGreaterThan(d.instances.get(day(7))!.sequence);
    await act(g, day(7), "reschedule", { start: moved });
    const f = seriesOf((await fetchFeed()).text, g);
    expect(f.instances.get(day(7))).toMatchObject({ start: moved });
    expect(f.instances.get(day(7))!.sequence).toBeGreaterThan(e.instances.get(day(7))!.sequence);
    expect(f.master.lastModified).toBeGreaterThanOrEqual(e.master.lastModified);
    // A meeting nobody changed keeps the master's SEQUENCE.
    expect(f.instances.get(day(8))!.sequence).toBe(f.master.sequence);

    // The single meeting's .ics (its own UID) counts the changes to that meeting only.
    expect(icsMoved).toBeGreaterThan(0);
    expect(await ics(day(7))).toBeGreaterThan(icsMoved);
    expect(await ics(day(8))).toBe(0);
  });
});

describe("the calendar feed when the group itself is edited", () => {
  const patch = async (g: string, json: Json, cookie = owner.cookie) => {
    const res = await app.request(`/api/v1/orgs/${org.id}/groups/${g}`, { method: "PATCH", cookie, json });
    expect(res.status, JSON.stringify(json)).toBe(200);
  };
  const icsSequence = async (g: string, start: string) => {
    const res = await app.request(`/api/v1/orgs/${org.id}/groups/${g}/session-ics/${encodeURIComponent(start)}.ics`, { cookie: member.cookie });
    expect(res.status).toBe(200);
    return new ICAL.Event(new ICAL.Component(ICAL.parse(await res.text())).getFirstSubcomponent("vevent")!).sequence;
  };

  it("a new meeting time raises SEQUENCE of the series, of every meeting and of each meeting's .ics, with a new ETag; a description does not", async () => {
    const g = await createGroup({ rrule: "FREQ=WEEKLY;BYDAY=TU;COUNT=6", dtstartLocal: "2029-05-01T18:00", durationMinutes: 90 });
    const a = await fetchFeed();
    const before = seriesOf(a.text, g);
    expect(before.master.sequence).toBe(0);
    expect(before.instances.get("2029-05-08T22:00:00.000Z")).toMatchObject({ sequence: 0 });

    // Not something a calendar shows: SEQUENCE stays where it was.
    await patch(g, { description: "A standing Balint group, now with a longer description.", capacity: 12 });
    const b = await fetchFeed();
    const described = seriesOf(b.text, g);
    expect(described.master.sequence).toBe(before.master.sequence);
    expect([...described.instances.values()].map((i) => i.sequence)).toEqual([...before.instances.values()].map((i) => i.sequence));

    // The time moves an hour later: every meeting moves, and every copy is newer.
    await patch(g, { schedule: { rrule: "FREQ=WEEKLY;BYDAY=TU;COUNT=6", dtstartLocal: "2029-05-01T19:00", durationMinutes: 90 } });
    const c = await fetchFeed();
    const moved = seriesOf(c.text, g);
    expect(c.etag).not.toBe(b.etag);
    expect(moved.master.sequence).toBeGreaterThan(described.master.sequence);
    expect(moved.master.lastModified).toBeGreaterThanOrEqual(described.master.lastModified);
    expect(moved.instances.size).toBe(6);
    for (const [recurrenceId, inst] of moved.instances) {
      expect(recurrenceId.slice(11, 16)).toBe("23:00");
      expect(inst.sequence).toBeGreaterThanOrEqual(moved.master.sequence);
    }
    expect(await icsSequence(g, "2029-05-08T23:00:00.000Z")).toBeGreaterThan(0);
    // A client holding the old copy gets the new one.
    expect((await app.request(feedPath, { headers: { "if-none-match": b.etag } })).status).toBe(200);
    expect((await app.request(feedPath, { headers: { "if-none-match": c.etag } })).status).toBe(304);

    // A longer meeting, a new name, and the leader's new link each raise it again.
    let last = moved.master.sequence;
    let lastIcs = await icsSequence(g, "2029-05-08T23:00:00.000Z");
    const edits: [Json, string?][] = [
      [{ schedule: { rrule: "FREQ=WEEKLY;BYDAY=TU;COUNT=6", dtstartLocal: "2029-05-01T19:00", durationMinutes: 120 } }],
      [{ name: "Renamed feed group" }],
      [{ meetingLink: "https://meet.example.org/a-new-room" }, leader.cookie],
    ];
    for (const [json, cookie] of edits) {
      await patch(g, json, cookie);
      const now = seriesOf((await fetchFeed()).text, g);
      expect(now.master.sequence, JSON.stringify(json)).toBeGreaterThan(last);
      last = now.master.sequence;
      const ics = await icsSequence(g, "2029-05-08T23:00:00.000Z");
      expect(ics, JSON.stringify(json)).toBeGreaterThan(lastIcs);
      lastIcs = ics;
    }
  });

  it("a meeting changed before the group was edited keeps an override newer than the series", async () => {
    const g = await createGroup({ rrule: "FREQ=WEEKLY;BYDAY=TH;COUNT=6", dtstartLocal: "2029-06-07T18:00", durationMinutes: 90 });
    const second = "2029-06-14T22:00:00.000Z";
    await act(g, second, "reschedule", { start: "2029-06-15T22:00:00.000Z" });
    const a = seriesOf((await fetchFeed()).text, g);
    const overrideBefore = a.instances.get(second)!.sequence;
    await patch(g, { name: "Thursday group, renamed" });
    const b = seriesOf((await fetchFeed()).text, g);
    expect(b.master.sequence).toBeGreaterThan(a.master.sequence);
    expect(b.instances.get(second)).toMatchObject({ start: "2029-06-15T22:00:00.000Z" });
    expect(b.instances.get(second)!.sequence).toBeGreaterThan(overrideBefore);
    expect(b.instances.get(second)!.sequence).toBeGreaterThanOrEqual(b.master.sequence);
  });
});
