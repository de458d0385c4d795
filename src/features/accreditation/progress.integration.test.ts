// The accreditation core end to end through the REST API: pathways and versions, enrolment, counts
// from real session / debrief / event records, evidence (identifier check, double counting, another
// person's candidacy, uploads with type sniffing and size limits, verify / reject audited), the
// portfolio PDF and tenancy. Runs on PGlite and on PostgreSQL (TEST_DB=postgres).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { auditEvent } from "../../platform/audit/schema.ts";
import { debriefCompletion } from "../debrief/schema.ts";
import { event, eventDay, eventSession } from "../events/schema.ts";
import { eventCheckin } from "../events/roster-schema.ts";
import { attendance, sessionLeader } from "../sessions/schema.ts";
import { accreditationCandidateVersionMove, accreditationEvidence } from "./schema.ts";
import { supervision } from "./supervision-schema.ts";

type Person = Awaited<ReturnType<typeof signUp>>;
let app: TestApp;
let org: { id: string };
let coordinator: Person;
let cand: Person; // the candidate (a leader)
let other: Person; // another member of the organisation
let supervisor: Person; // supervises the candidate (an active supervision)
let otherSupervisor: Person; // supervises nobody here
let outsider: Person; // owner of another organisation
let groupId: string;
let pathwayId: string;
let candidateId: string;

const DAY = 86_400_000;
const base = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() - 10, 19, 0, 0));
const meeting = (k: number) => new Date(base.getTime() + k * DAY);
const api = (path: string) => `/api/v1/orgs/${org.id}/accreditation${path}`;
const PDF = new Uint8Array([...new TextEncoder().encode("%PDF-1.4\n%"), 0, 0xe2, 0xe3, 0xcf, 0xd3, ...new TextEncoder().encode("\ntrailer << >>\n%%EOF\n")]);

const definition = (minLed: number) => ({
  title: "Leader (test)",
  requirements: [
    { id: "attend", kind: "sessions_attended", label: "Attend 2 sessions", minCount: 2 },
    { id: "lead", kind: "sessions_led", label: "Lead 4 sessions", minCount: minLed },
    { id: "debriefs", kind: "debriefs_completed", label: "Debrief 2", minCount: 2 },
    { id: "intensives", kind: "events_attended", label: "Two intensives", kinds: ["intensive"], minCount: 2 },
    { id: "member", kind: "membership_in_good_standing", label: "Member" },
    { id: "portfolio", kind: "verified_item", label: "Portfolio accepted" },
  ],
});

async function progress(p: Person = cand) {
  const res = await app.request(api(`/candidates/${candidateId}`), { cookie: p.cookie });
  expect(res.status).toBe(200);
  return (await res.json()) as { version: number; evaluation: { met: boolean; requirements: { id: string; done: number; required: number; met: boolean }[] }; evidence: { id: string; status: string }[] };
}
const done = async (id: string) => (await progress()).evaluation.requirements.find((r) => r.id === id)!.done;
const addEvidence = (json: unknown, p: Person = cand, cid = () => candidateId) => app.request(api(`/candidates/${cid()}/evidence`), { method: "POST", cookie: p.cookie, json });
function upload(bytes: Uint8Array, fields: Record<string, string>, p: Person = cand) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set("file", new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "application/pdf" }), "certificate.pdf");
  return app.request(api(`/candidates/${candidateId}/evidence`), { method: "POST", cookie: p.cookie, body: form });
}
const evidenceCount = async () => (await app.services.kernel.db.select().from(accreditationEvidence).where(eq(accreditationEvidence.candidateId, candidateId))).length;

