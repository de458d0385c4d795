import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { auditEvent } from "../../platform/audit/schema.ts";
import { balintGroup } from "../groups/schema.ts";
import { sessionLeader } from "../sessions/schema.ts";
import { accreditationCandidate, accreditationPathway, accreditationPathwayVersion } from "./schema.ts";
import { application, supervision, supervisionMeeting, supervisorReport } from "./supervision-schema.ts";
import { supervisionHistory, supervisionHistoryRecords } from "./supervision.service.server.ts";

// Supervision, reports, applications and committee review through the REST API. Pathways,
// candidates, groups and who led a meeting are inserted directly (their own slices test them).
type Person = Awaited<ReturnType<typeof signUp>>;
let app: TestApp;
let org: { id: string; slug: string };
let owner: Person;
let supervisor: Person;
let supervisor2: Person;
let candidate: Person;
let bystander: Person;
let chair: Person;
let reviewer: Person;
let outsider: Person;
let otherOrg: { id: string };
let groupId: string;
let candidacyId: string;
const LED_AT = "2026-02-02T18:00:00.000Z";

const api = (path: string, who: Person, init: { method?: string; json?: unknown } = {}) =>
  app.request(`/api/v1${path}`, { method: init.method ?? (init.json !== undefined ? "POST" : "GET"), cookie: who.cookie, ...(init.json !== undefined ? { json: init.json } : {}) });
const sup = (path = "") => `/orgs/${org.id}/accreditation/supervision${path}`;
const acc = (path = "") => `/orgs/${org.id}/accreditation${path}`;
async function errorOf(res: Response) {
  return ((await res.json()) as { error: { code: string; fields?: Array<{ path: string }> } }).error;
}

beforeAll(async () => {
  app = await createTestApp();
  const a = await orgWithPerson(app, "owner");
  org = a.org;
  owner = a.person;
  const b = await orgWithPerson(app, "owner");
  otherOrg = b.org;
  outsider = b.person;
  const mk = async (role: "supervisor" | "member" | "coordinator", name: string) => {
    const p = await signUp(app, { verified: true, name });
    await addMember(app, org.id, p.id, role);
    return p;
  };
  supervisor = await mk("supervisor", "Sara Super");
  supervisor2 = await mk("supervisor", "Tom Tight");
  candidate = await mk("member", "Cam Candidate");
  bystander = await mk("member", "Bea Bystander");
  chair = await mk("coordinator", "Chris Chair");
  reviewer = await mk("supervisor", "Rae Reviewer");
  const db = app.services.kernel.db;
  const [g] = await db
    .insert(balintGroup)
    .values({ organisationId: org.id, slug: "tuesday", name: "Tuesday group", format: "online", languages: ["en"], timeZone: "UTC", rrule: "FREQ=WEEKLY", dtstartLocal: "2026-01-05T18:00", durationMinutes: 90, localStartMinute: 1080, lastMeetingEndsAt: new Date("2027-01-01T00:00:00Z") })
    .returning();
  groupId = g!.id;
  await db.insert(sessionLeader).values({ groupId, occurrenceStart: new Date(LED_AT), userId: candidate.id, kind: "co_leader", led: true });
  const [pw] = await db.insert(accreditationPathway).values({ organisationId: org.id, key: "leader", name: "Balint group leader" }).returning();
  const [v] = await db
    .insert(accreditationPathwayVersion)
    .values({ pathwayId: pw!.id, organisationId: org.id, version: 2, status: "published", definition: { title: "Leader", requirements: [{ id: "sup", kind: "supervised_sessions", label: "Supervised", minCount: 1 }, { id: "attended", kind: "sessions_attended", label: "Attended", minCount: 50 }] } })
    .returning();
  const [c] = await db.insert(accreditationCandidate).values({ organisationId: org.id, pathwayId: pw!.id, pathwayVersionId: v!.id, userId: candidate.id }).returning();
  candidacyId = c!.id;
}, 60_000);

afterAll(async () => {
  await app?.close();
});

let supervisionId: string;

