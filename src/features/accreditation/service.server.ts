// Accreditation core (issue 7, brief P): pathways (versioned data), candidates, evidence, progress.
//
// Decisions:
// - Who: members of the organisation read its PUBLISHED pathways and enrol themselves; coordinators
//   and above ("groups:manage") create and edit pathways, publish versions, see every candidate and
//   move a candidate to another version (recorded). Coordinators see and verify or reject everyone's
//   evidence; supervisors ("accreditation:supervise") only that of the people they supervise now (an
//   active accreditation_supervision); nobody verifies their own. Outsiders get 404 everywhere.
// - Versions: a published version is never edited; editing a published pathway creates a new draft
//   version. A candidate is evaluated under the version they enrolled on until a move is recorded.
// - History: automatic records (attendance and leading credits from sessions — only meetings that
//   took place as the schedule now stands, and supervised sessions only among those — debrief completions,
//   event check-ins, faculty observations at events, membership) from the candidate's organisation, verified evidence, and any
//   registered history source (supervision meetings, supervised sessions, supervisor reports:
//   `registerHistorySource`, used by the supervision/review files of this slice).
// - Evidence: only the candidate adds it (another person's candidacy: 403 for a coordinator of the
//   organisation, 404 for anyone else). The description runs through the identifier check
//   (findings → refused unless acknowledged). The same meeting/item twice → 409: against automatic
//   records and against the unique (candidate, dedupe key) index of evidence not rejected.
// - Files: stored in the kernel's FileStore (random names, type sniffed, ≤ 5 MB), served only
//   through `evidenceFile` to the candidate and verifiers.
import { and, asc, desc, eq, inArray, max } from "drizzle-orm";
import { user } from "../../platform/auth/schema.ts";
import { recordAudit } from "../../platform/audit/audit.server.ts";
import type { Executor } from "../../platform/db/client.server.ts";
import { uniqueViolation } from "../../platform/db/errors.ts";
import { defaultFileStore, type FileStore } from "../../platform/files/file-store.server.ts";
import { AppError, validationError } from "../../platform/http/errors.ts";
import type { Kernel } from "../../platform/kernel.server.ts";
import { authorize, can, requireUser, roleIn, type Actor } from "../../platform/policy/policy.ts";
import { membership, organisation } from "../../platform/tenancy/schema.ts";
import { findIdentifiers, type IdentifierFinding } from "../debrief/identifier-check.ts";
import { debriefCompletion } from "../debrief/schema.ts";
import { balintGroup } from "../groups/schema.ts";
import type { AttendedEvent } from "../events/roster.service.server.ts";
import type { ObservationRecord } from "../events/observation.service.server.ts";
import type { Participation } from "../sessions/service.server.ts";
import { AddEvidenceInput, DecideEvidenceInput, dedupeKeyOf, historyOfEvidence, historyTypeOf, sessionRef, type EvidenceKindValue } from "./evidence.ts";
import { EXAMPLE_PATHWAYS, parsePathwayDefinition, type PathwayDefinition } from "./pathway.ts";
import { renderPortfolioPdf } from "./progress-pdf.ts";
import { supervisionHistoryRecords } from "./supervision.service.server.ts";
import { supervision } from "./supervision-schema.ts";
import { candidateVersion, evaluate, type Evaluation, type HistoryRecord } from "./progress.ts";
import { accreditationCandidate, accreditationCandidateVersionMove, accreditationEvidence, accreditationPathway, accreditationPathwayVersion, type CandidateStatus } from "./schema.ts";
import { CreatePathwayInput, EnrolInput, MoveCandidateInput, SaveDraftInput } from "./pathway-schemas.ts";

export interface RequestMeta {
  ipAddress?: string | null;
  requestId?: string | null;
}

type CandidateRow = typeof accreditationCandidate.$inferSelect;
type EvidenceRow = typeof accreditationEvidence.$inferSelect;
type VersionRow = typeof accreditationPathwayVersion.$inferSelect;

/** A candidacy as a history source sees it. */
export interface CandidateRef {
  candidateId: string;
  organisationId: string;
  userId: string;
  enrolledAt: Date;
}
export type HistorySource = (candidate: CandidateRef) => Promise<HistoryRecord[]>;

export interface EvidenceView {
  id: string;
  candidateId: string;
  kind: EvidenceKindValue;
  requirementId: string | null;
  description: string;
  occurredOn: string;
  hours: number | null;
  eventKind: string | null;
  finalCredentialing: boolean;
  groupId: string | null;
  occurrenceStart: string | null;
  hasFile: boolean;
  fileType: string | null;
  fileSize: number | null;
  status: "pending" | "verified" | "rejected";
  reason: string | null;
  verifiedByName: string | null;
  decidedAt: string | null;
  createdAt: string;
  candidateName?: string;
}

export type AddEvidenceResult = { outcome: "added"; evidence: EvidenceView } | { outcome: "findings"; findings: IdentifierFinding[] };

function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> } } }, raw: unknown): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error.issues);
  return parsed.data;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const notFound = (what = "That record") => new AppError("not_found", `${what} was not found.`);