beforeAll(async () => {
  app = await createTestApp();
  const a = await orgWithPerson(app, "owner");
  org = a.org;
  coordinator = await signUp(app, { verified: true, name: "Coco Coordinator" });
  await addMember(app, org.id, coordinator.id, "coordinator");
  cand = await signUp(app, { verified: true, name: "Cam Candidate" });
  await addMember(app, org.id, cand.id, "leader");
  other = await signUp(app, { verified: true, name: "Olly Other" });
  await addMember(app, org.id, other.id, "member");
  supervisor = await signUp(app, { verified: true, name: "Sue Supervisor" });
  await addMember(app, org.id, supervisor.id, "supervisor");
  otherSupervisor = await signUp(app, { verified: true, name: "Otto Supervisor" });
  await addMember(app, org.id, otherSupervisor.id, "supervisor");
  await app.services.kernel.db.insert(supervision).values({ organisationId: org.id, candidateUserId: cand.id, supervisorUserId: supervisor.id, status: "active" });
  ({ person: outsider } = await orgWithPerson(app, "owner"));
  const res = await app.request(`/api/v1/orgs/${org.id}/groups`, {
    method: "POST",
    cookie: a.person.cookie,
    json: {
      name: "Accreditation group",
      description: "A standing Balint group.",
      format: "online",
      meetingLink: "https://meet.example.org/acc",
      languages: ["en"],
      timeZone: "UTC",
      schedule: { rrule: "FREQ=DAILY;COUNT=20", dtstartLocal: base.toISOString().slice(0, 16), durationMinutes: 90 },
      capacity: 10,
      leaders: [{ userId: a.person.id, kind: "leader" }, { userId: cand.id, kind: "co_leader" }],
    },
  });
  if (res.status !== 201) throw new Error(`group: ${res.status} ${await res.text()}`);
  groupId = ((await res.json()) as { id: string }).id;
}, 60_000);
afterAll(async () => app?.close());

describe("pathways", () => {
  it("installs the three examples, published and marked as examples", async () => {
    expect((await app.request(api("/pathways/examples"), { method: "POST", cookie: other.cookie })).status).toBe(403);
    const res = await app.request(api("/pathways/examples"), { method: "POST", cookie: coordinator.cookie });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { created: string[] }).created).toHaveLength(3);
    const again = await app.request(api("/pathways/examples"), { method: "POST", cookie: coordinator.cookie });
    expect(((await again.json()) as { created: string[] }).created).toHaveLength(0);
    const list = (await (await app.request(api("/pathways"), { cookie: other.cookie })).json()) as { items: { key: string; published: { definition: { example?: { note: string } } } }[] };
    expect(list.items.map((i) => i.key).sort()).toEqual(["abs-leader", "bsanz-leader", "uk-leader-pre-2023"]);
    for (const i of list.items) expect(i.published.definition.example?.note).toMatch(/check against the society's current rules/);
  });

  it("validates definitions naming the field, keeps drafts from members, publishes", async () => {
    const bad = await app.request(api("/pathways"), { method: "POST", cookie: coordinator.cookie, json: { key: "test-leader", name: "Test", definition: { title: "T", requirements: [{ id: "x", kind: "sessions_led", label: "L", minCount: 0 }] } } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("definition.requirements.0.minCount");
    const res = await app.request(api("/pathways"), { method: "POST", cookie: coordinator.cookie, json: { key: "test-leader", name: "Test leader", definition: definition(4) } });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; versionId: string; status: string };
    expect(created.status).toBe("draft");
    pathwayId = created.id;
    const dup = await app.request(api("/pathways"), { method: "POST", cookie: coordinator.cookie, json: { key: "test-leader", name: "Again", definition: definition(4) } });
    expect(dup.status).toBe(409);
    const memberView = (await (await app.request(api("/pathways"), { cookie: other.cookie })).json()) as { items: { id: string }[] };
    expect(memberView.items.some((i) => i.id === pathwayId)).toBe(false);
    expect((await app.request(api("/candidates"), { method: "POST", cookie: cand.cookie, json: { pathwayId } })).status).toBe(404);
    const pub = await app.request(api(`/pathways/${pathwayId}/versions/${created.versionId}/publish`), { method: "POST", cookie: coordinator.cookie });
    expect(pub.status).toBe(200);
    expect((await app.request(api(`/pathways/${pathwayId}/versions/${created.versionId}/publish`), { method: "POST", cookie: coordinator.cookie })).status).toBe(409);
  });
});

