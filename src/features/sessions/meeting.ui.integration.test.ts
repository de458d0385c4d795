import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { groupMembership } from "../groups/schema.ts";
import { groupPause, rsvp, sessionException } from "./schema.ts";

// The leader's meeting page, the RSVP note on /sessions, the attendance history (page and API),
// "My Balint record" and the pause/resume forms of the group page.
// Needs the UI build: `flock /tmp/bc-build.lock node scripts/ensure-build.ts`.
type Person = Awaited<ReturnType<typeof signUp>>;
let app: TestApp;
let orgId: string;
let orgSlug: string;
let leader: Person;
let member: Person;
let colleague: Person;
let outsider: Person;
let groupId: string;
let meetings: { occurrenceStart: string; start: string; status: string }[];

const form = (fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  return body;
};
const post = (path: string, cookie: string, fields: Record<string, string | string[]>) =>
  app.request(path, { method: "POST", cookie, headers: { "content-type": "application/x-www-form-urlencoded" }, body: form(fields), redirect: "manual" });
const future = () => meetings.filter((m) => Date.parse(m.start) > Date.now() + 3_600_000);
const past = () => meetings.filter((m) => Date.parse(m.start) < Date.now());
const meetingPath = (start: string) => `/o/${orgSlug}/groups/${groupId}/meetings/${encodeURIComponent(start)}`;
const apiBase = () => `/api/v1/orgs/${orgId}/groups/${groupId}/sessions`;
const savedRsvp = async (start: string) => {
  const [row] = await app.services.kernel.db.select().from(rsvp).where(and(eq(rsvp.groupId, groupId), eq(rsvp.userId, member.id), eq(rsvp.occurrenceStart, new Date(start))));
  return row;
};