const checkId = (id: string, what: string) => {
  if (!UUID.test(id)) throw notFound(what);
};

function definitionOf(row: VersionRow): PathwayDefinition {
  const parsed = parsePathwayDefinition(row.definition);
  if (!parsed.ok) throw new Error(`stored pathway version ${row.id} is invalid`);
  return parsed.value;
}

function evidenceView(e: EvidenceRow, names: Map<string, string>): EvidenceView {
  return {
    id: e.id,
    candidateId: e.candidateId,
    kind: e.kind,
    requirementId: e.requirementId,
    description: e.description,
    occurredOn: e.occurredOn,
    hours: e.hours === null ? null : Number(e.hours),
    eventKind: e.eventKind,
    finalCredentialing: e.finalCredentialing === 1,
    groupId: e.groupId,
    occurrenceStart: e.occurrenceStart?.toISOString() ?? null,
    hasFile: e.fileKey !== null,
    fileType: e.fileType,
    fileSize: e.fileSize,
    status: e.status,
    reason: e.reason,
    verifiedByName: e.verifiedByUserId ? (names.get(e.verifiedByUserId) ?? null) : null,
    decidedAt: e.decidedAt?.toISOString() ?? null,
    createdAt: e.createdAt.toISOString(),
  };
}

export interface AccreditationDeps {
  sessions: { participationOf(userId: string, now?: Date): Promise<Participation> };
  eventRosters: { attendedEvents(userId: string): Promise<AttendedEvent[]> };
  /** Faculty observations of a leader in training (events slice); levels only, never the narrative. */
  eventObservations?: { observationsOf(userId: string): Promise<ObservationRecord[]> };
  files?: FileStore;
}

