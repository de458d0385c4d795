// Led meetings in accreditation follow the sessions slice's rule of "took place" (its
// `participationOf`): the supervised-session picker, marking a supervised session and the core's
// counting of led and supervised sessions. A meeting cancelled afterwards, moved into the future,
// or moved back (restored) into a pause has not taken place; a meeting held before a pause was
// added has. The meetings are recorded through the sessions service, as the leaders would.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import type { Actor } from "../../platform/policy/policy.ts";
import { groupMembership } from "../groups/schema.ts";
import { accreditationCandidate, accreditationPathway, accreditationPathwayVersion } from "./schema.ts";
import { supervision } from "./supervision-schema.ts";

type Person = Awaited<ReturnType<typeof signUp>>;
let app: TestApp;
let org: { id: string };
let owner: Person;
let cam: Person; // candidate, leads the group
let sara: Person; // supervisor
let member: Person;
let groupId: string;
let supervisionId: string;
let candidacyId: string;

const DAY = 86_400_000;
// A weekly group at 19:00 UTC, 12 meetings: w(7) was 4 days ago, w(8) is in 3 days.
const today = new Date();
const base = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - 53, 19, 0, 0));
const w = (k: number) => new Date(base.getTime() + k * 7 * DAY).toISOString();
const dayOf = (iso: string) => iso.slice(0, 10);
const at19 = (offsetDays: number) => new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + offsetDays, 19, 0, 0)).toISOString();

const leaderActor = (): Actor => ({ kind: "user", userId: cam.id, memberships: new Map([[org.id, "leader"]]) });
const supBase = () => `/api/v1/orgs/${org.id}/accreditation/supervision`;
const offered = async () => {
  const res = await app.request(`${supBase()}/${supervisionId}/led-meetings?limit=100`, { cookie: cam.cookie });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Array<{ occurrenceStart: string; groupId: string }> }).items.filter((i) => i.groupId === groupId).map((i) => i.occurrenceStart);
};
const mark = (occurrenceStart: string) => app.request(`${supBase()}/${supervisionId}/sessions`, { method: "POST", cookie: cam.cookie, json: { groupId, occurrenceStart } });
async function markAndConfirm(occurrenceStart: string) {
  const res = await mark(occurrenceStart);
  expect(res.status, occurrenceStart).toBe(201);
  const body = (await res.json()) as { supervisedSessions: Array<{ id: string; occurrenceStart: string }> };
  const id = body.supervisedSessions.find((s) => s.occurrenceStart === occurrenceStart)!.id;
  expect((await app.request(`${supBase()}/sessions/${id}/decision`, { method: "POST", cookie: sara.cookie, json: { confirm: true } })).status).toBe(200);
}
const done = async () => {
  const { evaluation } = await app.services.accreditation.progressOf(org.id, candidacyId);
  const of = (id: string) => evaluation.requirements.find((r) => r.id === id)!.done;
  return { led: of("led"), supervised: of("sup") };
};
const fieldOf = async (res: Response) => ((await res.json()) as { error: { fields?: Array<{ path: string }> } }).error.fields?.map((f) => f.path);

