import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { isAppError } from "../../platform/http/errors.ts";
import { anonymousActor, type Actor } from "../../platform/policy/policy.ts";
import type { Role } from "../../platform/tenancy/schema.ts";
import { balintGroup, groupMembership } from "./schema.ts";

/** The groups pages, rendered by the real UI build and driven like a browser without JavaScript. */
type Person = Awaited<ReturnType<typeof signUp>>;

let app: TestApp;
let org: Awaited<ReturnType<typeof orgWithPerson>>["org"];
let owner: Person;
let leader: Person;

beforeAll(async () => {
  app = await createTestApp({ ui: true });
  ({ org, person: owner } = await orgWithPerson(app, "owner"));
  leader = await signUp(app, { verified: true, name: "Lena Leaderson" });
  await addMember(app, org.id, leader.id, "leader");
});
afterAll(async () => app?.close());

const page = (path: string, cookie?: string) => app.request(path, { ...(cookie ? { cookie } : {}), redirect: "manual" });
const post = (path: string, cookie: string, fields: Record<string, string> | URLSearchParams) =>
  app.request(path, { method: "POST", cookie, body: fields instanceof URLSearchParams ? fields : new URLSearchParams(fields), headers: { "content-type": "application/x-www-form-urlencoded" }, redirect: "manual" });