describe("supervisors list and agreement", () => {
  it("lets supervisors opt in, refuses members and bad input", async () => {
    expect((await api(sup("/supervisors/me"), candidate, { method: "PUT", json: { capacity: 2, languages: ["en"], mode: "online" } })).status).toBe(403);
    const bad = await api(sup("/supervisors/me"), supervisor, { method: "PUT", json: { capacity: -1, languages: ["english!"], mode: "zoom" } });
    expect(bad.status).toBe(400);
    const paths = (await errorOf(bad)).fields!.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["capacity", "languages.0", "mode"]));
    const ok = await api(sup("/supervisors/me"), supervisor, { method: "PUT", json: { capacity: 1, languages: ["en", "es"], feeText: "USD 900 a year", mode: "both" } });
    expect(ok.status).toBe(200);
    expect((await api(sup("/supervisors/me"), supervisor2, { method: "PUT", json: { capacity: 0, languages: ["en"], mode: "online" } })).status).toBe(200);
    const list = (await (await api(sup("/supervisors"), candidate)).json()) as { items: Array<{ userId: string; capacity: number; taken: number; feeText: string }> };
    expect(list.items.find((s) => s.userId === supervisor.id)).toMatchObject({ capacity: 1, taken: 0, feeText: "USD 900 a year" });
  });

  it("outsiders get 404 everywhere", async () => {
    expect((await api(sup("/supervisors"), outsider)).status).toBe(404);
    expect((await api(sup("/requests"), outsider, { json: { supervisorUserId: supervisor.id } })).status).toBe(404);
    expect((await api(`/orgs/${otherOrg.id}/accreditation/supervision/supervisors`, candidate)).status).toBe(404);
  });

  it("asks, refuses full or unlisted supervisors and duplicates", async () => {
    expect((await api(sup("/requests"), candidate, { json: { supervisorUserId: supervisor2.id } })).status).toBe(409); // capacity 0
    const unlisted = await api(sup("/requests"), candidate, { json: { supervisorUserId: bystander.id } });
    expect(unlisted.status).toBe(400);
    expect((await errorOf(unlisted)).fields![0]!.path).toBe("supervisorUserId");
    expect((await api(sup("/requests"), candidate, { json: {} })).status).toBe(400);
    const res = await api(sup("/requests"), candidate, { json: { supervisorUserId: supervisor.id } });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; status: string };
    expect(body.status).toBe("requested");
    supervisionId = body.id;
    expect((await api(sup("/requests"), candidate, { json: { supervisorUserId: supervisor.id } })).status).toBe(409);
  });

  it("records both acceptances of the terms and fee text, in order", async () => {
    expect((await api(sup(`/${supervisionId}/accept`), candidate, { json: {} })).status).toBe(409); // nothing proposed yet
    expect((await api(sup(`/${supervisionId}/propose`), candidate, { json: { termsText: "Monthly", feeText: "none" } })).status).toBe(403);
    expect((await api(sup(`/${supervisionId}/propose`), bystander, { json: { termsText: "Monthly", feeText: "none" } })).status).toBe(404);
    expect((await api(sup(`/${supervisionId}/propose`), supervisor, { json: { termsText: "", feeText: "none" } })).status).toBe(400);
    const p = await api(sup(`/${supervisionId}/propose`), supervisor, { json: { termsText: "Monthly meetings for two years; reports every six months.", feeText: "USD 900 a year" } });
    expect(p.status).toBe(200);
    expect((await api(sup(`/${supervisionId}/accept`), supervisor, { json: {} })).status).toBe(403);
    const a = await api(sup(`/${supervisionId}/accept`), candidate, { json: {} });
    expect(a.status).toBe(200);
    const body = (await a.json()) as { status: string; termsText: string; feeText: string; supervisorAcceptedAt: string; candidateAcceptedAt: string };
    expect(body).toMatchObject({ status: "active", feeText: "USD 900 a year" });
    expect(body.supervisorAcceptedAt && body.candidateAcceptedAt).toBeTruthy();
    const [row] = await app.services.kernel.db.select().from(supervision).where(eq(supervision.id, supervisionId));
    expect(row!.candidateAcceptedByUserId).toBe(candidate.id);
    expect(row!.supervisorAcceptedByUserId).toBe(supervisor.id);
    expect((await api(sup(`/${supervisionId}`), bystander)).status).toBe(404);
    expect((await api(sup(`/${supervisionId}`), owner)).status).toBe(200); // coordinators and above read
    // Tenancy: the id under another organisation (where the caller IS a member) is not found.
    expect((await api(`/orgs/${otherOrg.id}/accreditation/supervision/${supervisionId}`, outsider)).status).toBe(404);
    expect((await api(`/orgs/${otherOrg.id}/accreditation/supervision/${supervisionId}/reports`, outsider, { json: { periodStart: "2026-01-01", periodEnd: "2026-01-02", ratings: {}, narrative: "x" } })).status).toBe(404);
  });
});

