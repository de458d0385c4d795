// The feedback slice: anonymous answers of members about a meeting they attended, seen by the
// group's leaders only as aggregates over closed bins. Design: docs/decisions/013-anonymous-feedback.md;
// the pure rules are in privacy.ts.
//
// - Eligibility is checked, never stored: a member recorded PRESENT at the meeting (session_attendance),
//   the meeting not cancelled, its feedback window open (`feedbackOpen`, 7 days from the meeting's
//   original start). Leaders and co-leaders of the group are not asked.
// - An answer row holds the group, the meeting and the answer: no user id, no time of answering.
//   A second answer is stopped by a nullifier: HMAC-SHA256 under a key derived (HKDF) from the
//   server's auth secret over "userId|groupId|occurrenceStart ISO", inserted with the answer in one
//   transaction (primary key: a second answer gets 409). Nullifiers are deleted once the window
//   has closed (`closeBins`, the daily job, and lazily on every leaders' view).
// - No audit entry per answer; bin closures are audited (system actor, counts only). The request
//   log lines of the answer routes carry no identity (`markAnonymousRequest` in app.server.ts).
// - Leaders see closed bins only: `binsToClose` over meetings whose window has closed, "scores" at
//   `effectiveMinCell(org minimumCellSize)` answers and "comments" at `commentMinCell(…)` COMMENTS
//   (answers that carry a comment), so a comment bin always holds at least 10 comments. Closing runs
//   in one transaction under a row lock on the group (NO KEY UPDATE) with ON CONFLICT DO NOTHING on
//   the bin key, so two app instances closing at once write each bin once.
import { createHmac, hkdfSync } from "node:crypto";
import { and, asc, desc, eq, gt, gte, inArray, isNotNull, lte, sql } from "drizzle-orm";
import { recordAudit } from "../../platform/audit/audit.server.ts";
import type { Executor } from "../../platform/db/client.server.ts";
import { AppError, type FieldError } from "../../platform/http/errors.ts";
import type { Kernel } from "../../platform/kernel.server.ts";
import { definePeriodicJob } from "../../platform/jobs/periodic.server.ts";
import { authorize, can, requireUser, type Actor } from "../../platform/policy/policy.ts";
import { organisation } from "../../platform/tenancy/schema.ts";
import { balintGroup, groupLeader, groupMembership } from "../groups/schema.ts";
import { attendance, sessionException } from "../sessions/schema.ts";
import { findIdentifiers, type IdentifierFinding } from "../debrief/identifier-check.ts";
import {
  FEEDBACK_VALUES,
  FEEDBACK_WINDOW_DAYS,
  binsToClose,
  commentMinCell,
  effectiveMinCell,
  feedbackOpen,
  shuffledComments,
  summariseBin,
  type BinSummary,
  type FeedbackAnswer,
  type FeedbackBin,
  type FeedbackValue,
  type MeetingTally,
} from "./privacy.ts";
import { FeedbackInput } from "./schemas.ts";
import { feedbackAnswer, feedbackBin, feedbackNullifier } from "./schema.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY_MS = 86_400_000;
const WINDOW_MS = FEEDBACK_WINDOW_DAYS * DAY_MS;
export const FEEDBACK_CLOSE_QUEUE = "feedback-close-bins";
export const NULLIFIER_INFO = "balint-commons feedback nullifier v1";

export type EligibilityStatus = "open" | "answered" | "closed" | "not_yet" | "cancelled" | "not_present" | "leader";

export interface Eligibility {
  organisationId: string;
  groupId: string;
  groupName: string;
  occurrenceStart: string;
  /** When members can no longer answer (the meeting's original start + 7 days). */
  closesAt: string;
  status: EligibilityStatus;
}

export interface PendingFeedback {
  organisationId: string;
  groupId: string;
  groupName: string;
  occurrenceStart: string;
  closesAt: string;
}

export interface LeaderBin {
  seq: number;
  fromOccurrence: string;
  toOccurrence: string;
  responses: number;
  minCell: number;
}

