// Supervision (brief Q): the supervisors list, supervision agreements, meetings, supervised
// sessions, supervisor reports and the review queue of supervisors and coordinators.
//
// Decisions:
// - Opting in to the supervisors list needs "accreditation:supervise" (supervisors, coordinators
//   and above). Any member of the organisation may ask a listed supervisor (409 when full).
// - Agreement: the supervisor answers a request with terms and fee text (this is their acceptance,
//   recorded with who/when); the candidate then accepts the same text (who/when) → active.
// - Meetings are logged by either side and confirmed or rejected by the OTHER side; only
//   confirmed ones count. One meeting per supervision and day (409).
// - A supervised session is a meeting the candidate led or co-led (session_leader, led) in a group
//   of the organisation, marked by the candidate and confirmed by the supervisor. The same session
//   never counts twice for a person (409). Only a meeting that took place as the schedule now stands
//   can be marked or offered — the sessions slice's rule, read through its `participationOf` (led):
//   not cancelled afterwards, not moved or restored into the future; a meeting held before a pause
//   was added still counts. The core counts a confirmed one only while that still holds.
// - Reports are written only by the supervisor of an active (or ended) supervision: the candidate
//   gets 403, anyone else 404. Ratings must cover the organisation's competency list with levels
//   1..maxLevel (400 naming `ratings.<key>`). The narrative is checked for identifiers
//   (debrief/identifier-check.ts): 400 naming `narrative` unless `acknowledgeIdentifiers`.
// - Parties see their supervision; anyone else in the organisation gets 404. Coordinators
//   ("groups:manage") see every report and the organisation-wide queue.
// - For the accreditation core's evaluator: `supervisionHistoryRecords(db, organisationId, userId)`
//   (progress.ts HistoryRecords) and `supervisionHistory(db, organisationId, userId)` (summary).
// - Report reminders: a daily periodic job (`REPORT_REMINDER_QUEUE`) emails the supervisor of an
//   active supervision once when a report falls due and once more REPORT_OVERDUE_DAYS (14) days
//   later if it is still missing (`reportReminderKind`); nothing before the due date. Each email is
//   claimed first in `accreditation_report_reminder` (supervision, cycle, kind), the cycle being
//   what the due date counts from (the start or the latest report), so re-runs, retries and other
//   instances never send it twice and a change of the interval does not repeat a cycle's reminder.
//   Only supervisors who are still members of the organisation are emailed; the queue still shows it.
// - The competency list is edited one step at a time (add, rename, move up/down, retire, restore;
//   competency-list.ts) under a row lock with "organisation:update", like PUT settings. Retired
//   competencies are kept with their labels (`retiredCompetencies`), never rated again, never reused.
// - Marking a supervised session by picking it: `ledMeetings` lists the held meetings the candidate
//   led or co-led in the organisation's groups (those that took place, as above) and has not marked
//   yet, most recent first, a page at a time (cursor `before`); the REST route still takes ids.
import { and, asc, desc, eq, inArray, isNotNull, isNull, lte, ne, or, sql } from "drizzle-orm";
import { z } from "zod";
import { user } from "../../platform/auth/schema.ts";
import { recordAudit } from "../../platform/audit/audit.server.ts";
import type { Executor } from "../../platform/db/client.server.ts";
import { isLocale, type Locale } from "../../platform/i18n/locales.ts";
import { definePeriodicJob } from "../../platform/jobs/periodic.server.ts";
import { membership, organisation } from "../../platform/tenancy/schema.ts";
import { profile } from "../profile/schema.ts";
import { uniqueViolation } from "../../platform/db/errors.ts";
import { AppError, conflict, forbidden, invalid, notFound, validationError } from "../../platform/http/errors.ts";
import type { Kernel } from "../../platform/kernel.server.ts";
import { authorize, can, requireUser, roleIn, type Actor } from "../../platform/policy/policy.ts";
import { balintGroup } from "../groups/schema.ts";
import { sessionLeader } from "../sessions/schema.ts";
import type { Participation } from "../sessions/service.server.ts";
import { findIdentifiers } from "../debrief/identifier-check.ts";
import type { HistoryRecord } from "./progress.ts";
import { accreditationCandidate, accreditationEvidence } from "./schema.ts";
import { applyCompetencyEdit, reconcileRetired, type CompetencyEdit } from "./competency-list.ts";
import { DEFAULT_COMPETENCIES, DEFAULT_MAX_LEVEL, DEFAULT_REPORT_INTERVAL_MONTHS, checkRatings, meetingsPerYear, nextReportDue, reportReminderKind } from "./supervision.ts";
import { reportReminder, supervisedSession, supervision, supervisionMeeting, supervisionSettings, supervisorListing, supervisorReport } from "./supervision-schema.ts";

export const REPORT_REMINDER_QUEUE = "accreditation.report-reminders";
const DAY_MS = 86_400_000;
/** Options in the supervised-session picker per page. */
export const LED_MEETINGS_PAGE = 20;

export interface RequestMeta {
  ipAddress?: string | null;
  requestId?: string | null;
}

// ---- input schemas (also used by the REST API) ----------------------------------------------

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-03-31.").refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), "Not a real date.");
const shortText = (max: number) => z.string().trim().max(max).refine((s) => !s.includes("\u0000"), "Contains a character that is not allowed.");
const userIdField = z.string().trim().min(1).max(100);

export const SettingsInput = z.object({
  competencies: z
    .array(z.object({ key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, "Use lower-case letters, digits and _."), label: shortText(80).pipe(z.string().min(1)) }))
    .min(1)
    .max(20)
    .refine((l) => new Set(l.map((c) => c.key)).size === l.length, "Competency keys must be unique."),
  maxLevel: z.number().int().min(2).max(10),
  reportIntervalMonths: z.number().int().min(1).max(24),
});

export const ListingInput = z.object({
  capacity: z.number().int().min(0).max(100),
  languages: z.array(z.string().trim().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, "Use a language code like en or es.")).min(1).max(10),
  feeText: shortText(300).default(""),
  mode: z.enum(["online", "in_person", "both"]),
});

export const RequestInput = z.object({ supervisorUserId: userIdField });
export const ProposeInput = z.object({ termsText: shortText(2000).pipe(z.string().min(1, "Write the terms.")), feeText: shortText(300).pipe(z.string().min(1, "Write the fee (or 'none').")) });
export const MeetingInput = z.object({ heldOn: isoDate, minutes: z.number().int().min(5).max(600), mode: z.enum(["online", "in_person"]) });
export const DecideInput = z.object({ confirm: z.boolean() });
export const SupervisedSessionInput = z.object({ groupId: z.uuid({ message: "must be a group id (UUID)" }), occurrenceStart: z.iso.datetime({ offset: true, message: "Use an ISO 8601 date and time." }) });
export const CompetencyAddInput = z.object({
  key: z.string().trim().max(60).optional().transform((k) => k || undefined),
  label: z.string({ message: "Write a name." }).max(200, "At most 80 characters."),
});
export const CompetencyRenameInput = z.object({ label: z.string({ message: "Write a name." }).max(200, "At most 80 characters.") });
export const CompetencyMoveInput = z.object({ direction: z.enum(["up", "down"], { message: "Use up or down." }) });
export const LedMeetingsQuery = z.object({
  before: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T[0-9:.]+Z_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "Use the cursor from the previous page.")
    .refine((c) => !Number.isNaN(Date.parse(c.split("_")[0]!)), "Use the cursor from the previous page.")
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
export const ReportInput = z
  .object({
    periodStart: isoDate,
    periodEnd: isoDate,
    ratings: z.record(z.string().max(40), z.unknown()),
    narrative: shortText(4000).pipe(z.string().min(1, "Write a short narrative.")),
    acknowledgeIdentifiers: z.boolean().optional(),
  })
  .refine((v) => v.periodEnd >= v.periodStart, { path: ["periodEnd"], message: "Must be on or after the start." });

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (!r.success) throw validationError(r.error.issues);
  return r.data;
}
const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