beforeAll(async () => {
  app = await createTestApp();
  ({ org, person: owner } = await orgWithPerson(app, "owner"));
  cam = await signUp(app, { verified: true, name: "Cam Candidate" });
  sara = await signUp(app, { verified: true, name: "Sara Super" });
  member = await signUp(app, { verified: true, name: "Mara Member" });
  await addMember(app, org.id, cam.id, "leader");
  await addMember(app, org.id, sara.id, "supervisor");
  await addMember(app, org.id, member.id, "member");
  const res = await app.request(`/api/v1/orgs/${org.id}/groups`, {
    method: "POST",
    cookie: owner.cookie,
    json: {
      name: "Weekly group",
      description: "A standing Balint group.",
      format: "online",
      meetingLink: "https://meet.example.org/weekly",
      languages: ["en"],
      timeZone: "UTC",
      schedule: { rrule: "FREQ=WEEKLY;COUNT=12", dtstartLocal: base.toISOString().slice(0, 16), durationMinutes: 90 },
      capacity: 10,
      leaders: [{ userId: cam.id, kind: "leader" }],
    },
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  groupId = ((await res.json()) as { id: string }).id;
  const db = app.services.kernel.db;
  await db.insert(groupMembership).values({ groupId, userId: member.id, status: "active", term: 1, agreementAcceptedAt: new Date() });
  const [s] = await db.insert(supervision).values({ organisationId: org.id, candidateUserId: cam.id, supervisorUserId: sara.id, status: "active", startedAt: new Date(base) }).returning();
  supervisionId = s!.id;
  const [pw] = await db.insert(accreditationPathway).values({ organisationId: org.id, key: "leader", name: "Balint group leader" }).returning();
  const [v] = await db
    .insert(accreditationPathwayVersion)
    .values({
      pathwayId: pw!.id,
      organisationId: org.id,
      version: 1,
      status: "published",
      definition: {
        title: "Leader",
        requirements: [
          { id: "led", kind: "sessions_led", label: "Led", minCount: 20, roles: ["leader", "co_leader"] },
          { id: "sup", kind: "supervised_sessions", label: "Supervised", minCount: 10 },
        ],
      },
    })
    .returning();
  const [c] = await db.insert(accreditationCandidate).values({ organisationId: org.id, pathwayId: pw!.id, pathwayVersionId: v!.id, userId: cam.id }).returning();
  candidacyId = c!.id;
}, 60_000);
afterAll(async () => app?.close());

describe("led meetings that took place", () => {
  it("offers and counts only meetings that took place as the schedule now stands", async () => {
    const sessions = app.services.sessions;
    const present = { entries: [{ userId: member.id, status: "present" as const }] };
    const ledNow = async () => (await sessions.participationOf(cam.id)).led.filter((l) => l.groupId === groupId).map((l) => l.occurrenceStart).sort();
    // w(9) and w(10) (in 10 and 17 days) are brought forward to two days ago and yesterday, and held there.
    await sessions.reschedule(leaderActor(), org.id, groupId, w(9), { start: at19(-2) });
    await sessions.reschedule(leaderActor(), org.id, groupId, w(10), { start: at19(-1) });
    for (const k of [1, 2, 3, 4, 5, 6, 9, 10]) await sessions.recordAttendance(leaderActor(), org.id, groupId, w(k), present);
    for (const k of [2, 3, 9]) await markAndConfirm(w(k));
    expect(await ledNow()).toEqual([1, 2, 3, 4, 5, 6, 9, 10].map(w));
    // Offered: held, led and not marked yet (a meeting brought forward only once its own date has come), newest first.
    expect(await offered()).toEqual([w(6), w(5), w(4), w(1)]);
    // The evaluator counts a meeting at its own date: w(9) and w(10) are not counted yet.
    expect(await done()).toEqual({ led: 6, supervised: 2 });

    // Afterwards: w(2) and w(4) are cancelled; a pause covers w(3)..w(5), which were held before it;
    // w(6) is moved into the future; a pause covers the own dates of w(9) and w(10) and their moves
    // are taken back, so they are on their own dates again — ahead, inside the pause.
    await sessions.cancel(leaderActor(), org.id, groupId, w(2), {});
    await sessions.cancel(leaderActor(), org.id, groupId, w(4), {});
    await sessions.pause(leaderActor(), org.id, groupId, { startDate: dayOf(w(3)), endDate: dayOf(w(5)) });
    await sessions.reschedule(leaderActor(), org.id, groupId, w(6), { start: at19(1) });
    await sessions.pause(leaderActor(), org.id, groupId, { startDate: dayOf(w(9)), endDate: dayOf(w(10)) });
    await sessions.restore(leaderActor(), org.id, groupId, w(9));
    await sessions.restore(leaderActor(), org.id, groupId, w(10));

    // The held-then-paused w(5) is still offered; the cancelled w(4) and the moved w(6) are not.
    expect(await offered()).toEqual([w(5), w(1)]);
    // Led: w(1), w(3), w(5). Supervised: only w(3) (w(2) was cancelled afterwards).
    expect(await done()).toEqual({ led: 3, supervised: 1 });
    // The sessions rule: w(9) and w(10) no longer took place either.
    expect(await ledNow()).toEqual([1, 3, 5].map(w));

    // Marking one that no longer took place is refused, naming the field (the REST route takes ids),
    // though each still has its record of who led it.
    for (const start of [w(4), w(6), w(10)]) {
      const res = await mark(start);
      expect(res.status, start).toBe(400);
      expect(await fieldOf(res)).toEqual(["occurrenceStart"]);
    }
    // The held-then-paused one can still be marked.
    expect((await mark(w(5))).status).toBe(201);
    expect(await offered()).toEqual([w(1)]);
  });
});
