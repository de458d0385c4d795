// Applications and committee review (brief Q).
//
// Decisions:
// - The committee is `accreditation_committee_member` (one chair, members). Owners and admins
//   ("organisation:update") appoint it; an appointee must hold "accreditation:review" by role
//   (supervisors, coordinators and above). Acting on the committee needs BOTH the permission and
//   the seat: an organisation member without them gets 403, an outsider 404.
// - A candidate (the core's accreditation_candidate, status active) applies when the requirements
//   are met, or with an explanation when not (400 naming `explanation`). The application keeps a
//   SNAPSHOT of the progress and the pathway version; the candidate's status becomes `applied`.
// - Order (409 otherwise): submitted → the chair assigns reviewers (committee members, never the
//   candidate) → in_review → each assigned reviewer recommends once → the chair decides
//   (approve / more_needed / decline, with reasons) once every assigned reviewer has recommended.
//   The candidate may withdraw until decided. Every step is audited (no free text in the audit).
// - The decision is emailed to the candidate (template `accreditationDecision`, en + es). On approve
//   the candidate becomes `accredited` and the credential hook (`issueCredentialOnApproval`) runs
//   after the decision is committed; otherwise the candidate is `active` again.
// - Comments, reasons and explanations are about the candidate's training, never case content: they
//   are checked for identifiers (400 naming the field unless `acknowledgeIdentifiers`).
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { user } from "../../platform/auth/schema.ts";
import { recordAudit } from "../../platform/audit/audit.server.ts";
import type { Executor } from "../../platform/db/client.server.ts";
import { uniqueViolation } from "../../platform/db/errors.ts";
import { AppError, conflict, forbidden, invalid, notFound, validationError } from "../../platform/http/errors.ts";
import { isLocale, type Locale } from "../../platform/i18n/locales.ts";
import type { Kernel } from "../../platform/kernel.server.ts";
import { ROLE_PERMISSIONS } from "../../platform/policy/permissions.ts";
import { authorize, can, requireUser, type Actor } from "../../platform/policy/policy.ts";
import { membership, organisation } from "../../platform/tenancy/schema.ts";
import { profile } from "../profile/schema.ts";
import { findIdentifiers } from "../debrief/identifier-check.ts";
import { accreditationCandidate, accreditationPathway, accreditationPathwayVersion } from "./schema.ts";
import { application, applicationReviewer, committeeMember } from "./supervision-schema.ts";
import { stepRefusal, type ApplicationStatus, type Recommendation } from "./supervision.ts";

export interface RequestMeta {
  ipAddress?: string | null;
  requestId?: string | null;
}

/** What the core's evaluator says about one candidate now (snapshotted into the application). */
export interface ProgressSnapshot {
  met: boolean;
  /** The evaluation as the core returns it (stored as JSON). */
  evaluation: unknown;
}

export interface ReviewDeps {
  /** The core's progress for a candidate (no authorisation inside). Without it the snapshot says "unavailable" and an explanation is required. */
  progressOf?: (organisationId: string, candidateId: string) => Promise<ProgressSnapshot>;
  /**
   * HOOK for the credentials slice: issue the credential of an approved application. Return the
   * credential's id (stored on the application). Called after the decision is committed; a failure
   * is logged and leaves the decision in place (issue again from the credentials slice).
   */
  issueCredentialOnApproval?: (input: { organisationId: string; applicationId: string; candidateId: string; candidateUserId: string; pathwayId: string; pathwayVersionId: string; decidedByUserId: string }) => Promise<{ credentialId: string } | null>;
}

// ---- input schemas --------------------------------------------------------------------------

const text = (max: number) => z.string().trim().max(max).refine((s) => !s.includes("\u0000"), "Contains a character that is not allowed.");
export const CommitteeInput = z.object({ userId: z.string().trim().min(1).max(100), role: z.enum(["chair", "member"]) });
export const ApplyInput = z.object({
  candidateId: z.uuid({ message: "must be a candidate id (UUID)" }),
  explanation: text(2000).optional(),
  acknowledgeIdentifiers: z.boolean().optional(),
});
export const AssignInput = z.object({ reviewerUserIds: z.array(z.string().trim().min(1).max(100)).min(1).max(10).refine((l) => new Set(l).size === l.length, "List each reviewer once.") });
export const RecommendInput = z.object({ recommendation: z.enum(["approve", "more_needed", "decline"]), comments: text(4000).pipe(z.string().min(1, "Write your comments.")), acknowledgeIdentifiers: z.boolean().optional() });
export const DecideApplicationInput = z.object({ decision: z.enum(["approve", "more_needed", "decline"]), reasons: text(4000).pipe(z.string().min(1, "Write the reasons.")), acknowledgeIdentifiers: z.boolean().optional() });

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (!r.success) throw validationError(r.error.issues);
  return r.data;
}
const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