// ---- history for the core's evaluator -------------------------------------------------------

export interface SupervisionHistory {
  /** Confirmed supervision meetings per calendar year of the meeting ("2026" → 10). */
  meetingsPerYear: Record<string, number>;
  /** Every confirmed meeting (date, minutes, supervisor). */
  meetings: Array<{ heldOn: string; minutes: number; supervisorUserId: string }>;
  /** Confirmed supervised sessions (distinct meetings the candidate led, confirmed by the supervisor). */
  supervisedSessions: Array<{ groupId: string; occurrenceStart: string; supervisorUserId: string }>;
  /** The latest report's ratings and when it was submitted; null when there is none. */
  latestReport: { ratings: Record<string, number>; maxLevel: number; periodEnd: string; submittedAt: string; supervisorUserId: string } | null;
  /** Whether the person has an active supervision agreement now. */
  activeSupervision: boolean;
}

/**
 * The supervision records of one person in one organisation, for the accreditation core's
 * requirement evaluator (no authorisation: the caller has already authorised). Only confirmed
 * meetings and sessions count.
 */
export async function supervisionHistory(db: Executor, organisationId: string, userId: string): Promise<SupervisionHistory> {
  const sups = await db
    .select({ id: supervision.id, supervisorUserId: supervision.supervisorUserId, status: supervision.status })
    .from(supervision)
    .where(and(eq(supervision.organisationId, organisationId), eq(supervision.candidateUserId, userId)));
  const bySup = new Map(sups.map((s) => [s.id, s.supervisorUserId]));
  const ids = sups.map((s) => s.id);
  const meetings = ids.length
    ? await db
        .select({ supervisionId: supervisionMeeting.supervisionId, heldOn: supervisionMeeting.heldOn, minutes: supervisionMeeting.minutes, status: supervisionMeeting.status })
        .from(supervisionMeeting)
        .where(and(inArray(supervisionMeeting.supervisionId, ids), eq(supervisionMeeting.status, "confirmed")))
        .orderBy(asc(supervisionMeeting.heldOn))
    : [];
  const sessions = await db
    .select({ supervisionId: supervisedSession.supervisionId, groupId: supervisedSession.groupId, occurrenceStart: supervisedSession.occurrenceStart })
    .from(supervisedSession)
    .where(and(eq(supervisedSession.organisationId, organisationId), eq(supervisedSession.candidateUserId, userId), eq(supervisedSession.status, "confirmed")))
    .orderBy(asc(supervisedSession.occurrenceStart));
  const [latest] = await db
    .select()
    .from(supervisorReport)
    .where(and(eq(supervisorReport.organisationId, organisationId), eq(supervisorReport.candidateUserId, userId)))
    .orderBy(desc(supervisorReport.submittedAt))
    .limit(1);
  return {
    meetingsPerYear: meetingsPerYear(meetings),
    meetings: meetings.map((m) => ({ heldOn: m.heldOn, minutes: m.minutes, supervisorUserId: bySup.get(m.supervisionId)! })),
    supervisedSessions: sessions.map((s) => ({ groupId: s.groupId, occurrenceStart: s.occurrenceStart.toISOString(), supervisorUserId: bySup.get(s.supervisionId)! })),
    latestReport: latest ? { ratings: latest.ratings, maxLevel: latest.maxLevel, periodEnd: latest.periodEnd, submittedAt: latest.submittedAt.toISOString(), supervisorUserId: latest.supervisorUserId } : null,
    activeSupervision: sups.some((s) => s.status === "active"),
  };
}

/**
 * The same records as the accreditation core's `HistoryRecord`s (progress.ts): confirmed
 * supervision meetings, confirmed supervised sessions (id = the led session's id
 * "session:<groupId>:<start ISO>", so they pair with the core's led records) and every report
 * (the evaluator takes the latest). Call: `supervisionHistoryRecords(db, organisationId, userId)`.
 */
export async function supervisionHistoryRecords(db: Executor, organisationId: string, userId: string): Promise<HistoryRecord[]> {
  const sups = await db.select({ id: supervision.id }).from(supervision).where(and(eq(supervision.organisationId, organisationId), eq(supervision.candidateUserId, userId)));
  const ids = sups.map((s) => s.id);
  const out: HistoryRecord[] = [];
  if (ids.length) {
    const meetings = await db
      .select({ id: supervisionMeeting.id, heldOn: supervisionMeeting.heldOn })
      .from(supervisionMeeting)
      .where(and(inArray(supervisionMeeting.supervisionId, ids), eq(supervisionMeeting.status, "confirmed")));
    for (const m of meetings) out.push({ type: "supervision_meeting", id: `supervision_meeting:${m.id}`, at: `${m.heldOn}T00:00:00.000Z` });
  }
  const sessions = await db
    .select({ groupId: supervisedSession.groupId, occurrenceStart: supervisedSession.occurrenceStart })
    .from(supervisedSession)
    .where(and(eq(supervisedSession.organisationId, organisationId), eq(supervisedSession.candidateUserId, userId), eq(supervisedSession.status, "confirmed")));
  for (const s of sessions) {
    const at = s.occurrenceStart.toISOString();
    out.push({ type: "supervised", id: `session:${s.groupId}:${at}`, at });
  }
  const reports = await db
    .select({ id: supervisorReport.id, ratings: supervisorReport.ratings, submittedAt: supervisorReport.submittedAt })
    .from(supervisorReport)
    .where(and(eq(supervisorReport.organisationId, organisationId), eq(supervisorReport.candidateUserId, userId)))
    .orderBy(asc(supervisorReport.submittedAt));
  for (const r of reports) out.push({ type: "report", id: `report:${r.id}`, at: r.submittedAt.toISOString(), ratings: r.ratings });
  return out;
}

// ---- views ----------------------------------------------------------------------------------

export interface SupervisionSettingsView {
  competencies: Array<{ key: string; label: string }>;
  /** Competencies taken off the list: not rated any more, labels kept for older reports. */
  retiredCompetencies: Array<{ key: string; label: string; retiredAt: string }>;
  maxLevel: number;
  reportIntervalMonths: number;
}

export interface SupervisorView {
  userId: string;
  name: string;
  capacity: number;
  taken: number;
  languages: string[];
  feeText: string;
  mode: "online" | "in_person" | "both";
  active: boolean;
}

export interface SupervisionView {
  id: string;
  organisationId: string;
  status: (typeof supervision.$inferSelect)["status"];
  myRole: "candidate" | "supervisor" | "coordinator";
  candidate: { userId: string; name: string };
  supervisor: { userId: string; name: string };
  requestedAt: string;
  termsText: string | null;
  feeText: string | null;
  supervisorAcceptedAt: string | null;
  candidateAcceptedAt: string | null;
  startedAt: string | null;
  endedAt: string | null;
  nextReportDue: string | null;
  meetings: Array<{ id: string; heldOn: string; minutes: number; mode: string; status: string; loggedByUserId: string; loggedAt: string; decidedAt: string | null }>;
  supervisedSessions: Array<{ id: string; groupId: string; occurrenceStart: string; status: string; markedAt: string }>;
  reports: ReportView[];
}

