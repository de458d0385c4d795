// Marking a supervised session by picking it (no JavaScript): the candidate's held meetings they led
// or co-led, most recent first, a page at a time, in the organisation's time zone; the choice marks
// it; a meeting of another group or organisation is refused naming the field. The REST API still
// takes ids. Groups and who led are inserted directly (the sessions slice records them).
// Needs the UI build: `flock /tmp/bc-build.lock npx react-router build`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, createOrganisation, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { organisation } from "../../platform/tenancy/schema.ts";
import { balintGroup } from "../groups/schema.ts";
import { sessionLeader } from "../sessions/schema.ts";
import { supervisedSession, supervision } from "./supervision-schema.ts";

type Person = Awaited<ReturnType<typeof signUp>>;
let app: TestApp;
let org: { id: string; slug: string };
let cam: Person;
let sara: Person;
let other: Person;
let supervisionId: string;
let tuesday: string;
let thursday: string;
let foreignGroup: string;
const DAY = 86_400_000;
// 22 weekly meetings Cam led in the Tuesday group, the newest on 2026-06-30 (UTC 17:00 = 19:00 in Madrid).
const NEWEST = Date.parse("2026-06-30T17:00:00.000Z");
const tuesdayStarts = Array.from({ length: 22 }, (_, i) => new Date(NEWEST - i * 7 * DAY).toISOString());
const THURSDAY_LED_BY_OTHER = "2026-06-25T17:00:00.000Z";
const FOREIGN_LED = "2026-06-26T17:00:00.000Z";
const NOT_LED = "2026-06-24T17:00:00.000Z";

const page = (cookie: string, query = "") => app.request(`/accreditation/supervision?org=${org.slug}${query}`, { cookie });
const mark = (cookie: string, meeting: string) => {
  const body = new URLSearchParams({ orgId: org.id, intent: "markSession", id: supervisionId, meeting });
  return app.request(`/accreditation/supervision?org=${org.slug}`, { method: "POST", cookie, headers: { "content-type": "application/x-www-form-urlencoded" }, body, redirect: "manual" });
};
const optionValues = (html: string) => [...html.matchAll(/<option value="([^"]+\|[^"]+)"/g)].map((m) => m[1]!);

beforeAll(async () => {
  app = await createTestApp({ ui: true });
  const db = app.services.kernel.db;
  const made = await orgWithPerson(app, "owner");
  org = made.org;
  await db.update(organisation).set({ timeZone: "Europe/Madrid" }).where(eq(organisation.id, org.id));
  cam = await signUp(app, { verified: true, name: "Cam Candidate" });
  sara = await signUp(app, { verified: true, name: "Sara Super" });
  other = await signUp(app, { verified: true, name: "Olga Other" });
  await addMember(app, org.id, cam.id, "leader");
  await addMember(app, org.id, sara.id, "supervisor");
  await addMember(app, org.id, other.id, "leader");
  const group = async (organisationId: string, slug: string, name: string) => {
    const [g] = await db
      .insert(balintGroup)
      .values({ organisationId, slug, name, format: "online", languages: ["en"], timeZone: "Europe/Madrid", rrule: "FREQ=WEEKLY", dtstartLocal: "2026-01-06T19:00", durationMinutes: 90, localStartMinute: 1140, lastMeetingEndsAt: new Date("2027-01-01T00:00:00Z") })
      .returning();
    return g!.id;
  };
  tuesday = await group(org.id, "tuesday", "Tuesday group");
  thursday = await group(org.id, "thursday", "Thursday group");
  const elsewhere = await createOrganisation(app, { name: "Elsewhere" });
  await addMember(app, elsewhere.id, cam.id, "leader");
  foreignGroup = await group(elsewhere.id, "abroad", "Foreign group");
  await db.insert(sessionLeader).values(tuesdayStarts.map((s, i) => ({ groupId: tuesday, occurrenceStart: new Date(s), userId: cam.id, kind: i === 0 ? ("leader" as const) : ("co_leader" as const), led: true })));
  await db.insert(sessionLeader).values([
    // Recorded as a leader who did not lead that day: not offered.
    { groupId: tuesday, occurrenceStart: new Date(NOT_LED), userId: cam.id, kind: "co_leader", led: false },
    // A future meeting (a record ahead of time would still not be a held meeting).
    { groupId: tuesday, occurrenceStart: new Date(Date.now() + 30 * DAY), userId: cam.id, kind: "leader", led: true },
    // Someone else's meeting in the same organisation, and Cam's meeting in another organisation.
    { groupId: thursday, occurrenceStart: new Date(THURSDAY_LED_BY_OTHER), userId: other.id, kind: "leader", led: true },
    { groupId: foreignGroup, occurrenceStart: new Date(FOREIGN_LED), userId: cam.id, kind: "leader", led: true },
  ]);
  const [s] = await db.insert(supervision).values({ organisationId: org.id, candidateUserId: cam.id, supervisorUserId: sara.id, status: "active", startedAt: new Date("2026-01-01T00:00:00Z") }).returning();
  supervisionId = s!.id;
}, 120_000);
afterAll(async () => app?.close());