export interface LeaderView {
  organisationId: string;
  groupId: string;
  groupName: string;
  /** Thresholds for bins closed from now on (older bins keep the one they closed with). */
  minCell: number;
  commentMinCell: number;
  windowDays: number;
  /** Newest first. */
  scoreBins: (LeaderBin & { summary: BinSummary })[];
  /** Newest first; comments in a fresh random order each time. */
  commentBins: (LeaderBin & { comments: string[] })[];
  /** The last meeting covered by a closed bin (answers after it are still being gathered); no count, on purpose. */
  gatheringAfter: string | null;
}

/** A comment the identifier check flagged: 422 until the member confirms ("send anyway"). */
export class IdentifierWarning extends Error {
  readonly findings: IdentifierFinding[];
  constructor(findings: IdentifierFinding[]) {
    super("The comment looks like it may name a person or hold an identifier. Rephrase it, or confirm to send it anyway.");
    this.name = "IdentifierWarning";
    this.findings = findings;
  }
}

export function isIdentifierWarning(error: unknown): error is IdentifierWarning {
  return error instanceof IdentifierWarning || (typeof error === "object" && error !== null && (error as { name?: unknown }).name === "IdentifierWarning");
}

const notFound = () => new AppError("not_found", "That meeting was not found.");

/** "2030-01-02T19:00:00.000Z" (or with an offset) → Date; 400 naming `start` otherwise. */
export function parseStart(raw: string): Date {
  const ok = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(raw);
  const date = new Date(raw);
  if (!ok || Number.isNaN(date.getTime())) throw new AppError("validation_failed", "Invalid start: must be a meeting's start (ISO 8601 date-time).", [{ path: "start", message: "must be a meeting's start (ISO 8601 date-time)" }]);
  return date;
}

/** zod issues → fields; an unknown field is named by its own path (not "(body)"). */
export function parseFeedbackInput(raw: unknown): FeedbackInput {
  const parsed = FeedbackInput.safeParse(raw);
  if (parsed.success) return parsed.data;
  const fields: FieldError[] = [];
  for (const issue of parsed.error.issues) {
    const base = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) fields.push({ path: base ? `${base}.${key}` : key, message: "is not a field of this form" });
    } else fields.push({ path: base || "(body)", message: issue.message });
  }
  const first = fields[0]!;
  throw new AppError("validation_failed", `Invalid ${first.path}: ${first.message}`, fields);
}