describe("candidates and automatic records", () => {
  it("enrols once", async () => {
    const res = await app.request(api("/candidates"), { method: "POST", cookie: cand.cookie, json: { pathwayId } });
    expect(res.status).toBe(201);
    candidateId = ((await res.json()) as { id: string }).id;
    expect((await app.request(api("/candidates"), { method: "POST", cookie: cand.cookie, json: { pathwayId } })).status).toBe(409);
    expect((await app.request(api("/candidates"), { method: "POST", cookie: outsider.cookie, json: { pathwayId } })).status).toBe(404);
  });

  it("counts attendance, leading, debriefs, event check-ins and membership from the real tables", async () => {
    expect(await done("lead")).toBe(0);
    expect(await done("member")).toBe(1);
    const db = app.services.kernel.db;
    await db.insert(attendance).values([0, 1].map((k) => ({ groupId, occurrenceStart: meeting(k), userId: cand.id, status: "present" as const })));
    await db.insert(attendance).values({ groupId, occurrenceStart: meeting(2), userId: cand.id, status: "absent" });
    await db.insert(sessionLeader).values([3, 4, 5].map((k) => ({ groupId, occurrenceStart: meeting(k), userId: cand.id, kind: "co_leader" as const })));
    await db.insert(sessionLeader).values({ groupId, occurrenceStart: meeting(6), userId: cand.id, kind: "co_leader", led: false });
    await db.insert(debriefCompletion).values([3, 4].map((k) => ({ groupId, occurrenceStart: meeting(k), userId: cand.id })));
    const [ev] = await db.insert(event).values({ organisationId: org.id, kind: "intensive", slug: "acc-intensive", title: "Intensive", language: "en", timeZone: "UTC", format: "in_person", venue: "Hall", capacity: 20, ceHours: 8, status: "published" }).returning();
    const [day] = await db.insert(eventDay).values({ eventId: ev!.id, date: base.toISOString().slice(0, 10) }).returning();
    await db.insert(eventSession).values({ eventId: ev!.id, dayId: day!.id, kind: "experiential_group", title: "Group", startsAt: new Date(base.getTime() - 8 * 3600_000), endsAt: new Date(base.getTime() - 4 * 3600_000) });
    await db.insert(eventCheckin).values({ eventId: ev!.id, dayId: day!.id, userId: cand.id });
    const p = await progress();
    const by = Object.fromEntries(p.evaluation.requirements.map((r) => [r.id, [r.done, r.required, r.met]]));
    expect(by).toMatchObject({ attend: [2, 2, true], lead: [3, 4, false], debriefs: [2, 2, true], intensives: [1, 2, false], member: [1, 1, true], portfolio: [0, 1, false] });
    expect(p.evaluation.met).toBe(false);
  });

  it("stays on its version when a newer one is published; a recorded move changes it", async () => {
    const draft = await app.request(api(`/pathways/${pathwayId}/draft`), { method: "PUT", cookie: coordinator.cookie, json: { definition: definition(3) } });
    expect(draft.status).toBe(200);
    const v2 = (await draft.json()) as { id: string; version: number };
    expect(v2.version).toBe(2);
    expect((await app.request(api(`/pathways/${pathwayId}/versions/${v2.id}/publish`), { method: "POST", cookie: coordinator.cookie })).status).toBe(200);
    const before = await progress();
    expect(before.version).toBe(1);
    expect(before.evaluation.requirements.find((r) => r.id === "lead")).toMatchObject({ required: 4, met: false });
    expect((await app.request(api(`/candidates/${candidateId}/move`), { method: "POST", cookie: cand.cookie, json: { versionId: v2.id } })).status).toBe(403);
    const moved = await app.request(api(`/candidates/${candidateId}/move`), { method: "POST", cookie: coordinator.cookie, json: { versionId: v2.id } });
    expect(moved.status).toBe(200);
    const after = await progress();
    expect(after.version).toBe(2);
    expect(after.evaluation.requirements.find((r) => r.id === "lead")).toMatchObject({ required: 3, met: true });
    const moves = await app.services.kernel.db.select().from(accreditationCandidateVersionMove).where(eq(accreditationCandidateVersionMove.candidateId, candidateId));
    expect(moves).toHaveLength(1);
  });
});