describe("the supervised-session picker", () => {
  it("lists the meetings the candidate led, most recent first, in the organisation's time zone, 20 a page", async () => {
    const res = await page(cam.cookie);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Meeting you led or co-led");
    expect(html).toContain("Europe/Madrid");
    expect(html).not.toMatch(/name="groupId"/);
    const values = optionValues(html);
    expect(values).toEqual(tuesdayStarts.slice(0, 20).map((s) => `${tuesday}|${s}`));
    // 17:00 UTC on 30 June is 19:00 in Madrid; the newest is the one Cam led alone.
    const first = new RegExp(`<option value="${tuesday}\\|${tuesdayStarts[0]}">Tuesday group: Tue, Jun 30, 2026, 07:00[\\s\u202f]PM \\(leader\\)</option>`);
    expect(html).toMatch(first);
    expect(html).toContain("(co-leader)");
    for (const never of [NOT_LED, THURSDAY_LED_BY_OTHER, FOREIGN_LED]) expect(html).not.toContain(never);
    // The older page: the remaining two, and a way back.
    const older = /href="([^"]*meetingsBefore=[^"]+)"[^>]*>Older meetings</.exec(html);
    expect(older).not.toBeNull();
    const href = older![1]!.replace(/&amp;/g, "&");
    const html2 = await (await app.request(href.startsWith("?") ? `/accreditation/supervision${href}` : href, { cookie: cam.cookie })).text();
    expect(optionValues(html2)).toEqual(tuesdayStarts.slice(20).map((s) => `${tuesday}|${s}`));
    expect(html2).toContain("Most recent meetings");
    expect(html2).not.toContain("Older meetings");
    // A cursor that is not one: 400.
    expect((await page(cam.cookie, "&meetingsBefore=yesterday")).status).toBe(400);
  });

  it("marks the meeting chosen, which then leaves the list and waits for the supervisor", async () => {
    const chosen = tuesdayStarts[1]!;
    const res = await mark(cam.cookie, `${tuesday}|${chosen}`);
    expect(res.status).toBe(200);
    const rows = await app.services.kernel.db.select().from(supervisedSession).where(and(eq(supervisedSession.candidateUserId, cam.id), eq(supervisedSession.groupId, tuesday)));
    expect(rows.map((r) => [r.occurrenceStart.toISOString(), r.status, r.supervisionId])).toEqual([[chosen, "pending", supervisionId]]);
    const values = optionValues(await (await page(cam.cookie)).text());
    expect(values).not.toContain(`${tuesday}|${chosen}`);
    expect(values).toHaveLength(20); // the next older one moved up
    expect(await (await page(sara.cookie)).text()).toContain("1 session to confirm");
    // The same meeting again (a stale page): 409, naming the field.
    const again = await mark(cam.cookie, `${tuesday}|${chosen}`);
    expect(again.status).toBe(409);
    expect(await again.text()).toMatch(/href="#field-meeting">meeting(<!-- -->)?: (<!-- -->)?Already counted\./);
  });

  it("refuses a meeting of another group or organisation, or no meeting, naming the field", async () => {
    for (const [meeting, status] of [
      [`${thursday}|${THURSDAY_LED_BY_OTHER}`, 400], // same organisation, Cam did not lead it
      [`${foreignGroup}|${FOREIGN_LED}`, 400], // Cam led it, in another organisation
      [`${tuesday}|${NOT_LED}`, 400], // recorded, but did not lead
      [`${tuesday}|not-a-date`, 400],
      ["", 400],
    ] as const) {
      const res = await mark(cam.cookie, meeting);
      expect(res.status, meeting).toBe(status);
      const html = await res.text();
      expect(html, meeting).toMatch(/href="#field-meeting">meeting(<!-- -->)?: /);
      expect(html).toContain('id="field-meeting"');
    }
    const rows = await app.services.kernel.db.select().from(supervisedSession).where(eq(supervisedSession.candidateUserId, cam.id));
    expect(rows).toHaveLength(1);
  });

  it("keeps the REST API on ids, and lists the same options there; only for the candidate", async () => {
    const base = `/api/v1/orgs/${org.id}/accreditation/supervision/${supervisionId}`;
    const list = await app.request(`${base}/led-meetings?limit=2`, { cookie: cam.cookie });
    expect(list.status).toBe(200);
    const body = (await list.json()) as { items: Array<{ groupId: string; occurrenceStart: string; groupName: string; value: string }>; nextBefore: string | null; timeZone: string };
    expect(body.timeZone).toBe("Europe/Madrid");
    expect(body.items.map((i) => i.occurrenceStart)).toEqual([tuesdayStarts[0], tuesdayStarts[2]]);
    expect(body.nextBefore).toBe(`${tuesdayStarts[2]}_${tuesday}`);
    expect((await app.request(`${base}/led-meetings`, { cookie: sara.cookie })).status).toBe(403);
    const bad = await app.request(`${base}/led-meetings?before=soon`, { cookie: cam.cookie });
    expect(bad.status).toBe(400);
    const created = await app.request(`${base}/sessions`, { method: "POST", cookie: cam.cookie, json: { groupId: tuesday, occurrenceStart: tuesdayStarts[0] } });
    expect(created.status).toBe(201);
    const foreign = await app.request(`${base}/sessions`, { method: "POST", cookie: cam.cookie, json: { groupId: foreignGroup, occurrenceStart: FOREIGN_LED } });
    expect(foreign.status).toBe(400);
    expect(((await foreign.json()) as { error: { fields: Array<{ path: string }> } }).error.fields.map((f) => f.path)).toEqual(["occurrenceStart"]);
  });
});
