import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { groupMembership } from "../groups/schema.ts";
import { attendance, reminderPreference, rsvp, sessionLeader } from "./schema.ts";

// Needs the UI build: `flock /tmp/bc-build.lock node scripts/ensure-build.ts`.
type Person = Awaited<ReturnType<typeof signUp>>;
let app: TestApp;
let orgId: string;
let leader: Person;
let member: Person;
let groupId: string;

const form = (fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  return body;
};
const post = (path: string, cookie: string, fields: Record<string, string | string[]>) =>
  app.request(path, { method: "POST", cookie, headers: { "content-type": "application/x-www-form-urlencoded" }, body: form(fields), redirect: "manual" });

beforeAll(async () => {
  app = await createTestApp({ ui: true });
  const { org, person: owner } = await orgWithPerson(app, "owner");
  orgId = org.id;
  leader = await signUp(app, { verified: true, name: "Lena Leader" });
  await addMember(app, org.id, leader.id, "leader");
  member = await signUp(app, { verified: true, name: "Mara Member" });
  await addMember(app, org.id, member.id, "member");
  // Weekly from last week (UTC), so one meeting is past and the next ones upcoming.
  const first = new Date(Date.now() - 7 * 86_400_000 + 3_600_000);
  const res = await app.request(`/api/v1/orgs/${org.id}/groups`, {
    method: "POST",
    cookie: owner.cookie,
    json: { name: "Thursday clinicians", description: "A group.", format: "online", meetingLink: "https://meet.example.org/thursday", languages: ["en"], timeZone: "UTC", schedule: { rrule: "FREQ=WEEKLY;COUNT=6", dtstartLocal: first.toISOString().slice(0, 16), durationMinutes: 60 }, capacity: 10, leaders: [{ userId: leader.id, kind: "leader" }] },
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  groupId = ((await res.json()) as { id: string }).id;
  await app.services.kernel.db.insert(groupMembership).values({ groupId, userId: member.id, status: "active", term: 1, agreementAcceptedAt: new Date() });
});
afterAll(async () => app?.close());

async function upcoming() {
  const res = await app.request(`/api/v1/orgs/${orgId}/groups/${groupId}/sessions?from=${encodeURIComponent(new Date(Date.now() - 14 * 86_400_000).toISOString())}`, { cookie: member.cookie });
  return ((await res.json()) as { items: { occurrenceStart: string; start: string }[] }).items;
}

describe("sessions pages", () => {
  it("/sessions lists my meetings and records a no-JS RSVP; Spanish too", async () => {
    const page = await app.request("/sessions", { cookie: member.cookie });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("My next sessions");
    expect(html).toContain("Thursday clinicians");
    expect(html).toContain("I can’t come");
    const next = (await upcoming()).find((o) => new Date(o.start).getTime() > Date.now())!;
    const res = await post("/sessions", member.cookie, { orgId, groupId, start: next.occurrenceStart, status: "not_going" });
    expect(res.status).toBe(200);
    const [row] = await app.services.kernel.db.select().from(rsvp).where(and(eq(rsvp.groupId, groupId), eq(rsvp.userId, member.id)));
    expect(row!.status).toBe("not_going");
    const bad = await post("/sessions", member.cookie, { orgId, groupId, start: "2001-01-01T00:00:00.000Z", status: "going" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('href="#field-start"');
    const es = await app.request("/sessions", { cookie: member.cookie, headers: { "accept-language": "es" } });
    expect(await es.text()).toContain("Mis próximas sesiones");
  });

  it("leaders see attendance to record and save it through the form", async () => {
    const html = await (await app.request("/sessions", { cookie: leader.cookie })).text();
    expect(html).toContain("Attendance to record");
    const past = (await upcoming()).find((o) => new Date(o.start).getTime() < Date.now())!;
    const path = `/sessions/${groupId}/${encodeURIComponent(past.occurrenceStart)}/attendance`;
    expect(html).toContain(path.replaceAll("&", "&amp;"));
    const sheet = await app.request(path, { cookie: leader.cookie });
    expect(sheet.status).toBe(200);
    expect(await sheet.text()).toContain("Mara Member");
    expect((await app.request(path, { cookie: member.cookie })).status).toBe(403);
    const res = await post(path, leader.cookie, { userId: member.id, [`status-${member.id}`]: "present" });
    expect(res.status).toBe(200);
    const [row] = await app.services.kernel.db.select().from(attendance).where(and(eq(attendance.groupId, groupId), eq(attendance.userId, member.id)));
    expect(row!.status).toBe("present");
    const empty = await post(path, leader.cookie, { userId: member.id });
    expect(empty.status).toBe(400);
  });

  it("the attendance page records who led the meeting, and a leader who was away can be unticked", async () => {
    const past = (await upcoming()).find((o) => new Date(o.start).getTime() < Date.now())!;
    const path = `/sessions/${groupId}/${encodeURIComponent(past.occurrenceStart)}/attendance`;
    const html = await (await app.request(path, { cookie: leader.cookie })).text();
    expect(html).toContain("Who led this meeting");
    expect(html).toContain(`name="ledBy" checked="" value="${leader.id}"`);
    const res = await post(path, leader.cookie, { userId: member.id, [`status-${member.id}`]: "present", leaderId: leader.id });
    expect(res.status).toBe(200);
    const [row] = await app.services.kernel.db.select().from(sessionLeader).where(and(eq(sessionLeader.groupId, groupId), eq(sessionLeader.userId, leader.id)));
    expect(row).toMatchObject({ kind: "leader", led: false });
    expect((await app.services.sessions.participationOf(leader.id)).led.filter((l) => l.groupId === groupId)).toHaveLength(0);
    const again = await post(path, leader.cookie, { userId: member.id, [`status-${member.id}`]: "present", leaderId: leader.id, ledBy: leader.id });
    expect(again.status).toBe(200);
    expect((await app.services.sessions.participationOf(leader.id)).led.filter((l) => l.groupId === groupId)).toEqual([{ organisationId: orgId, groupId, occurrenceStart: past.occurrenceStart, kind: "leader" }]);
  });

  it("/account/calendar creates a subscription URL (https and webcal) and saves reminder choices", async () => {
    const page = await app.request("/account/calendar", { cookie: member.cookie });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('href="/account/profile"');
    const created = await post("/account/calendar", member.cookie, { intent: "feed" });
    expect(created.status).toBe(200);
    const html = await created.text();
    const https = /value="(http[^"]+\/api\/v1\/calendar\/[^"]+\.ics)"/.exec(html)?.[1];
    expect(https).toBeTruthy();
    expect(html).toContain(`value="${https!.replace(/^https?:/, "webcal:")}"`);
    expect((await app.request(new URL(https!).pathname)).status).toBe(200);
    const saved = await post("/account/calendar", member.cookie, { intent: "reminders", offsetsMinutes: ["60", "2880"] });
    expect(saved.status).toBe(200);
    const [pref] = await app.services.kernel.db.select().from(reminderPreference).where(eq(reminderPreference.userId, member.id));
    expect(pref!.offsetsMinutes).toEqual([2880, 60]);
    const revoked = await post("/account/calendar", member.cookie, { intent: "revoke" });
    expect(revoked.status).toBe(200);
    expect((await app.request(new URL(https!).pathname)).status).toBe(404);
  });
});