describe("evidence", () => {
  let externalId: string;

  it("refuses evidence for another person's candidacy (404, or 403 for a coordinator)", async () => {
    const body = { kind: "event_attended", eventKind: "intensive", description: "Intensive held elsewhere", occurredOn: "2025-05-01" };
    expect((await addEvidence(body, other)).status).toBe(404);
    expect((await addEvidence(body, outsider)).status).toBe(404);
    expect((await addEvidence(body, coordinator)).status).toBe(403);
    expect((await app.request(api(`/candidates/${candidateId}`), { cookie: other.cookie })).status).toBe(404);
    expect(await evidenceCount()).toBe(0);
  });

  it("warns about identifiers unless acknowledged, validates fields", async () => {
    const res = await addEvidence({ kind: "verified_item", requirementId: "portfolio", description: "Portfolio, call 555 214 7788 or mrs.smith@example.org", occurredOn: "2026-01-10" });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { findings: unknown[] }).findings.length).toBeGreaterThan(0);
    const bad = await addEvidence({ kind: "verified_item", description: "Portfolio", occurredOn: "2026-13-45" });
    expect(bad.status).toBe(400);
    const text = JSON.stringify(await bad.json());
    expect(text).toContain("occurredOn");
    expect(text).toContain("requirementId");
    expect((await addEvidence({ kind: "verified_item", requirementId: "no-such", description: "Portfolio", occurredOn: "2026-01-10" })).status).toBe(400);
    expect(await evidenceCount()).toBe(0);
  });

  it("counts evidence only once verified; verification is audited", async () => {
    const res = await addEvidence({ kind: "event_attended", eventKind: "intensive", description: "Intensive held elsewhere", occurredOn: "2025-05-01", hours: 16 });
    expect(res.status).toBe(201);
    externalId = ((await res.json()) as { id: string; status: string }).id;
    expect(await done("intensives")).toBe(1);
    const queue = (await (await app.request(api("/evidence"), { cookie: supervisor.cookie })).json()) as { items: { id: string }[] };
    expect(queue.items.map((i) => i.id)).toContain(externalId);
    expect((await app.request(api("/evidence"), { cookie: other.cookie })).status).toBe(403);
    // A supervisor who does not supervise this candidate sees nothing of them and cannot decide.
    const otherQueue = (await (await app.request(api("/evidence"), { cookie: otherSupervisor.cookie })).json()) as { items: { id: string }[] };
    expect(otherQueue.items).toEqual([]);
    expect((await app.request(api(`/evidence/${externalId}/decision`), { method: "POST", cookie: otherSupervisor.cookie, json: { decision: "verify" } })).status).toBe(404);
    expect((await app.request(api(`/candidates/${candidateId}`), { cookie: otherSupervisor.cookie })).status).toBe(404);
    expect((await app.request(api(`/evidence/${externalId}/decision`), { method: "POST", cookie: other.cookie, json: { decision: "verify" } })).status).toBe(404);
    const ok = await app.request(api(`/evidence/${externalId}/decision`), { method: "POST", cookie: supervisor.cookie, json: { decision: "verify" } });
    expect(ok.status).toBe(200);
    expect(await done("intensives")).toBe(2);
    expect((await app.request(api(`/evidence/${externalId}/decision`), { method: "POST", cookie: coordinator.cookie, json: { decision: "reject", reason: "late" } })).status).toBe(409);
    const audits = await app.services.kernel.db.select().from(auditEvent).where(and(eq(auditEvent.action, "accreditation.evidence_verified"), eq(auditEvent.targetId, externalId)));
    expect(audits).toHaveLength(1);
    expect(audits[0]!.actorUserId).toBe(supervisor.id);
  });

  it("refuses the same session or item counted twice (409)", async () => {
    // Meeting 3 is already counted automatically as led.
    const same = await addEvidence({ kind: "session_led", description: "Co-led this meeting", occurredOn: meeting(3).toISOString().slice(0, 10), groupId, occurrenceStart: meeting(3).toISOString() });
    expect(same.status).toBe(409);
    // Meeting 7 is not: once as evidence is fine, twice is not.
    const first = await addEvidence({ kind: "session_led", description: "Co-led this meeting", occurredOn: meeting(7).toISOString().slice(0, 10), groupId, occurrenceStart: meeting(7).toISOString() });
    expect(first.status).toBe(201);
    const second = await addEvidence({ kind: "session_led", description: "Again", occurredOn: meeting(7).toISOString().slice(0, 10), groupId, occurrenceStart: meeting(7).toISOString() });
    expect(second.status).toBe(409);
    const again = await addEvidence({ kind: "event_attended", eventKind: "intensive", description: "Intensive held  elsewhere", occurredOn: "2025-05-01" });
    expect(again.status).toBe(409);
  });

  it("rejects with a reason only, audited; a rejected item may be added again", async () => {
    const res = await addEvidence({ kind: "supervision_meeting", description: "Supervision meeting", occurredOn: "2026-02-01" });
    expect(res.status).toBe(201);
    const id = ((await res.json()) as { id: string }).id;
    const noReason = await app.request(api(`/evidence/${id}/decision`), { method: "POST", cookie: coordinator.cookie, json: { decision: "reject" } });
    expect(noReason.status).toBe(400);
    expect(JSON.stringify(await noReason.json())).toContain("reason");
    const rej = await app.request(api(`/evidence/${id}/decision`), { method: "POST", cookie: coordinator.cookie, json: { decision: "reject", reason: "No record from the supervisor" } });
    expect(rej.status).toBe(200);
    expect(((await rej.json()) as { status: string; reason: string }).reason).toBe("No record from the supervisor");
    const audits = await app.services.kernel.db.select().from(auditEvent).where(and(eq(auditEvent.action, "accreditation.evidence_rejected"), eq(auditEvent.targetId, id)));
    expect(audits).toHaveLength(1);
    expect(JSON.stringify(audits[0]!.details)).not.toContain("supervisor");
    expect((await addEvidence({ kind: "supervision_meeting", description: "Supervision meeting", occurredOn: "2026-02-01" })).status).toBe(201);
  });
});