export interface ReportView {
  id: string;
  supervisionId: string;
  candidateUserId: string;
  supervisorUserId: string;
  supervisorName: string;
  periodStart: string;
  periodEnd: string;
  ratings: Record<string, number>;
  maxLevel: number;
  narrative: string;
  submittedAt: string;
}

/** A held meeting the candidate led or co-led, as an option of the supervised-session picker. */
export interface LedMeetingOption {
  groupId: string;
  groupName: string;
  occurrenceStart: string;
  kind: "leader" | "co_leader";
  /** The picker's value: "<groupId>|<occurrenceStart ISO>". */
  value: string;
}

export interface LedMeetingsPage {
  items: LedMeetingOption[];
  /** Pass as `before` for the next (older) page; null when there is none. */
  nextBefore: string | null;
  /** The organisation's time zone, for showing the local date and time. */
  timeZone: string;
}

export interface ReviewQueue {
  requests: Array<{ supervisionId: string; candidateName: string; requestedAt: string }>;
  meetingsToConfirm: Array<{ meetingId: string; supervisionId: string; otherName: string; heldOn: string; minutes: number }>;
  sessionsToConfirm: Array<{ supervisedSessionId: string; supervisionId: string; candidateName: string; groupId: string; groupName: string; occurrenceStart: string }>;
  reportsDue: Array<{ supervisionId: string; candidateName: string; supervisorName: string; dueOn: string }>;
  /** Candidate-added evidence awaiting a decision (the core's evidence; coordinators see all, supervisors their candidates'). */
  evidenceToVerify: Array<{ evidenceId: string; candidateId: string; candidateUserId: string; candidateName: string; kind: string; description: string; occurredOn: string }>;
}

type SupRow = typeof supervision.$inferSelect;

export interface SupervisionDeps {
  /** The sessions slice: which led meetings took place (its rule; see the header). */
  sessions: { participationOf(userId: string, now?: Date): Promise<Participation> };
}

