import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, createOrganisation, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { groupMembership, groupWaitlist } from "../groups/schema.ts";
import { rsvp } from "../sessions/schema.ts";
import type { Dashboard } from "./service.server.ts";

// Needs the UI build: `flock /tmp/bc-build.lock node scripts/ensure-build.ts`.
type Person = Awaited<ReturnType<typeof signUp>>;
let app: TestApp;
let orgA: { id: string; slug: string; name: string };
let orgB: { id: string; slug: string; name: string };
let leader: Person;
let member: Person;
let requester: Person;
let waiting: Person;
let newcomer: Person;
let ownerB: Person;
let groupA: { id: string; slug: string };
let groupB: { id: string; slug: string };

const form = (fields: Record<string, string>) => new URLSearchParams(fields);
const post = (path: string, cookie: string, fields: Record<string, string>) =>
  app.request(path, { method: "POST", cookie, headers: { "content-type": "application/x-www-form-urlencoded" }, body: form(fields), redirect: "manual" });

async function createGroup(orgId: string, cookie: string, name: string, leaderId: string) {
  // Weekly from last week (UTC): one meeting is past (attendance to record), the next ones upcoming.
  const first = new Date(Date.now() - 7 * 86_400_000 + 3_600_000);
  const res = await app.request(`/api/v1/orgs/${orgId}/groups`, {
    method: "POST",
    cookie,
    json: { name, description: "A group.", format: "online", meetingLink: `https://meet.example.org/${encodeURIComponent(name)}`, languages: ["en"], timeZone: "UTC", schedule: { rrule: "FREQ=WEEKLY;COUNT=6", dtstartLocal: first.toISOString().slice(0, 16), durationMinutes: 60 }, capacity: 8, leaders: [{ userId: leaderId, kind: "leader" }] },
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; slug: string };
}

async function dashboardOf(person: Person): Promise<Dashboard> {
  const res = await app.request("/api/v1/me/dashboard", { cookie: person.cookie });
  expect(res.status).toBe(200);
  return (await res.json()) as Dashboard;
}

beforeAll(async () => {
  app = await createTestApp({ ui: true });
  const a = await orgWithPerson(app, "owner");
  orgA = a.org;
  leader = await signUp(app, { verified: true, name: "Lena Leader" });
  await addMember(app, orgA.id, leader.id, "leader");
  member = await signUp(app, { verified: true, name: "Mara Member" });
  await addMember(app, orgA.id, member.id, "member");
  requester = await signUp(app, { verified: true, name: "Rafa Requester" });
  waiting = await signUp(app, { verified: true, name: "Wen Waiting" });
  newcomer = await signUp(app, { verified: true, name: "Nora Newcomer" });
  groupA = await createGroup(orgA.id, a.person.cookie, "Thursday clinicians", leader.id);

  // Another organisation, with its own leader, roster, requests and waitlist.
  orgB = await createOrganisation(app, { name: "Southside Balint Circle" });
  ownerB = await signUp(app, { verified: true, name: "Olu OwnerB" });
  await addMember(app, orgB.id, ownerB.id, "owner");
  groupB = await createGroup(orgB.id, ownerB.cookie, "Southside residents", ownerB.id);
  // Approval makes people members of the group's organisation (the groups slice does that).
  await addMember(app, orgB.id, member.id, "member");
  await addMember(app, orgB.id, requester.id, "member");

  const db = app.services.kernel.db;
  await db.insert(groupMembership).values([
    { groupId: groupA.id, userId: member.id, status: "active", term: 1, agreementAcceptedAt: new Date() },
    { groupId: groupA.id, userId: requester.id, status: "pending", term: 1, requestNote: "Second year." },
    // The member is also in orgB's group but has not accepted its agreement yet.
    { groupId: groupB.id, userId: member.id, status: "active", term: 1 },
    // orgB's group has more people: none of it may show in orgA's leader's counts.
    { groupId: groupB.id, userId: newcomer.id, status: "pending", term: 1 },
    { groupId: groupB.id, userId: requester.id, status: "active", term: 1, agreementAcceptedAt: new Date() },
  ]);
  await db.insert(groupWaitlist).values([
    { groupId: groupA.id, userId: waiting.id, position: 1 },
    { groupId: groupB.id, userId: waiting.id, position: 1 },
    { groupId: groupB.id, userId: leader.id, position: 2 },
  ]);
});
afterAll(async () => app?.close());

describe("GET /api/v1/me/dashboard", () => {
  it("needs a signed-in person", async () => {
    const res = await app.request("/api/v1/me/dashboard");
    expect(res.status).toBe(401);
  });

  it("a leader sees their group with roster, requests, waitlist and attendance to record, and nothing of another organisation", async () => {
    const d = await dashboardOf(leader);
    expect(d.leading.total).toBe(1);
    const g = d.leading.items[0]!;
    expect(g).toMatchObject({ id: groupA.id, name: "Thursday clinicians", role: "leader", capacity: 8, activeMembers: 1, pendingRequests: 1, waitlistLength: 1, termEnded: false });
    expect(g.organisation).toEqual({ id: orgA.id, name: orgA.name, slug: orgA.slug });
    expect(g.nextMeeting).not.toBeNull();
    expect(new Date(g.nextMeeting!.start).getTime()).toBeGreaterThan(Date.now());
    expect(g.nextMeeting!.myRsvp).toBeNull();
    expect(g.attendanceToRecord.total).toBe(1);
    expect(new Date(g.attendanceToRecord.items[0]!.start).getTime()).toBeLessThan(Date.now());
    expect(d.attendanceToRecordTotal).toBe(1);
    expect(d.member.total).toBe(0);
    // On orgB's waitlist: their own place is shown, but no count or name of orgB's group members.
    expect(d.waitlists.items).toEqual([{ group: { id: groupB.id, name: "Southside residents", slug: groupB.slug }, organisation: { id: orgB.id, name: orgB.name, slug: orgB.slug }, position: 2, offerExpiresAt: null }]);
    const text = JSON.stringify(d);
    expect(text).not.toContain("Nora");
    expect(text).not.toContain("Rafa");
    expect(text).not.toContain("Second year.");

    // Recording the attendance clears the nudge.
    const past = g.attendanceToRecord.items[0]!;
    const rec = await app.request(`/api/v1/orgs/${orgA.id}/groups/${groupA.id}/sessions/${encodeURIComponent(past.occurrenceStart)}/attendance`, { method: "PUT", cookie: leader.cookie, json: { entries: [{ userId: member.id, status: "present" }] } });
    expect(rec.status).toBe(200);
    const after = await dashboardOf(leader);
    expect(after.leading.items[0]!.attendanceToRecord.total).toBe(0);
    expect(after.attendanceToRecordTotal).toBe(0);
  });

  it("a leader of another organisation sees only their own group's counts", async () => {
    const d = await dashboardOf(ownerB);
    expect(d.leading.items.map((g) => g.id)).toEqual([groupB.id]);
    expect(d.leading.items[0]).toMatchObject({ activeMembers: 2, pendingRequests: 1, waitlistLength: 2 });
    expect(JSON.stringify(d)).not.toContain(groupA.id);
  });

  it("a member sees their groups with the next meeting, their answer and the agreement status", async () => {
    const d = await dashboardOf(member);
    expect(d.leading.total).toBe(0);
    expect(d.member.total).toBe(2);
    const a = d.member.items.find((g) => g.id === groupA.id)!;
    const b = d.member.items.find((g) => g.id === groupB.id)!;
    expect(a.agreementAccepted).toBe(true);
    expect(a.nextMeeting!.myRsvp).toBe("going");
    expect(a.nextMeeting!.meetingLink).toContain("meet.example.org");
    expect(b.agreementAccepted).toBe(false);
    expect(b.organisation.name).toBe("Southside Balint Circle");
    // No meeting link before the agreement.
    expect(b.nextMeeting!.meetingLink).toBeNull();
  });

  it("lists my requests waiting for the leaders and my waitlist places", async () => {
    const r = await dashboardOf(requester);
    expect(r.requests.items.map((x) => x.group.id)).toEqual([groupA.id]);
    expect(r.member.items.map((x) => x.id)).toEqual([groupB.id]);
    const w = await dashboardOf(waiting);
    expect(w.waitlists.total).toBe(2);
    expect(w.member.total + w.leading.total + w.requests.total).toBe(0);
  });

  it("is empty for someone without groups", async () => {
    const d = await dashboardOf(await signUp(app, { verified: true }));
    expect(d).toEqual({ leading: { items: [], total: 0 }, member: { items: [], total: 0 }, requests: { items: [], total: 0 }, waitlists: { items: [], total: 0 }, attendanceToRecordTotal: 0 });
  });

  it("caps lists but keeps the totals", async () => {
    const actor = { kind: "user" as const, userId: member.id, memberships: new Map([[orgA.id, "member" as const]]) };
    const d = await app.services.dashboard.forMe(actor, { limits: { member: 1 } });
    expect(d.member.items).toHaveLength(1);
    expect(d.member.total).toBe(2);
  });

  it("refuses API tokens (personal data, as /me/participation)", async () => {
    const created = await app.request("/api/v1/tokens", { method: "POST", cookie: leader.cookie, json: { name: "Script", organisationId: orgA.id, permissions: ["groups:read"], expiresInDays: 30 } });
    expect(created.status).toBe(201);
    const { token } = (await created.json()) as { token: string };
    const res = await app.request("/api/v1/me/dashboard", { token });
    expect(res.status).toBe(403);
  });

  it("is described in the OpenAPI document", async () => {
    const doc = (await (await app.request("/api/v1/openapi.json")).json()) as { paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    expect(doc.paths["/me/dashboard"] ?? doc.paths["/api/v1/me/dashboard"]).toBeDefined();
    expect(doc.components.schemas["Dashboard"]).toBeDefined();
  });
});

describe("/dashboard page", () => {
  it("sends signed-out visitors to sign in", async () => {
    const res = await app.request("/dashboard", { redirect: "manual" });
    expect([302, 303]).toContain(res.status);
    expect(res.headers.get("location")).toBe("/sign-in?redirectTo=%2Fdashboard");
  });

  it("shows a leader the groups they lead with links to manage them", async () => {
    const res = await app.request("/dashboard", { cookie: leader.cookie });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Groups I lead");
    expect(html).toContain(`href="/o/${orgA.slug}/groups/${groupA.id}"`);
    expect(html).toContain(`href="/o/${orgA.slug}/groups/${groupA.id}#pending-title"`);
    expect(html).toContain(`href="/o/${orgA.slug}/groups/${groupA.id}#waitlist-title"`);
    expect(html).toContain("1 of 8 seats taken");
    expect(html).toContain("On a waitlist");
    expect(html).not.toContain("My groups");
    // The header links to the dashboard.
    expect(html).toContain('href="/dashboard"');
  });

  it("shows the attendance nudge and links to the attendance form", async () => {
    const html = await (await app.request("/dashboard", { cookie: ownerB.cookie })).text();
    expect(html).toContain("waiting for attendance");
    expect(html).toMatch(new RegExp(`href="/sessions/${groupB.id}/[^"]+/attendance"`));
  });

  it("lets a member answer for the next meeting without JavaScript, with a note", async () => {
    const before = await dashboardOf(member);
    const next = before.member.items.find((g) => g.id === groupA.id)!.nextMeeting!;
    const page = await (await app.request("/dashboard", { cookie: member.cookie })).text();
    expect(page).toContain("My groups");
    expect(page).toContain("I can’t come");
    expect(page).toContain(`href="/groups/${orgB.slug}/${groupB.slug}#agreement-title"`);

    const res = await post("/dashboard", member.cookie, { orgId: orgA.id, groupId: groupA.id, start: next.occurrenceStart, status: "not_going", note: "On call that evening." });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Your answer is saved.");
    const [row] = await app.services.kernel.db.select().from(rsvp).where(and(eq(rsvp.groupId, groupA.id), eq(rsvp.userId, member.id)));
    expect(row).toMatchObject({ status: "not_going", note: "On call that evening." });
    const after = await dashboardOf(member);
    expect(after.member.items.find((g) => g.id === groupA.id)!.nextMeeting!.myRsvp).toBe("not_going");
    expect(await (await app.request("/dashboard", { cookie: member.cookie })).text()).toContain("I’m going after all");

    // Before the agreement, no answer; a bad start names the field; nothing is written.
    const refused = await post("/dashboard", member.cookie, { orgId: orgB.id, groupId: groupB.id, start: next.occurrenceStart, status: "not_going" });
    expect(refused.status).toBe(403);
    const bad = await post("/dashboard", member.cookie, { orgId: orgA.id, groupId: groupA.id, start: "2001-01-01T00:00:00.000Z", status: "going" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('href="#field-start"');
    const rows = await app.services.kernel.db.select().from(rsvp).where(eq(rsvp.userId, member.id));
    expect(rows).toHaveLength(1);
  });

  it("shows requests as waiting for the leaders", async () => {
    const html = await (await app.request("/dashboard", { cookie: requester.cookie })).text();
    expect(html).toContain("Waiting for the leaders");
    expect(html).toContain("Thursday clinicians");
  });

  it("points someone without groups to the directory, in Spanish too", async () => {
    const person = await signUp(app, { verified: true });
    const html = await (await app.request("/dashboard", { cookie: person.cookie })).text();
    expect(html).toContain("You are not in a group yet");
    expect(html).toContain('href="/groups"');
    const es = await (await app.request("/dashboard", { cookie: person.cookie, headers: { "accept-language": "es" } })).text();
    expect(es).toContain("Su panel");
    expect(es).toContain("Todavía no está en ningún grupo");
  });
});