function checkIdentifiers(field: string, value: string | undefined, acknowledged: boolean | undefined): number {
  if (!value) return 0;
  const findings = findIdentifiers(value);
  if (findings.length && acknowledged !== true) {
    throw new AppError("validation_failed", `${field} looks like it holds an identifier; write about the candidate's training only, or send again with acknowledgeIdentifiers.`, [
      { path: field, message: `Looks like it holds an identifier: ${findings.map((f) => `${f.kind} "${f.text}"`).join("; ")}` },
    ]);
  }
  return findings.length;
}

// ---- views ----------------------------------------------------------------------------------

export interface ApplicationView {
  id: string;
  organisationId: string;
  candidateId: string;
  candidate: { userId: string; name: string };
  pathwayId: string;
  pathwayName: string;
  pathwayVersion: number;
  requirementsMet: boolean;
  explanation: string | null;
  progressSnapshot: unknown;
  status: ApplicationStatus;
  submittedAt: string;
  decision: Recommendation | null;
  decisionReasons: string | null;
  decidedAt: string | null;
  credentialId: string | null;
  reviewers: Array<{ userId: string; name: string; recommendation: Recommendation | null; comments: string | null; recommendedAt: string | null }>;
  /** The actor's relation to it. */
  me: { isCandidate: boolean; isChair: boolean; isReviewer: boolean; hasRecommended: boolean };
}

export interface CommitteeView {
  members: Array<{ userId: string; name: string; role: "chair" | "member" }>;
  myRole: "chair" | "member" | null;
}

type AppRow = typeof application.$inferSelect;

