import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import type { Actor } from "../../platform/policy/policy.ts";
import { groupMembership } from "../groups/schema.ts";
import { feedbackAnswer } from "./schema.ts";

// Needs the UI build (the test runner builds it when sources changed).
type Person = Awaited<ReturnType<typeof signUp>>;
let app: TestApp;
let orgId: string;
let slug: string;
let leader: Person;
let members: Person[] = [];
let absentee: Person;
let groupId: string;
let yesterday: Date;

const post = (path: string, cookie: string, fields: [string, string][]) =>
  app.request(path, { method: "POST", cookie, headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields), redirect: "manual" });

beforeAll(async () => {
  app = await createTestApp({ ui: true });
  const { org, person: owner } = await orgWithPerson(app, "owner");
  orgId = org.id;
  slug = org.slug;
  leader = await signUp(app, { verified: true, name: "Lena Leader" });
  await addMember(app, org.id, leader.id, "leader");
  for (let i = 0; i < 3; i++) {
    const m = await signUp(app, { verified: true, name: `Member ${i}` });
    await addMember(app, org.id, m.id, "member");
    members.push(m);
  }
  absentee = await signUp(app, { verified: true, name: "Abel Absent" });
  await addMember(app, org.id, absentee.id, "member");
  const today = new Date();
  const first = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - 5, 9, 0));
  yesterday = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - 1, 9, 0));
  const res = await app.request(`/api/v1/orgs/${org.id}/groups`, {
    method: "POST",
    cookie: owner.cookie,
    json: { name: "Thursday clinicians", description: "A group.", format: "online", meetingLink: "https://meet.example.org/th", languages: ["en"], timeZone: "UTC", schedule: { rrule: "FREQ=DAILY;COUNT=20", dtstartLocal: first.toISOString().slice(0, 16), durationMinutes: 60 }, capacity: 10, leaders: [{ userId: leader.id, kind: "leader" }] },
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  groupId = ((await res.json()) as { id: string }).id;
  await app.services.kernel.db.insert(groupMembership).values([...members, absentee].map((m) => ({ groupId, userId: m.id, status: "active" as const, term: 1, agreementAcceptedAt: new Date() })));
  const leadActor: Actor = { kind: "user", userId: leader.id, memberships: new Map([[org.id, "leader"]]) };
  await app.services.sessions.recordAttendance(leadActor, org.id, groupId, yesterday.toISOString(), { entries: [...members.map((m) => ({ userId: m.id, status: "present" })), { userId: absentee.id, status: "absent" }] }, {});
});
afterAll(async () => app?.close());

describe("feedback pages", () => {
  const page = () => `/feedback/${groupId}/${encodeURIComponent(yesterday.toISOString())}`;
  const fields = (extra: [string, string][] = []): [string, string][] => [["safeToSpeak", "5"], ["feltHeard", "4"], ["seeDifferently", "3"], ["values", "empathy"], ["values", "hope"], ...extra];

  it("shows the form with fieldsets, legends and labelled scale points", async () => {
    const res = await app.request(page(), { cookie: members[0]!.cookie });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("How was this meeting?");
    expect(html).toContain("<legend>I felt safe to speak</legend>");
    expect(html).toContain("Completely");
    expect(html).toContain("About the meeting, never the case");
    expect((html.match(/type="radio"/g) ?? []).length).toBe(15);
  });

  it("works without JavaScript: warns about identifiers, sends anyway, thanks, then says already answered", async () => {
    const count = async () => (await app.services.kernel.db.select().from(feedbackAnswer)).length;
    const n = await count();
    const warned = await post(page(), members[0]!.cookie, fields([["comment", "We discussed Mrs Delacroix at length."]]));
    expect(warned.status).toBe(422);
    const html = await warned.text();
    expect(html).toContain("Your comment may identify someone");
    expect(html).toContain("Send anyway");
    expect(html).toContain("Delacroix");
    expect(await count()).toBe(n);
    const sent = await post(page(), members[0]!.cookie, fields([["comment", "We discussed Mrs Delacroix at length."], ["confirmComment", "1"]]));
    expect(sent.status).toBe(302);
    const thanks = await app.request(sent.headers.get("location")!, { cookie: members[0]!.cookie });
    expect(await thanks.text()).toContain("Thank you");
    expect(await count()).toBe(n + 1);
    const again = await app.request(page(), { cookie: members[0]!.cookie });
    expect(await again.text()).toContain("You have already answered");
    const twice = await post(page(), members[0]!.cookie, fields());
    expect(twice.status).toBe(409);
  });

  it("explains why someone cannot answer", async () => {
    const absent = await app.request(page(), { cookie: absentee.cookie });
    expect(await absent.text()).toContain("Only members recorded present");
    const lead = await app.request(page(), { cookie: leader.cookie });
    expect(await lead.text()).toContain("Leaders are not asked");
    const old = new Date(yesterday.getTime() - 4 * 86_400_000);
    const closedOrAbsent = await app.request(`/feedback/${groupId}/${encodeURIComponent(old.toISOString())}`, { cookie: members[1]!.cookie });
    expect(closedOrAbsent.status).toBe(200);
    const missing = await app.request(`/feedback/${groupId}/not-a-date`, { cookie: members[1]!.cookie });
    expect(missing.status).toBe(404);
  });

  it("shows leaders the thresholds and no count while answers are gathered; members get 404", async () => {
    const res = await app.request(`/o/${slug}/groups/${groupId}/feedback`, { cookie: leader.cookie });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Feedback: Thursday clinicians");
    expect(html).toContain("at least 5 answers");
    expect(html).toContain("No bin has closed yet");
    const member = await app.request(`/o/${slug}/groups/${groupId}/feedback`, { cookie: members[1]!.cookie });
    expect(member.status).toBe(404);
    expect(orgId).toBeTruthy();
  });
});