describe("uploads", () => {
  let fileEvidenceId: string;

  it("stores a sniffed PDF and serves it only as an attachment to the candidate and verifiers", async () => {
    const res = await upload(PDF, { kind: "verified_item", requirementId: "portfolio", description: "Portfolio document", occurredOn: "2026-03-01" });
    expect(res.status).toBe(201);
    const ev = (await res.json()) as { id: string; hasFile: boolean; fileType: string };
    expect(ev).toMatchObject({ hasFile: true, fileType: "application/pdf" });
    fileEvidenceId = ev.id;
    const dl = await app.request(api(`/evidence/${fileEvidenceId}/file`), { cookie: cand.cookie });
    expect(dl.status).toBe(200);
    expect(dl.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect(dl.headers.get("x-content-type-options")).toBe("nosniff");
    expect(new Uint8Array(await dl.arrayBuffer())).toEqual(PDF);
    expect((await app.request(api(`/evidence/${fileEvidenceId}/file`), { cookie: coordinator.cookie })).status).toBe(200);
    expect((await app.request(api(`/evidence/${fileEvidenceId}/file`), { cookie: other.cookie })).status).toBe(404);
    expect((await app.request(`/api/v1/orgs/${org.id}/accreditation/evidence/${fileEvidenceId}/file`, { cookie: outsider.cookie })).status).toBe(404);
  });

  it("refuses a disguised file (415) and a file over 5 MB (413), writing nothing", async () => {
    const before = await evidenceCount();
    const html = await upload(new TextEncoder().encode("<html><script>alert(1)</script></html>"), { kind: "verified_item", requirementId: "portfolio", description: "Another doc", occurredOn: "2026-03-02" });
    expect(html.status).toBe(415);
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    big.set(PDF);
    const large = await upload(big, { kind: "verified_item", requirementId: "portfolio", description: "Big doc", occurredOn: "2026-03-03" });
    expect(large.status).toBe(413);
    expect(await evidenceCount()).toBe(before);
  });

  it("exports the portfolio as a PDF", async () => {
    const res = await app.request(api(`/candidates/${candidateId}/portfolio.pdf`), { cookie: cand.cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe("%PDF-");
    expect((await app.request(api(`/candidates/${candidateId}/portfolio.pdf`), { cookie: other.cookie })).status).toBe(404);
  });

  it("shows coordinators every candidate with progress, and nobody outside", async () => {
    const res = await app.request(api("/candidates"), { cookie: coordinator.cookie });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { id: string; candidateName: string; evaluation: { fraction: number } }[] };
    expect(body.items.find((i) => i.id === candidateId)?.candidateName).toBe("Cam Candidate");
    expect((await app.request(api("/candidates"), { cookie: outsider.cookie })).status).toBe(404);
    expect((await app.request(api("/pathways"), { cookie: outsider.cookie })).status).toBe(404);
    const mine = (await (await app.request("/api/v1/me/accreditation", { cookie: cand.cookie })).json()) as { items: { id: string }[] };
    expect(mine.items.map((i) => i.id)).toEqual([candidateId]);
  });
});