describe("meetings and supervised sessions", () => {
  let meetingId: string;
  it("logs a meeting that counts only once the other side confirms it", async () => {
    const bad = await api(sup(`/${supervisionId}/meetings`), candidate, { json: { heldOn: "2026-02-30", minutes: 2, mode: "zoom" } });
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).fields!.map((f) => f.path)).toEqual(expect.arrayContaining(["heldOn", "minutes", "mode"]));
    expect((await api(sup(`/${supervisionId}/meetings`), candidate, { json: { heldOn: "2999-01-01", minutes: 60, mode: "online" } })).status).toBe(400);
    const today = new Date().toISOString().slice(0, 10);
    const res = await api(sup(`/${supervisionId}/meetings`), candidate, { json: { heldOn: today, minutes: 60, mode: "online" } });
    expect(res.status).toBe(201);
    meetingId = ((await res.json()) as { meetings: Array<{ id: string }> }).meetings[0]!.id;
    expect((await api(sup(`/${supervisionId}/meetings`), supervisor, { json: { heldOn: today, minutes: 50, mode: "online" } })).status).toBe(409);
    expect((await supervisionHistory(app.services.kernel.db, org.id, candidate.id)).meetings).toHaveLength(0);
    expect((await api(sup(`/meetings/${meetingId}/decision`), candidate, { json: { confirm: true } })).status).toBe(403); // not your own
    expect((await api(sup(`/meetings/${meetingId}/decision`), bystander, { json: { confirm: true } })).status).toBe(404);
    const queue = (await (await api(sup("/queue"), supervisor)).json()) as { meetingsToConfirm: Array<{ meetingId: string }> };
    expect(queue.meetingsToConfirm.map((m) => m.meetingId)).toEqual([meetingId]);
    expect((await api(sup(`/meetings/${meetingId}/decision`), supervisor, { json: { confirm: "yes" } })).status).toBe(400);
    expect((await api(sup(`/meetings/${meetingId}/decision`), supervisor, { json: { confirm: true } })).status).toBe(200);
    expect((await api(sup(`/meetings/${meetingId}/decision`), supervisor, { json: { confirm: false } })).status).toBe(409);
    const history = await supervisionHistory(app.services.kernel.db, org.id, candidate.id);
    expect(history.meetingsPerYear).toEqual({ [today.slice(0, 4)]: 1 });
  });

  it("marks a led session as supervised once, confirmed by the supervisor only", async () => {
    const notLed = await api(sup(`/${supervisionId}/sessions`), candidate, { json: { groupId, occurrenceStart: "2026-02-09T18:00:00.000Z" } });
    expect(notLed.status).toBe(400);
    expect((await errorOf(notLed)).fields![0]!.path).toBe("occurrenceStart");
    expect((await api(sup(`/${supervisionId}/sessions`), candidate, { json: { groupId: "nope", occurrenceStart: "x" } })).status).toBe(400);
    expect((await api(sup(`/${supervisionId}/sessions`), supervisor, { json: { groupId, occurrenceStart: LED_AT } })).status).toBe(403);
    const res = await api(sup(`/${supervisionId}/sessions`), candidate, { json: { groupId, occurrenceStart: LED_AT } });
    expect(res.status).toBe(201);
    const sessionId = ((await res.json()) as { supervisedSessions: Array<{ id: string }> }).supervisedSessions[0]!.id;
    expect((await api(sup(`/${supervisionId}/sessions`), candidate, { json: { groupId, occurrenceStart: LED_AT } })).status).toBe(409); // counted twice
    expect((await api(sup(`/sessions/${sessionId}/decision`), candidate, { json: { confirm: true } })).status).toBe(403);
    expect((await api(sup(`/sessions/${sessionId}/decision`), supervisor, { json: { confirm: true } })).status).toBe(200);
    const records = await supervisionHistoryRecords(app.services.kernel.db, org.id, candidate.id);
    expect(records).toContainEqual({ type: "supervised", id: `session:${groupId}:${LED_AT}`, at: LED_AT });
  });
});