export function createAccreditationService(kernel: Kernel, deps: AccreditationDeps) {
  const { db } = kernel;
  const files = deps.files ?? defaultFileStore(kernel.config.dataDir);
  const sources: HistorySource[] = [];

  const audit = (tx: Executor, actor: Actor | null, meta: RequestMeta, e: { organisationId: string; action: string; targetType: string; targetId: string; details?: Record<string, string | number | boolean | null> }) =>
    recordAudit(tx, { ...e, ...(actor ? { actor } : {}), ipAddress: meta.ipAddress ?? null, requestId: meta.requestId ?? null });

  const isManager = (actor: Actor, orgId: string) => can(actor, "groups:manage", { organisationId: orgId });
  /**
   * Whose candidacies the actor may review: "all" for coordinators and above; for supervisors
   * ("accreditation:supervise"), the people they supervise now (an active supervision); else nobody.
   */
  async function reviewScope(actor: Actor, orgId: string): Promise<"all" | Set<string>> {
    if (isManager(actor, orgId)) return "all";
    if (!actor.userId || !can(actor, "accreditation:supervise", { organisationId: orgId })) return new Set();
    const rows = await db
      .select({ candidateUserId: supervision.candidateUserId })
      .from(supervision)
      .where(and(eq(supervision.organisationId, orgId), eq(supervision.supervisorUserId, actor.userId), eq(supervision.status, "active")));
    return new Set(rows.map((r) => r.candidateUserId));
  }
  const inScope = (scope: "all" | Set<string>, userId: string) => scope === "all" || scope.has(userId);
  const mayReviewAny = (actor: Actor, orgId: string) => isManager(actor, orgId) || can(actor, "accreditation:supervise", { organisationId: orgId });
  const requireManager = (actor: Actor, orgId: string) => authorize(actor, "groups:manage", { organisationId: orgId });

  async function loadPathway(orgId: string, pathwayId: string) {
    checkId(pathwayId, "That pathway");
    const [p] = await db.select().from(accreditationPathway).where(and(eq(accreditationPathway.id, pathwayId), eq(accreditationPathway.organisationId, orgId)));
    if (!p) throw notFound("That pathway");
    return p;
  }

  async function loadCandidate(actor: Actor, orgId: string, candidateId: string): Promise<CandidateRow> {
    authorize(actor, "organisation:read", { organisationId: orgId });
    checkId(candidateId, "That candidate");
    const [c] = await db.select().from(accreditationCandidate).where(and(eq(accreditationCandidate.id, candidateId), eq(accreditationCandidate.organisationId, orgId)));
    if (!c) throw notFound("That candidate");
    return c;
  }

  /** The candidate themself or a verifier may read; anyone else in the organisation gets 404. */
  async function readableCandidate(actor: Actor, orgId: string, candidateId: string) {
    const c = await loadCandidate(actor, orgId, candidateId);
    if (c.userId !== actor.userId && !inScope(await reviewScope(actor, orgId), c.userId)) throw notFound("That candidate");
    return c;
  }

  async function versionOf(c: CandidateRow): Promise<VersionRow> {
    const moves = await db.select().from(accreditationCandidateVersionMove).where(eq(accreditationCandidateVersionMove.candidateId, c.id));
    const id = candidateVersion(c.pathwayVersionId, moves.map((m) => ({ toVersionId: m.toVersionId, movedAt: m.movedAt.toISOString() })));
    const [v] = await db.select().from(accreditationPathwayVersion).where(eq(accreditationPathwayVersion.id, id));
    if (!v) throw new Error(`pathway version ${id} missing`);
    return v;
  }

  /** Everything that counts for a candidate (automatic records + verified evidence + sources). */
  async function historyOf(c: CandidateRow, now: Date): Promise<HistoryRecord[]> {
    const out: HistoryRecord[] = [];
    const inOrg = (o: string) => o === c.organisationId;
    const p = await deps.sessions.participationOf(c.userId, now);
    for (const a of p.attended) if (inOrg(a.organisationId)) out.push({ type: "attended", id: sessionRef(a.groupId, a.occurrenceStart), at: a.occurrenceStart });
    for (const l of p.led) if (inOrg(l.organisationId)) out.push({ type: "led", id: sessionRef(l.groupId, l.occurrenceStart), at: l.occurrenceStart, role: l.kind });
    const debriefs = await db
      .select({ groupId: debriefCompletion.groupId, occurrenceStart: debriefCompletion.occurrenceStart })
      .from(debriefCompletion)
      .innerJoin(balintGroup, eq(balintGroup.id, debriefCompletion.groupId))
      .where(and(eq(debriefCompletion.userId, c.userId), eq(balintGroup.organisationId, c.organisationId)));
    for (const d of debriefs) out.push({ type: "debrief", id: sessionRef(d.groupId, d.occurrenceStart), at: d.occurrenceStart.toISOString() });
    for (const ev of await deps.eventRosters.attendedEvents(c.userId)) {
      if (!inOrg(ev.organisationId) || !ev.firstDay) continue;
      out.push({ type: "event", id: `event:${ev.eventId}`, eventId: ev.eventId, at: `${ev.lastDay ?? ev.firstDay}T12:00:00.000Z`, kind: ev.kind });
    }
    for (const o of (await deps.eventObservations?.observationsOf(c.userId)) ?? []) {
      if (!inOrg(o.organisationId)) continue;
      out.push({ type: "observation", id: `observation:${o.id}`, eventId: o.eventId, at: `${o.observedOn}T12:00:00.000Z`, ratings: Object.fromEntries(o.ratings.map((r) => [r.competency, r.level])) });
    }
    const [m] = await db.select({ createdAt: membership.createdAt }).from(membership).where(and(eq(membership.organisationId, c.organisationId), eq(membership.userId, c.userId)));
    if (m) out.push({ type: "membership", id: `membership:${c.organisationId}`, at: m.createdAt.toISOString(), goodStanding: true });
    const evidence = await db.select().from(accreditationEvidence).where(and(eq(accreditationEvidence.candidateId, c.id), eq(accreditationEvidence.status, "verified")));
    for (const e of evidence) {
      const r = historyOfEvidence(e);
      if (r) out.push(r);
    }
    // Supervision (this slice's supervision files): confirmed meetings, supervised sessions, reports.
    // A supervised session counts only while it is one of the led meetings above: a meeting that no
    // longer took place (cancelled afterwards, moved or restored into the future) drops out, by the
    // sessions slice's rule (`participationOf`), as its led credit does.
    const heldLed = new Set(p.led.filter((l) => inOrg(l.organisationId)).map((l) => sessionRef(l.groupId, l.occurrenceStart)));
    for (const r of await supervisionHistoryRecords(db, c.organisationId, c.userId)) if (r.type !== "supervised" || heldLed.has(r.id)) out.push(r);
    const ref: CandidateRef = { candidateId: c.id, organisationId: c.organisationId, userId: c.userId, enrolledAt: c.enrolledAt };
    for (const source of sources) out.push(...(await source(ref)));
    return out;
  }

  async function evaluateCandidate(c: CandidateRow, now: Date) {
    const version = await versionOf(c);
    const definition = definitionOf(version);
    return { version, definition, evaluation: evaluate(definition, await historyOf(c, now), now) };
  }

  async function names(ids: (string | null)[]) {
    const list = [...new Set(ids.filter((x): x is string => x !== null))];
    if (!list.length) return new Map<string, string>();
    const rows = await db.select({ id: user.id, name: user.name }).from(user).where(inArray(user.id, list));
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  async function candidateSummary(c: CandidateRow, now: Date) {
    const [p] = await db.select().from(accreditationPathway).where(eq(accreditationPathway.id, c.pathwayId));
    const { version, definition, evaluation } = await evaluateCandidate(c, now);
    return {
      id: c.id,
      organisationId: c.organisationId,
      userId: c.userId,
      pathwayId: c.pathwayId,
      pathwayKey: p!.key,
      pathwayName: p!.name,
      versionId: version.id,
      version: version.version,
      title: definition.title,
      example: definition.example ?? null,
      status: c.status,
      enrolledAt: c.enrolledAt.toISOString(),
      evaluation,
    };
  }

  async function latestPublished(pathwayId: string) {
    const [v] = await db
      .select()
      .from(accreditationPathwayVersion)
      .where(and(eq(accreditationPathwayVersion.pathwayId, pathwayId), eq(accreditationPathwayVersion.status, "published")))
      .orderBy(desc(accreditationPathwayVersion.version))
      .limit(1);
    return v ?? null;
  }

  async function createPathwayTx(tx: Executor, actor: Actor | null, orgId: string, key: string, name: string, definition: PathwayDefinition, publish: boolean, meta: RequestMeta) {
    const [p] = await tx.insert(accreditationPathway).values({ organisationId: orgId, key, name }).returning();
    const now = new Date();
    const [v] = await tx
      .insert(accreditationPathwayVersion)
      .values({ pathwayId: p!.id, organisationId: orgId, version: 1, definition, status: publish ? "published" : "draft", publishedAt: publish ? now : null, createdByUserId: actor?.userId ?? null })
      .returning();
    await audit(tx, actor, meta, { organisationId: orgId, action: "accreditation.pathway_created", targetType: "accreditation_pathway", targetId: p!.id, details: { key, versionId: v!.id, published: publish } });
    return { pathway: p!, version: v! };
  }

  const service = {
    /** For the supervision / review parts of the slice: more history (meetings, supervised marks, reports). */
    registerHistorySource(source: HistorySource) {
      sources.push(source);
    },

    files,

    // ---- pathways --------------------------------------------------------------------------------

    /** Members: published pathways (latest published version). Managers: every pathway with its versions. */
    async listPathways(actor: Actor, orgId: string) {
      authorize(actor, "organisation:read", { organisationId: orgId });
      const manager = isManager(actor, orgId);
      const pathways = await db.select().from(accreditationPathway).where(eq(accreditationPathway.organisationId, orgId)).orderBy(asc(accreditationPathway.name));
      const versions = pathways.length
        ? await db.select().from(accreditationPathwayVersion).where(inArray(accreditationPathwayVersion.pathwayId, pathways.map((p) => p.id))).orderBy(asc(accreditationPathwayVersion.version))
        : [];
      const items = pathways
        .map((p) => {
          const mine = versions.filter((v) => v.pathwayId === p.id);
          const published = mine.filter((v) => v.status === "published").at(-1) ?? null;
          return {
            id: p.id,
            key: p.key,
            name: p.name,
            published: published ? { id: published.id, version: published.version, definition: definitionOf(published), publishedAt: published.publishedAt?.toISOString() ?? null } : null,
            versions: manager ? mine.map((v) => ({ id: v.id, version: v.version, status: v.status, definition: v.definition, publishedAt: v.publishedAt?.toISOString() ?? null, updatedAt: v.updatedAt.toISOString() })) : undefined,
          };
        })
        .filter((p) => manager || p.published !== null);
      return { items, canManage: manager };
    },

    async createPathway(actor: Actor, orgId: string, input: unknown, meta: RequestMeta = {}) {
      requireManager(actor, orgId);
      const data = parse(CreatePathwayInput, input);
      const def = parsePathwayDefinition(data.definition);
      if (!def.ok) throw new AppError("validation_failed", "The pathway definition is not valid.", def.issues.map((i) => ({ path: `definition.${i.path}`, message: i.message })));
      try {
        const { pathway, version } = await db.transaction((tx) => createPathwayTx(tx, actor, orgId, data.key, data.name, def.value, data.publish, meta));
        return { id: pathway.id, key: pathway.key, name: pathway.name, versionId: version.id, version: version.version, status: version.status };
      } catch (e) {
        if (uniqueViolation(e)) throw new AppError("conflict", "A pathway with this key exists.", [{ path: "key", message: "already used" }]);
        throw e;
      }
    },

    /** Installs the shipped example pathways (published) that the organisation does not have yet. */
    async installExamples(actor: Actor, orgId: string, meta: RequestMeta = {}) {
      requireManager(actor, orgId);
      return installExamplesTx(actor, orgId, meta);
    },

    /**
     * Saves a draft: edits the pathway's current draft version, or starts a new one when the latest
     * is published (a published version is never changed).
     */
    async saveDraft(actor: Actor, orgId: string, pathwayId: string, input: unknown, meta: RequestMeta = {}) {
      requireManager(actor, orgId);
      const p = await loadPathway(orgId, pathwayId);
      const data = parse(SaveDraftInput, input);
      const def = parsePathwayDefinition(data.definition);
      if (!def.ok) throw new AppError("validation_failed", "The pathway definition is not valid.", def.issues.map((i) => ({ path: `definition.${i.path}`, message: i.message })));
      return db.transaction(async (tx) => {
        await tx.select({ id: accreditationPathway.id }).from(accreditationPathway).where(eq(accreditationPathway.id, p.id)).for("update");
        const [latest] = await tx.select().from(accreditationPathwayVersion).where(eq(accreditationPathwayVersion.pathwayId, p.id)).orderBy(desc(accreditationPathwayVersion.version)).limit(1);
        let row: VersionRow;
        if (latest && latest.status === "draft") {
          [row] = (await tx.update(accreditationPathwayVersion).set({ definition: def.value, updatedAt: new Date() }).where(eq(accreditationPathwayVersion.id, latest.id)).returning()) as [VersionRow];
        } else {
          [row] = (await tx.insert(accreditationPathwayVersion).values({ pathwayId: p.id, organisationId: orgId, version: (latest?.version ?? 0) + 1, definition: def.value, status: "draft", createdByUserId: actor.userId }).returning()) as [VersionRow];
        }
        if (data.name && data.name !== p.name) await tx.update(accreditationPathway).set({ name: data.name, updatedAt: new Date() }).where(eq(accreditationPathway.id, p.id));
        await audit(tx, actor, meta, { organisationId: orgId, action: "accreditation.pathway_draft_saved", targetType: "accreditation_pathway", targetId: p.id, details: { versionId: row.id, version: row.version } });
        return { id: row.id, version: row.version, status: row.status };
      });
    },

    async publishVersion(actor: Actor, orgId: string, pathwayId: string, versionId: string, meta: RequestMeta = {}) {
      requireManager(actor, orgId);
      const p = await loadPathway(orgId, pathwayId);
      checkId(versionId, "That version");
      return db.transaction(async (tx) => {
        const [v] = await tx.select().from(accreditationPathwayVersion).where(and(eq(accreditationPathwayVersion.id, versionId), eq(accreditationPathwayVersion.pathwayId, p.id))).for("update");
        if (!v) throw notFound("That version");
        if (v.status !== "draft") throw new AppError("conflict", "Only a draft can be published.");
        definitionOf(v);
        await tx.update(accreditationPathwayVersion).set({ status: "published", publishedAt: new Date(), updatedAt: new Date() }).where(eq(accreditationPathwayVersion.id, v.id));
        await audit(tx, actor, meta, { organisationId: orgId, action: "accreditation.pathway_published", targetType: "accreditation_pathway", targetId: p.id, details: { versionId: v.id, version: v.version } });
        return { id: v.id, version: v.version, status: "published" as const };
      });
    },

    // ---- candidates ------------------------------------------------------------------------------

    /** Enrol myself on the latest published version of a pathway. 409 when already enrolled. */
    async enrol(actor: Actor, orgId: string, input: unknown, meta: RequestMeta = {}) {
      authorize(actor, "organisation:read", { organisationId: orgId });
      const userId = requireUser(actor);
      if (actor.tokenScope) throw new AppError("forbidden", "Use a signed-in session to enrol.");
      const data = parse(EnrolInput, input);
      const p = await loadPathway(orgId, data.pathwayId);
      const v = await latestPublished(p.id);
      if (!v) throw notFound("That pathway");
      try {
        const c = await db.transaction(async (tx) => {
          const [row] = await tx.insert(accreditationCandidate).values({ organisationId: orgId, pathwayId: p.id, pathwayVersionId: v.id, userId }).returning();
          await audit(tx, actor, meta, { organisationId: orgId, action: "accreditation.candidate_enrolled", targetType: "accreditation_candidate", targetId: row!.id, details: { pathwayId: p.id, versionId: v.id } });
          return row!;
        });
        return candidateSummary(c, new Date());
      } catch (e) {
        if (uniqueViolation(e)) throw new AppError("conflict", "You are already enrolled on this pathway.");
        throw e;
      }
    },

    /** Published pathways of every organisation I belong to that I am not enrolled on (for /accreditation). */
    async enrolmentOptions(actor: Actor) {
      const userId = requireUser(actor);
      const orgIds = [...actor.memberships.keys()].filter((o) => roleIn(actor, o) !== null);
      if (!orgIds.length) return { items: [] };
      const orgs = await db.select({ id: organisation.id, name: organisation.name }).from(organisation).where(inArray(organisation.id, orgIds));
      const pathways = await db.select().from(accreditationPathway).where(inArray(accreditationPathway.organisationId, orgIds)).orderBy(asc(accreditationPathway.name));
      const mine = new Set((await db.select({ pathwayId: accreditationCandidate.pathwayId }).from(accreditationCandidate).where(eq(accreditationCandidate.userId, userId))).map((r) => r.pathwayId));
      const items = [];
      for (const p of pathways) {
        if (mine.has(p.id)) continue;
        const v = await latestPublished(p.id);
        if (!v) continue;
        const def = definitionOf(v);
        items.push({ organisationId: p.organisationId, organisationName: orgs.find((o) => o.id === p.organisationId)?.name ?? "", pathwayId: p.id, name: p.name, version: v.version, example: def.example !== undefined, requirements: def.requirements.map((r) => r.label) });
      }
      return { items };
    },

    /** My candidacies in every organisation, each with its evaluation. */
    async myCandidacies(actor: Actor, now = new Date()) {
      const userId = requireUser(actor);
      const rows = await db.select().from(accreditationCandidate).where(eq(accreditationCandidate.userId, userId)).orderBy(asc(accreditationCandidate.enrolledAt));
      const visible = rows.filter((r) => roleIn(actor, r.organisationId) !== null);
      const orgs = visible.length ? await db.select({ id: organisation.id, name: organisation.name, slug: organisation.slug }).from(organisation).where(inArray(organisation.id, visible.map((r) => r.organisationId))) : [];
      const items = [];
      for (const r of visible) {
        const o = orgs.find((x) => x.id === r.organisationId)!;
        items.push({ ...(await candidateSummary(r, now)), organisationName: o.name, organisationSlug: o.slug });
      }
      return { items };
    },

    /** One candidacy's progress: the candidate or a verifier. */
    async progress(actor: Actor, orgId: string, candidateId: string, now = new Date()) {
      const c = await readableCandidate(actor, orgId, candidateId);
      const [person] = await db.select({ name: user.name }).from(user).where(eq(user.id, c.userId));
      const evidence = await db.select().from(accreditationEvidence).where(eq(accreditationEvidence.candidateId, c.id)).orderBy(desc(accreditationEvidence.createdAt));
      const n = await names(evidence.map((e) => e.verifiedByUserId));
      return { ...(await candidateSummary(c, now)), candidateName: person?.name ?? "", evidence: evidence.map((e) => evidenceView(e, n)) };
    },

    /** Coordinators and supervisors: every candidate of the organisation with progress. */
    async candidates(actor: Actor, orgId: string, now = new Date()) {
      authorize(actor, "organisation:read", { organisationId: orgId });
      if (!mayReviewAny(actor, orgId)) throw new AppError("forbidden", "Only coordinators and supervisors see candidates.");
      const scope = await reviewScope(actor, orgId);
      const rows = (await db.select().from(accreditationCandidate).where(eq(accreditationCandidate.organisationId, orgId)).orderBy(asc(accreditationCandidate.enrolledAt))).filter((r) => inScope(scope, r.userId));
      const n = await names(rows.map((r) => r.userId));
      const items = [];
      for (const r of rows) items.push({ ...(await candidateSummary(r, now)), candidateName: n.get(r.userId) ?? "" });
      return { items };
    },

    /** Coordinators: move a candidate to another version of their pathway (recorded and audited). */
    async moveCandidate(actor: Actor, orgId: string, candidateId: string, input: unknown, meta: RequestMeta = {}) {
      requireManager(actor, orgId);
      const c = await loadCandidate(actor, orgId, candidateId);
      const data = parse(MoveCandidateInput, input);
      const [v] = await db.select().from(accreditationPathwayVersion).where(and(eq(accreditationPathwayVersion.id, data.versionId), eq(accreditationPathwayVersion.pathwayId, c.pathwayId)));
      if (!v || v.status !== "published") throw new AppError("validation_failed", "Choose a published version of the candidate's pathway.", [{ path: "versionId", message: "not a published version of this pathway" }]);
      const current = await versionOf(c);
      if (current.id === v.id) throw new AppError("conflict", "The candidate is already on this version.");
      await db.transaction(async (tx) => {
        await tx.insert(accreditationCandidateVersionMove).values({ candidateId: c.id, fromVersionId: current.id, toVersionId: v.id, movedByUserId: actor.userId });
        await audit(tx, actor, meta, { organisationId: orgId, action: "accreditation.candidate_moved", targetType: "accreditation_candidate", targetId: c.id, details: { fromVersionId: current.id, toVersionId: v.id } });
      });
      return candidateSummary(c, new Date());
    },

    /** The candidate withdraws (audited). */
    async withdraw(actor: Actor, orgId: string, candidateId: string, meta: RequestMeta = {}) {
      const c = await loadCandidate(actor, orgId, candidateId);
      if (c.userId !== actor.userId) throw notFound("That candidate");
      await service.setCandidateStatus(actor, c.id, "withdrawn", meta);
      return { id: c.id, status: "withdrawn" as const };
    },

    /**
     * For the review / credential parts of the slice: change a candidate's status (applied,
     * accredited, …) — callers authorise; this records and audits. Optional `tx` to join a transaction.
     */
    async setCandidateStatus(actor: Actor | null, candidateId: string, status: CandidateStatus, meta: RequestMeta = {}, tx?: Executor) {
      const run = async (t: Executor) => {
        const [c] = await t.update(accreditationCandidate).set({ status, statusChangedAt: new Date(), updatedAt: new Date() }).where(eq(accreditationCandidate.id, candidateId)).returning();
        if (!c) throw notFound("That candidate");
        await audit(t, actor, meta, { organisationId: c.organisationId, action: "accreditation.candidate_status_changed", targetType: "accreditation_candidate", targetId: c.id, details: { status } });
        return c;
      };
      return tx ? run(tx) : db.transaction(run);
    },

    /** Internal (no actor): a candidate's evaluation, for the review and credential parts. */
    async evaluationOf(candidateId: string, now = new Date()): Promise<{ candidate: CandidateRow; evaluation: Evaluation; versionId: string }> {
      const [c] = await db.select().from(accreditationCandidate).where(eq(accreditationCandidate.id, candidateId));
      if (!c) throw notFound("That candidate");
      const r = await evaluateCandidate(c, now);
      return { candidate: c, evaluation: r.evaluation, versionId: r.version.id };
    },

    /** For the review part (no authorisation inside): met + the evaluation, snapshotted into an application. */
    async progressOf(organisationId: string, candidateId: string, now = new Date()) {
      const [c] = await db.select().from(accreditationCandidate).where(and(eq(accreditationCandidate.id, candidateId), eq(accreditationCandidate.organisationId, organisationId)));
      if (!c) throw notFound("That candidate");
      const r = await evaluateCandidate(c, now);
      return { met: r.evaluation.met, evaluation: { ...r.evaluation, versionId: r.version.id, version: r.version.version } };
    },

    // ---- evidence --------------------------------------------------------------------------------

    async addEvidence(actor: Actor, orgId: string, candidateId: string, input: unknown, file: Uint8Array | null = null, meta: RequestMeta = {}): Promise<AddEvidenceResult> {
      const c = await loadCandidate(actor, orgId, candidateId);
      if (c.userId !== actor.userId) {
        if (isManager(actor, orgId)) throw new AppError("forbidden", "Only the candidate adds their own evidence.");
        throw notFound("That candidate");
      }
      if (c.status === "withdrawn" || c.status === "accredited") throw new AppError("conflict", "This candidacy is closed.");
      const data = parse(AddEvidenceInput, input);
      if (data.occurredOn > new Date().toISOString().slice(0, 10)) throw new AppError("validation_failed", "The date is in the future.", [{ path: "occurredOn", message: "must not be in the future" }]);
      if (data.kind === "verified_item") {
        const def = definitionOf(await versionOf(c));
        if (!def.requirements.some((r) => r.kind === "verified_item" && r.id === data.requirementId)) throw new AppError("validation_failed", "Not a verified item of this pathway.", [{ path: "requirementId", message: "not a verified item of this pathway" }]);
      }
      const findings = findIdentifiers(data.description);
      if (findings.length && !data.acknowledgeFindings) return { outcome: "findings", findings };
      const occurrenceStart = data.occurrenceStart ? new Date(data.occurrenceStart) : null;
      if (data.groupId && occurrenceStart) {
        // A platform meeting: must be of this organisation; refused when it already counts automatically.
        const [g] = await db.select({ organisationId: balintGroup.organisationId }).from(balintGroup).where(eq(balintGroup.id, data.groupId));
        if (!g || g.organisationId !== orgId) throw new AppError("validation_failed", "Not a group of this organisation.", [{ path: "groupId", message: "not a group of this organisation" }]);
        const auto = await historyOf(c, new Date());
        const type = historyTypeOf(data.kind);
        const ref = sessionRef(data.groupId, occurrenceStart);
        if (auto.some((r) => r.type === type && r.id === ref)) throw new AppError("conflict", "This meeting is already counted.");
      }
      const dedupeKey = dedupeKeyOf({ ...data, occurrenceStart });
      const [dup] = await db.select({ id: accreditationEvidence.id }).from(accreditationEvidence).where(and(eq(accreditationEvidence.candidateId, c.id), eq(accreditationEvidence.dedupeKey, dedupeKey), inArray(accreditationEvidence.status, ["pending", "verified"])));
      if (dup) throw new AppError("conflict", "This has already been added.");
      const stored = file && file.byteLength ? await files.put("evidence", file) : null;
      try {
        const row = await db.transaction(async (tx) => {
          const [e] = await tx
            .insert(accreditationEvidence)
            .values({
              organisationId: orgId,
              candidateId: c.id,
              kind: data.kind,
              requirementId: data.requirementId ?? null,
              description: data.description,
              occurredOn: data.occurredOn,
              hours: data.hours === undefined ? null : String(data.hours),
              eventKind: data.eventKind ?? null,
              finalCredentialing: data.finalCredentialing ? 1 : 0,
              groupId: data.groupId ?? null,
              occurrenceStart,
              dedupeKey,
              fileKey: stored?.key ?? null,
              fileType: stored?.type ?? null,
              fileSize: stored?.size ?? null,
            })
            .returning();
          await audit(tx, actor, meta, { organisationId: orgId, action: "accreditation.evidence_added", targetType: "accreditation_evidence", targetId: e!.id, details: { candidateId: c.id, kind: data.kind, withFile: stored !== null } });
          return e!;
        });
        return { outcome: "added", evidence: evidenceView(row, new Map()) };
      } catch (e) {
        if (stored) await files.delete(stored.key);
        if (uniqueViolation(e)) throw new AppError("conflict", "This has already been added.");
        throw e;
      }
    },

    /** Verifiers: pending evidence of the organisation, oldest first. */
    async reviewQueue(actor: Actor, orgId: string) {
      authorize(actor, "organisation:read", { organisationId: orgId });
      if (!mayReviewAny(actor, orgId)) throw new AppError("forbidden", "Only coordinators and supervisors review evidence.");
      const scope = await reviewScope(actor, orgId);
      const all = await db
        .select({ e: accreditationEvidence, userId: accreditationCandidate.userId })
        .from(accreditationEvidence)
        .innerJoin(accreditationCandidate, eq(accreditationCandidate.id, accreditationEvidence.candidateId))
        .where(and(eq(accreditationEvidence.organisationId, orgId), eq(accreditationEvidence.status, "pending")))
        .orderBy(asc(accreditationEvidence.createdAt));
      const rows = all.filter((r) => inScope(scope, r.userId));
      const n = await names(rows.map((r) => r.userId));
      return { items: rows.map((r) => ({ ...evidenceView(r.e, n), candidateName: n.get(r.userId) ?? "", mine: r.userId === actor.userId })) };
    },

    /** Verifiers: verify or reject (with a reason) pending evidence; never their own. Audited. */
    async decideEvidence(actor: Actor, orgId: string, evidenceId: string, input: unknown, meta: RequestMeta = {}) {
      authorize(actor, "organisation:read", { organisationId: orgId });
      checkId(evidenceId, "That evidence");
      const data = parse(DecideEvidenceInput, input);
      const scope = await reviewScope(actor, orgId);
      const decided = await db.transaction(async (tx) => {
        const [row] = await tx
          .select({ e: accreditationEvidence, userId: accreditationCandidate.userId })
          .from(accreditationEvidence)
          .innerJoin(accreditationCandidate, eq(accreditationCandidate.id, accreditationEvidence.candidateId))
          .where(and(eq(accreditationEvidence.id, evidenceId), eq(accreditationEvidence.organisationId, orgId)))
          .for("update", { of: accreditationEvidence });
        if (!row) throw notFound("That evidence");
        if (row.userId === actor.userId) throw new AppError("forbidden", "You cannot verify your own evidence.");
        if (!inScope(scope, row.userId)) throw notFound("That evidence");
        if (row.e.status !== "pending") throw new AppError("conflict", "This evidence has already been decided.");
        const status = data.decision === "verify" ? "verified" : "rejected";
        const [e] = await tx
          .update(accreditationEvidence)
          .set({ status, reason: data.reason ?? null, verifiedByUserId: actor.userId, decidedAt: new Date() })
          .where(eq(accreditationEvidence.id, row.e.id))
          .returning();
        await audit(tx, actor, meta, { organisationId: orgId, action: data.decision === "verify" ? "accreditation.evidence_verified" : "accreditation.evidence_rejected", targetType: "accreditation_evidence", targetId: row.e.id, details: { candidateId: row.e.candidateId, kind: row.e.kind } });
        return e!;
      });
      return evidenceView(decided, await names([actor.userId]));
    },

    /** The evidence's file: the candidate or a verifier; anyone else 404. */
    async evidenceFile(actor: Actor, orgId: string, evidenceId: string) {
      authorize(actor, "organisation:read", { organisationId: orgId });
      checkId(evidenceId, "That file");
      const [row] = await db
        .select({ e: accreditationEvidence, userId: accreditationCandidate.userId })
        .from(accreditationEvidence)
        .innerJoin(accreditationCandidate, eq(accreditationCandidate.id, accreditationEvidence.candidateId))
        .where(and(eq(accreditationEvidence.id, evidenceId), eq(accreditationEvidence.organisationId, orgId)));
      if (!row || !row.e.fileKey || (row.userId !== actor.userId && !inScope(await reviewScope(actor, orgId), row.userId))) throw notFound("That file");
      const f = await files.get(row.e.fileKey);
      if (!f) throw notFound("That file");
      const ext = f.type === "application/pdf" ? "pdf" : f.type === "image/png" ? "png" : "jpg";
      return { bytes: f.bytes, type: f.type, filename: `evidence-${row.e.id.slice(0, 8)}.${ext}` };
    },

    // ---- portfolio -------------------------------------------------------------------------------

    async portfolioPdf(actor: Actor, orgId: string, candidateId: string, now = new Date()) {
      const p = await service.progress(actor, orgId, candidateId, now);
      const [o] = await db.select({ name: organisation.name }).from(organisation).where(eq(organisation.id, orgId));
      const bytes = await renderPortfolioPdf({ candidateName: p.candidateName, organisationName: o?.name ?? "", title: p.title, version: p.version, status: p.status, enrolledAt: p.enrolledAt, evaluation: p.evaluation, evidence: p.evidence, generatedAt: now });
      return { bytes, filename: `portfolio-${p.pathwayKey}-${now.toISOString().slice(0, 10)}.pdf` };
    },
  };

  async function installExamplesTx(actor: Actor | null, orgId: string, meta: RequestMeta) {
    const existing = new Set((await db.select({ key: accreditationPathway.key }).from(accreditationPathway).where(eq(accreditationPathway.organisationId, orgId))).map((r) => r.key));
    const created: string[] = [];
    for (const ex of EXAMPLE_PATHWAYS) {
      if (existing.has(ex.key)) continue;
      const def = parsePathwayDefinition(ex.definition);
      if (!def.ok) throw new Error(`example ${ex.key} invalid`);
      await db.transaction((tx) => createPathwayTx(tx, actor, orgId, ex.key, ex.name, def.value, true, meta));
      created.push(ex.key);
    }
    return { created };
  }

  return Object.assign(service, {
    /** Seeding (no actor): install the examples into an organisation. */
    installExamplesAsSystem: (orgId: string) => installExamplesTx(null, orgId, {}),
    /** Highest version number of a pathway (tests). */
    async latestVersionNumber(pathwayId: string) {
      const [r] = await db.select({ v: max(accreditationPathwayVersion.version) }).from(accreditationPathwayVersion).where(eq(accreditationPathwayVersion.pathwayId, pathwayId));
      return r?.v ?? 0;
    },
  });
}

export type AccreditationService = ReturnType<typeof createAccreditationService>;