beforeAll(async () => {
  app = await createTestApp({ ui: true });
  const { org, person: owner } = await orgWithPerson(app, "owner");
  orgId = org.id;
  orgSlug = org.slug;
  leader = await signUp(app, { verified: true, name: "Lena Leader" });
  await addMember(app, org.id, leader.id, "leader");
  member = await signUp(app, { verified: true, name: "Mara Member" });
  await addMember(app, org.id, member.id, "member");
  colleague = await signUp(app, { verified: true, name: "Colin Colleague" });
  await addMember(app, org.id, colleague.id, "member");
  outsider = (await orgWithPerson(app, "owner")).person;
  const first = new Date(Date.now() - 14 * 86_400_000 + 3_600_000);
  const res = await app.request(`/api/v1/orgs/${org.id}/groups`, {
    method: "POST",
    cookie: owner.cookie,
    json: { name: "Harbour clinicians", description: "A group.", format: "online", meetingLink: "https://meet.example.org/harbour", languages: ["en"], timeZone: "America/New_York", schedule: { rrule: "FREQ=WEEKLY;COUNT=8", dtstartLocal: first.toISOString().slice(0, 16), durationMinutes: 90 }, capacity: 10, leaders: [{ userId: leader.id, kind: "leader" }] },
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  groupId = ((await res.json()) as { id: string }).id;
  await app.services.kernel.db.insert(groupMembership).values({ groupId, userId: member.id, status: "active", term: 1, agreementAcceptedAt: new Date() });
  const list = await app.request(`${apiBase()}?from=${encodeURIComponent(new Date(Date.now() - 20 * 86_400_000).toISOString())}`, { cookie: leader.cookie });
  meetings = ((await list.json()) as { items: typeof meetings }).items;
  if (past().length < 2 || future().length < 3) throw new Error("unexpected schedule");
});
afterAll(async () => app?.close());

describe("the RSVP note on /sessions", () => {
  it("saves a note with \"can't come\" without JavaScript, keeps it when the answer stays, drops it when going", async () => {
    const next = future()[0]!;
    const page = await (await app.request("/sessions", { cookie: member.cookie })).text();
    expect(page).toContain("Note to the leaders (optional)");
    expect(page).toContain(`/api/v1/orgs/${orgId}/groups/${groupId}/session-ics/${encodeURIComponent(next.occurrenceStart)}.ics`);
    expect(page).toContain("Download .ics");

    const saved = await post("/sessions", member.cookie, { orgId, groupId, start: next.occurrenceStart, status: "not_going", note: "On call that evening." });
    expect(saved.status).toBe(200);
    expect(await savedRsvp(next.occurrenceStart)).toMatchObject({ status: "not_going", note: "On call that evening." });
    // The page shows the note back in the field.
    expect(await (await app.request("/sessions", { cookie: member.cookie })).text()).toContain("On call that evening.</textarea>");

    // Same answer without a note field (an older form, the API): the note stays.
    expect((await post("/sessions", member.cookie, { orgId, groupId, start: next.occurrenceStart, status: "not_going" })).status).toBe(200);
    expect((await savedRsvp(next.occurrenceStart))!.note).toBe("On call that evening.");
    const put = await app.request(`${apiBase()}/${encodeURIComponent(next.occurrenceStart)}/rsvp`, { method: "PUT", cookie: member.cookie, json: { status: "not_going" } });
    expect(put.status).toBe(200);
    expect(((await put.json()) as { note: string | null }).note).toBe("On call that evening.");

    // Too long: 400 naming the note, nothing changed.
    const long = await post("/sessions", member.cookie, { orgId, groupId, start: next.occurrenceStart, status: "not_going", note: "x".repeat(281) });
    expect(long.status).toBe(400);
    expect((await savedRsvp(next.occurrenceStart))!.note).toBe("On call that evening.");

    // "I'm going" (the form also carries the note field): the answer changes, the note goes.
    expect((await post("/sessions", member.cookie, { orgId, groupId, start: next.occurrenceStart, status: "going", note: "On call that evening." })).status).toBe(200);
    expect(await savedRsvp(next.occurrenceStart)).toMatchObject({ status: "going", note: null });

    // Emptying the field clears the note.
    await post("/sessions", member.cookie, { orgId, groupId, start: next.occurrenceStart, status: "not_going", note: "Away." });
    await post("/sessions", member.cookie, { orgId, groupId, start: next.occurrenceStart, status: "not_going", note: "  " });
    expect(await savedRsvp(next.occurrenceStart)).toMatchObject({ status: "not_going", note: null });
  });
});

describe("the leader's meeting page", () => {
  it("shows time, link, answers with notes; only the group's leaders see it", async () => {
    const next = future()[1]!;
    await post("/sessions", member.cookie, { orgId, groupId, start: next.occurrenceStart, status: "not_going", note: "Conference that week." });
    const res = await app.request(meetingPath(next.occurrenceStart), { cookie: leader.cookie });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Meeting of Harbour clinicians");
    expect(html).toContain("America/New_York");
    expect(html).toContain("https://meet.example.org/harbour");
    expect(html).toContain("Who is coming");
    expect(html).toContain("Mara Member");
    expect(html).toContain("Conference that week.");
    expect(html).toContain("0 going, 1 can’t come");
    expect(html).toContain(`session-ics/${encodeURIComponent(next.occurrenceStart)}.ics`);
    // The group page links each upcoming meeting here.
    const group = await (await app.request(`/o/${orgSlug}/groups/${groupId}`, { cookie: leader.cookie })).text();
    expect(group).toContain(meetingPath(next.occurrenceStart).replaceAll("&", "&amp;"));

    expect((await app.request(meetingPath(next.occurrenceStart), { cookie: member.cookie })).status).toBe(403);
    expect((await app.request(meetingPath(next.occurrenceStart), { cookie: colleague.cookie })).status).toBe(403);
    expect((await app.request(meetingPath(next.occurrenceStart), { cookie: outsider.cookie })).status).toBe(404);
    expect((await app.request(meetingPath("2001-01-01T00:00:00.000Z"), { cookie: leader.cookie })).status).toBe(404);
    expect((await app.request(meetingPath("nonsense"), { cookie: leader.cookie })).status).toBe(404);
    expect((await post(meetingPath(next.occurrenceStart), member.cookie, { intent: "cancel", reason: "holiday" })).status).toBe(403);
  });

  it("cancels, restores, moves (local time in the group's zone) and changes the link, with notices", async () => {
    const m = future()[2]!;
    const path = meetingPath(m.occurrenceStart);
    const exception = async () => (await app.services.kernel.db.select().from(sessionException).where(and(eq(sessionException.groupId, groupId), eq(sessionException.occurrenceStart, new Date(m.occurrenceStart)))))[0];

    const cancelled = await post(path, leader.cookie, { intent: "cancel", reason: "holiday" });
    expect(cancelled.status).toBe(200);
    expect(await cancelled.text()).toContain("The meeting is cancelled");
    expect(await exception()).toMatchObject({ kind: "cancelled", reason: "holiday" });
    const page = await (await app.request(path, { cookie: leader.cookie })).text();
    expect(page).toContain("Reason: Holiday");
    expect(page).toContain("Notices about this meeting");
    expect(page).toMatch(/[01] of 1 sent/);
    expect(page).toMatch(/Mara Member(<!-- -->)?: (<!-- -->)?(waiting to be sent|sent)/);

    const restored = await post(path, leader.cookie, { intent: "restore" });
    expect(restored.status).toBe(200);
    expect(await restored.text()).toContain("The meeting is as scheduled again; the members are emailed.");
    expect(await exception()).toBeUndefined();
    await app.waitForMail(member.email, /Harbour clinicians takes place as planned/);

    // Bad input: 400 naming the field, nothing written.
    const bad = await post(path, leader.cookie, { intent: "reschedule", date: "2030-02-31", time: "19:00", durationMinutes: "90", reason: "other" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('href="#field-date"');
    const badLength = await post(path, leader.cookie, { intent: "reschedule", date: "2030-01-01", time: "19:00", durationMinutes: "10", reason: "other" });
    expect(badLength.status).toBe(400);
    expect(await badLength.text()).toContain('href="#field-durationMinutes"');
    expect(await exception()).toBeUndefined();

    // Move it one day later at 18:30 New York time, 60 minutes.
    const local = new Intl.DateTimeFormat("en-CA", { timeZone: "America/New_York", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(Date.parse(m.start) + 86_400_000));
    const moved = await post(path, leader.cookie, { intent: "reschedule", date: local, time: "18:30", durationMinutes: "60", reason: "leader_unavailable" });
    expect(moved.status).toBe(200);
    const row = await exception();
    expect(row).toMatchObject({ kind: "changed", durationMinutes: 60, reason: "leader_unavailable" });
    expect(new Intl.DateTimeFormat("en-CA", { timeZone: "America/New_York", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(row!.newStart!)).toBe(`${local}, 18:30`);

    const linked = await post(path, leader.cookie, { intent: "link", meetingLink: "https://meet.example.org/harbour-special", reason: "technical" });
    expect(linked.status).toBe(200);
    expect((await exception())!.meetingLink).toBe("https://meet.example.org/harbour-special");
    const badLink = await post(path, leader.cookie, { intent: "link", meetingLink: "not a link", reason: "technical" });
    expect(badLink.status).toBe(400);
    expect(await badLink.text()).toContain('href="#field-meetingLink"');
    const after = await (await app.request(path, { cookie: leader.cookie })).text();
    expect(after).toContain("https://meet.example.org/harbour-special");
    expect(after).toContain("Moved");
  });
});

describe("attendance history", () => {
  it("the API and the attendance page list who changed what and when; leaders only", async () => {
    const m = past()[0]!;
    const put = (status: string) => app.request(`${apiBase()}/${encodeURIComponent(m.occurrenceStart)}/attendance`, { method: "PUT", cookie: leader.cookie, json: { entries: [{ userId: member.id, status }] } });
    expect((await put("excused")).status).toBe(200);
    expect((await put("present")).status).toBe(200);
    const historyUrl = `${apiBase()}/${encodeURIComponent(m.occurrenceStart)}/attendance/history`;
    const res = await app.request(historyUrl, { cookie: leader.cookie });
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: { name: string; previousStatus: string | null; status: string; recordedByName: string | null }[] };
    expect(items.map((i) => [i.name, i.previousStatus, i.status, i.recordedByName])).toEqual([
      ["Mara Member", null, "excused", "Lena Leader"],
      ["Mara Member", "excused", "present", "Lena Leader"],
    ]);
    expect((await app.request(historyUrl, { cookie: member.cookie })).status).toBe(403);
    expect((await app.request(historyUrl, { cookie: outsider.cookie })).status).toBe(404);
    expect((await app.request(`${apiBase()}/2001-01-01T00:00:00.000Z/attendance/history`, { cookie: leader.cookie })).status).toBe(400);

    const sheet = await (await app.request(`/sessions/${groupId}/${encodeURIComponent(m.occurrenceStart)}/attendance`, { cookie: leader.cookie })).text();
    expect(sheet).toContain("Attendance history");
    expect(sheet).toContain("Excused → Present");
    expect(sheet).toContain(meetingPath(m.occurrenceStart).replaceAll("&", "&amp;"));
    const page = await (await app.request(meetingPath(m.occurrenceStart), { cookie: leader.cookie })).text();
    expect(page).toContain("Excused → Present");
    expect(page).toContain("Record attendance");
  });
});

describe("my Balint record", () => {
  it("lists meetings attended and led, with totals; Spanish too", async () => {
    const m = past()[0]!;
    const mine = await app.request("/account/participation", { cookie: member.cookie });
    expect(mine.status).toBe(200);
    const html = await mine.text();
    expect(html).toContain("My Balint record");
    expect(html).toContain("Harbour clinicians");
    expect(html).toContain("Attended: 1 · Led: 0 · Co-led: 0");
    expect(html).toContain(`dateTime="${m.occurrenceStart}"`);
    expect(html).toContain('href="/account/participation"');
    const led = await (await app.request("/account/participation", { cookie: leader.cookie })).text();
    expect(led).toContain("Attended: 0 · Led: 1 · Co-led: 0");
    const empty = await (await app.request("/account/participation", { cookie: colleague.cookie })).text();
    expect(empty).toContain("No meetings recorded yet");
    const es = await (await app.request("/account/participation", { cookie: member.cookie, headers: { "accept-language": "es" } })).text();
    expect(es).toContain("Mi registro Balint");
    expect((await app.request("/account/participation", { redirect: "manual" })).status).toBe(302);
  });
});

describe("pauses on the group page", () => {
  it("pauses and resumes the series through the forms; bad dates are refused", async () => {
    const path = `/o/${orgSlug}/groups/${groupId}`;
    const bad = await post(path, leader.cookie, { intent: "pause", startDate: "2030-03-10", endDate: "2030-03-01" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("must not be before startDate");
    const paused = await post(path, leader.cookie, { intent: "pause", startDate: "2030-03-01", endDate: "2030-03-10" });
    expect(paused.status).toBe(200);
    const rows = await app.services.kernel.db.select().from(groupPause).where(eq(groupPause.groupId, groupId));
    expect(rows.map((r) => [r.startDate, r.endDate])).toEqual([["2030-03-01", "2030-03-10"]]);
    const html = await (await app.request(path, { cookie: leader.cookie })).text();
    expect(html).toContain("From 2030-03-01 to 2030-03-10");
    expect((await post(path, leader.cookie, { intent: "resume", pauseId: rows[0]!.id })).status).toBe(200);
    expect(await app.services.kernel.db.select().from(groupPause).where(eq(groupPause.groupId, groupId))).toHaveLength(0);
    expect((await post(path, leader.cookie, { intent: "resume", pauseId: rows[0]!.id })).status).toBe(404);
  });
});