describe("supervisor reports", () => {
  const ratings = { boundaries: 3, safety: 4, protecting_the_presenter: 3, group_process: 2, confidentiality: 4 };
  it("refuses a report by someone who is not the supervisor, with nothing written", async () => {
    const input = { periodStart: "2026-01-01", periodEnd: "2026-06-30", ratings, narrative: "Holds the frame well." };
    expect((await api(sup(`/${supervisionId}/reports`), candidate, { json: input })).status).toBe(403);
    expect((await api(sup(`/${supervisionId}/reports`), reviewer, { json: input })).status).toBe(404);
    expect((await api(sup(`/${supervisionId}/reports`), outsider, { json: input })).status).toBe(404);
    expect(await app.services.kernel.db.select().from(supervisorReport)).toHaveLength(0);
  });

  it("checks ratings against the competency list and the narrative for identifiers", async () => {
    const base = { periodStart: "2026-01-01", periodEnd: "2026-06-30", narrative: "Holds the frame well." };
    const missing = await api(sup(`/${supervisionId}/reports`), supervisor, { json: { ...base, ratings: { boundaries: 3, safety: 9, extra: 1 } } });
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).fields!.map((f) => f.path)).toEqual(expect.arrayContaining(["ratings.extra", "ratings.safety", "ratings.group_process"]));
    const period = await api(sup(`/${supervisionId}/reports`), supervisor, { json: { ...base, ratings, periodEnd: "2025-01-01" } });
    expect((await errorOf(period)).fields![0]!.path).toBe("periodEnd");
    const named = { ...base, ratings, narrative: "Discussed the patient John Smith, born 12/03/1961, MRN 88123455." };
    const warned = await api(sup(`/${supervisionId}/reports`), supervisor, { json: named });
    expect(warned.status).toBe(400);
    expect((await errorOf(warned)).fields![0]!.path).toBe("narrative");
    expect(await app.services.kernel.db.select().from(supervisorReport)).toHaveLength(0);
    const ok = await api(sup(`/${supervisionId}/reports`), supervisor, { json: { ...base, ratings } });
    expect(ok.status).toBe(201);
    const mine = (await (await api(sup("/reports"), candidate)).json()) as { items: Array<{ ratings: Record<string, number>; narrative: string }> };
    expect(mine.items).toHaveLength(1);
    expect(mine.items[0]!.ratings).toEqual(ratings);
    expect(((await (await api(sup("/reports"), bystander)).json()) as { items: unknown[] }).items).toHaveLength(0);
    const history = await supervisionHistory(app.services.kernel.db, org.id, candidate.id);
    expect(history.latestReport?.ratings).toEqual(ratings);
  });

  it("lists reports due in the supervisor's queue", async () => {
    const db = app.services.kernel.db;
    await db.update(supervision).set({ startedAt: new Date("2025-01-01T00:00:00Z") }).where(eq(supervision.id, supervisionId));
    await db.update(supervisorReport).set({ submittedAt: new Date("2025-02-01T00:00:00Z") }).where(eq(supervisorReport.supervisionId, supervisionId));
    const queue = (await (await api(sup("/queue"), supervisor)).json()) as { reportsDue: Array<{ supervisionId: string; dueOn: string }> };
    expect(queue.reportsDue).toEqual([expect.objectContaining({ supervisionId, dueOn: "2025-08-01" })]);
    const candidateQueue = (await (await api(sup("/queue"), candidate)).json()) as { reportsDue: unknown[] };
    expect(candidateQueue.reportsDue).toHaveLength(0);
  });
});