export function createSupervisionService(kernel: Kernel, deps: SupervisionDeps) {
  const { db, jobs, logger, mailer, config } = kernel;

  /** The meetings the person led or co-led in the organisation that took place, as "<groupId>|<start ISO>". */
  async function heldLedMeetings(userId: string, orgId: string, now: Date): Promise<Set<string>> {
    const { led } = await deps.sessions.participationOf(userId, now);
    return new Set(led.filter((l) => l.organisationId === orgId).map((l) => `${l.groupId}|${new Date(l.occurrenceStart).toISOString()}`));
  }

  const audit = (tx: Executor, actor: Actor, meta: RequestMeta, organisationId: string, action: string, targetType: string, targetId: string, details: Record<string, string | number | boolean | null> = {}) =>
    recordAudit(tx, { organisationId, actor, action, targetType, targetId, details, ipAddress: meta.ipAddress ?? null, requestId: meta.requestId ?? null });

  async function settingsOf(orgId: string): Promise<SupervisionSettingsView> {
    const [row] = await db.select().from(supervisionSettings).where(eq(supervisionSettings.organisationId, orgId));
    if (!row) return { competencies: DEFAULT_COMPETENCIES.map((c) => ({ ...c })), retiredCompetencies: [], maxLevel: DEFAULT_MAX_LEVEL, reportIntervalMonths: DEFAULT_REPORT_INTERVAL_MONTHS };
    return { competencies: row.competencies, retiredCompetencies: row.retiredCompetencies ?? [], maxLevel: row.maxLevel, reportIntervalMonths: row.reportIntervalMonths };
  }

  /** One edit of the competency list, under a lock on the organisation's settings row. */
  async function editCompetencies(actor: Actor, orgId: string, edit: CompetencyEdit, meta: RequestMeta, now = new Date()): Promise<SupervisionSettingsView> {
    authorize(actor, "organisation:update", { organisationId: orgId });
    await db.transaction(async (tx) => {
      await tx
        .insert(supervisionSettings)
        .values({ organisationId: orgId, competencies: DEFAULT_COMPETENCIES.map((c) => ({ ...c })) })
        .onConflictDoNothing();
      const [row] = await tx.select().from(supervisionSettings).where(eq(supervisionSettings.organisationId, orgId)).for("update");
      const outcome = applyCompetencyEdit({ active: row!.competencies, retired: row!.retiredCompetencies ?? [] }, edit, now);
      if (!outcome.ok) {
        if (outcome.reason === "not_found") throw new AppError("not_found", outcome.message, outcome.problems);
        if (outcome.reason === "conflict") throw conflict(outcome.message, outcome.problems);
        throw new AppError("validation_failed", outcome.message, outcome.problems);
      }
      await tx.update(supervisionSettings).set({ competencies: outcome.lists.active, retiredCompetencies: outcome.lists.retired, updatedAt: now }).where(eq(supervisionSettings.organisationId, orgId));
      const key = edit.op === "add" ? outcome.lists.active.at(-1)!.key : edit.key;
      const action = { add: "competency.added", rename: "competency.renamed", move: "competency.moved", retire: "competency.retired", restore: "competency.restored" }[edit.op];
      await audit(tx, actor, meta, orgId, action, "competency", key, edit.op === "move" ? { direction: edit.direction } : {});
    });
    return settingsOf(orgId);
  }

  // ---- report reminders (daily job) ------------------------------------------------------------

  /**
   * Emails the supervisor of every active supervision whose report is due ("due") or overdue by
   * REPORT_OVERDUE_DAYS ("overdue"), each at most once per report cycle: the claim row is inserted
   * first and only the insert that wins sends. Returns the number of emails queued.
   */
  async function sendReportReminders(now = new Date()): Promise<number> {
    const active = await db
      .select({
        s: supervision,
        orgName: organisation.name,
        orgSlug: organisation.slug,
        orgLocale: organisation.defaultLocale,
        orgTimeZone: organisation.timeZone,
        interval: supervisionSettings.reportIntervalMonths,
      })
      .from(supervision)
      .innerJoin(organisation, eq(organisation.id, supervision.organisationId))
      // Still a member of the organisation (someone who left is not emailed).
      .innerJoin(membership, and(eq(membership.organisationId, supervision.organisationId), eq(membership.userId, supervision.supervisorUserId)))
      .leftJoin(supervisionSettings, eq(supervisionSettings.organisationId, supervision.organisationId))
      .where(and(eq(supervision.status, "active"), isNotNull(supervision.startedAt)));
    const latest = new Map<string, { id: string; submittedAt: Date }>();
    const ids = active.map((a) => a.s.id);
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await db
        .selectDistinctOn([supervisorReport.supervisionId], { supervisionId: supervisorReport.supervisionId, id: supervisorReport.id, submittedAt: supervisorReport.submittedAt })
        .from(supervisorReport)
        .where(inArray(supervisorReport.supervisionId, ids.slice(i, i + 500)))
        .orderBy(supervisorReport.supervisionId, desc(supervisorReport.submittedAt));
      for (const r of rows) latest.set(r.supervisionId, { id: r.id, submittedAt: r.submittedAt });
    }
    let sent = 0;
    let failed = 0;
    for (const a of active) {
      const last = latest.get(a.s.id) ?? null;
      const due = nextReportDue(a.s.startedAt!, last?.submittedAt ?? null, a.interval ?? DEFAULT_REPORT_INTERVAL_MONTHS);
      const kind = reportReminderKind(due, now);
      if (!kind) continue;
      const claim = { supervisionId: a.s.id, cycle: last ? `report:${last.id}` : "start", kind };
      const claimed = await db
        .insert(reportReminder)
        .values({ ...claim, organisationId: a.s.organisationId, dueOn: due.toISOString().slice(0, 10), recipientUserId: a.s.supervisorUserId, sentAt: now })
        .onConflictDoNothing()
        .returning();
      if (claimed.length === 0) continue;
      try {
        const [to] = await db.select({ email: user.email, name: user.name, locale: profile.locale, timeZone: profile.timeZone }).from(user).leftJoin(profile, eq(profile.userId, user.id)).where(eq(user.id, a.s.supervisorUserId));
        const [candidate] = await db.select({ name: user.name }).from(user).where(eq(user.id, a.s.candidateUserId));
        if (!to) throw new Error("supervisor vanished");
        const locale: Locale = isLocale(to.locale) ? to.locale : isLocale(a.orgLocale) ? a.orgLocale : "en";
        const dueText = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: to.timeZone ?? a.orgTimeZone }).format(due);
        await mailer.send(
          to.email,
          {
            template: kind === "due" ? "supervisorReportDue" : "supervisorReportOverdue",
            locale,
            recipientName: to.name,
            values: { candidate: candidate?.name ?? "", organisation: a.orgName, due: dueText, days: Math.floor((now.getTime() - due.getTime()) / DAY_MS) },
            actionUrl: `${config.appUrl}/accreditation/supervision?org=${encodeURIComponent(a.orgSlug)}`,
          },
          { organisationId: a.s.organisationId },
        );
        sent += 1;
      } catch (error) {
        // Give the claim back so the next run (or the queue's retry) can send it.
        await db.delete(reportReminder).where(and(eq(reportReminder.supervisionId, claim.supervisionId), eq(reportReminder.cycle, claim.cycle), eq(reportReminder.kind, claim.kind)));
        logger.warn({ err: error, supervisionId: a.s.id }, "supervisor report reminder not sent");
        failed += 1;
      }
    }
    if (failed) throw new Error(`${failed} supervisor report reminder(s) could not be queued`);
    return sent;
  }

  const dailyReportReminders = definePeriodicJob(
    { jobs, db, logger },
    {
      name: REPORT_REMINDER_QUEUE,
      periodMs: DAY_MS,
      offsetMs: 8 * 3_600_000,
      run: async (now) => {
        const sent = await sendReportReminders(now);
        if (sent) logger.info({ sent }, "supervisor report reminders sent");
      },
    },
  );

  /** The supervision, if the actor is a party (or a coordinator when `coordinatorMayRead`), else 404. */
  async function loadSupervision(actor: Actor, orgId: string, supervisionId: string, opts: { coordinatorMayRead?: boolean } = {}): Promise<{ row: SupRow; role: "candidate" | "supervisor" | "coordinator" }> {
    authorize(actor, "organisation:read", { organisationId: orgId });
    const me = requireUser(actor);
    if (!isUuid(supervisionId)) throw notFound("That supervision");
    const [row] = await db.select().from(supervision).where(and(eq(supervision.id, supervisionId), eq(supervision.organisationId, orgId)));
    if (!row) throw notFound("That supervision");
    if (row.candidateUserId === me) return { row, role: "candidate" };
    if (row.supervisorUserId === me) return { row, role: "supervisor" };
    if (opts.coordinatorMayRead && can(actor, "groups:manage", { organisationId: orgId })) return { row, role: "coordinator" };
    throw notFound("That supervision");
  }

  async function names(ids: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const rows = await db.select({ id: user.id, name: user.name }).from(user).where(inArray(user.id, unique));
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  async function reportsFor(where: ReturnType<typeof and>): Promise<ReportView[]> {
    const rows = await db.select().from(supervisorReport).where(where).orderBy(desc(supervisorReport.submittedAt));
    const n = await names(rows.map((r) => r.supervisorUserId));
    return rows.map((r) => ({
      id: r.id,
      supervisionId: r.supervisionId,
      candidateUserId: r.candidateUserId,
      supervisorUserId: r.supervisorUserId,
      supervisorName: n.get(r.supervisorUserId) ?? "",
      periodStart: r.periodStart,
      periodEnd: r.periodEnd,
      ratings: r.ratings,
      maxLevel: r.maxLevel,
      narrative: r.narrative,
      submittedAt: r.submittedAt.toISOString(),
    }));
  }

  async function view(row: SupRow, role: SupervisionView["myRole"]): Promise<SupervisionView> {
    const n = await names([row.candidateUserId, row.supervisorUserId]);
    const meetings = await db.select().from(supervisionMeeting).where(eq(supervisionMeeting.supervisionId, row.id)).orderBy(desc(supervisionMeeting.heldOn));
    const sessions = await db.select().from(supervisedSession).where(eq(supervisedSession.supervisionId, row.id)).orderBy(desc(supervisedSession.occurrenceStart));
    const reports = await reportsFor(eq(supervisorReport.supervisionId, row.id));
    const settings = await settingsOf(row.organisationId);
    const latest = reports[0] ? new Date(reports[0].submittedAt) : null;
    return {
      id: row.id,
      organisationId: row.organisationId,
      status: row.status,
      myRole: role,
      candidate: { userId: row.candidateUserId, name: n.get(row.candidateUserId) ?? "" },
      supervisor: { userId: row.supervisorUserId, name: n.get(row.supervisorUserId) ?? "" },
      requestedAt: row.requestedAt.toISOString(),
      termsText: row.termsText,
      feeText: row.feeText,
      supervisorAcceptedAt: row.supervisorAcceptedAt?.toISOString() ?? null,
      candidateAcceptedAt: row.candidateAcceptedAt?.toISOString() ?? null,
      startedAt: row.startedAt?.toISOString() ?? null,
      endedAt: row.endedAt?.toISOString() ?? null,
      nextReportDue: row.status === "active" && row.startedAt ? nextReportDue(row.startedAt, latest, settings.reportIntervalMonths).toISOString() : null,
      meetings: meetings.map((m) => ({ id: m.id, heldOn: m.heldOn, minutes: m.minutes, mode: m.mode, status: m.status, loggedByUserId: m.loggedByUserId, loggedAt: m.loggedAt.toISOString(), decidedAt: m.decidedAt?.toISOString() ?? null })),
      supervisedSessions: sessions.map((s) => ({ id: s.id, groupId: s.groupId, occurrenceStart: s.occurrenceStart.toISOString(), status: s.status, markedAt: s.markedAt.toISOString() })),
      reports,
    };
  }

  async function takenCount(orgId: string, supervisorUserId: string): Promise<number> {
    const [r] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(supervision)
      .where(and(eq(supervision.organisationId, orgId), eq(supervision.supervisorUserId, supervisorUserId), inArray(supervision.status, ["proposed", "active"])));
    return r?.n ?? 0;
  }

  const service = {
    supervisionHistory: (organisationId: string, userId: string) => supervisionHistory(db, organisationId, userId),

    sendReportReminders,
    /** The daily report-reminder job, for tests (`runSlot`). */
    reportReminderJob: dailyReportReminders,

    /** Starts the daily supervisor-report reminder job (safe on every instance). */
    async startScheduler(now = new Date()) {
      await dailyReportReminders.start(now);
    },

    // ---- settings -------------------------------------------------------------------------------

    async getSettings(actor: Actor, orgId: string): Promise<SupervisionSettingsView> {
      authorize(actor, "organisation:read", { organisationId: orgId });
      return settingsOf(orgId);
    },

    async updateSettings(actor: Actor, orgId: string, input: unknown, meta: RequestMeta = {}): Promise<SupervisionSettingsView> {
      authorize(actor, "organisation:update", { organisationId: orgId });
      const data = parse(SettingsInput, input);
      await db.transaction(async (tx) => {
        // Competencies that leave the list are retired (kept with their labels), not forgotten.
        const [previous] = await tx.select().from(supervisionSettings).where(eq(supervisionSettings.organisationId, orgId)).for("update");
        const before = previous ? { active: previous.competencies, retired: previous.retiredCompetencies ?? [] } : { active: DEFAULT_COMPETENCIES.map((c) => ({ ...c })), retired: [] };
        const retiredCompetencies = reconcileRetired(before, data.competencies, new Date());
        await tx
          .insert(supervisionSettings)
          .values({ organisationId: orgId, ...data, retiredCompetencies })
          .onConflictDoUpdate({ target: supervisionSettings.organisationId, set: { ...data, retiredCompetencies, updatedAt: new Date() } });
        await audit(tx, actor, meta, orgId, "supervision_settings.updated", "organisation", orgId, { competencies: data.competencies.length, maxLevel: data.maxLevel, reportIntervalMonths: data.reportIntervalMonths });
      });
      return settingsOf(orgId);
    },

    /** Adds a competency at the end of the list (key derived from the name when not given). */
    async addCompetency(actor: Actor, orgId: string, input: unknown, meta: RequestMeta = {}): Promise<SupervisionSettingsView> {
      authorize(actor, "organisation:update", { organisationId: orgId });
      const data = parse(CompetencyAddInput, input);
      return editCompetencies(actor, orgId, { op: "add", key: data.key, label: data.label }, meta);
    },

    async renameCompetency(actor: Actor, orgId: string, key: string, input: unknown, meta: RequestMeta = {}): Promise<SupervisionSettingsView> {
      authorize(actor, "organisation:update", { organisationId: orgId });
      const data = parse(CompetencyRenameInput, input);
      return editCompetencies(actor, orgId, { op: "rename", key, label: data.label }, meta);
    },

    /** Moves a competency one place up or down (the order of report forms and observation sheets). */
    async moveCompetency(actor: Actor, orgId: string, key: string, input: unknown, meta: RequestMeta = {}): Promise<SupervisionSettingsView> {
      authorize(actor, "organisation:update", { organisationId: orgId });
      const data = parse(CompetencyMoveInput, input);
      return editCompetencies(actor, orgId, { op: "move", key, direction: data.direction }, meta);
    },

    /** Takes a competency off the list (409 for the last one); old reports keep its label. */
    async retireCompetency(actor: Actor, orgId: string, key: string, meta: RequestMeta = {}): Promise<SupervisionSettingsView> {
      return editCompetencies(actor, orgId, { op: "retire", key }, meta);
    },

    async restoreCompetency(actor: Actor, orgId: string, key: string, meta: RequestMeta = {}): Promise<SupervisionSettingsView> {
      return editCompetencies(actor, orgId, { op: "restore", key }, meta);
    },

    // ---- supervisors list ---------------------------------------------------------------------

    async listSupervisors(actor: Actor, orgId: string): Promise<SupervisorView[]> {
      authorize(actor, "organisation:read", { organisationId: orgId });
      const rows = await db
        .select({ l: supervisorListing, name: user.name })
        .from(supervisorListing)
        .innerJoin(user, eq(user.id, supervisorListing.userId))
        .where(eq(supervisorListing.organisationId, orgId))
        .orderBy(asc(user.name));
      const me = actor.userId;
      const out: SupervisorView[] = [];
      for (const { l, name } of rows) {
        if (!l.active && l.userId !== me) continue;
        out.push({ userId: l.userId, name, capacity: l.capacity, taken: await takenCount(orgId, l.userId), languages: l.languages, feeText: l.feeText, mode: l.mode, active: l.active });
      }
      return out;
    },

    async optIn(actor: Actor, orgId: string, input: unknown, meta: RequestMeta = {}): Promise<SupervisorView> {
      authorize(actor, "accreditation:supervise", { organisationId: orgId });
      const me = requireUser(actor);
      const data = parse(ListingInput, input);
      await db.transaction(async (tx) => {
        await tx
          .insert(supervisorListing)
          .values({ organisationId: orgId, userId: me, ...data, active: true })
          .onConflictDoUpdate({ target: [supervisorListing.organisationId, supervisorListing.userId], set: { ...data, active: true, updatedAt: new Date() } });
        await audit(tx, actor, meta, orgId, "supervisor.opted_in", "user", me, { capacity: data.capacity, mode: data.mode });
      });
      const list = await service.listSupervisors(actor, orgId);
      return list.find((s) => s.userId === me)!;
    },

    async optOut(actor: Actor, orgId: string, meta: RequestMeta = {}): Promise<{ active: false }> {
      authorize(actor, "organisation:read", { organisationId: orgId });
      const me = requireUser(actor);
      await db.transaction(async (tx) => {
        const r = await tx.update(supervisorListing).set({ active: false, updatedAt: new Date() }).where(and(eq(supervisorListing.organisationId, orgId), eq(supervisorListing.userId, me))).returning();
        if (!r.length) throw notFound("Your supervisors list entry");
        await audit(tx, actor, meta, orgId, "supervisor.opted_out", "user", me);
      });
      return { active: false };
    },

    // ---- agreements ---------------------------------------------------------------------------

    async requestSupervision(actor: Actor, orgId: string, input: unknown, meta: RequestMeta = {}): Promise<SupervisionView> {
      authorize(actor, "organisation:read", { organisationId: orgId });
      const me = requireUser(actor);
      const { supervisorUserId } = parse(RequestInput, input);
      if (supervisorUserId === me) throw invalid("supervisorUserId", "You cannot supervise yourself.");
      try {
        const row = await db.transaction(async (tx) => {
          // Lock the listing so two requests cannot both take the last place.
          const [listing] = await tx
            .select()
            .from(supervisorListing)
            .where(and(eq(supervisorListing.organisationId, orgId), eq(supervisorListing.userId, supervisorUserId), eq(supervisorListing.active, true)))
            .for("update");
          if (!listing) throw invalid("supervisorUserId", "Not on this organisation's supervisors list.");
          const [taken] = await tx
            .select({ n: sql<number>`count(*)::int` })
            .from(supervision)
            .where(and(eq(supervision.organisationId, orgId), eq(supervision.supervisorUserId, supervisorUserId), inArray(supervision.status, ["proposed", "active"])));
          if ((taken?.n ?? 0) >= listing.capacity) throw conflict("This supervisor has no free place.");
          const [created] = await tx.insert(supervision).values({ organisationId: orgId, candidateUserId: me, supervisorUserId }).returning();
          await audit(tx, actor, meta, orgId, "supervision.requested", "supervision", created!.id, { supervisorUserId });
          return created!;
        });
        return view(row, "candidate");
      } catch (error) {
        if (uniqueViolation(error) === "accreditation_supervision_open_key") throw conflict("You already have an open request or agreement with this supervisor.");
        throw error;
      }
    },

    async listMine(actor: Actor, orgId: string): Promise<{ asCandidate: SupervisionView[]; asSupervisor: SupervisionView[] }> {
      authorize(actor, "organisation:read", { organisationId: orgId });
      const me = requireUser(actor);
      const rows = await db
        .select()
        .from(supervision)
        .where(and(eq(supervision.organisationId, orgId), or(eq(supervision.candidateUserId, me), eq(supervision.supervisorUserId, me))))
        .orderBy(desc(supervision.requestedAt));
      const asCandidate: SupervisionView[] = [];
      const asSupervisor: SupervisionView[] = [];
      for (const r of rows) {
        if (r.candidateUserId === me) asCandidate.push(await view(r, "candidate"));
        else asSupervisor.push(await view(r, "supervisor"));
      }
      return { asCandidate, asSupervisor };
    },

    async get(actor: Actor, orgId: string, supervisionId: string): Promise<SupervisionView> {
      const { row, role } = await loadSupervision(actor, orgId, supervisionId, { coordinatorMayRead: true });
      return view(row, role);
    },

    /** The supervisor answers a request with the agreement's terms and fee text (their acceptance). */
    async propose(actor: Actor, orgId: string, supervisionId: string, input: unknown, meta: RequestMeta = {}): Promise<SupervisionView> {
      const data = parse(ProposeInput, input);
      const { row, role } = await loadSupervision(actor, orgId, supervisionId);
      if (role !== "supervisor") throw forbidden("Only the supervisor proposes the agreement.");
      if (row.status !== "requested" && row.status !== "proposed") throw conflict("This supervision is no longer open to a proposal.");
      const now = new Date();
      const updated = await db.transaction(async (tx) => {
        const [u] = await tx
          .update(supervision)
          .set({ status: "proposed", termsText: data.termsText, feeText: data.feeText, supervisorAcceptedAt: now, supervisorAcceptedByUserId: actor.userId, candidateAcceptedAt: null, candidateAcceptedByUserId: null })
          .where(and(eq(supervision.id, row.id), inArray(supervision.status, ["requested", "proposed"])))
          .returning();
        if (!u) throw conflict("This supervision changed meanwhile.");
        await audit(tx, actor, meta, orgId, "supervision.proposed", "supervision", row.id);
        return u;
      });
      return view(updated, role);
    },

    /** The candidate accepts the proposed terms and fee text → active. */
    async accept(actor: Actor, orgId: string, supervisionId: string, meta: RequestMeta = {}): Promise<SupervisionView> {
      const { row, role } = await loadSupervision(actor, orgId, supervisionId);
      if (role !== "candidate") throw forbidden("Only the candidate accepts the proposed agreement.");
      if (row.status !== "proposed") throw conflict(row.status === "active" ? "The agreement is already accepted." : "There is no proposal to accept.");
      const now = new Date();
      const updated = await db.transaction(async (tx) => {
        const [u] = await tx
          .update(supervision)
          .set({ status: "active", candidateAcceptedAt: now, candidateAcceptedByUserId: actor.userId, startedAt: now })
          .where(and(eq(supervision.id, row.id), eq(supervision.status, "proposed")))
          .returning();
        if (!u) throw conflict("This supervision changed meanwhile.");
        await audit(tx, actor, meta, orgId, "supervision.accepted", "supervision", row.id);
        return u;
      });
      return view(updated, role);
    },

    async decline(actor: Actor, orgId: string, supervisionId: string, meta: RequestMeta = {}): Promise<SupervisionView> {
      const { row, role } = await loadSupervision(actor, orgId, supervisionId);
      if (row.status !== "requested" && row.status !== "proposed") throw conflict("Only an open request can be declined.");
      const updated = await db.transaction(async (tx) => {
        const [u] = await tx.update(supervision).set({ status: "declined", endedAt: new Date() }).where(and(eq(supervision.id, row.id), inArray(supervision.status, ["requested", "proposed"]))).returning();
        if (!u) throw conflict("This supervision changed meanwhile.");
        await audit(tx, actor, meta, orgId, "supervision.declined", "supervision", row.id, { by: role });
        return u;
      });
      return view(updated, role);
    },

    async end(actor: Actor, orgId: string, supervisionId: string, meta: RequestMeta = {}): Promise<SupervisionView> {
      const { row, role } = await loadSupervision(actor, orgId, supervisionId);
      if (row.status !== "active") throw conflict("Only an active supervision can be ended.");
      const updated = await db.transaction(async (tx) => {
        const [u] = await tx.update(supervision).set({ status: "ended", endedAt: new Date() }).where(and(eq(supervision.id, row.id), eq(supervision.status, "active"))).returning();
        if (!u) throw conflict("This supervision changed meanwhile.");
        await audit(tx, actor, meta, orgId, "supervision.ended", "supervision", row.id, { by: role });
        return u;
      });
      return view(updated, role);
    },

    // ---- meetings -----------------------------------------------------------------------------

    async logMeeting(actor: Actor, orgId: string, supervisionId: string, input: unknown, meta: RequestMeta = {}, now = new Date()): Promise<SupervisionView> {
      const data = parse(MeetingInput, input);
      const { row, role } = await loadSupervision(actor, orgId, supervisionId);
      if (row.status !== "active") throw conflict("Meetings are logged under an active supervision agreement.");
      if (data.heldOn > now.toISOString().slice(0, 10)) throw invalid("heldOn", "Must not be in the future.");
      if (row.startedAt && data.heldOn < row.requestedAt.toISOString().slice(0, 10)) throw invalid("heldOn", "Must be after the supervision was requested.");
      try {
        await db.transaction(async (tx) => {
          const [m] = await tx.insert(supervisionMeeting).values({ supervisionId: row.id, organisationId: orgId, heldOn: data.heldOn, minutes: data.minutes, mode: data.mode, loggedByUserId: actor.userId! }).returning();
          await audit(tx, actor, meta, orgId, "supervision_meeting.logged", "supervision_meeting", m!.id, { supervisionId: row.id, heldOn: data.heldOn, minutes: data.minutes, by: role });
        });
      } catch (error) {
        if (uniqueViolation(error) === "accreditation_supervision_meeting_day_key") throw conflict("A meeting on that day is already logged.", [{ path: "heldOn", message: "Already logged." }]);
        throw error;
      }
      return view((await db.select().from(supervision).where(eq(supervision.id, row.id)))[0]!, role);
    },

    /** The OTHER side confirms or rejects a logged meeting (409 unless pending, 403 for the one who logged it). */
    async decideMeeting(actor: Actor, orgId: string, meetingId: string, input: unknown, meta: RequestMeta = {}): Promise<SupervisionView> {
      const { confirm } = parse(DecideInput, input);
      authorize(actor, "organisation:read", { organisationId: orgId });
      if (!isUuid(meetingId)) throw notFound("That meeting");
      const [m] = await db.select().from(supervisionMeeting).where(and(eq(supervisionMeeting.id, meetingId), eq(supervisionMeeting.organisationId, orgId)));
      if (!m) throw notFound("That meeting");
      const { row, role } = await loadSupervision(actor, orgId, m.supervisionId);
      if (m.loggedByUserId === actor.userId) throw forbidden("The other side confirms a meeting you logged.");
      if (m.status !== "pending") throw conflict("This meeting has already been confirmed or rejected.");
      await db.transaction(async (tx) => {
        const [u] = await tx
          .update(supervisionMeeting)
          .set({ status: confirm ? "confirmed" : "rejected", decidedByUserId: actor.userId, decidedAt: new Date() })
          .where(and(eq(supervisionMeeting.id, m.id), eq(supervisionMeeting.status, "pending")))
          .returning();
        if (!u) throw conflict("This meeting has already been confirmed or rejected.");
        await audit(tx, actor, meta, orgId, confirm ? "supervision_meeting.confirmed" : "supervision_meeting.rejected", "supervision_meeting", m.id, { supervisionId: row.id });
      });
      return view(row, role);
    },

    // ---- supervised sessions ------------------------------------------------------------------

    async markSupervisedSession(actor: Actor, orgId: string, supervisionId: string, input: unknown, meta: RequestMeta = {}): Promise<SupervisionView> {
      const data = parse(SupervisedSessionInput, input);
      const { row, role } = await loadSupervision(actor, orgId, supervisionId);
      if (role !== "candidate") throw forbidden("The candidate marks the sessions they led; the supervisor confirms them.");
      if (row.status !== "active") throw conflict("Sessions are marked under an active supervision agreement.");
      const start = new Date(data.occurrenceStart);
      const [led] = await db
        .select({ groupId: sessionLeader.groupId })
        .from(sessionLeader)
        .innerJoin(balintGroup, eq(balintGroup.id, sessionLeader.groupId))
        .where(and(eq(sessionLeader.groupId, data.groupId), eq(sessionLeader.occurrenceStart, start), eq(sessionLeader.userId, row.candidateUserId), eq(sessionLeader.led, true), eq(balintGroup.organisationId, orgId)));
      if (!led) throw invalid("occurrenceStart", "You are not recorded as leading or co-leading that meeting.");
      if (!(await heldLedMeetings(row.candidateUserId, orgId, new Date())).has(`${data.groupId}|${start.toISOString()}`)) {
        throw invalid("occurrenceStart", "That meeting did not take place as the schedule now stands (cancelled, or moved to a time that has not come).");
      }
      try {
        await db.transaction(async (tx) => {
          const [s] = await tx.insert(supervisedSession).values({ supervisionId: row.id, organisationId: orgId, candidateUserId: row.candidateUserId, groupId: data.groupId, occurrenceStart: start }).returning();
          await audit(tx, actor, meta, orgId, "supervised_session.marked", "supervised_session", s!.id, { supervisionId: row.id, groupId: data.groupId });
        });
      } catch (error) {
        if (uniqueViolation(error) === "accreditation_supervised_session_key") throw conflict("That session is already marked as supervised.", [{ path: "occurrenceStart", message: "Already counted." }]);
        throw error;
      }
      return view(row, role);
    },

    /**
     * The picker's options: held meetings (start ≤ now, and took place by the sessions rule) the
     * candidate led or co-led in this organisation's groups and has not marked yet, most recent
     * first, `limit` (20) at a time.
     * Only the candidate of the supervision (403 for the supervisor, 404 for anyone else).
     */
    async ledMeetings(actor: Actor, orgId: string, supervisionId: string, query: unknown = {}, now = new Date()): Promise<LedMeetingsPage> {
      const q = parse(LedMeetingsQuery, query);
      const { row, role } = await loadSupervision(actor, orgId, supervisionId);
      if (role !== "candidate") throw forbidden("The candidate marks the sessions they led; the supervisor confirms them.");
      const limit = q.limit ?? LED_MEETINGS_PAGE;
      const [cursorStart, cursorGroup] = q.before ? q.before.split("_") : [null, null];
      const [org] = await db.select({ timeZone: organisation.timeZone }).from(organisation).where(eq(organisation.id, orgId));
      const held = await heldLedMeetings(row.candidateUserId, orgId, now);
      const recorded = await db
        .select({ groupId: sessionLeader.groupId, occurrenceStart: sessionLeader.occurrenceStart, kind: sessionLeader.kind, groupName: balintGroup.name })
        .from(sessionLeader)
        .innerJoin(balintGroup, eq(balintGroup.id, sessionLeader.groupId))
        .leftJoin(
          supervisedSession,
          and(eq(supervisedSession.candidateUserId, sessionLeader.userId), eq(supervisedSession.groupId, sessionLeader.groupId), eq(supervisedSession.occurrenceStart, sessionLeader.occurrenceStart), ne(supervisedSession.status, "rejected")),
        )
        .where(
          and(
            eq(sessionLeader.userId, row.candidateUserId),
            eq(sessionLeader.led, true),
            eq(balintGroup.organisationId, orgId),
            lte(sessionLeader.occurrenceStart, now),
            isNull(supervisedSession.id),
            cursorStart ? sql`(${sessionLeader.occurrenceStart}, ${sessionLeader.groupId}) < (${new Date(cursorStart).toISOString()}::timestamptz, ${cursorGroup}::uuid)` : undefined,
          ),
        )
        .orderBy(desc(sessionLeader.occurrenceStart), desc(sessionLeader.groupId));
      // Filtered after the query (a person's led meetings are a few hundred at most), so a page is always full.
      const rows = recorded.filter((r) => held.has(`${r.groupId}|${r.occurrenceStart.toISOString()}`)).slice(0, limit + 1);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map((r) => {
          const start = r.occurrenceStart.toISOString();
          return { groupId: r.groupId, groupName: r.groupName, occurrenceStart: start, kind: r.kind, value: `${r.groupId}|${start}` };
        }),
        nextBefore: rows.length > limit && last ? `${last.occurrenceStart.toISOString()}_${last.groupId}` : null,
        timeZone: org?.timeZone ?? "UTC",
      };
    },

    async decideSupervisedSession(actor: Actor, orgId: string, supervisedSessionId: string, input: unknown, meta: RequestMeta = {}): Promise<SupervisionView> {
      const { confirm } = parse(DecideInput, input);
      authorize(actor, "organisation:read", { organisationId: orgId });
      if (!isUuid(supervisedSessionId)) throw notFound("That supervised session");
      const [s] = await db.select().from(supervisedSession).where(and(eq(supervisedSession.id, supervisedSessionId), eq(supervisedSession.organisationId, orgId)));
      if (!s) throw notFound("That supervised session");
      const { row, role } = await loadSupervision(actor, orgId, s.supervisionId);
      if (role !== "supervisor") throw forbidden("Only the supervisor confirms a supervised session.");
      if (s.status !== "pending") throw conflict("This session has already been confirmed or rejected.");
      await db.transaction(async (tx) => {
        const [u] = await tx
          .update(supervisedSession)
          .set({ status: confirm ? "confirmed" : "rejected", decidedByUserId: actor.userId, decidedAt: new Date() })
          .where(and(eq(supervisedSession.id, s.id), eq(supervisedSession.status, "pending")))
          .returning();
        if (!u) throw conflict("This session has already been confirmed or rejected.");
        await audit(tx, actor, meta, orgId, confirm ? "supervised_session.confirmed" : "supervised_session.rejected", "supervised_session", s.id, { supervisionId: row.id });
      });
      return view(row, role);
    },

    // ---- reports ------------------------------------------------------------------------------

    /** Only the supervisor of this supervision writes a report: the candidate gets 403, anyone else 404. */
    async submitReport(actor: Actor, orgId: string, supervisionId: string, input: unknown, meta: RequestMeta = {}): Promise<ReportView> {
      const data = parse(ReportInput, input);
      const { row, role } = await loadSupervision(actor, orgId, supervisionId);
      if (role !== "supervisor") throw forbidden("Only the supervisor writes a supervisor report.");
      if (row.status !== "active" && row.status !== "ended") throw conflict("Reports follow an accepted supervision agreement.");
      const settings = await settingsOf(orgId);
      const problems = checkRatings(data.ratings, settings.competencies, settings.maxLevel);
      if (problems.length) throw new AppError("validation_failed", problems[0]!.message, problems);
      const findings = findIdentifiers(data.narrative);
      if (findings.length && data.acknowledgeIdentifiers !== true) {
        const kinds = [...new Set(findings.map((f) => f.kind))].join(", ");
        throw new AppError("validation_failed", `The narrative looks like it holds an identifier (${kinds}). Reports are about the candidate's work, never about a case or patient: rephrase, or send again with acknowledgeIdentifiers.`, [
          { path: "narrative", message: `Looks like it holds an identifier: ${findings.map((f) => `${f.kind} "${f.text}"`).join("; ")}` },
        ]);
      }
      const ratings = data.ratings as Record<string, number>;
      const created = await db.transaction(async (tx) => {
        const [r] = await tx
          .insert(supervisorReport)
          .values({ supervisionId: row.id, organisationId: orgId, candidateUserId: row.candidateUserId, supervisorUserId: row.supervisorUserId, periodStart: data.periodStart, periodEnd: data.periodEnd, ratings, maxLevel: settings.maxLevel, narrative: data.narrative, identifierWarnings: findings.length })
          .returning();
        await audit(tx, actor, meta, orgId, "supervisor_report.submitted", "supervisor_report", r!.id, { supervisionId: row.id, identifierWarnings: findings.length });
        return r!;
      });
      return (await reportsFor(eq(supervisorReport.id, created.id)))[0]!;
    },

    /** Reports the actor may read: their own as candidate, those they wrote, all for coordinators. */
    async listReports(actor: Actor, orgId: string, opts: { candidateUserId?: string } = {}): Promise<ReportView[]> {
      authorize(actor, "organisation:read", { organisationId: orgId });
      const me = requireUser(actor);
      const coordinator = can(actor, "groups:manage", { organisationId: orgId });
      const scope = coordinator ? undefined : or(eq(supervisorReport.candidateUserId, me), eq(supervisorReport.supervisorUserId, me));
      return reportsFor(and(eq(supervisorReport.organisationId, orgId), scope, opts.candidateUserId ? eq(supervisorReport.candidateUserId, opts.candidateUserId) : undefined));
    },

    // ---- review queue -------------------------------------------------------------------------

    /**
     * What waits for the actor: as a supervisor (requests, meetings and sessions to confirm, reports
     * due, their candidates' evidence), as a candidate (meetings their supervisor logged), and for
     * coordinators the whole organisation's reports due and evidence to verify.
     */
    async reviewQueue(actor: Actor, orgId: string, now = new Date()): Promise<ReviewQueue> {
      authorize(actor, "organisation:read", { organisationId: orgId });
      const me = requireUser(actor);
      const coordinator = can(actor, "groups:manage", { organisationId: orgId });
      const sups = await db
        .select()
        .from(supervision)
        .where(and(eq(supervision.organisationId, orgId), coordinator ? undefined : or(eq(supervision.supervisorUserId, me), eq(supervision.candidateUserId, me))));
      const mine = sups.filter((s) => s.supervisorUserId === me || s.candidateUserId === me);
      const n = await names(sups.flatMap((s) => [s.candidateUserId, s.supervisorUserId]));
      const requests = mine.filter((s) => s.supervisorUserId === me && s.status === "requested").map((s) => ({ supervisionId: s.id, candidateName: n.get(s.candidateUserId) ?? "", requestedAt: s.requestedAt.toISOString() }));
      const mineIds = mine.map((s) => s.id);
      const meetings = mineIds.length
        ? await db.select().from(supervisionMeeting).where(and(inArray(supervisionMeeting.supervisionId, mineIds), eq(supervisionMeeting.status, "pending"), ne(supervisionMeeting.loggedByUserId, me))).orderBy(asc(supervisionMeeting.heldOn))
        : [];
      const byId = new Map(sups.map((s) => [s.id, s]));
      const meetingsToConfirm = meetings.map((m) => {
        const s = byId.get(m.supervisionId)!;
        const other = s.candidateUserId === me ? s.supervisorUserId : s.candidateUserId;
        return { meetingId: m.id, supervisionId: s.id, otherName: n.get(other) ?? "", heldOn: m.heldOn, minutes: m.minutes };
      });
      const supervising = mine.filter((s) => s.supervisorUserId === me).map((s) => s.id);
      const sessions = supervising.length
        ? await db
            .select({ s: supervisedSession, groupName: balintGroup.name })
            .from(supervisedSession)
            .innerJoin(balintGroup, eq(balintGroup.id, supervisedSession.groupId))
            .where(and(inArray(supervisedSession.supervisionId, supervising), eq(supervisedSession.status, "pending")))
            .orderBy(asc(supervisedSession.occurrenceStart))
        : [];
      const sessionsToConfirm = sessions.map(({ s, groupName }) => ({ supervisedSessionId: s.id, supervisionId: s.supervisionId, candidateName: n.get(s.candidateUserId) ?? "", groupId: s.groupId, groupName, occurrenceStart: s.occurrenceStart.toISOString() }));
      const settings = await settingsOf(orgId);
      const reportsDue: ReviewQueue["reportsDue"] = [];
      for (const s of sups) {
        if (s.status !== "active" || !s.startedAt) continue;
        if (!coordinator && s.supervisorUserId !== me) continue;
        const [latest] = await db.select({ at: supervisorReport.submittedAt }).from(supervisorReport).where(eq(supervisorReport.supervisionId, s.id)).orderBy(desc(supervisorReport.submittedAt)).limit(1);
        const due = nextReportDue(s.startedAt, latest?.at ?? null, settings.reportIntervalMonths);
        if (due.getTime() <= now.getTime()) reportsDue.push({ supervisionId: s.id, candidateName: n.get(s.candidateUserId) ?? "", supervisorName: n.get(s.supervisorUserId) ?? "", dueOn: due.toISOString().slice(0, 10) });
      }
      // Evidence (the core's table): coordinators see all pending; a supervisor their active candidates'.
      const candidateUsers = coordinator ? null : [...new Set(mine.filter((s) => s.supervisorUserId === me && s.status === "active").map((s) => s.candidateUserId))];
      const evidence =
        candidateUsers === null || candidateUsers.length
          ? await db
              .select({ e: accreditationEvidence, userId: accreditationCandidate.userId, name: user.name })
              .from(accreditationEvidence)
              .innerJoin(accreditationCandidate, eq(accreditationCandidate.id, accreditationEvidence.candidateId))
              .innerJoin(user, eq(user.id, accreditationCandidate.userId))
              .where(and(eq(accreditationEvidence.organisationId, orgId), eq(accreditationEvidence.status, "pending"), candidateUsers ? inArray(accreditationCandidate.userId, candidateUsers) : undefined))
              .orderBy(asc(accreditationEvidence.createdAt))
          : [];
      return {
        requests,
        meetingsToConfirm,
        sessionsToConfirm,
        reportsDue,
        evidenceToVerify: evidence.map(({ e, userId, name }) => ({ evidenceId: e.id, candidateId: e.candidateId, candidateUserId: userId, candidateName: name, kind: e.kind, description: e.description, occurredOn: e.occurredOn })),
      };
    },

    /** Is the actor a member of the organisation at all (for pages). */
    isMember(actor: Actor, orgId: string): boolean {
      return roleIn(actor, orgId) !== null;
    },
  };
  return service;
}

export type SupervisionService = ReturnType<typeof createSupervisionService>;