export function createReviewService(kernel: Kernel, deps: ReviewDeps = {}) {
  const { db, mailer, config, logger } = kernel;

  const audit = (tx: Executor, actor: Actor, meta: RequestMeta, organisationId: string, action: string, targetId: string, details: Record<string, string | number | boolean | null> = {}) =>
    recordAudit(tx, { organisationId, actor, action, targetType: "accreditation_application", targetId, details, ipAddress: meta.ipAddress ?? null, requestId: meta.requestId ?? null });

  async function seatOf(orgId: string, userId: string | null): Promise<"chair" | "member" | null> {
    if (!userId) return null;
    const [row] = await db.select({ role: committeeMember.role }).from(committeeMember).where(and(eq(committeeMember.organisationId, orgId), eq(committeeMember.userId, userId)));
    return row?.role ?? null;
  }

  /** 404 for outsiders; 403 for members without the permission or without a committee seat. */
  async function requireSeat(actor: Actor, orgId: string, need: "chair" | "any"): Promise<"chair" | "member"> {
    authorize(actor, "accreditation:review", { organisationId: orgId });
    const seat = await seatOf(orgId, actor.userId);
    if (!seat) throw forbidden("Only members of the accreditation committee may do that.");
    if (need === "chair" && seat !== "chair") throw forbidden("Only the committee chair may do that.");
    return seat;
  }

  async function loadApp(orgId: string, applicationId: string): Promise<AppRow> {
    if (!isUuid(applicationId)) throw notFound("That application");
    const [row] = await db.select().from(application).where(and(eq(application.id, applicationId), eq(application.organisationId, orgId)));
    if (!row) throw notFound("That application");
    return row;
  }

  async function view(row: AppRow, actor: Actor): Promise<ApplicationView> {
    const reviewers = await db
      .select({ r: applicationReviewer, name: user.name })
      .from(applicationReviewer)
      .innerJoin(user, eq(user.id, applicationReviewer.reviewerUserId))
      .where(eq(applicationReviewer.applicationId, row.id))
      .orderBy(asc(applicationReviewer.assignedAt), asc(user.name));
    const [cand] = await db.select({ name: user.name }).from(user).where(eq(user.id, row.candidateUserId));
    const seat = await seatOf(row.organisationId, actor.userId);
    const isCandidate = actor.userId === row.candidateUserId;
    const mine = reviewers.find((r) => r.r.reviewerUserId === actor.userId);
    // The candidate sees the decision and its reasons, not the reviewers' individual comments.
    const showReviews = seat !== null;
    return {
      id: row.id,
      organisationId: row.organisationId,
      candidateId: row.candidateId,
      candidate: { userId: row.candidateUserId, name: cand?.name ?? "" },
      pathwayId: row.pathwayId,
      pathwayName: row.pathwayName,
      pathwayVersion: row.pathwayVersion,
      requirementsMet: row.requirementsMet,
      explanation: row.explanation,
      progressSnapshot: row.progressSnapshot,
      status: row.status,
      submittedAt: row.submittedAt.toISOString(),
      decision: row.decision,
      decisionReasons: row.decisionReasons,
      decidedAt: row.decidedAt?.toISOString() ?? null,
      credentialId: row.credentialId,
      reviewers: showReviews
        ? reviewers.map(({ r, name }) => ({ userId: r.reviewerUserId, name, recommendation: r.recommendation, comments: r.comments, recommendedAt: r.recommendedAt?.toISOString() ?? null }))
        : [],
      me: { isCandidate, isChair: seat === "chair", isReviewer: Boolean(mine), hasRecommended: Boolean(mine?.r.recommendation) },
    };
  }

  async function recipient(userId: string, orgId: string) {
    const [row] = await db
      .select({ email: user.email, name: user.name, locale: profile.locale, orgLocale: organisation.defaultLocale, orgName: organisation.name, slug: organisation.slug })
      .from(user)
      .leftJoin(profile, eq(profile.userId, user.id))
      .innerJoin(organisation, eq(organisation.id, orgId))
      .where(eq(user.id, userId));
    if (!row) return null;
    const locale: Locale = isLocale(row.locale) ? row.locale : isLocale(row.orgLocale) ? row.orgLocale : "en";
    return { ...row, locale };
  }

  const service = {
    // ---- committee ----------------------------------------------------------------------------

    async committee(actor: Actor, orgId: string): Promise<CommitteeView> {
      authorize(actor, "organisation:read", { organisationId: orgId });
      const rows = await db
        .select({ userId: committeeMember.userId, role: committeeMember.role, name: user.name })
        .from(committeeMember)
        .innerJoin(user, eq(user.id, committeeMember.userId))
        .where(eq(committeeMember.organisationId, orgId))
        .orderBy(desc(committeeMember.role), asc(user.name));
      // role 'member' > 'chair' alphabetically: list the chair first.
      rows.sort((a, b) => (a.role === b.role ? 0 : a.role === "chair" ? -1 : 1));
      return { members: rows, myRole: rows.find((r) => r.userId === actor.userId)?.role ?? null };
    },

    /** Owners and admins seat someone on the committee (or change their seat). One chair. */
    async setCommitteeMember(actor: Actor, orgId: string, input: unknown, meta: RequestMeta = {}): Promise<CommitteeView> {
      authorize(actor, "organisation:update", { organisationId: orgId });
      const data = parse(CommitteeInput, input);
      const [m] = await db.select({ role: membership.role }).from(membership).where(and(eq(membership.organisationId, orgId), eq(membership.userId, data.userId)));
      if (!m) throw invalid("userId", "Not a member of this organisation.");
      if (!ROLE_PERMISSIONS[m.role].has("accreditation:review")) throw invalid("userId", "Their role cannot sit on the committee (supervisors, coordinators and above can).");
      try {
        await db.transaction(async (tx) => {
          await tx
            .insert(committeeMember)
            .values({ organisationId: orgId, userId: data.userId, role: data.role })
            .onConflictDoUpdate({ target: [committeeMember.organisationId, committeeMember.userId], set: { role: data.role } });
          await recordAudit(tx, { organisationId: orgId, actor, action: "accreditation_committee.member_set", targetType: "user", targetId: data.userId, details: { role: data.role }, ipAddress: meta.ipAddress ?? null, requestId: meta.requestId ?? null });
        });
      } catch (error) {
        if (uniqueViolation(error) === "accreditation_committee_chair_key") throw conflict("The committee already has a chair; make them a member first.", [{ path: "role", message: "One chair." }]);
        throw error;
      }
      return service.committee(actor, orgId);
    },

    async removeCommitteeMember(actor: Actor, orgId: string, userId: string, meta: RequestMeta = {}): Promise<CommitteeView> {
      authorize(actor, "organisation:update", { organisationId: orgId });
      await db.transaction(async (tx) => {
        const r = await tx.delete(committeeMember).where(and(eq(committeeMember.organisationId, orgId), eq(committeeMember.userId, userId))).returning();
        if (!r.length) throw notFound("That committee member");
        await recordAudit(tx, { organisationId: orgId, actor, action: "accreditation_committee.member_removed", targetType: "user", targetId: userId, ipAddress: meta.ipAddress ?? null, requestId: meta.requestId ?? null });
      });
      return service.committee(actor, orgId);
    },

    // ---- the candidate ------------------------------------------------------------------------

    async apply(actor: Actor, orgId: string, input: unknown, meta: RequestMeta = {}): Promise<ApplicationView> {
      authorize(actor, "organisation:read", { organisationId: orgId });
      const me = requireUser(actor);
      const data = parse(ApplyInput, input);
      const [cand] = await db
        .select({ c: accreditationCandidate, version: accreditationPathwayVersion.version, pathwayName: accreditationPathway.name })
        .from(accreditationCandidate)
        .innerJoin(accreditationPathwayVersion, eq(accreditationPathwayVersion.id, accreditationCandidate.pathwayVersionId))
        .innerJoin(accreditationPathway, eq(accreditationPathway.id, accreditationCandidate.pathwayId))
        .where(and(eq(accreditationCandidate.id, data.candidateId), eq(accreditationCandidate.organisationId, orgId)));
      // Someone else's candidacy is not yours to apply for: 404 (no confirmation it exists).
      if (!cand || cand.c.userId !== me) throw notFound("That candidacy");
      if (cand.c.status !== "active") throw conflict(cand.c.status === "applied" ? "You have already applied on this pathway." : "This candidacy cannot apply now.");
      const progress: ProgressSnapshot = deps.progressOf ? await deps.progressOf(orgId, cand.c.id) : { met: false, evaluation: { unavailable: true } };
      const explanation = data.explanation?.trim() || undefined;
      if (!progress.met && !explanation) throw invalid("explanation", "The requirements are not all met yet: explain why you apply now.");
      const warnings = checkIdentifiers("explanation", explanation, data.acknowledgeIdentifiers);
      try {
        const row = await db.transaction(async (tx) => {
          const moved = await tx
            .update(accreditationCandidate)
            .set({ status: "applied", statusChangedAt: new Date(), updatedAt: new Date() })
            .where(and(eq(accreditationCandidate.id, cand.c.id), eq(accreditationCandidate.status, "active")))
            .returning({ id: accreditationCandidate.id });
          if (!moved.length) throw conflict("You have already applied on this pathway.");
          const [created] = await tx
            .insert(application)
            .values({
              organisationId: orgId,
              candidateId: cand.c.id,
              candidateUserId: me,
              pathwayId: cand.c.pathwayId,
              pathwayVersionId: cand.c.pathwayVersionId,
              pathwayVersion: cand.version,
              pathwayName: cand.pathwayName,
              progressSnapshot: progress.evaluation ?? null,
              requirementsMet: progress.met,
              explanation: explanation ?? null,
            })
            .returning();
          await audit(tx, actor, meta, orgId, "accreditation_application.submitted", created!.id, { candidateId: cand.c.id, pathwayVersion: cand.version, requirementsMet: progress.met, identifierWarnings: warnings });
          return created!;
        });
        return view(row, actor);
      } catch (error) {
        if (uniqueViolation(error) === "accreditation_application_open_key") throw conflict("You have already applied on this pathway.");
        throw error;
      }
    },

    async withdraw(actor: Actor, orgId: string, applicationId: string, meta: RequestMeta = {}): Promise<ApplicationView> {
      authorize(actor, "organisation:read", { organisationId: orgId });
      const row = await loadApp(orgId, applicationId);
      if (row.candidateUserId !== actor.userId) throw notFound("That application");
      const refusal = stepRefusal(row.status, "withdraw");
      if (refusal) throw conflict(refusal);
      const updated = await db.transaction(async (tx) => {
        const [u] = await tx.update(application).set({ status: "withdrawn" }).where(and(eq(application.id, row.id), inArray(application.status, ["submitted", "in_review"]))).returning();
        if (!u) throw conflict("This application changed meanwhile.");
        await tx.update(accreditationCandidate).set({ status: "active", statusChangedAt: new Date(), updatedAt: new Date() }).where(and(eq(accreditationCandidate.id, row.candidateId), eq(accreditationCandidate.status, "applied")));
        await audit(tx, actor, meta, orgId, "accreditation_application.withdrawn", row.id);
        return u;
      });
      return view(updated, actor);
    },

    /** The actor's own applications in the organisation. */
    async myApplications(actor: Actor, orgId: string): Promise<ApplicationView[]> {
      authorize(actor, "organisation:read", { organisationId: orgId });
      const me = requireUser(actor);
      const rows = await db.select().from(application).where(and(eq(application.organisationId, orgId), eq(application.candidateUserId, me))).orderBy(desc(application.submittedAt));
      return Promise.all(rows.map((r) => view(r, actor)));
    },

    /** The candidate or a committee member; anyone else in the organisation gets 404. */
    async get(actor: Actor, orgId: string, applicationId: string): Promise<ApplicationView> {
      authorize(actor, "organisation:read", { organisationId: orgId });
      const row = await loadApp(orgId, applicationId);
      if (row.candidateUserId !== actor.userId) {
        if (!can(actor, "accreditation:review", { organisationId: orgId }) || !(await seatOf(orgId, actor.userId))) throw notFound("That application");
      }
      return view(row, actor);
    },

    // ---- the committee ------------------------------------------------------------------------

    /** Committee queue: open applications (and the last decided ones). */
    async queue(actor: Actor, orgId: string): Promise<{ open: ApplicationView[]; decided: ApplicationView[]; myRole: "chair" | "member" }> {
      const seat = await requireSeat(actor, orgId, "any");
      const rows = await db.select().from(application).where(eq(application.organisationId, orgId)).orderBy(asc(application.submittedAt));
      const open = rows.filter((r) => r.status === "submitted" || r.status === "in_review");
      const decided = rows.filter((r) => r.status === "decided").slice(-20).toReversed();
      return { open: await Promise.all(open.map((r) => view(r, actor))), decided: await Promise.all(decided.map((r) => view(r, actor))), myRole: seat };
    },

    async assignReviewers(actor: Actor, orgId: string, applicationId: string, input: unknown, meta: RequestMeta = {}): Promise<ApplicationView> {
      const data = parse(AssignInput, input);
      await requireSeat(actor, orgId, "chair");
      const row = await loadApp(orgId, applicationId);
      const refusal = stepRefusal(row.status, "assign");
      if (refusal) throw conflict(refusal);
      const seats = await db.select({ userId: committeeMember.userId }).from(committeeMember).where(and(eq(committeeMember.organisationId, orgId), inArray(committeeMember.userId, data.reviewerUserIds)));
      const seated = new Set(seats.map((s) => s.userId));
      for (const [i, id] of data.reviewerUserIds.entries()) {
        if (!seated.has(id)) throw invalid(`reviewerUserIds.${i}`, "Not a member of the accreditation committee.");
        if (id === row.candidateUserId) throw invalid(`reviewerUserIds.${i}`, "A candidate cannot review their own application.");
      }
      const updated = await db.transaction(async (tx) => {
        const [locked] = await tx.select().from(application).where(eq(application.id, row.id)).for("update");
        const again = stepRefusal(locked!.status, "assign");
        if (again) throw conflict(again);
        await tx.insert(applicationReviewer).values(data.reviewerUserIds.map((id) => ({ applicationId: row.id, reviewerUserId: id, assignedByUserId: actor.userId }))).onConflictDoNothing();
        const [u] = await tx.update(application).set({ status: "in_review" }).where(eq(application.id, row.id)).returning();
        await audit(tx, actor, meta, orgId, "accreditation_application.reviewers_assigned", row.id, { reviewers: data.reviewerUserIds.length });
        return u!;
      });
      return view(updated, actor);
    },

    async recommend(actor: Actor, orgId: string, applicationId: string, input: unknown, meta: RequestMeta = {}): Promise<ApplicationView> {
      const data = parse(RecommendInput, input);
      await requireSeat(actor, orgId, "any");
      const row = await loadApp(orgId, applicationId);
      const updated = await db.transaction(async (tx) => {
        const [locked] = await tx.select().from(application).where(eq(application.id, row.id)).for("update");
        const [mine] = await tx.select().from(applicationReviewer).where(and(eq(applicationReviewer.applicationId, row.id), eq(applicationReviewer.reviewerUserId, actor.userId!)));
        if (!mine && locked!.status === "in_review") throw forbidden("You are not a reviewer of this application.");
        const refusal = stepRefusal(locked!.status, "recommend", { isAssignedReviewer: Boolean(mine), alreadyRecommended: Boolean(mine?.recommendation) });
        if (refusal) throw mine || locked!.status !== "in_review" ? conflict(refusal) : forbidden(refusal);
        const warnings = checkIdentifiers("comments", data.comments, data.acknowledgeIdentifiers);
        await tx
          .update(applicationReviewer)
          .set({ recommendation: data.recommendation, comments: data.comments, recommendedAt: new Date() })
          .where(and(eq(applicationReviewer.applicationId, row.id), eq(applicationReviewer.reviewerUserId, actor.userId!)));
        await audit(tx, actor, meta, orgId, "accreditation_application.recommended", row.id, { recommendation: data.recommendation, identifierWarnings: warnings });
        return locked!;
      });
      return view(updated, actor);
    },

    async decide(actor: Actor, orgId: string, applicationId: string, input: unknown, meta: RequestMeta = {}): Promise<ApplicationView> {
      const data = parse(DecideApplicationInput, input);
      await requireSeat(actor, orgId, "chair");
      const row = await loadApp(orgId, applicationId);
      const warnings = checkIdentifiers("reasons", data.reasons, data.acknowledgeIdentifiers);
      const decidedAt = new Date();
      const updated = await db.transaction(async (tx) => {
        const [locked] = await tx.select().from(application).where(eq(application.id, row.id)).for("update");
        const reviews = await tx.select({ recommendation: applicationReviewer.recommendation }).from(applicationReviewer).where(eq(applicationReviewer.applicationId, row.id));
        const refusal = stepRefusal(locked!.status, "decide", { reviewers: reviews.length, recommendations: reviews.filter((r) => r.recommendation).length });
        if (refusal) throw conflict(refusal);
        const [u] = await tx.update(application).set({ status: "decided", decision: data.decision, decisionReasons: data.reasons, decidedByUserId: actor.userId, decidedAt }).where(eq(application.id, row.id)).returning();
        await tx
          .update(accreditationCandidate)
          .set({ status: data.decision === "approve" ? "accredited" : "active", statusChangedAt: decidedAt, updatedAt: decidedAt })
          .where(eq(accreditationCandidate.id, row.candidateId));
        await audit(tx, actor, meta, orgId, "accreditation_application.decided", row.id, { decision: data.decision, identifierWarnings: warnings });
        return u!;
      });
      let final = updated;
      if (data.decision === "approve" && deps.issueCredentialOnApproval) {
        try {
          const issued = await deps.issueCredentialOnApproval({ organisationId: orgId, applicationId: row.id, candidateId: row.candidateId, candidateUserId: row.candidateUserId, pathwayId: row.pathwayId, pathwayVersionId: row.pathwayVersionId, decidedByUserId: actor.userId! });
          if (issued) {
            const [u] = await db.update(application).set({ credentialId: issued.credentialId }).where(eq(application.id, row.id)).returning();
            final = u!;
          }
        } catch (error) {
          logger.error({ err: error, applicationId: row.id }, "issuing the credential of an approved application failed");
        }
      }
      const to = await recipient(row.candidateUserId, orgId);
      if (to) {
        await mailer.send(
          to.email,
          {
            template: "accreditationDecision",
            locale: to.locale,
            recipientName: to.name,
            values: { organisation: to.orgName, pathway: row.pathwayName, decision: data.decision, reasons: data.reasons },
            actionUrl: `${config.appUrl}/o/${to.slug}/accreditation/applications/${row.id}`,
          },
          { organisationId: orgId },
        );
      }
      return view(final, actor);
    },
  };
  return service;
}

export type ReviewService = ReturnType<typeof createReviewService>;