describe("application and committee decision", () => {
  let applicationId: string;
  it("seats a committee (owners/admins only, one chair, eligible roles)", async () => {
    expect((await api(acc("/committee"), chair, { method: "PUT", json: { userId: chair.id, role: "chair" } })).status).toBe(403);
    expect((await api(acc("/committee"), owner, { method: "PUT", json: { userId: candidate.id, role: "member" } })).status).toBe(400); // a member's role cannot
    expect((await api(acc("/committee"), owner, { method: "PUT", json: { userId: outsider.id, role: "member" } })).status).toBe(400);
    expect((await api(acc("/committee"), owner, { method: "PUT", json: { userId: chair.id, role: "chair" } })).status).toBe(200);
    expect((await api(acc("/committee"), owner, { method: "PUT", json: { userId: reviewer.id, role: "chair" } })).status).toBe(409);
    expect((await api(acc("/committee"), owner, { method: "PUT", json: { userId: reviewer.id, role: "member" } })).status).toBe(200);
  });

  it("requires an explanation when requirements are not met, then snapshots the application", async () => {
    const none = await api(acc("/applications"), candidate, { json: { candidateId: candidacyId } });
    expect(none.status).toBe(400);
    expect((await errorOf(none)).fields![0]!.path).toBe("explanation");
    expect((await api(acc("/applications"), bystander, { json: { candidateId: candidacyId, explanation: "x" } })).status).toBe(404); // someone else's
    expect((await api(acc("/applications"), candidate, { json: { candidateId: "not-a-uuid" } })).status).toBe(400);
    const res = await api(acc("/applications"), candidate, { json: { candidateId: candidacyId, explanation: "My supervisor recommends applying at the spring intensive." } });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; status: string; pathwayVersion: number; requirementsMet: boolean };
    expect(body).toMatchObject({ status: "submitted", pathwayVersion: 2, requirementsMet: false });
    // The snapshot is the core's evaluation at application: the supervised session counts, attendance does not.
    const snap = ((await (await api(acc(`/applications/${body.id}`), candidate)).json()) as { progressSnapshot: { requirements: Array<{ id: string; done: number; met: boolean }> } }).progressSnapshot;
    expect(snap.requirements.find((r) => r.id === "sup")).toMatchObject({ done: 1, met: true });
    expect(snap.requirements.find((r) => r.id === "attended")).toMatchObject({ met: false });
    applicationId = body.id;
    expect((await api(acc("/applications"), candidate, { json: { candidateId: candidacyId, explanation: "again" } })).status).toBe(409);
    const [c] = await app.services.kernel.db.select().from(accreditationCandidate).where(eq(accreditationCandidate.id, candidacyId));
    expect(c!.status).toBe("applied");
  });

  it("enforces the order and who may act", async () => {
    const decide = { decision: "approve", reasons: "Meets the competencies." };
    expect((await api(acc(`/applications/${applicationId}/decision`), chair, { json: decide })).status).toBe(409); // no reviewers yet
    expect((await api(acc(`/applications/${applicationId}/recommendation`), reviewer, { json: { recommendation: "approve", comments: "Good." } })).status).toBe(409);
    expect((await api(acc("/reviews"), bystander)).status).toBe(403);
    expect((await api(acc("/reviews"), supervisor)).status).toBe(403); // has the permission, not the seat
    expect((await api(acc("/reviews"), outsider)).status).toBe(404);
    expect((await api(acc(`/applications/${applicationId}/reviewers`), reviewer, { json: { reviewerUserIds: [reviewer.id] } })).status).toBe(403); // not the chair
    const notSeated = await api(acc(`/applications/${applicationId}/reviewers`), chair, { json: { reviewerUserIds: [supervisor.id] } });
    expect(notSeated.status).toBe(400);
    expect((await errorOf(notSeated)).fields![0]!.path).toBe("reviewerUserIds.0");
    expect((await api(acc(`/applications/${applicationId}/reviewers`), chair, { json: { reviewerUserIds: [] } })).status).toBe(400);
    expect((await api(acc(`/applications/${applicationId}/reviewers`), chair, { json: { reviewerUserIds: [reviewer.id] } })).status).toBe(200);
    expect((await api(acc(`/applications/${applicationId}/decision`), chair, { json: decide })).status).toBe(409); // awaiting the recommendation
    expect((await api(acc(`/applications/${applicationId}/recommendation`), chair, { json: { recommendation: "approve", comments: "Good." } })).status).toBe(403); // not assigned
    expect((await api(acc(`/applications/${applicationId}/recommendation`), reviewer, { json: { recommendation: "maybe", comments: "" } })).status).toBe(400);
    expect((await api(acc(`/applications/${applicationId}/recommendation`), reviewer, { json: { recommendation: "approve", comments: "Safe, attentive leading in every report." } })).status).toBe(200);
    expect((await api(acc(`/applications/${applicationId}/recommendation`), reviewer, { json: { recommendation: "decline", comments: "Changed my mind." } })).status).toBe(409);
    // A decision by a non-member of the committee.
    expect((await api(acc(`/applications/${applicationId}/decision`), supervisor, { json: decide })).status).toBe(403);
    expect((await api(acc(`/applications/${applicationId}/decision`), candidate, { json: decide })).status).toBe(403);
    expect((await api(acc(`/applications/${applicationId}/decision`), outsider, { json: decide })).status).toBe(404);
    expect((await api(acc(`/applications/${applicationId}/decision`), reviewer, { json: decide })).status).toBe(403); // member, not chair
    expect((await api(acc(`/applications/${applicationId}/decision`), chair, { json: { decision: "yes", reasons: "" } })).status).toBe(400);
    const [row] = await app.services.kernel.db.select().from(application).where(eq(application.id, applicationId));
    expect(row!.status).toBe("in_review");
  });

  it("records the decision, emails the candidate, audits every step", async () => {
    const res = await api(acc(`/applications/${applicationId}/decision`), chair, { json: { decision: "approve", reasons: "Meets every competency at level 3 or above." } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { status: string; decision: string }).decision).toBe("approve");
    expect((await api(acc(`/applications/${applicationId}/decision`), chair, { json: { decision: "decline", reasons: "No." } })).status).toBe(409);
    const mail = await app.waitForMail(candidate.email, /accreditation application: approved/);
    const decided = (await (await api(acc(`/applications/${applicationId}`), chair)).json()) as { credentialId: string | null; reviewers: Array<{ recommendation: string }> };
    expect(decided.credentialId).toBeTruthy(); // the credentials slice issued on approval
    expect(decided.reviewers.map((r) => r.recommendation)).toEqual(["approve"]);
    expect(mail.text).toContain("Meets every competency");
    const [c] = await app.services.kernel.db.select().from(accreditationCandidate).where(eq(accreditationCandidate.id, candidacyId));
    expect(c!.status).toBe("accredited");
    const mine = (await (await api(acc(`/applications/${applicationId}`), candidate)).json()) as { reviewers: unknown[]; decisionReasons: string };
    expect(mine.reviewers).toEqual([]); // reviewers' comments are the committee's
    expect(mine.decisionReasons).toContain("level 3");
    expect((await api(acc(`/applications/${applicationId}`), bystander)).status).toBe(404);
    expect((await api(`/orgs/${otherOrg.id}/accreditation/applications/${applicationId}`, outsider)).status).toBe(404);
    expect((await api(`/orgs/${otherOrg.id}/accreditation/applications/${applicationId}/decision`, outsider, { json: { decision: "decline", reasons: "x" } })).status).toBe(403); // not on THEIR committee either
    const actions = (await app.services.kernel.db.select({ action: auditEvent.action }).from(auditEvent).where(and(eq(auditEvent.organisationId, org.id), eq(auditEvent.targetId, applicationId)))).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["accreditation_application.submitted", "accreditation_application.reviewers_assigned", "accreditation_application.recommended", "accreditation_application.decided"]));
    expect((await app.services.kernel.db.select().from(supervisionMeeting)).length).toBe(1);
  });
});