let seq = 0;
async function createGroup(overrides: Record<string, unknown> = {}) {
  seq += 1;
  const res = await app.request(`/api/v1/orgs/${org.id}/groups`, {
    method: "POST",
    cookie: owner.cookie,
    json: {
      name: `Quillon residents ${seq}`,
      description: "A standing Balint group for residents.",
      format: "hybrid",
      meetingLink: `https://meet.example.org/hidden-room-${seq}`,
      address: `${seq} Secret Street, Springfield`,
      languages: ["en"],
      disciplines: ["residents"],
      timeZone: "America/New_York",
      schedule: { rrule: "FREQ=MONTHLY;BYDAY=2WE;COUNT=8", dtstartLocal: "2030-01-09T19:00", durationMinutes: 90 },
      capacity: 10,
      leaders: [{ userId: leader.id, kind: "leader" }],
      ...overrides,
    },
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; slug: string; name: string };
}

const userActor = (p: Person, memberships: [string, Role][] = []): Actor => ({ kind: "user", userId: p.id, memberships: new Map(memberships) });

describe("publicGroupFor (the public page's read)", () => {
  it("tells the viewer where they stand and hides private groups from outsiders", async () => {
    const listed = await createGroup();
    const priv = await createGroup({ visibility: "private" });
    const svc = app.services.groups;
    const anon = anonymousActor;
    const view = await svc.publicGroupFor(anon, org.slug, listed.slug);
    expect(view.groupId).toBe(listed.id);
    expect(view.myStatus).toBe("none");
    expect(view.upcoming.length).toBeGreaterThan(0);
    expect(JSON.stringify(view)).not.toContain("hidden-room");
    expect(JSON.stringify(view)).not.toContain("Secret Street");
    expect(JSON.stringify(view)).not.toContain("Lena");
    await expect(svc.publicGroupFor(anon, org.slug, priv.slug)).rejects.toSatisfy((e) => isAppError(e) && e.code === "not_found");

    const stranger = await signUp(app, { verified: true });
    expect((await app.request(`/api/v1/orgs/${org.id}/groups/${listed.id}/join-requests`, { method: "POST", cookie: stranger.cookie, json: {} })).status).toBe(201);
    expect((await svc.publicGroupFor(userActor(stranger), org.slug, listed.slug)).myStatus).toBe("pending");
    expect((await svc.publicGroupFor(userActor(leader, [[org.id, "leader"]]), org.slug, priv.slug)).myStatus).toBe("leader");
    await expect(svc.publicGroupFor(userActor(stranger), org.slug, priv.slug)).rejects.toSatisfy((e) => isAppError(e) && e.code === "not_found");
  });
});

describe("the public directory", () => {
  it("renders without JavaScript with the filters applied, and never shows links, addresses or names", async () => {
    const online = await createGroup({ format: "online", address: null, name: "Quillon online evenings" });
    await createGroup({ format: "in_person", meetingLink: null, name: "Quillon in person mornings" });
    const html = await (await page(`/groups?organisationSlug=${org.slug}&format=online`)).text();
    expect(html).toContain("Quillon online evenings");
    expect(html).not.toContain("Quillon in person mornings");
    expect(html).toContain(`href="/groups/${org.slug}/${online.slug}"`);
    expect(html).toContain("Every 2nd Wednesday of the month");
    expect(html).not.toContain("hidden-room");
    expect(html).not.toContain("Secret Street");
    expect(html).not.toContain("Lena Leaderson");
    expect(html).toMatch(/Days and times are shown in <!-- -->UTC|Days and times are shown in UTC/);
    // Time of day is read in the viewer's zone: 19:00 in New York is evening there, night in Tokyo's morning.
    const ny = await (await page(`/groups?organisationSlug=${org.slug}&format=online&timeOfDay=evening&timeZone=America%2FNew_York`)).text();
    expect(ny).toContain("Quillon online evenings");
    const tokyoEvening = await (await page(`/groups?organisationSlug=${org.slug}&format=online&timeOfDay=evening&timeZone=Asia%2FTokyo`)).text();
    expect(tokyoEvening).not.toContain("Quillon online evenings");
    expect(tokyoEvening).toContain("No group matches all of these filters");
  });

  it("re-renders the form with the field at fault for a bad filter (400, not 500)", async () => {
    const res = await page(`/groups?weekday=XX&q=kept`);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('href="#field-weekday"');
    expect(html).toMatch(/id="field-weekday"[^>]*aria-invalid="true"/);
    expect(html).toContain('value="kept"');
  });
});

describe("the group page", () => {
  it("shows outsiders the group without its link, address or leaders' names, and asks them to sign in", async () => {
    const g = await createGroup();
    const res = await page(`/groups/${org.slug}/${g.slug}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(g.name);
    expect(html).not.toContain("hidden-room");
    expect(html).not.toContain("Secret Street");
    expect(html).not.toContain("Lena Leaderson");
    expect(html).toContain(`/sign-in?redirectTo=${encodeURIComponent(`/groups/${org.slug}/${g.slug}`)}`);
    const priv = await createGroup({ visibility: "private" });
    expect((await page(`/groups/${org.slug}/${priv.slug}`)).status).toBe(404);
    expect((await page(`/groups/${org.slug}/no-such-group`)).status).toBe(404);
  });

  it("request → approve → agreement → the meeting link only after the agreement", async () => {
    const g = await createGroup();
    const path = `/groups/${org.slug}/${g.slug}`;
    const joiner = await signUp(app, { verified: true, name: "Jo Joiner" });
    const tooLong = await post(path, joiner.cookie, { intent: "request", note: "x".repeat(281) });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.text()).toContain('href="#field-note"');
    const requested = await post(path, joiner.cookie, { intent: "request", note: "Second-year resident in family medicine." });
    expect(requested.status).toBe(200);
    expect(await (await page(path, joiner.cookie)).text()).toContain("You have asked to join this group");

    const manage = `/o/${org.slug}/groups/${g.id}`;
    const leaderView = await (await page(manage, leader.cookie)).text();
    expect(leaderView).toContain("Jo Joiner");
    expect(leaderView).toContain("Second-year resident in family medicine.");
    const approved = await post(manage, leader.cookie, { intent: "decide", userId: joiner.id, name: "Jo Joiner", decision: "approve" });
    expect(approved.status).toBe(200);
    expect(await approved.text()).toContain("Jo Joiner is now a member");

    const before = await (await page(path, joiner.cookie)).text();
    expect(before).toContain("The group agreement");
    expect(before).not.toContain("hidden-room");
    expect((await post(path, joiner.cookie, { intent: "agree" })).status).toBe(200);
    const after = await (await page(path, joiner.cookie)).text();
    expect(after).toContain(`https://meet.example.org/hidden-room-`);
    expect(after).toContain("Lena Leaderson");
    expect(after).not.toContain("The group agreement");
    const [row] = await app.services.kernel.db.select().from(groupMembership).where(and(eq(groupMembership.groupId, g.id), eq(groupMembership.userId, joiner.id)));
    expect(row?.agreementAcceptedAt).not.toBeNull();
  });

  it("tells a member who is not signed in to post nothing: signed-out posts go to sign in", async () => {
    const g = await createGroup();
    const res = await app.request(`/groups/${org.slug}/${g.slug}`, { method: "POST", body: new URLSearchParams({ intent: "request" }), headers: { "content-type": "application/x-www-form-urlencoded" }, redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toContain("/sign-in?redirectTo=");
  });
});

describe("creating a group from friendly fields", () => {
  const friendly = (overrides: Record<string, string> = {}) => {
    const body = new URLSearchParams({
      intent: "save",
      name: "Thursday nurses circle",
      slug: "",
      description: "For nurses.",
      format: "online",
      meetingLink: "https://meet.example.org/thursday",
      address: "",
      disciplines: "nursing, residents",
      timeZone: "Europe/Madrid",
      startDate: "2031-03-13",
      startTime: "18:30",
      frequency: "fortnightly",
      meetings: "6",
      duration: "90",
      firstDuration: "120",
      capacity: "8",
      ceCredit: "1.5 hours per meeting",
      visibility: "listed",
      joinPolicy: "request",
      [`leader:${leader.id}`]: "leader",
      ...overrides,
    });
    body.append("languages", "es");
    body.append("languages", "en");
    return body;
  };

  it("turns the friendly fields into a valid group (RRULE built for the person)", async () => {
    const res = await post(`/o/${org.slug}/groups/new`, owner.cookie, friendly());
    expect(res.status).toBe(302);
    const location = res.headers.get("location") ?? "";
    expect(location).toMatch(new RegExp(`^/o/${org.slug}/groups/[0-9a-f-]{36}\\?created=1$`));
    const id = location.split("/").at(-1)!.split("?")[0]!;
    const [row] = await app.services.kernel.db.select().from(balintGroup).where(eq(balintGroup.id, id));
    expect(row).toMatchObject({ rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;COUNT=6", dtstartLocal: "2031-03-13T18:30", durationMinutes: 90, firstDurationMinutes: 120, capacity: 8, timeZone: "Europe/Madrid", slug: "thursday-nurses-circle" });
    expect([...row!.languages].sort()).toEqual(["en", "es"]);
    const html = await (await page(location, owner.cookie)).text();
    expect(html).toContain("Every other Thursday");
  });

  it("maps the service's field errors back onto the friendly fields", async () => {
    const res = await post(`/o/${org.slug}/groups/new`, owner.cookie, friendly({ name: "Broken duration group", duration: "10", capacity: "40" }));
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('href="#field-capacity"');
    expect(html).toMatch(/<a href="#field-capacity">Places(<!-- -->)?:/);
    expect(html).toContain('value="Broken duration group"');
    const monthly = await post(`/o/${org.slug}/groups/new`, owner.cookie, friendly({ name: "Bad schedule group", duration: "10" }));
    expect(monthly.status).toBe(400);
    const monthlyHtml = await monthly.text();
    expect(monthlyHtml).toContain('href="#field-duration"');
    expect(monthlyHtml).toMatch(/<a href="#field-duration">Length of a meeting \(minutes\)(<!-- -->)?:/);
    expect(monthlyHtml).not.toContain('href="#field-schedule');
  });

  it("refuses the create page to people who cannot manage groups", async () => {
    expect((await page(`/o/${org.slug}/groups/new`, leader.cookie)).status).toBe(403);
    const outsider = await signUp(app, { verified: true });
    expect((await page(`/o/${org.slug}/groups`, outsider.cookie)).status).toBe(404);
    const list = await (await page(`/o/${org.slug}/groups`, owner.cookie)).text();
    expect(list).toContain("Thursday nurses circle");
  });
});

describe("editing a group whose rule the simple choices cannot express", () => {
  it("shows the RRULE as it is in the advanced field, keeps it when saved, and names the field when it is invalid", async () => {
    const rrule = "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=-1;UNTIL=20301231T235959Z";
    const g = await createGroup({ schedule: { rrule, dtstartLocal: "2030-01-29T19:00", durationMinutes: 90 } });
    const path = `/o/${org.slug}/groups/${g.id}`;
    const html = await (await page(`${path}?edit=1`, owner.cookie)).text();
    expect(html).toContain(`value="${rrule}"`);
    expect(html).toContain('name="frequency" checked="" value="custom"');
    expect(html).toContain("Advanced: recurrence rule");
    // Posting the edit form as shown (what a browser sends) keeps the rule.
    const fields = new URLSearchParams({
      intent: "save",
      name: g.name,
      description: "A standing Balint group for residents.",
      format: "hybrid",
      meetingLink: "https://meet.example.org/kept",
      address: "1 Secret Street, Springfield",
      disciplines: "residents",
      timeZone: "America/New_York",
      startDate: "2030-01-29",
      startTime: "19:00",
      frequency: "custom",
      meetings: "",
      rrule,
      duration: "90",
      firstDuration: "",
      capacity: "10",
      ceCredit: "",
      visibility: "listed",
      joinPolicy: "request",
      [`leader:${leader.id}`]: "leader",
    });
    fields.append("languages", "en");
    const saved = await post(path, owner.cookie, fields);
    expect(saved.status).toBe(200);
    const [row] = await app.services.kernel.db.select().from(balintGroup).where(eq(balintGroup.id, g.id));
    expect(row).toMatchObject({ rrule, meetingLink: "https://meet.example.org/kept" });
    // An invalid rule: 400, the error on the advanced field, nothing written.
    fields.set("rrule", "FREQ=SOMETIMES;COUNT=3");
    const bad = await post(path, owner.cookie, fields);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('href="#field-rrule"');
    const [after] = await app.services.kernel.db.select().from(balintGroup).where(eq(balintGroup.id, g.id));
    expect(after!.rrule).toBe(rrule);
  });
});