export function createFeedbackService(kernel: Kernel) {
  const { db, config, jobs, logger } = kernel;
  const nullifierKey = Buffer.from(hkdfSync("sha256", Buffer.from(config.authSecret, "utf8"), Buffer.alloc(0), Buffer.from(NULLIFIER_INFO, "utf8"), 32));

  /** The one-time mark of (person, meeting). Not stored anywhere else; needs the server secret. */
  function nullifierOf(userId: string, groupId: string, occurrenceStart: Date): string {
    return createHmac("sha256", nullifierKey).update(`${userId}|${groupId}|${occurrenceStart.toISOString()}`, "utf8").digest("hex");
  }

  async function loadGroup(actor: Actor, orgId: string, groupId: string) {
    authorize(actor, "groups:read", { organisationId: orgId });
    if (!UUID.test(groupId)) throw notFound();
    const [group] = await db.select().from(balintGroup).where(and(eq(balintGroup.id, groupId), eq(balintGroup.organisationId, orgId)));
    if (!group) throw notFound();
    return group;
  }

  async function isLeaderOf(groupId: string, userId: string): Promise<boolean> {
    const [row] = await db.select({ kind: groupLeader.kind }).from(groupLeader).where(and(eq(groupLeader.groupId, groupId), eq(groupLeader.userId, userId)));
    return row !== undefined;
  }

  async function isCancelled(groupId: string, occurrenceStart: Date): Promise<boolean> {
    const [row] = await db
      .select({ id: sessionException.id })
      .from(sessionException)
      .where(and(eq(sessionException.groupId, groupId), eq(sessionException.occurrenceStart, occurrenceStart), eq(sessionException.kind, "cancelled")));
    return row !== undefined;
  }

  async function eligibilityOf(actor: Actor, orgId: string, groupId: string, start: string, now: Date): Promise<Eligibility & { userId: string; nullifier: string }> {
    const userId = requireUser(actor);
    const group = await loadGroup(actor, orgId, groupId);
    const occurrenceStart = parseStart(start);
    const [present] = await db
      .select({ status: attendance.status })
      .from(attendance)
      .where(and(eq(attendance.groupId, group.id), eq(attendance.occurrenceStart, occurrenceStart), eq(attendance.userId, userId)));
    const leads = await isLeaderOf(group.id, userId);
    if (!present && !leads) {
      // Outsiders of a private group learn nothing about it.
      const [member] = await db.select({ id: groupMembership.id }).from(groupMembership).where(and(eq(groupMembership.groupId, group.id), eq(groupMembership.userId, userId)));
      if (group.visibility === "private" && !member && !can(actor, "groups:manage", { organisationId: orgId })) throw notFound();
    }
    const nullifier = nullifierOf(userId, group.id, occurrenceStart);
    let status: EligibilityStatus;
    if (leads) status = "leader";
    else if (present?.status !== "present") status = "not_present";
    else if (await isCancelled(group.id, occurrenceStart)) status = "cancelled";
    else if (now.getTime() < occurrenceStart.getTime()) status = "not_yet";
    else if (!feedbackOpen(occurrenceStart, now)) status = "closed";
    else {
      const [used] = await db.select({ n: feedbackNullifier.nullifier }).from(feedbackNullifier).where(eq(feedbackNullifier.nullifier, nullifier));
      status = used ? "answered" : "open";
    }
    return {
      organisationId: orgId,
      groupId: group.id,
      groupName: group.name,
      occurrenceStart: occurrenceStart.toISOString(),
      closesAt: new Date(occurrenceStart.getTime() + WINDOW_MS).toISOString(),
      status,
      userId,
      nullifier,
    };
  }

  async function minCellOf(tx: Executor, orgId: string): Promise<number> {
    const [org] = await tx.select({ settings: organisation.settings }).from(organisation).where(eq(organisation.id, orgId));
    return effectiveMinCell(org?.settings?.minimumCellSize);
  }

  const toBin = (r: typeof feedbackBin.$inferSelect): FeedbackBin => ({ kind: r.kind, seq: r.seq, fromOccurrence: r.fromOccurrence.toISOString(), toOccurrence: r.toOccurrence.toISOString(), responses: r.responses, minCell: r.minCell });

  /**
   * Closes the bins that are due for one group (meetings whose window has closed) and deletes the
   * nullifiers of closed windows: one transaction, under a row lock on the group. Returns new bins.
   */
  async function closeBins(groupId: string, now = new Date()): Promise<FeedbackBin[]> {
    const cutoff = new Date(now.getTime() - WINDOW_MS);
    return db.transaction(async (tx) => {
      const [group] = await tx.select({ id: balintGroup.id, organisationId: balintGroup.organisationId }).from(balintGroup).where(eq(balintGroup.id, groupId)).for("no key update");
      if (!group) return [];
      const minCell = await minCellOf(tx, group.organisationId);
      const created: FeedbackBin[] = [];
      for (const kind of ["scores", "comments"] as const) {
        const closed = (await tx.select().from(feedbackBin).where(and(eq(feedbackBin.groupId, groupId), eq(feedbackBin.kind, kind))).orderBy(asc(feedbackBin.seq))).map(toBin);
        const rows = await tx
          .select({ occurrenceStart: feedbackAnswer.occurrenceStart, n: sql<number>`count(*)::int` })
          .from(feedbackAnswer)
          .where(and(eq(feedbackAnswer.groupId, groupId), lte(feedbackAnswer.occurrenceStart, cutoff), ...(kind === "comments" ? [isNotNull(feedbackAnswer.comment)] : [])))
          .groupBy(feedbackAnswer.occurrenceStart);
        const tallies: MeetingTally[] = rows.map((r) => ({ occurrenceStart: r.occurrenceStart.toISOString(), responses: Number(r.n) }));
        const bins = binsToClose(kind, closed, tallies, kind === "scores" ? minCell : commentMinCell(minCell));
        for (const b of bins) {
          const inserted = await tx
            .insert(feedbackBin)
            .values({ groupId, kind, seq: b.seq, fromOccurrence: new Date(b.fromOccurrence), toOccurrence: new Date(b.toOccurrence), responses: b.responses, minCell: b.minCell, closedAt: now })
            .onConflictDoNothing()
            .returning();
          if (inserted.length === 0) continue;
          created.push(b);
          await recordAudit(tx, { organisationId: group.organisationId, action: "feedback.bin_closed", targetType: "group", targetId: groupId, details: { kind, seq: b.seq, responses: b.responses } });
        }
      }
      // Meetings whose window has just closed: give their answers new row versions (a new id, and
      // this transaction's id in place of the one each answer was written in), so that after the
      // nullifiers go, not even the timing of an answer's write can tie it to a person's other
      // writes of that moment (ADR 013). The old row versions are removed by (auto)vacuum.
      const closing = await tx.selectDistinct({ occurrenceStart: feedbackNullifier.occurrenceStart }).from(feedbackNullifier).where(and(eq(feedbackNullifier.groupId, groupId), lte(feedbackNullifier.occurrenceStart, cutoff)));
      if (closing.length > 0) {
        await tx
          .update(feedbackAnswer)
          .set({ id: sql`gen_random_uuid()` })
          .where(and(eq(feedbackAnswer.groupId, groupId), inArray(feedbackAnswer.occurrenceStart, closing.map((c) => c.occurrenceStart))));
      }
      await tx.delete(feedbackNullifier).where(and(eq(feedbackNullifier.groupId, groupId), lte(feedbackNullifier.occurrenceStart, cutoff)));
      return created;
    });
  }

  /** Every group with feedback: close due bins; then purge every nullifier of a closed window. */
  async function closeAllBins(now = new Date()): Promise<{ groups: number; bins: number }> {
    const cutoff = new Date(now.getTime() - WINDOW_MS);
    const answered = await db.selectDistinct({ groupId: feedbackAnswer.groupId }).from(feedbackAnswer).where(lte(feedbackAnswer.occurrenceStart, cutoff));
    const marked = await db.selectDistinct({ groupId: feedbackNullifier.groupId }).from(feedbackNullifier).where(lte(feedbackNullifier.occurrenceStart, cutoff));
    const ids = [...new Set([...answered, ...marked].map((r) => r.groupId))];
    let bins = 0;
    for (const id of ids) bins += (await closeBins(id, now)).length;
    await db.delete(feedbackNullifier).where(lte(feedbackNullifier.occurrenceStart, cutoff));
    return { groups: ids.length, bins };
  }

  // ---- the daily job --------------------------------------------------------------------------
  // Once a day (03:00 UTC) across all instances: close due bins and purge nullifiers (ADR 013).
  const dailyClose = definePeriodicJob(
    { jobs, db, logger },
    {
      name: FEEDBACK_CLOSE_QUEUE,
      periodMs: DAY_MS,
      offsetMs: 3 * 3_600_000,
      run: async (now) => {
        const outcome = await closeAllBins(now);
        logger.debug(outcome, "feedback bins closed");
      },
    },
  );

  async function summariesOf(groupId: string, bins: FeedbackBin[]) {
    const out: (LeaderBin & { summary: BinSummary })[] = [];
    for (const b of bins) {
      const rows = await db
        .select()
        .from(feedbackAnswer)
        .where(and(eq(feedbackAnswer.groupId, groupId), gte(feedbackAnswer.occurrenceStart, new Date(b.fromOccurrence)), lte(feedbackAnswer.occurrenceStart, new Date(b.toOccurrence))));
      const answers: FeedbackAnswer[] = rows.map((r) => ({
        scores: { safe_to_speak: r.safeToSpeak, felt_heard: r.feltHeard, see_differently: r.seeDifferently },
        values: r.values.filter((v): v is FeedbackValue => (FEEDBACK_VALUES as readonly string[]).includes(v)),
        comment: r.comment,
      }));
      const { kind: _kind, ...bin } = b;
      out.push({ ...bin, summary: summariseBin(answers, b.minCell) });
    }
    return out;
  }

  return {
    nullifierOf,
    closeBins,
    closeAllBins,
    /** Runs the daily close for one slot (day) if no instance has yet (tests). */
    runDailyClose: (slot: number, now = new Date()) => dailyClose.runSlot(slot, now),

    /** The organisation of a group the actor belongs to (for pages addressed by group); 404 otherwise. */
    async organisationOf(actor: Actor, groupId: string): Promise<string> {
      requireUser(actor);
      if (!UUID.test(groupId)) throw notFound();
      const [g] = await db.select({ organisationId: balintGroup.organisationId }).from(balintGroup).where(eq(balintGroup.id, groupId));
      if (!g || !actor.memberships.has(g.organisationId)) throw notFound();
      return g.organisationId;
    },

    /** Starts the daily chain (safe on every instance and every restart). */
    async startScheduler(now = new Date()) {
      await dailyClose.start(now);
    },

    /** Whether the actor may answer for this meeting now, and if not, why. Outsiders: 404. */
    async eligibility(actor: Actor, orgId: string, groupId: string, start: string, now = new Date()): Promise<Eligibility> {
      const { userId: _u, nullifier: _n, ...rest } = await eligibilityOf(actor, orgId, groupId, start, now);
      return rest;
    },

    /**
     * Records one anonymous answer. 400 bad input (naming the field), 403 not present / a leader,
     * 409 cancelled / window closed / already answered, IdentifierWarning (422) when the comment
     * has findings and `confirmComment` is not true. Nothing about the person is written.
     */
    async submit(actor: Actor, orgId: string, groupId: string, start: string, raw: unknown, now = new Date()): Promise<{ answered: true }> {
      const e = await eligibilityOf(actor, orgId, groupId, start, now);
      const input = parseFeedbackInput(raw);
      switch (e.status) {
        case "leader":
          throw new AppError("forbidden", "Leaders are not asked for feedback on the meetings they lead.");
        case "not_present":
          throw new AppError("forbidden", "Only members recorded present at this meeting can answer.");
        case "cancelled":
          throw new AppError("conflict", "This meeting was cancelled.", [{ path: "start", message: "this meeting was cancelled" }]);
        case "not_yet":
          throw new AppError("conflict", "This meeting has not started yet.", [{ path: "start", message: "this meeting has not started yet" }]);
        case "closed":
          throw new AppError("conflict", "Feedback for this meeting has closed.", [{ path: "start", message: "the feedback window has closed" }]);
        case "answered":
          throw new AppError("conflict", "You have already answered for this meeting.");
        case "open":
          break;
      }
      const comment = input.comment?.trim() ? input.comment.trim() : null;
      if (comment) {
        const findings = findIdentifiers(comment);
        if (findings.length > 0 && input.confirmComment !== true) throw new IdentifierWarning(findings);
      }
      const values = [...new Set(input.values ?? [])];
      const occurrenceStart = new Date(e.occurrenceStart);
      await db.transaction(async (tx) => {
        const claimed = await tx.insert(feedbackNullifier).values({ nullifier: e.nullifier, groupId: e.groupId, occurrenceStart }).onConflictDoNothing().returning({ n: feedbackNullifier.nullifier });
        if (claimed.length === 0) throw new AppError("conflict", "You have already answered for this meeting.");
        await tx.insert(feedbackAnswer).values({ organisationId: orgId, groupId: e.groupId, occurrenceStart, safeToSpeak: input.safeToSpeak, feltHeard: input.feltHeard, seeDifferently: input.seeDifferently, values, comment });
      });
      return { answered: true };
    },

    /** The group's leaders and co-leaders: closed bins, newest first. Everyone else: 404. */
    async leaderView(actor: Actor, orgId: string, groupId: string, now = new Date()): Promise<LeaderView> {
      const userId = requireUser(actor);
      const group = await loadGroup(actor, orgId, groupId);
      if (!(await isLeaderOf(group.id, userId))) throw new AppError("not_found", "That group was not found.");
      await closeBins(group.id, now);
      const minCell = await minCellOf(db, orgId);
      const rows = (await db.select().from(feedbackBin).where(eq(feedbackBin.groupId, group.id)).orderBy(desc(feedbackBin.seq))).map(toBin);
      const scoreBins = await summariesOf(group.id, rows.filter((b) => b.kind === "scores"));
      const commentBins: LeaderView["commentBins"] = [];
      for (const b of rows.filter((r) => r.kind === "comments")) {
        const list = await db
          .select({ comment: feedbackAnswer.comment })
          .from(feedbackAnswer)
          .where(and(eq(feedbackAnswer.groupId, group.id), gte(feedbackAnswer.occurrenceStart, new Date(b.fromOccurrence)), lte(feedbackAnswer.occurrenceStart, new Date(b.toOccurrence)), isNotNull(feedbackAnswer.comment)));
        const comments = list.map((r) => r.comment!);
        if (comments.length < b.minCell) continue; // never show a smaller set than the bin closed with
        const { kind: _kind, ...bin } = b;
        commentBins.push({ ...bin, comments: shuffledComments(comments) });
      }
      return {
        organisationId: orgId,
        groupId: group.id,
        groupName: group.name,
        minCell,
        commentMinCell: commentMinCell(minCell),
        windowDays: FEEDBACK_WINDOW_DAYS,
        scoreBins,
        commentBins,
        gatheringAfter: scoreBins[0]?.toOccurrence ?? null,
      };
    },

    /** Meetings I attended (present) whose window is open and that I have not answered. */
    async myPending(actor: Actor, now = new Date()): Promise<{ items: PendingFeedback[] }> {
      const userId = requireUser(actor);
      const rows = await db
        .select({ groupId: attendance.groupId, occurrenceStart: attendance.occurrenceStart, groupName: balintGroup.name, organisationId: balintGroup.organisationId })
        .from(attendance)
        .innerJoin(balintGroup, eq(balintGroup.id, attendance.groupId))
        .where(and(eq(attendance.userId, userId), eq(attendance.status, "present"), gt(attendance.occurrenceStart, new Date(now.getTime() - WINDOW_MS)), lte(attendance.occurrenceStart, now)))
        .orderBy(desc(attendance.occurrenceStart));
      const candidates = rows.filter((r) => actor.memberships.has(r.organisationId) && (!actor.tokenScope || actor.tokenScope.organisationId === r.organisationId));
      if (candidates.length === 0) return { items: [] };
      const groupIds = [...new Set(candidates.map((r) => r.groupId))];
      const led = new Set((await db.select({ groupId: groupLeader.groupId }).from(groupLeader).where(and(eq(groupLeader.userId, userId), inArray(groupLeader.groupId, groupIds)))).map((r) => r.groupId));
      const cancelled = new Set(
        (await db.select({ groupId: sessionException.groupId, occurrenceStart: sessionException.occurrenceStart }).from(sessionException).where(and(inArray(sessionException.groupId, groupIds), eq(sessionException.kind, "cancelled")))).map((r) => `${r.groupId}|${r.occurrenceStart.toISOString()}`),
      );
      const open = candidates.filter((r) => !led.has(r.groupId) && !cancelled.has(`${r.groupId}|${r.occurrenceStart.toISOString()}`) && feedbackOpen(r.occurrenceStart, now));
      if (open.length === 0) return { items: [] };
      const marks = open.map((r) => nullifierOf(userId, r.groupId, r.occurrenceStart));
      const used = new Set((await db.select({ n: feedbackNullifier.nullifier }).from(feedbackNullifier).where(inArray(feedbackNullifier.nullifier, marks))).map((r) => r.n));
      return {
        items: open
          .filter((_, i) => !used.has(marks[i]!))
          .map((r) => ({ organisationId: r.organisationId, groupId: r.groupId, groupName: r.groupName, occurrenceStart: r.occurrenceStart.toISOString(), closesAt: new Date(r.occurrenceStart.getTime() + WINDOW_MS).toISOString() })),
      };
    },
  };
}

export type FeedbackService = ReturnType<typeof createFeedbackService>;
