// The sessions slice: the meetings of Balint groups — one-off exceptions (cancel, move, own link),
// pauses, RSVPs, attendance with history, participation records and calendar feeds.
//
// Decisions (documented here for the API and the UI):
// - A meeting is named by its group and its ORIGINAL start (the instant the group's rule gives
//   it; RECURRENCE-ID in calendars), which never changes when the meeting is moved. Occurrences
//   come from `groups/schedule.ts` (DST-correct, exceptions applied); feeds from `groups/ical.ts`.
// - Sessions of a group are readable by the organisation's members who may read the group
//   (private groups: only the people involved and coordinators); the meeting link only by leaders,
//   coordinators, and active members who accepted the agreement for the current term.
// - Cancel / reschedule / change link / restore / pause / resume: the group's leaders and
//   coordinators. Every one of these changes emails the active members (templates
//   sessionCancelled, sessionChanged, sessionLinkChanged, sessionRestored, groupPaused,
//   groupResumed; a restore only for a meeting that has not started, and as "cancelled" when taking
//   back a move leaves the meeting in a pause): the change, a `session_notice` row and its
//   delivery job (pg-boss, written through the same transaction: a transactional outbox) are
//   committed together. The request then delivers at once; the job, due `NOTICE_JOB_DELAY_MS`
//   later, delivers to whoever is still unclaimed — so a crash between the commit and the send, or
//   a failed send (the job throws and is retried), loses nothing. Every delivery claims one
//   `session_notice_recipient` row per member (primary key) BEFORE queueing the mail, so a notice
//   reaches each person once however many instances or jobs deliver it; the row keeps the mail
//   message id so leaders see whether each went out (`noticesFor`, on the group's management page).
//   No calendar file is attached: calendars follow through the subscription feed.
// - RSVP: active members who accepted the agreement; only for a meeting of the rule that is not
//   cancelled, not paused and has not started. No row means "going".
//   Without a `note` in the input, a saved note is kept while the answer stays the same; a new
//   answer starts without one. Leaders read answers and notes on the meeting's page (`meetingDetail`).
// - Attendance: leaders and coordinators, only for meetings that have started and took place
//   (`didNotTakePlace`: not cancelled; not paused, unless recorded before the pause was added),
//   only for ACTIVE members. Every change appends a `session_attendance_change` row.
// - Participation (read by the accreditation work, `participationOf(userId)`):
//     { attended: [{organisationId, groupId, occurrenceStart}],   // attendance "present"
//       led:      [{organisationId, groupId, occurrenceStart, kind: "leader"|"co_leader"}] }
//   "led" comes from `session_leader`: who led or co-led each held meeting. The one writer is
//   `recordSessionLeaders` — it snapshots the group's leaders (and their kind) when attendance is
//   first recorded for a meeting, and applies the leaders' corrections ("led this meeting" per
//   leader on the attendance page, `setSessionLeaders`, audited per leader). So credits survive
//   leader changes, and a new leader gains no earlier meetings. Both lists hold only meetings that
//   took place as the schedule now stands (`tookPlaceAt`): meetings later cancelled, or moved,
//   restored or paused into the future, are not counted; a meeting held and recorded before a
//   pause was added keeps its records, and its leaders can still correct them. The facilitation
//   companion and the accreditation work reuse `recordSessionLeaders`.
// - Reminders: per person, offsets in minutes (default 1440 and 60; stored in
//   `session_reminder_preference`). A planner job (every 6 h, self-renewing; start it with
//   `startReminderScheduler()`) enqueues one send job per (active member, meeting, offset) due
//   before its next run, with pg-boss `startAfter` = start − offset and a singletonKey of
//   (person, meeting, offset, start). The send job re-checks everything and first claims the row
//   (person, group, meeting, offset) in `session_reminder_sent` (primary key), so however many
//   workers run, one email goes out; the row links the `mail_message` (leaders see its status).
// - Calendar feed: a per-person secret token (only its SHA-256 is stored; one active per person);
//   `GET /api/v1/calendar/{token}.ics` (public, the token is the credential) lists every group
//   the person leads or is an active member of, via `buildCalendar`. No member names, no notes.
//   SEQUENCE (per series, and per meeting for its overrides and its .ics) and DTSTAMP /
//   LAST-MODIFIED come from the change history, which only grows (`calendarHistoryOf`): a restore
//   raises them like any other change, so calendars replace the cancelled copy; an edit of the
//   group that a calendar shows (time, schedule, name, place, link) raises every meeting's.
import { createHash, randomBytes } from "node:crypto";
import { and, count, desc, eq, gte, inArray, isNull, lte, max, sql } from "drizzle-orm";
import { user } from "../../platform/auth/schema.ts";
import { recordAudit } from "../../platform/audit/audit.server.ts";
import { auditEvent } from "../../platform/audit/schema.ts";
import type { Executor } from "../../platform/db/client.server.ts";
import { AppError, validationError, type FieldError } from "../../platform/http/errors.ts";
import { isLocale, type Locale } from "../../platform/i18n/locales.ts";
import type { Kernel } from "../../platform/kernel.server.ts";
import { authorize, can, requireUser, type Actor } from "../../platform/policy/policy.ts";
import { organisation } from "../../platform/tenancy/schema.ts";
import { profile } from "../profile/schema.ts";
import { balintGroup, groupLeader, groupMembership } from "../groups/schema.ts";
import { buildCalendar, buildSingleEvent, etagFor, type CalendarSeries } from "../groups/ical.ts";
import type { UpdateGroupInput } from "../groups/schemas.ts";
import { localToInstant, occurrences, resolveSeries, validateRecurrence, type RecurrenceExceptions, type RecurrenceInput, type ResolvedMeeting } from "../groups/schedule.ts";
import { mailMessage } from "../../platform/mail/schema.ts";
import { DEFAULT_REMINDER_OFFSETS } from "./constants.ts";
import type { NoticeKind } from "./constants.ts";

const FEED_CACHE_ENTRIES = 500;
import { attendance, attendanceChange, calendarFeed, groupPause, reminderPlanSlot, reminderPreference, reminderSent, rsvp, sessionException, sessionLeader, sessionNotice, sessionNoticeRecipient } from "./schema.ts";
import { AttendanceInput, CancelInput, ChangeLinkInput, PauseInput, ReminderPreferenceInput, RescheduleInput, RsvpInput, SessionLeadersInput, WindowQuery } from "./schemas.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FEED_TOKEN = /^[A-Za-z0-9_-]{43}$/;
const DAY_MS = 86_400_000;
/** Default window of `upcoming` / `mySessions`: the next 60 days. */
const DEFAULT_WINDOW_DAYS = 60;
/** How far back `attendanceOverdue` looks. */
const OVERDUE_DAYS = 90;
export const FEED_REFRESH_MINUTES = 60;
export const REMINDER_SEND_QUEUE = "sessions-reminder-send";
export const REMINDER_PLAN_QUEUE = "sessions-reminder-plan";
/** The change notices' delivery job, queued in the change's own transaction (see `createNotice`). */
export const NOTICE_DELIVER_QUEUE = "sessions-notice-deliver";
/** The delivery job runs this long after the change: the request delivers first, the job picks up what it left. */
export const NOTICE_JOB_DELAY_MS = 60_000;
/** Reminders are planned for meetings starting within this horizon (longer than the longest offset). */
const PLAN_HORIZON_MS = 3 * DAY_MS;
/** The planner runs every 6 hours (each run enqueues the next). */
const PLAN_EVERY_MS = 6 * 3_600_000;
const PLAN_MARGIN_MS = 3_600_000;

export interface ReminderJob {
  userId: string;
  groupId: string;
  /** The meeting's identity (original start), ISO. */
  occurrenceStart: string;
  /** Its start when planned, ISO: a moved meeting gets a new job. */
  start: string;
  offsetMinutes: number;
}

type GroupRow = typeof balintGroup.$inferSelect;

export interface RequestMeta {
  ipAddress?: string | null;
  requestId?: string | null;
}

export interface SessionView {
  organisationId: string;
  groupId: string;
  groupName: string;
  /** The meeting's identity (the rule's start), ISO 8601. */
  occurrenceStart: string;
  start: string;
  end: string;
  status: "scheduled" | "cancelled" | "rescheduled";
  index: number;
  /** Only for leaders, coordinators and members who accepted the agreement. */
  meetingLink: string | null;
  /** The viewer's answer (default "going"); null when the viewer is not a member. */
  myRsvp: "going" | "not_going" | null;
  /** The viewer's own note to the leaders with "can't come" (members only; null otherwise). */
  myRsvpNote: string | null;
  myRole: "leader" | "co_leader" | "member" | null;
}

export interface Participation {
  userId: string;
  attended: { organisationId: string; groupId: string; occurrenceStart: string }[];
  led: { organisationId: string; groupId: string; occurrenceStart: string; kind: "leader" | "co_leader" }[];
  attendedCount: number;
  ledCount: number;
}

const notFoundGroup = () => new AppError("not_found", "That group was not found.");

function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> } } }, raw: unknown): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error.issues);
  return parsed.data;
}

const hashToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

function recurrenceOf(row: GroupRow): RecurrenceInput {
  const input: RecurrenceInput = { rrule: row.rrule, dtstartLocal: row.dtstartLocal, timeZone: row.timeZone, durationMinutes: row.durationMinutes };
  if (row.firstDurationMinutes !== null) input.firstDurationMinutes = row.firstDurationMinutes;
  return input;
}

// ---- what a group edit does to its calendar --------------------------------------------------

/** Audit actions of edits to a group that may change its calendar (see `calendarEdit`). */
const GROUP_EDIT_ACTIONS = ["group.updated", "group.term_started"];
/**
 * Fields of a group that a calendar shows: SUMMARY (name), the times (schedule: rule, first
 * start, durations; time zone), LOCATION and URL (address, meeting link). The others
 * (description, format, capacity, languages, leaders…) change nothing in a feed.
 */
const CALENDAR_FIELDS = ["name", "schedule", "timeZone", "address", "meetingLink"] as const satisfies readonly (keyof UpdateGroupInput)[];
/** "group.updated" names at most this many of the fields sent (groups service), space-separated. */
const AUDITED_FIELDS_MAX = 6;

/**
 * Whether an audit entry of a group edit changed what a calendar shows. A new term brings a new
 * schedule. "group.updated" names the fields that were sent: one the calendar shows counts; a
 * full list (it may have been cut short) or none at all counts too, as SEQUENCE only has to grow.
 */
function calendarEdit(action: string, details: Record<string, unknown> | null | undefined): boolean {
  if (action === "group.term_started") return true;
  if (action !== "group.updated") return false;
  const fields = details?.["fields"];
  if (typeof fields !== "string") return true;
  const names = fields.split(" ").filter(Boolean);
  return names.length >= AUDITED_FIELDS_MAX || names.some((n) => (CALENDAR_FIELDS as readonly string[]).includes(n));
}

/** "2030-01-02T19:00:00.000Z" (or with an offset) → Date; a 400 naming `start` otherwise. */
export function parseStart(raw: string, field = "start"): Date {
  const value = raw.endsWith(".ics") ? raw.slice(0, -4) : raw;
  const ok = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(value);
  const date = new Date(value);
  if (!ok || Number.isNaN(date.getTime())) throw new AppError("validation_failed", `Invalid ${field}: must be a meeting's start (ISO 8601 date-time).`, [{ path: field, message: "must be a meeting's start (ISO 8601 date-time)" }]);
  return date;
}

/**
 * For the records (attendance, leading credits): a cancelled meeting did not take place; a paused
 * one did not either — unless something was recorded for it before the pause was added (records
 * can only be made for a meeting that is not paused and has started), since a pause added later
 * does not undo a meeting that happened. Whether it has started is the caller's second check.
 * Exported as THE rule for the slices built on held meetings (the leaders' debrief).
 */
export async function didNotTakePlace(groupId: string, meeting: ResolvedMeeting, originalStart: Date, exec: Executor): Promise<boolean> {
  if (meeting.status === "cancelled") return true;
  if (meeting.status !== "paused") return false;
  const [marked] = await exec.select({ id: attendance.id }).from(attendance).where(and(eq(attendance.groupId, groupId), eq(attendance.occurrenceStart, originalStart))).limit(1);
  if (marked) return false;
  const [credited] = await exec.select({ userId: sessionLeader.userId }).from(sessionLeader).where(and(eq(sessionLeader.groupId, groupId), eq(sessionLeader.occurrenceStart, originalStart))).limit(1);
  return !credited;
}

export function createSessionsService(kernel: Kernel) {
  const { db, config, mailer, logger, jobs } = kernel;

  const audit = (tx: Executor, actor: Actor, meta: RequestMeta, entry: { organisationId: string; action: string; targetType: string; targetId: string; details?: Record<string, string | number | boolean | null> }) =>
    recordAudit(tx, { ...entry, actor, ipAddress: meta.ipAddress ?? null, requestId: meta.requestId ?? null });

  // ---- loading -------------------------------------------------------------------------------

  async function loadGroup(orgId: string, groupId: string, exec: Executor = db): Promise<GroupRow> {
    if (!UUID.test(groupId) || !UUID.test(orgId)) throw notFoundGroup();
    const [row] = await exec.select().from(balintGroup).where(and(eq(balintGroup.id, groupId), eq(balintGroup.organisationId, orgId)));
    if (!row) throw notFoundGroup();
    return row;
  }

  async function leaderKind(groupId: string, userId: string | null, exec: Executor = db) {
    if (!userId) return null;
    const [row] = await exec.select({ kind: groupLeader.kind }).from(groupLeader).where(and(eq(groupLeader.groupId, groupId), eq(groupLeader.userId, userId)));
    return row?.kind ?? null;
  }

  async function activeMembership(groupId: string, userId: string | null, exec: Executor = db) {
    if (!userId) return null;
    const [row] = await exec.select().from(groupMembership).where(and(eq(groupMembership.groupId, groupId), eq(groupMembership.userId, userId), eq(groupMembership.status, "active")));
    return row ?? null;
  }

  interface Access {
    group: GroupRow;
    lead: boolean;
    role: SessionView["myRole"];
    agreed: boolean;
  }

  /** The group, readable by the actor (authorize first: outsiders get 404). `exec`: a caller's transaction. */
  async function access(actor: Actor, orgId: string, groupId: string, exec: Executor = db): Promise<Access> {
    authorize(actor, "groups:read", { organisationId: orgId });
    const group = await loadGroup(orgId, groupId, exec);
    const manage = can(actor, "groups:manage", { organisationId: orgId });
    const kind = await leaderKind(group.id, actor.userId, exec);
    const mine = await activeMembership(group.id, actor.userId, exec);
    const lead = manage || (kind !== null && can(actor, "groups:lead", { organisationId: orgId }));
    if (group.visibility === "private" && !manage && !kind && !mine) throw notFoundGroup();
    const agreed = mine !== null && mine.agreementAcceptedAt !== null && mine.term === group.term;
    return { group, lead, role: kind ?? (mine ? "member" : null), agreed };
  }

  async function requireLead(actor: Actor, orgId: string, groupId: string, exec: Executor = db): Promise<Access> {
    const a = await access(actor, orgId, groupId, exec);
    if (!a.lead) throw new AppError("forbidden", "Only this group's leaders and the organisation's coordinators can do that.");
    return a;
  }

  interface Loaded {
    exceptions: RecurrenceExceptions;
    lastModified: Date;
    reasons: Map<number, string>;
  }

  /** Exceptions and pauses of several groups, keyed by group id. */
  async function exceptionsOf(groups: GroupRow[], exec: Executor = db): Promise<Map<string, Loaded>> {
    const out = new Map<string, Loaded>();
    for (const g of groups) out.set(g.id, { exceptions: { cancelled: [], changed: [], pauses: [] }, lastModified: g.updatedAt, reasons: new Map() });
    if (groups.length === 0) return out;
    const ids = groups.map((g) => g.id);
    const rows = await exec.select().from(sessionException).where(inArray(sessionException.groupId, ids));
    for (const r of rows) {
      const e = out.get(r.groupId)!;
      if (r.kind === "cancelled") e.exceptions.cancelled!.push(r.occurrenceStart);
      else {
        const change: NonNullable<RecurrenceExceptions["changed"]>[number] = { originalStart: r.occurrenceStart };
        if (r.newStart) change.start = r.newStart;
        if (r.durationMinutes !== null) change.durationMinutes = r.durationMinutes;
        if (r.meetingLink !== null) change.meetingLink = r.meetingLink;
        e.exceptions.changed!.push(change);
      }
      e.reasons.set(r.occurrenceStart.getTime(), r.reason);
      if (r.updatedAt > e.lastModified) e.lastModified = r.updatedAt;
    }
    const pauses = await exec.select().from(groupPause).where(inArray(groupPause.groupId, ids));
    for (const p of pauses) {
      const e = out.get(p.groupId)!;
      e.exceptions.pauses!.push({ startDate: p.startDate, endDate: p.endDate });
      if (p.createdAt > e.lastModified) e.lastModified = p.createdAt;
    }
    return out;
  }

  /** One meeting of the group's rule, by its original start; a 400 naming `start` when there is none. */
  function meetingAt(group: GroupRow, exceptions: RecurrenceExceptions, originalStart: Date, field = "start"): ResolvedMeeting {
    const { meetings } = resolveSeries(recurrenceOf(group), exceptions);
    const meeting = meetings.find((m) => m.rule.start.epochMilliseconds === originalStart.getTime());
    if (!meeting) throw new AppError("validation_failed", `Invalid ${field}: not a meeting of this group.`, [{ path: field, message: "is not a meeting of this group (use the meeting's original start)" }]);
    return meeting;
  }

  function window(raw: unknown): { from: Date; to: Date } {
    const q = parse(WindowQuery, raw ?? {});
    const from = q.from ? new Date(q.from) : new Date();
    const to = q.to ? new Date(q.to) : new Date(from.getTime() + DEFAULT_WINDOW_DAYS * DAY_MS);
    if (to.getTime() <= from.getTime()) throw new AppError("validation_failed", "Invalid to: must be after from.", [{ path: "to", message: "must be after from" }]);
    if (to.getTime() - from.getTime() > 400 * DAY_MS) throw new AppError("validation_failed", "Invalid to: the window is at most 400 days.", [{ path: "to", message: "the window is at most 400 days" }]);
    return { from, to };
  }

  type MyRsvps = Map<string, { status: "going" | "not_going"; note: string | null }>;

  async function myRsvps(userId: string | null, groupIds: string[]): Promise<MyRsvps> {
    const map: MyRsvps = new Map();
    if (!userId || groupIds.length === 0) return map;
    const rows = await db.select().from(rsvp).where(and(eq(rsvp.userId, userId), inArray(rsvp.groupId, groupIds)));
    for (const r of rows) map.set(`${r.groupId}:${r.occurrenceStart.getTime()}`, { status: r.status, note: r.note });
    return map;
  }

  function sessionsOf(group: GroupRow, loaded: Loaded, win: { from: Date; to: Date }, viewer: { role: SessionView["myRole"]; seeLink: boolean; rsvps: MyRsvps }): SessionView[] {
    let list;
    try {
      list = occurrences(recurrenceOf(group), loaded.exceptions, win);
    } catch (error) {
      logger.warn({ err: error, groupId: group.id }, "group schedule could not be expanded");
      return [];
    }
    return list.map((o) => {
      const mine = viewer.role === "member" ? viewer.rsvps.get(`${group.id}:${o.originalStart.getTime()}`) : undefined;
      return {
      organisationId: group.organisationId,
      groupId: group.id,
      groupName: group.name,
      occurrenceStart: o.originalStart.toISOString(),
      start: o.start.toISOString(),
      end: o.end.toISOString(),
      status: o.status,
      index: o.index,
      meetingLink: viewer.seeLink ? (o.meetingLink ?? group.meetingLink ?? null) : null,
      myRsvp: viewer.role === "member" ? (mine?.status ?? "going") : null,
      myRsvpNote: mine?.note ?? null,
      myRole: viewer.role,
      };
    });
  }

  /** Groups the user leads or is an active member of (any organisation), not archived. */
  async function groupsOfUser(userId: string): Promise<{ group: GroupRow; role: NonNullable<SessionView["myRole"]>; agreed: boolean }[]> {
    const led = await db.select({ group: balintGroup, kind: groupLeader.kind }).from(groupLeader).innerJoin(balintGroup, eq(balintGroup.id, groupLeader.groupId)).where(and(eq(groupLeader.userId, userId), isNull(balintGroup.archivedAt)));
    const member = await db
      .select({ group: balintGroup, m: groupMembership })
      .from(groupMembership)
      .innerJoin(balintGroup, eq(balintGroup.id, groupMembership.groupId))
      .where(and(eq(groupMembership.userId, userId), eq(groupMembership.status, "active"), isNull(balintGroup.archivedAt)));
    const out: { group: GroupRow; role: NonNullable<SessionView["myRole"]>; agreed: boolean }[] = led.map((r) => ({ group: r.group, role: r.kind, agreed: true }));
    for (const r of member) {
      if (out.some((o) => o.group.id === r.group.id)) continue;
      out.push({ group: r.group, role: "member" as const, agreed: r.m.agreementAcceptedAt !== null && r.m.term === r.group.term });
    }
    return out;
  }

  // ---- mail ----------------------------------------------------------------------------------

  type NoticeTemplate = "sessionChanged" | "sessionCancelled" | "sessionLinkChanged" | "sessionRestored" | "groupPaused" | "groupResumed";
  const NOTICE_TEMPLATE: Record<NoticeKind, NoticeTemplate> = { cancelled: "sessionCancelled", changed: "sessionChanged", link_changed: "sessionLinkChanged", restored: "sessionRestored", paused: "groupPaused", resumed: "groupResumed" };

  /**
   * Writes a notice in the change's transaction together with its delivery job (the transactional
   * outbox: pg-boss writes the job through the same transaction, so the job exists exactly when the
   * notice does). The request then delivers at once (`deliverQuietly`); the job runs
   * `NOTICE_JOB_DELAY_MS` later and delivers to whoever is still unclaimed — nobody, unless the
   * process died after the commit or a send failed. The claim rows keep it to one email a person.
   */
  async function createNotice(tx: Executor, groupId: string, kind: NoticeKind, about: { occurrenceStart?: Date; startDate?: string; endDate?: string }, byUserId: string | null): Promise<string> {
    const [row] = await tx
      .insert(sessionNotice)
      .values({ groupId, kind, occurrenceStart: about.occurrenceStart ?? null, startDate: about.startDate ?? null, endDate: about.endDate ?? null, createdByUserId: byUserId })
      .returning({ id: sessionNotice.id });
    await jobs.enqueue(NOTICE_DELIVER_QUEUE, { noticeId: row!.id }, { tx, startAfter: new Date(Date.now() + NOTICE_JOB_DELAY_MS), retryLimit: 8 });
    return row!.id;
  }

  /**
   * Emails a notice to the group's active members, each once: the (notice, person) row is claimed
   * first (primary key), so a second call — another instance, the delivery job, a retry — skips who
   * already has it. Returns the emails queued and the sends that failed (logged; their claim is
   * given back so the delivery job's retry sends them).
   */
  async function deliverNoticeOnce(noticeId: string): Promise<{ queued: number; failed: number }> {
    if (!UUID.test(noticeId)) return { queued: 0, failed: 0 };
    const [notice] = await db.select().from(sessionNotice).where(eq(sessionNotice.id, noticeId));
    if (!notice) return { queued: 0, failed: 0 };
    const [group] = await db.select().from(balintGroup).where(eq(balintGroup.id, notice.groupId));
    if (!group) return { queued: 0, failed: 0 };
    let newStart: Date | null = null;
    if ((notice.kind === "changed" || notice.kind === "restored") && notice.occurrenceStart) {
      try {
        const loaded = (await exceptionsOf([group])).get(group.id)!;
        newStart = new Date(meetingAt(group, loaded.exceptions, notice.occurrenceStart).start.epochMilliseconds);
      } catch {
        newStart = null;
      }
    }
    const rows = await db
      .select({ userId: user.id, email: user.email, name: user.name, locale: profile.locale, timeZone: profile.timeZone, orgLocale: organisation.defaultLocale, orgTimeZone: organisation.timeZone })
      .from(groupMembership)
      .innerJoin(user, eq(user.id, groupMembership.userId))
      .leftJoin(profile, eq(profile.userId, user.id))
      .innerJoin(organisation, eq(organisation.id, group.organisationId))
      .where(and(eq(groupMembership.groupId, group.id), eq(groupMembership.status, "active")));
    let queued = 0;
    let failed = 0;
    for (const to of rows) {
      const claimed = await db.insert(sessionNoticeRecipient).values({ noticeId, userId: to.userId }).onConflictDoNothing().returning();
      if (claimed.length === 0) continue;
      try {
        const locale: Locale = isLocale(to.locale) ? to.locale : isLocale(to.orgLocale) ? to.orgLocale : "en";
        const fmt = new Intl.DateTimeFormat(locale, { dateStyle: "full", timeStyle: "short", timeZone: to.timeZone ?? to.orgTimeZone ?? group.timeZone });
        const day = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" });
        const values: Record<string, string> = { group: group.name };
        if (notice.occurrenceStart) values["original"] = fmt.format(notice.occurrenceStart);
        if (notice.kind === "changed" || notice.kind === "restored") values["start"] = fmt.format(newStart ?? notice.occurrenceStart!);
        if (notice.startDate) values["from"] = day.format(new Date(`${notice.startDate}T00:00:00Z`));
        if (notice.endDate) values["to"] = day.format(new Date(`${notice.endDate}T00:00:00Z`));
        const id = await mailer.send(to.email, { template: NOTICE_TEMPLATE[notice.kind], locale, recipientName: to.name, values, actionUrl: `${config.appUrl}/sessions` }, { organisationId: group.organisationId });
        await db.update(sessionNoticeRecipient).set({ mailMessageId: id }).where(and(eq(sessionNoticeRecipient.noticeId, noticeId), eq(sessionNoticeRecipient.userId, to.userId)));
        queued += 1;
      } catch (error) {
        failed += 1;
        await db.delete(sessionNoticeRecipient).where(and(eq(sessionNoticeRecipient.noticeId, noticeId), eq(sessionNoticeRecipient.userId, to.userId)));
        logger.error({ err: error, groupId: group.id, noticeId }, "session change email could not be queued");
      }
    }
    return { queued, failed };
  }

  async function deliverNotice(noticeId: string): Promise<number> {
    return (await deliverNoticeOnce(noticeId)).queued;
  }

  // The backup delivery (see `createNotice`): a send that failed throws, so the queue retries it.
  jobs.define<{ noticeId: string }>(NOTICE_DELIVER_QUEUE, async ({ noticeId }) => {
    const { queued, failed } = await deliverNoticeOnce(noticeId);
    if (queued) logger.info({ noticeId, queued }, "session notice delivered by its job");
    if (failed) throw new Error(`session notice ${noticeId}: ${failed} email(s) could not be queued`);
  });

  async function deliverQuietly(noticeId: string | null) {
    if (!noticeId) return;
    try {
      await deliverNotice(noticeId);
    } catch (error) {
      logger.error({ err: error, noticeId }, "session notice could not be delivered");
    }
  }

  // ---- leaders of held meetings ----------------------------------------------------------------

  /**
   * Which recorded meetings took place, as the schedule stands at `now`: (group, original start) →
   * false when the meeting is cancelled or has not started — moved or restored into the future,
   * or a future meeting removed by a pause. A paused meeting that had started keeps its records
   * (see `didNotTakePlace`). A meeting the group's rule no longer has keeps them too.
   */
  async function tookPlaceAt(groupIds: string[], now: Date): Promise<(groupId: string, occurrenceStart: Date) => boolean> {
    const ids = [...new Set(groupIds)];
    const groups = ids.length ? await db.select().from(balintGroup).where(inArray(balintGroup.id, ids)) : [];
    const loaded = await exceptionsOf(groups);
    const byGroup = new Map<string, Map<number, ResolvedMeeting>>();
    for (const g of groups) {
      try {
        byGroup.set(g.id, new Map(resolveSeries(recurrenceOf(g), loaded.get(g.id)!.exceptions).meetings.map((m) => [m.rule.start.epochMilliseconds, m])));
      } catch (error) {
        logger.warn({ err: error, groupId: g.id }, "group schedule could not be expanded");
      }
    }
    return (groupId, occurrenceStart) => {
      const m = byGroup.get(groupId)?.get(occurrenceStart.getTime());
      if (!m) return true;
      return m.status !== "cancelled" && m.start.epochMilliseconds <= now.getTime();
    };
  }

  /**
   * THE writer of `session_leader` (attendance, the leaders' corrections, and later the
   * facilitation companion all go through here). Takes the snapshot of the group's current
   * leaders for the meeting if it has none yet (idempotent, safe under concurrency), then applies
   * `led` corrections: a leader in the snapshot gets `led` set; a current leader missing from it
   * is added with their current kind. Callers validate `led` user ids (`leaderCandidates`).
   * Returns the rows whose credit changed by a correction.
   */
  async function recordSessionLeaders(
    groupId: string,
    occurrenceStart: Date,
    opts: { byUserId: string | null; now?: Date; led?: { userId: string; led: boolean }[]; tx?: Executor },
  ): Promise<{ userId: string; kind: "leader" | "co_leader"; led: boolean }[]> {
    const exec = opts.tx ?? db;
    const now = opts.now ?? new Date();
    const at = and(eq(sessionLeader.groupId, groupId), eq(sessionLeader.occurrenceStart, occurrenceStart));
    let rows = await exec.select().from(sessionLeader).where(at);
    const current = await exec.select({ userId: groupLeader.userId, kind: groupLeader.kind }).from(groupLeader).where(eq(groupLeader.groupId, groupId));
    if (rows.length === 0 && current.length > 0) {
      await exec
        .insert(sessionLeader)
        .values(current.map((l) => ({ groupId, occurrenceStart, userId: l.userId, kind: l.kind, led: true, recordedAt: now, recordedByUserId: opts.byUserId })))
        .onConflictDoNothing();
      rows = await exec.select().from(sessionLeader).where(at);
    }
    const changed: { userId: string; kind: "leader" | "co_leader"; led: boolean }[] = [];
    for (const c of opts.led ?? []) {
      const row = rows.find((r) => r.userId === c.userId);
      if (row) {
        if (row.led === c.led) continue;
        await exec.update(sessionLeader).set({ led: c.led, recordedAt: now, recordedByUserId: opts.byUserId }).where(and(at, eq(sessionLeader.userId, c.userId)));
        changed.push({ userId: c.userId, kind: row.kind, led: c.led });
      } else {
        const leader = current.find((l) => l.userId === c.userId);
        if (!leader) continue;
        const inserted = await exec.insert(sessionLeader).values({ groupId, occurrenceStart, userId: c.userId, kind: leader.kind, led: c.led, recordedAt: now, recordedByUserId: opts.byUserId }).onConflictDoNothing().returning();
        if (inserted.length && c.led) changed.push({ userId: c.userId, kind: leader.kind, led: c.led });
      }
    }
    return changed;
  }

  /** The people who may be credited for a meeting: its snapshot plus the group's current leaders. */
  async function leaderCandidates(groupId: string, occurrenceStart: Date) {
    const snapshot = await db
      .select({ userId: sessionLeader.userId, name: user.name, kind: sessionLeader.kind, led: sessionLeader.led })
      .from(sessionLeader)
      .innerJoin(user, eq(user.id, sessionLeader.userId))
      .where(and(eq(sessionLeader.groupId, groupId), eq(sessionLeader.occurrenceStart, occurrenceStart)));
    const current = await db.select({ userId: groupLeader.userId, name: user.name, kind: groupLeader.kind }).from(groupLeader).innerJoin(user, eq(user.id, groupLeader.userId)).where(eq(groupLeader.groupId, groupId));
    const recorded = snapshot.length > 0;
    const items: { userId: string; name: string; kind: "leader" | "co_leader"; led: boolean; recorded: boolean }[] = snapshot.map((r) => ({ ...r, recorded: true }));
    // Not recorded yet: the current leaders, ticked by default. Recorded: a current leader missing from it, unticked.
    for (const c of current) if (!items.some((i) => i.userId === c.userId)) items.push({ ...c, led: !recorded, recorded: false });
    const rank = (k: string) => (k === "leader" ? 0 : 1);
    items.sort((a, b) => rank(a.kind) - rank(b.kind) || a.name.localeCompare(b.name));
    return items;
  }

  /** The attendance changes of one meeting, oldest first, with the member's and the recorder's names. */
  async function historyOf(groupId: string, occurrenceStart: Date) {
    const rows = await db
      .select({ id: attendanceChange.id, userId: attendanceChange.userId, previousStatus: attendanceChange.previousStatus, status: attendanceChange.status, recordedByUserId: attendanceChange.recordedByUserId, recordedAt: attendanceChange.recordedAt })
      .from(attendanceChange)
      .where(and(eq(attendanceChange.groupId, groupId), eq(attendanceChange.occurrenceStart, occurrenceStart)))
      .orderBy(attendanceChange.recordedAt, attendanceChange.id);
    const ids = [...new Set(rows.flatMap((r) => (r.recordedByUserId ? [r.userId, r.recordedByUserId] : [r.userId])))];
    const people = ids.length ? await db.select({ id: user.id, name: user.name }).from(user).where(inArray(user.id, ids)) : [];
    const nameOf = new Map(people.map((p) => [p.id, p.name]));
    return rows.map((r) => ({
      id: r.id,
      userId: r.userId,
      name: nameOf.get(r.userId) ?? "",
      previousStatus: r.previousStatus,
      status: r.status,
      recordedByUserId: r.recordedByUserId,
      recordedByName: r.recordedByUserId ? (nameOf.get(r.recordedByUserId) ?? null) : null,
      recordedAt: r.recordedAt.toISOString(),
    }));
  }

  // ---- exceptions ----------------------------------------------------------------------------

  async function upsertException(
    actor: Actor,
    orgId: string,
    groupId: string,
    rawStart: string,
    change: { kind: "cancelled" } | { kind: "changed"; newStart?: Date; durationMinutes?: number; meetingLink?: string },
    reason: string,
    meta: RequestMeta,
  ) {
    const { group } = await requireLead(actor, orgId, groupId);
    const originalStart = parseStart(rawStart);
    const loaded = (await exceptionsOf([group])).get(group.id)!;
    const current = meetingAt(group, loaded.exceptions, originalStart);
    if (current.status === "paused") throw new AppError("conflict", "This meeting falls in a pause.", [{ path: "start", message: "falls in a pause" }]);
    const [existing] = await db.select().from(sessionException).where(and(eq(sessionException.groupId, group.id), eq(sessionException.occurrenceStart, originalStart)));
    let values: { kind: "cancelled" | "changed"; newStart: Date | null; durationMinutes: number | null; meetingLink: string | null };
    if (change.kind === "cancelled") {
      if (current.status === "cancelled") throw new AppError("conflict", "This meeting is already cancelled.", [{ path: "start", message: "is already cancelled" }]);
      values = { kind: "cancelled", newStart: null, durationMinutes: null, meetingLink: null };
    } else {
      const base = existing?.kind === "changed" ? existing : null;
      values = {
        kind: "changed",
        newStart: change.newStart ?? base?.newStart ?? null,
        durationMinutes: change.durationMinutes ?? base?.durationMinutes ?? null,
        meetingLink: change.meetingLink ?? base?.meetingLink ?? null,
      };
      // Check the new start against the schedule's own rules (field names from schedule.ts).
      const others = (loaded.exceptions.changed ?? []).filter((c) => c.originalStart.getTime() !== originalStart.getTime());
      const candidate = { originalStart, ...(values.newStart ? { start: values.newStart } : {}), ...(values.durationMinutes ? { durationMinutes: values.durationMinutes } : {}), ...(values.meetingLink ? { meetingLink: values.meetingLink } : {}) };
      const cancelled = (loaded.exceptions.cancelled ?? []).filter((d) => d.getTime() !== originalStart.getTime());
      const issues = validateRecurrence(recurrenceOf(group), { ...loaded.exceptions, cancelled, changed: [...others, candidate] });
      if (issues.length) {
        const fields: FieldError[] = issues.map((i) => ({ path: i.path.startsWith("exceptions.changed") ? (i.path.endsWith(".durationMinutes") ? "durationMinutes" : "start") : i.path, message: i.message }));
        throw new AppError("validation_failed", `Invalid ${fields[0]!.path}: ${fields[0]!.message}`, fields);
      }
    }
    const now = new Date();
    const moved = change.kind === "changed" && (change.newStart !== undefined || change.durationMinutes !== undefined);
    const noticeKind: NoticeKind | null = change.kind === "cancelled" ? "cancelled" : moved ? "changed" : change.meetingLink !== undefined ? "link_changed" : null;
    const noticeId = await db.transaction(async (tx) => {
      await tx
        .insert(sessionException)
        .values({ groupId: group.id, occurrenceStart: originalStart, ...values, reason: reason as typeof sessionException.$inferInsert.reason, changedByUserId: actor.userId, updatedAt: now })
        .onConflictDoUpdate({ target: [sessionException.groupId, sessionException.occurrenceStart], set: { ...values, reason: reason as typeof sessionException.$inferInsert.reason, changedByUserId: actor.userId, updatedAt: now } });
      await audit(tx, actor, meta, { organisationId: orgId, action: change.kind === "cancelled" ? "session.cancelled" : "session.changed", targetType: "group", targetId: group.id, details: { occurrenceStart: originalStart.toISOString(), reason } });
      return noticeKind ? createNotice(tx, group.id, noticeKind, { occurrenceStart: originalStart }, actor.userId) : null;
    });
    await deliverQuietly(noticeId);
    if (moved) await replanQuietly([group.id]);
    const after = (await exceptionsOf([group])).get(group.id)!;
    const m = meetingAt(group, after.exceptions, originalStart);
    return { occurrenceStart: originalStart.toISOString(), start: new Date(m.start.epochMilliseconds).toISOString(), end: new Date(m.start.epochMilliseconds + m.durationMinutes * 60_000).toISOString(), status: m.status, meetingLink: m.meetingLink ?? group.meetingLink ?? null };
  }

  // ---- reminders -----------------------------------------------------------------------------

  async function offsetsOf(userIds: string[]): Promise<Map<string, number[]>> {
    const map = new Map<string, number[]>();
    if (userIds.length === 0) return map;
    const rows = await db.select().from(reminderPreference).where(inArray(reminderPreference.userId, userIds));
    for (const r of rows) map.set(r.userId, r.offsetsMinutes);
    return map;
  }

  const reminderKey = (j: ReminderJob) => `${j.userId}:${j.groupId}:${new Date(j.occurrenceStart).getTime()}:${j.offsetMinutes}:${new Date(j.start).getTime()}`;

  /**
   * Enqueues a send job for every (active member, upcoming meeting, offset) whose send time
   * (start − offset, pg-boss `startAfter`) falls before the next planner run (+ 1 h margin) and
   * that was not sent yet, with a singletonKey of (person, meeting, offset, start). NOTE: with
   * the platform queue's default ("standard") policy and no singletonSeconds, pg-boss does not
   * deduplicate by singletonKey, so the guarantee of one email per (person, meeting, offset) is
   * the `session_reminder_sent` primary key claimed by `sendReminder`. Returns jobs queued.
   */
  async function planReminders(now = new Date(), onlyGroupIds?: string[]): Promise<number> {
    const conditions = [isNull(balintGroup.archivedAt), isNull(balintGroup.termEndedAt)];
    if (onlyGroupIds) {
      if (onlyGroupIds.length === 0) return 0;
      conditions.push(inArray(balintGroup.id, onlyGroupIds));
    }
    const groups = await db.select().from(balintGroup).where(and(...conditions));
    if (groups.length === 0) return 0;
    const loaded = await exceptionsOf(groups);
    const members = await db.select({ groupId: groupMembership.groupId, userId: groupMembership.userId }).from(groupMembership).where(and(inArray(groupMembership.groupId, groups.map((g) => g.id)), eq(groupMembership.status, "active")));
    const prefs = await offsetsOf([...new Set(members.map((m) => m.userId))]);
    const sentRows = await db.select().from(reminderSent).where(and(inArray(reminderSent.groupId, groups.map((g) => g.id)), gte(reminderSent.occurrenceStart, new Date(now.getTime() - DAY_MS))));
    const sent = new Set(sentRows.map((r) => `${r.userId}:${r.groupId}:${r.occurrenceStart.getTime()}:${r.offsetMinutes}`));
    let queued = 0;
    for (const group of groups) {
      let list: ReturnType<typeof occurrences> = [];
      try {
        list = occurrences(recurrenceOf(group), loaded.get(group.id)!.exceptions, { from: now, to: new Date(now.getTime() + PLAN_HORIZON_MS) }).filter((o) => o.status !== "cancelled");
      } catch {
        continue;
      }
      for (const o of list) {
        for (const m of members.filter((x) => x.groupId === group.id)) {
          for (const offsetMinutes of prefs.get(m.userId) ?? DEFAULT_REMINDER_OFFSETS) {
            const job: ReminderJob = { userId: m.userId, groupId: group.id, occurrenceStart: o.originalStart.toISOString(), start: o.start.toISOString(), offsetMinutes };
            const startAfter = new Date(o.start.getTime() - offsetMinutes * 60_000);
            // Each planner run queues the reminders due before the next run (plus a margin).
            if (startAfter.getTime() >= now.getTime() + PLAN_EVERY_MS + PLAN_MARGIN_MS) continue;
            if (sent.has(`${m.userId}:${group.id}:${o.originalStart.getTime()}:${offsetMinutes}`)) continue;
            if (await jobs.enqueue(REMINDER_SEND_QUEUE, job, { startAfter, singletonKey: reminderKey(job), retryLimit: 3 })) queued += 1;
          }
        }
      }
    }
    return queued;
  }

  async function replanQuietly(groupIds: string[]) {
    try {
      await planReminders(new Date(), groupIds);
    } catch (error) {
      logger.error({ err: error }, "reminders could not be planned");
    }
  }

  /**
   * Job handler (also called by tests). Sends the reminder unless it no longer applies (meeting
   * cancelled, moved, paused or started; person no longer an active member; offset no longer
   * wanted). The row in `session_reminder_sent` is claimed first, so two workers never both send.
   */
  async function sendReminder(data: ReminderJob, now = new Date()): Promise<"sent" | "skipped"> {
    if (!UUID.test(data.groupId)) return "skipped";
    const [group] = await db.select().from(balintGroup).where(eq(balintGroup.id, data.groupId));
    if (!group || group.archivedAt) return "skipped";
    const originalStart = new Date(data.occurrenceStart);
    if (now.getTime() >= new Date(data.start).getTime()) return "skipped";
    if (!(await activeMembership(group.id, data.userId))) return "skipped";
    const offsets = (await offsetsOf([data.userId])).get(data.userId) ?? DEFAULT_REMINDER_OFFSETS;
    if (!offsets.includes(data.offsetMinutes)) return "skipped";
    const loaded = (await exceptionsOf([group])).get(group.id)!;
    let meeting: ResolvedMeeting;
    try {
      meeting = meetingAt(group, loaded.exceptions, originalStart);
    } catch {
      return "skipped";
    }
    if (meeting.status === "cancelled" || meeting.status === "paused") return "skipped";
    if (meeting.start.epochMilliseconds !== new Date(data.start).getTime()) return "skipped";
    const claimed = await db.insert(reminderSent).values({ userId: data.userId, groupId: group.id, occurrenceStart: originalStart, offsetMinutes: data.offsetMinutes }).onConflictDoNothing().returning();
    if (claimed.length === 0) return "skipped";
    try {
      const [to] = await db
        .select({ email: user.email, name: user.name, locale: profile.locale, timeZone: profile.timeZone, orgLocale: organisation.defaultLocale, orgTimeZone: organisation.timeZone })
        .from(user)
        .leftJoin(profile, eq(profile.userId, user.id))
        .innerJoin(organisation, eq(organisation.id, group.organisationId))
        .where(eq(user.id, data.userId));
      if (!to) throw new Error("recipient vanished");
      const locale: Locale = isLocale(to.locale) ? to.locale : isLocale(to.orgLocale) ? to.orgLocale : "en";
      const start = new Intl.DateTimeFormat(locale, { dateStyle: "full", timeStyle: "short", timeZone: to.timeZone ?? to.orgTimeZone ?? group.timeZone }).format(new Date(data.start));
      const id = await mailer.send(to.email, { template: "sessionReminder", locale, recipientName: to.name, values: { group: group.name, start }, actionUrl: `${config.appUrl}/sessions` }, { organisationId: group.organisationId });
      await db.update(reminderSent).set({ mailMessageId: id }).where(and(eq(reminderSent.userId, data.userId), eq(reminderSent.groupId, group.id), eq(reminderSent.occurrenceStart, originalStart), eq(reminderSent.offsetMinutes, data.offsetMinutes)));
      return "sent";
    } catch (error) {
      // Give the claim back so the job's retry can send it.
      await db.delete(reminderSent).where(and(eq(reminderSent.userId, data.userId), eq(reminderSent.groupId, group.id), eq(reminderSent.occurrenceStart, originalStart), eq(reminderSent.offsetMinutes, data.offsetMinutes)));
      throw error;
    }
  }

  async function enqueuePlanner(at: Date) {
    const slot = Math.floor(at.getTime() / PLAN_EVERY_MS);
    await jobs.enqueue(REMINDER_PLAN_QUEUE, { slot }, { startAfter: at, singletonKey: `plan:${slot}`, retryLimit: 3 });
  }

  jobs.define<ReminderJob>(REMINDER_SEND_QUEUE, async (data) => {
    const outcome = await sendReminder(data);
    logger.debug({ groupId: data.groupId, outcome }, "session reminder");
  });
  /** One planner slot: claimed once, then planned, then the next slot queued. */
  async function runPlanner(slot: number, now = new Date()): Promise<"planned" | "skipped"> {
    const claimed = await db.insert(reminderPlanSlot).values({ slot }).onConflictDoNothing().returning();
    if (claimed.length === 0) return "skipped";
    try {
      await planReminders(now);
      await enqueuePlanner(new Date((slot + 1) * PLAN_EVERY_MS));
      return "planned";
    } catch (error) {
      await db.delete(reminderPlanSlot).where(eq(reminderPlanSlot.slot, slot));
      throw error;
    }
  }

  jobs.define<{ slot: number }>(REMINDER_PLAN_QUEUE, async (data) => {
    const outcome = await runPlanner(data.slot);
    logger.debug({ slot: data.slot, outcome }, "session reminder planner");
  });

  // ---- feeds ---------------------------------------------------------------------------------

  interface CalendarHistory {
    /** Changes to the series so far: the master's SEQUENCE. */
    sequence: number;
    /** Changes per meeting, by original start (ms): its SEQUENCE (plus `seriesChanges`). */
    meetings: Map<number, number>;
    /** Edits of the group that change every meeting as a calendar shows it (part of `sequence`). */
    seriesChanges: number;
    /** The latest change; null when there is none. */
    latest: Date | null;
  }

  /**
   * The calendar's change history of each group, derived from rows that are never deleted (the
   * exception and pause rows are: a restore or resume removes them, which alone would let
   * LAST-MODIFIED go back and leave SEQUENCE where it was). Every cancel, move, own link, pause and
   * resume leaves a `session_notice` in its own transaction; a restore leaves one only when the
   * members are told (not for a meeting that has started), so restores are read from the audit
   * log ("session.restored", written in every restore's transaction). A restore that also left a
   * notice counts twice: SEQUENCE only has to grow. Edits of the group itself are read from the
   * audit log too (`calendarEdit`: a new term's schedule, and "group.updated" entries that name a
   * field the calendar shows); they raise the series and every meeting. All sources only grow, so
   * the counts and the latest time never go back.
   */
  async function calendarHistoryOf(groupIds: string[]): Promise<Map<string, CalendarHistory>> {
    const out = new Map<string, CalendarHistory>(groupIds.map((id) => [id, { sequence: 0, meetings: new Map(), seriesChanges: 0, latest: null }]));
    if (groupIds.length === 0) return out;
    const notices = await db
      .select({ groupId: sessionNotice.groupId, occurrenceStart: sessionNotice.occurrenceStart, n: count(), latest: max(sessionNotice.createdAt) })
      .from(sessionNotice)
      .where(inArray(sessionNotice.groupId, groupIds))
      .groupBy(sessionNotice.groupId, sessionNotice.occurrenceStart);
    const restoredAt = sql<string | null>`${auditEvent.details}->>'occurrenceStart'`;
    const restores = await db
      .select({ groupId: auditEvent.targetId, occurrenceStart: restoredAt, n: count(), latest: max(auditEvent.createdAt) })
      .from(auditEvent)
      .where(and(eq(auditEvent.action, "session.restored"), eq(auditEvent.targetType, "group"), inArray(auditEvent.targetId, groupIds)))
      .groupBy(auditEvent.targetId, restoredAt);
    for (const r of [...notices, ...restores]) {
      const h = r.groupId ? out.get(r.groupId) : undefined;
      if (!h) continue;
      h.sequence += r.n;
      if (r.occurrenceStart) {
        const at = new Date(r.occurrenceStart).getTime();
        if (!Number.isNaN(at)) h.meetings.set(at, (h.meetings.get(at) ?? 0) + r.n);
      }
      const latest = r.latest ? new Date(r.latest) : null;
      if (latest && (!h.latest || latest > h.latest)) h.latest = latest;
    }
    const edits = await db
      .select({ groupId: auditEvent.targetId, action: auditEvent.action, details: auditEvent.details, at: auditEvent.createdAt })
      .from(auditEvent)
      .where(and(inArray(auditEvent.action, GROUP_EDIT_ACTIONS), eq(auditEvent.targetType, "group"), inArray(auditEvent.targetId, groupIds)));
    for (const e of edits) {
      const h = e.groupId ? out.get(e.groupId) : undefined;
      if (!h || !calendarEdit(e.action, e.details)) continue;
      h.sequence += 1;
      h.seriesChanges += 1;
      if (!h.latest || e.at > h.latest) h.latest = e.at;
    }
    return out;
  }

  async function seriesFor(entries: { group: GroupRow; agreed: boolean }[]): Promise<CalendarSeries[]> {
    const loaded = await exceptionsOf(entries.map((e) => e.group));
    const history = await calendarHistoryOf(entries.map((e) => e.group.id));
    const out: CalendarSeries[] = [];
    for (const { group, agreed } of entries) {
      const l = loaded.get(group.id)!;
      const h = history.get(group.id)!;
      // DTSTAMP / LAST-MODIFIED: the latest change, never earlier than one already served (see calendarHistoryOf).
      const lastModified = h.latest && h.latest > l.lastModified ? h.latest : l.lastModified;
      // In a fixed order: the feed's cache key is built from these inputs.
      const instanceSequences = Object.fromEntries([...h.meetings].sort((a, b) => a[0] - b[0]).map(([at, n]) => [new Date(at).toISOString(), n]));
      const series: CalendarSeries = { id: group.id, groupName: group.name, recurrence: recurrenceOf(group), exceptions: l.exceptions, lastModified, sequence: h.sequence, instanceSequences, seriesChanges: h.seriesChanges };
      if (agreed && group.meetingLink) series.meetingLink = group.meetingLink;
      if (agreed && group.address) series.venue = group.address;
      if (!agreed) series.exceptions = { ...l.exceptions, changed: (l.exceptions.changed ?? []).map(({ meetingLink: _omit, ...rest }) => rest) };
      out.push(series);
    }
    return out;
  }

  /** Built feeds by a hash of everything that goes into them (least recently used dropped first). */
  const feedCache = new Map<string, { body: string; etag: string }>();

  const uidDomain = () => {
    try {
      return new URL(config.appUrl).hostname || "balint-commons";
    } catch {
      return "balint-commons";
    }
  };

  return {
    /** Meetings of one group in a window (default: the next 60 days); cancelled ones included. */
    async upcoming(actor: Actor, orgId: string, groupId: string, rawWindow: unknown = {}): Promise<{ items: SessionView[] }> {
      const a = await access(actor, orgId, groupId);
      const win = window(rawWindow);
      const loaded = (await exceptionsOf([a.group])).get(a.group.id)!;
      const rsvps = await myRsvps(actor.userId, [a.group.id]);
      return { items: sessionsOf(a.group, loaded, win, { role: a.role, seeLink: a.lead || a.agreed, rsvps }) };
    },

    /** My meetings across all my groups (led or active member), in a window, with my RSVP. */
    async mySessions(actor: Actor, rawWindow: unknown = {}): Promise<{ items: SessionView[] }> {
      const userId = requireUser(actor);
      if (actor.tokenScope) throw new AppError("forbidden", "Use a signed-in session for your own sessions.");
      const win = window(rawWindow);
      const mine = await groupsOfUser(userId);
      const loaded = await exceptionsOf(mine.map((m) => m.group));
      const rsvps = await myRsvps(userId, mine.map((m) => m.group.id));
      const items = mine.flatMap((m) => sessionsOf(m.group, loaded.get(m.group.id)!, win, { role: m.role, seeLink: m.agreed, rsvps }));
      items.sort((x, y) => x.start.localeCompare(y.start));
      return { items };
    },

    cancel(actor: Actor, orgId: string, groupId: string, start: string, raw: unknown = {}, meta: RequestMeta = {}) {
      const input = parse(CancelInput, raw ?? {});
      return upsertException(actor, orgId, groupId, start, { kind: "cancelled" }, input.reason, meta);
    },

    reschedule(actor: Actor, orgId: string, groupId: string, start: string, raw: unknown, meta: RequestMeta = {}) {
      const input = parse(RescheduleInput, raw);
      return upsertException(actor, orgId, groupId, start, { kind: "changed", newStart: new Date(input.start), ...(input.durationMinutes ? { durationMinutes: input.durationMinutes } : {}) }, input.reason, meta);
    },

    /**
     * The form's reschedule: a new LOCAL date and time in the group's time zone (and optionally a
     * length). Errors name `date`, `time`, `durationMinutes`.
     */
    async rescheduleLocal(actor: Actor, orgId: string, groupId: string, start: string, raw: { date: string; time: string; durationMinutes?: string; reason?: string }, meta: RequestMeta = {}) {
      const { group } = await requireLead(actor, orgId, groupId);
      const fields: FieldError[] = [];
      if (!/^\d{4}-\d{2}-\d{2}$/.test(raw.date)) fields.push({ path: "date", message: "must be a date (YYYY-MM-DD)" });
      if (!/^\d{2}:\d{2}$/.test(raw.time)) fields.push({ path: "time", message: "must be a time (HH:mm)" });
      let durationMinutes: number | undefined;
      if (raw.durationMinutes !== undefined && raw.durationMinutes.trim() !== "") {
        durationMinutes = Number(raw.durationMinutes);
        if (!Number.isInteger(durationMinutes) || durationMinutes < 30 || durationMinutes > 240) fields.push({ path: "durationMinutes", message: "must be a whole number of minutes from 30 to 240" });
      }
      let instant: Date | null = null;
      if (!fields.length) {
        try {
          instant = localToInstant(`${raw.date}T${raw.time}`, group.timeZone);
        } catch {
          fields.push({ path: "date", message: "is not a valid date" });
        }
      }
      if (fields.length || !instant) throw new AppError("validation_failed", `Invalid ${fields[0]!.path}: ${fields[0]!.message}`, fields);
      return this.reschedule(actor, orgId, groupId, start, { start: instant.toISOString(), ...(durationMinutes ? { durationMinutes } : {}), reason: raw.reason || "other" }, meta);
    },

    changeLink(actor: Actor, orgId: string, groupId: string, start: string, raw: unknown, meta: RequestMeta = {}) {
      const input = parse(ChangeLinkInput, raw);
      return upsertException(actor, orgId, groupId, start, { kind: "changed", meetingLink: input.meetingLink }, input.reason, meta);
    },

    /**
     * Takes back a cancellation or change: the meeting is as the rule gives it again. The members
     * are told when the meeting has not started yet: "restored" (it takes place as planned), or
     * "cancelled" when taking back a move leaves it inside a pause (it no longer takes place).
     */
    async restore(actor: Actor, orgId: string, groupId: string, start: string, meta: RequestMeta = {}, now = new Date()) {
      const { group } = await requireLead(actor, orgId, groupId);
      const originalStart = parseStart(start);
      const loaded = (await exceptionsOf([group])).get(group.id)!;
      const at = originalStart.getTime();
      const without: RecurrenceExceptions = { ...loaded.exceptions, cancelled: (loaded.exceptions.cancelled ?? []).filter((d) => d.getTime() !== at), changed: (loaded.exceptions.changed ?? []).filter((c) => c.originalStart.getTime() !== at) };
      let noticeKind: NoticeKind | null = null;
      try {
        const before = meetingAt(group, loaded.exceptions, originalStart);
        const after = meetingAt(group, without, originalStart);
        if (after.status === "paused") noticeKind = before.status === "rescheduled" && before.start.epochMilliseconds > now.getTime() ? "cancelled" : null;
        else noticeKind = after.start.epochMilliseconds > now.getTime() ? "restored" : null;
      } catch {
        noticeKind = null; // not a meeting of the rule (any more): nothing to tell
      }
      const outcome = await db.transaction(async (tx) => {
        const rows = await tx.delete(sessionException).where(and(eq(sessionException.groupId, group.id), eq(sessionException.occurrenceStart, originalStart))).returning();
        if (!rows.length) return null;
        await audit(tx, actor, meta, { organisationId: orgId, action: "session.restored", targetType: "group", targetId: group.id, details: { occurrenceStart: originalStart.toISOString() } });
        return { noticeId: noticeKind ? await createNotice(tx, group.id, noticeKind, { occurrenceStart: originalStart }, actor.userId) : null };
      });
      if (!outcome) throw new AppError("not_found", "That meeting has no change to take back.");
      await deliverQuietly(outcome.noticeId);
      await replanQuietly([group.id]);
      return { restored: true, notified: outcome.noticeId !== null };
    },

    async listPauses(actor: Actor, orgId: string, groupId: string) {
      const { group } = await access(actor, orgId, groupId);
      const rows = await db.select().from(groupPause).where(eq(groupPause.groupId, group.id)).orderBy(groupPause.startDate);
      return { items: rows.map((r) => ({ id: r.id, startDate: r.startDate, endDate: r.endDate })) };
    },

    async pause(actor: Actor, orgId: string, groupId: string, raw: unknown, meta: RequestMeta = {}) {
      const { group } = await requireLead(actor, orgId, groupId);
      const input = parse(PauseInput, raw);
      const { row, noticeId } = await db.transaction(async (tx) => {
        const [created] = await tx.insert(groupPause).values({ groupId: group.id, startDate: input.startDate, endDate: input.endDate, createdByUserId: actor.userId }).returning();
        await audit(tx, actor, meta, { organisationId: orgId, action: "session.paused", targetType: "group", targetId: group.id, details: { startDate: input.startDate, endDate: input.endDate } });
        return { row: created!, noticeId: await createNotice(tx, group.id, "paused", { startDate: input.startDate, endDate: input.endDate }, actor.userId) };
      });
      await deliverQuietly(noticeId);
      return { id: row.id, startDate: row.startDate, endDate: row.endDate };
    },

    async resume(actor: Actor, orgId: string, groupId: string, pauseId: string, meta: RequestMeta = {}) {
      const { group } = await requireLead(actor, orgId, groupId);
      if (!UUID.test(pauseId)) throw new AppError("not_found", "That pause was not found.");
      const removed = await db.transaction(async (tx) => {
        const [row] = await tx.delete(groupPause).where(and(eq(groupPause.id, pauseId), eq(groupPause.groupId, group.id))).returning();
        if (!row) return null;
        await audit(tx, actor, meta, { organisationId: orgId, action: "session.resumed", targetType: "group", targetId: group.id, details: { pauseId } });
        return createNotice(tx, group.id, "resumed", { startDate: row.startDate, endDate: row.endDate }, actor.userId);
      });
      if (!removed) throw new AppError("not_found", "That pause was not found.");
      await deliverQuietly(removed);
      await replanQuietly([group.id]);
      return { resumed: true };
    },

    // ---- RSVP ----------------------------------------------------------------------------------

    async rsvp(actor: Actor, orgId: string, groupId: string, start: string, raw: unknown, now = new Date()) {
      const a = await access(actor, orgId, groupId);
      const userId = requireUser(actor);
      if (a.role !== "member") throw new AppError("forbidden", "Only the group's members answer for a meeting.");
      if (!a.agreed) throw new AppError("forbidden", "Accept the group agreement first.");
      const input = parse(RsvpInput, raw);
      const originalStart = parseStart(start);
      const loaded = (await exceptionsOf([a.group])).get(a.group.id)!;
      const meeting = meetingAt(a.group, loaded.exceptions, originalStart);
      if (meeting.status === "cancelled") throw new AppError("conflict", "This meeting is cancelled.", [{ path: "start", message: "this meeting is cancelled" }]);
      if (meeting.status === "paused") throw new AppError("conflict", "This meeting falls in a pause.", [{ path: "start", message: "this meeting falls in a pause" }]);
      if (meeting.start.epochMilliseconds <= now.getTime()) throw new AppError("conflict", "This meeting has already started.", [{ path: "start", message: "this meeting is in the past" }]);
      // No `note` in the input: keep the saved note while the answer stays the same; a new answer starts without one.
      let note = input.note ? input.note : null;
      if (input.note === undefined) {
        const [saved] = await db.select({ status: rsvp.status, note: rsvp.note }).from(rsvp).where(and(eq(rsvp.groupId, a.group.id), eq(rsvp.occurrenceStart, originalStart), eq(rsvp.userId, userId)));
        if (saved && saved.status === input.status) note = saved.note;
      }
      await db
        .insert(rsvp)
        .values({ groupId: a.group.id, occurrenceStart: originalStart, userId, status: input.status, note, updatedAt: now })
        .onConflictDoUpdate({ target: [rsvp.groupId, rsvp.occurrenceStart, rsvp.userId], set: { status: input.status, note, updatedAt: now } });
      return { occurrenceStart: originalStart.toISOString(), status: input.status, note };
    },

    /** Leaders: each active member's answer for one meeting (default "going"), with their notes. */
    async rsvpsFor(actor: Actor, orgId: string, groupId: string, start: string) {
      const { group } = await requireLead(actor, orgId, groupId);
      const originalStart = parseStart(start);
      const loaded = (await exceptionsOf([group])).get(group.id)!;
      meetingAt(group, loaded.exceptions, originalStart);
      const members = await db.select({ userId: user.id, name: user.name }).from(groupMembership).innerJoin(user, eq(user.id, groupMembership.userId)).where(and(eq(groupMembership.groupId, group.id), eq(groupMembership.status, "active")));
      const rows = await db.select().from(rsvp).where(and(eq(rsvp.groupId, group.id), eq(rsvp.occurrenceStart, originalStart)));
      const byUser = new Map(rows.map((r) => [r.userId, r]));
      return { items: members.map((m) => ({ userId: m.userId, name: m.name, status: byUser.get(m.userId)?.status ?? "going", note: byUser.get(m.userId)?.note ?? null })) };
    },

    // ---- attendance ----------------------------------------------------------------------------

    /**
     * Leaders and coordinators: record attendance of a held meeting (the one writer of attendance;
     * the companion's taps and its end come through here too). `opts.tx` runs every read and write
     * in the caller's transaction (the companion ends the meeting in one); `opts.unrecordedOnly`
     * records only members who have no attendance yet for the meeting, leaving recorded values as
     * they are (the companion's end: the untapped are absent). The rules are the same either way.
     */
    async recordAttendance(actor: Actor, orgId: string, groupId: string, start: string, raw: unknown, meta: RequestMeta = {}, now = new Date(), opts: { tx?: Executor; unrecordedOnly?: boolean } = {}) {
      const exec = opts.tx ?? db;
      const { group } = await requireLead(actor, orgId, groupId, exec);
      const input = parse(AttendanceInput, raw);
      const originalStart = parseStart(start);
      const loaded = (await exceptionsOf([group], exec)).get(group.id)!;
      const meeting = meetingAt(group, loaded.exceptions, originalStart);
      if (await didNotTakePlace(group.id, meeting, originalStart, exec)) throw new AppError("conflict", "This meeting did not take place.", [{ path: "start", message: "this meeting did not take place" }]);
      if (meeting.start.epochMilliseconds > now.getTime()) throw new AppError("conflict", "Attendance can be recorded once the meeting has started.", [{ path: "start", message: "this meeting has not started yet" }]);
      const members = await exec.select({ userId: groupMembership.userId }).from(groupMembership).where(and(eq(groupMembership.groupId, group.id), eq(groupMembership.status, "active")));
      const active = new Set(members.map((m) => m.userId));
      const fields: FieldError[] = [];
      const seen = new Set<string>();
      input.entries.forEach((e, i) => {
        if (!active.has(e.userId)) fields.push({ path: `entries.${i}.userId`, message: "is not an active member of this group" });
        else if (seen.has(e.userId)) fields.push({ path: `entries.${i}.userId`, message: "appears twice" });
        seen.add(e.userId);
      });
      if (fields.length) throw new AppError("validation_failed", `Invalid ${fields[0]!.path}: ${fields[0]!.message}`, fields);
      let changed = 0;
      const write = async (tx: Executor) => {
        for (const e of input.entries) {
          const [current] = await tx.select().from(attendance).where(and(eq(attendance.groupId, group.id), eq(attendance.occurrenceStart, originalStart), eq(attendance.userId, e.userId))).for("update");
          if (current?.status === e.status || (current && opts.unrecordedOnly)) continue;
          const row = { groupId: group.id, occurrenceStart: originalStart, userId: e.userId, status: e.status, recordedByUserId: actor.userId, recordedAt: now };
          if (current) await tx.update(attendance).set({ status: e.status, recordedByUserId: actor.userId, recordedAt: now }).where(eq(attendance.id, current.id));
          else if (!opts.unrecordedOnly) await tx.insert(attendance).values(row);
          // Recorded meanwhile (a concurrent tap): that value stands.
          else if ((await tx.insert(attendance).values(row).onConflictDoNothing().returning({ id: attendance.id })).length === 0) continue;
          await tx.insert(attendanceChange).values({ groupId: group.id, occurrenceStart: originalStart, userId: e.userId, previousStatus: current?.status ?? null, status: e.status, recordedByUserId: actor.userId, recordedAt: now });
          changed += 1;
        }
        await recordSessionLeaders(group.id, originalStart, { byUserId: actor.userId, now, tx });
        await audit(tx, actor, meta, { organisationId: orgId, action: "session.attendance_recorded", targetType: "group", targetId: group.id, details: { occurrenceStart: originalStart.toISOString(), changed } });
      };
      if (opts.tx) await write(opts.tx);
      else await db.transaction(write);
      return { occurrenceStart: originalStart.toISOString(), changed };
    },

    async attendanceFor(actor: Actor, orgId: string, groupId: string, start: string) {
      const { group } = await requireLead(actor, orgId, groupId);
      const originalStart = parseStart(start);
      const members = await db.select({ userId: user.id, name: user.name }).from(groupMembership).innerJoin(user, eq(user.id, groupMembership.userId)).where(and(eq(groupMembership.groupId, group.id), eq(groupMembership.status, "active")));
      const rows = await db.select().from(attendance).where(and(eq(attendance.groupId, group.id), eq(attendance.occurrenceStart, originalStart)));
      const byUser = new Map(rows.map((r) => [r.userId, r.status]));
      return { items: members.map((m) => ({ userId: m.userId, name: m.name, status: byUser.get(m.userId) ?? null })) };
    },

    /** The attendance form of one meeting, by group id alone (the UI's URL has no organisation). */
    async attendanceSheet(actor: Actor, groupId: string, start: string) {
      if (!UUID.test(groupId)) throw notFoundGroup();
      const [row] = await db.select({ organisationId: balintGroup.organisationId, organisationSlug: organisation.slug }).from(balintGroup).innerJoin(organisation, eq(organisation.id, balintGroup.organisationId)).where(eq(balintGroup.id, groupId));
      if (!row) throw notFoundGroup();
      const { group } = await requireLead(actor, row.organisationId, groupId);
      const originalStart = parseStart(start);
      const loaded = (await exceptionsOf([group])).get(group.id)!;
      const meeting = meetingAt(group, loaded.exceptions, originalStart);
      const members = await db.select({ userId: user.id, name: user.name }).from(groupMembership).innerJoin(user, eq(user.id, groupMembership.userId)).where(and(eq(groupMembership.groupId, group.id), eq(groupMembership.status, "active"))).orderBy(user.name);
      const rows = await db.select().from(attendance).where(and(eq(attendance.groupId, group.id), eq(attendance.occurrenceStart, originalStart)));
      const byUser = new Map(rows.map((r) => [r.userId, r.status]));
      return {
        organisationId: group.organisationId,
        organisationSlug: row.organisationSlug,
        groupId: group.id,
        groupName: group.name,
        occurrenceStart: originalStart.toISOString(),
        start: new Date(meeting.start.epochMilliseconds).toISOString(),
        status: meeting.status,
        /** Every change of this meeting's attendance, oldest first. */
        history: await historyOf(group.id, originalStart),
        members: members.map((m) => ({ userId: m.userId, name: m.name, status: byUser.get(m.userId) ?? null })),
        /** Who led the meeting ("led this meeting" per leader); `recorded` false until attendance is first saved. */
        leaders: await leaderCandidates(group.id, originalStart),
      };
    },

    /** Leaders: every attendance change of one meeting (append-only history), oldest first, with who changed it. */
    async attendanceHistory(actor: Actor, orgId: string, groupId: string, start: string) {
      const { group } = await requireLead(actor, orgId, groupId);
      const originalStart = parseStart(start);
      const loaded = (await exceptionsOf([group])).get(group.id)!;
      meetingAt(group, loaded.exceptions, originalStart);
      return { items: await historyOf(group.id, originalStart) };
    },

    /**
     * Leaders: everything about one meeting for its page — the meeting (time, status, link,
     * venue, reason of a change), each active member's answer with notes, the attendance
     * history, and the change notices sent about it with their delivery status.
     */
    async meetingDetail(actor: Actor, orgId: string, groupId: string, start: string) {
      const { group } = await requireLead(actor, orgId, groupId);
      const originalStart = parseStart(start);
      const loaded = (await exceptionsOf([group])).get(group.id)!;
      const meeting = meetingAt(group, loaded.exceptions, originalStart);
      const members = await db.select({ userId: user.id, name: user.name }).from(groupMembership).innerJoin(user, eq(user.id, groupMembership.userId)).where(and(eq(groupMembership.groupId, group.id), eq(groupMembership.status, "active"))).orderBy(user.name);
      const answers = await db.select().from(rsvp).where(and(eq(rsvp.groupId, group.id), eq(rsvp.occurrenceStart, originalStart)));
      const byUser = new Map(answers.map((r) => [r.userId, r]));
      const marks = await db.select().from(attendance).where(and(eq(attendance.groupId, group.id), eq(attendance.occurrenceStart, originalStart)));
      const notices = (await this.noticesFor(actor, orgId, groupId)).items.filter((n) => n.occurrenceStart === originalStart.toISOString());
      const startMs = meeting.start.epochMilliseconds;
      return {
        organisationId: group.organisationId,
        groupId: group.id,
        groupName: group.name,
        timeZone: group.timeZone,
        format: group.format,
        address: group.address ?? null,
        occurrenceStart: originalStart.toISOString(),
        start: new Date(startMs).toISOString(),
        end: new Date(startMs + meeting.durationMinutes * 60_000).toISOString(),
        durationMinutes: meeting.durationMinutes,
        /** Its start as the group's local wall-clock time, "YYYY-MM-DDTHH:mm" (the reschedule form's default). */
        localStart: meeting.start.toPlainDateTime().toString().slice(0, 16),
        status: meeting.status,
        /** Set when the meeting is cancelled or changed: the reason code. */
        reason: loaded.reasons.get(originalStart.getTime()) ?? null,
        hasException: loaded.reasons.has(originalStart.getTime()),
        meetingLink: meeting.meetingLink ?? group.meetingLink ?? null,
        ownLink: meeting.meetingLink ?? null,
        past: startMs <= Date.now(),
        rsvps: members.map((m) => ({ userId: m.userId, name: m.name, status: byUser.get(m.userId)?.status ?? ("going" as const), answered: byUser.has(m.userId), note: byUser.get(m.userId)?.note ?? null })),
        attendanceRecorded: marks.length > 0,
        history: await historyOf(group.id, originalStart),
        notices,
      };
    },

    /** My participation record with group and organisation names, per group, for my own page. */
    async myParticipationRecord(actor: Actor) {
      const userId = requireUser(actor);
      const record = await this.participationOf(userId);
      const ids = [...new Set([...record.attended, ...record.led].map((r) => r.groupId))];
      const names = ids.length
        ? await db.select({ id: balintGroup.id, name: balintGroup.name, organisationName: organisation.name }).from(balintGroup).innerJoin(organisation, eq(organisation.id, balintGroup.organisationId)).where(inArray(balintGroup.id, ids))
        : [];
      const groups = ids.map((id) => {
        const n = names.find((x) => x.id === id);
        return {
          groupId: id,
          groupName: n?.name ?? "",
          organisationName: n?.organisationName ?? "",
          attended: record.attended.filter((a) => a.groupId === id).map((a) => a.occurrenceStart),
          led: record.led.filter((l) => l.groupId === id).map((l) => ({ occurrenceStart: l.occurrenceStart, kind: l.kind })),
        };
      });
      groups.sort((a, b) => a.organisationName.localeCompare(b.organisationName) || a.groupName.localeCompare(b.groupName));
      return {
        groups,
        attendedCount: record.attendedCount,
        ledCount: record.led.filter((l) => l.kind === "leader").length,
        coLedCount: record.led.filter((l) => l.kind === "co_leader").length,
      };
    },

    /** For the nudge: past meetings (last 90 days) of groups I lead with no attendance recorded. */
    async attendanceOverdue(actor: Actor, now = new Date()) {
      const userId = requireUser(actor);
      const led = (await groupsOfUser(userId)).filter((g) => g.role !== "member" && can(actor, "groups:lead", { organisationId: g.group.organisationId }));
      const loaded = await exceptionsOf(led.map((l) => l.group));
      const items: { organisationId: string; groupId: string; groupName: string; occurrenceStart: string; start: string }[] = [];
      for (const { group } of led) {
        const past = sessionsOf(group, loaded.get(group.id)!, { from: new Date(now.getTime() - OVERDUE_DAYS * DAY_MS), to: now }, { role: null, seeLink: false, rsvps: new Map() }).filter((s) => s.status !== "cancelled");
        if (!past.length) continue;
        const recorded = await db.selectDistinct({ occurrenceStart: attendance.occurrenceStart }).from(attendance).where(eq(attendance.groupId, group.id));
        const done = new Set(recorded.map((r) => r.occurrenceStart.getTime()));
        for (const s of past) if (!done.has(new Date(s.occurrenceStart).getTime())) items.push({ organisationId: group.organisationId, groupId: group.id, groupName: group.name, occurrenceStart: s.occurrenceStart, start: s.start });
      }
      items.sort((x, y) => x.start.localeCompare(y.start));
      return { items };
    },

    // ---- leaders of a held meeting -------------------------------------------------------------

    /** Internal (no actor): the one writer of leading credits. See `recordSessionLeaders` above. */
    recordSessionLeaders,

    /** Leaders: who led one meeting (snapshot plus current leaders; see `attendanceSheet`). */
    async sessionLeadersFor(actor: Actor, orgId: string, groupId: string, start: string) {
      const { group } = await requireLead(actor, orgId, groupId);
      const originalStart = parseStart(start);
      const loaded = (await exceptionsOf([group])).get(group.id)!;
      meetingAt(group, loaded.exceptions, originalStart);
      return { items: await leaderCandidates(group.id, originalStart) };
    },

    /** Leaders: correct who led a meeting that took place ("led this meeting" per leader). Audited per change. */
    async setSessionLeaders(actor: Actor, orgId: string, groupId: string, start: string, raw: unknown, meta: RequestMeta = {}, now = new Date()) {
      const { group } = await requireLead(actor, orgId, groupId);
      const input = parse(SessionLeadersInput, raw);
      const originalStart = parseStart(start);
      const loaded = (await exceptionsOf([group])).get(group.id)!;
      const meeting = meetingAt(group, loaded.exceptions, originalStart);
      if (await didNotTakePlace(group.id, meeting, originalStart, db)) throw new AppError("conflict", "This meeting did not take place.", [{ path: "start", message: "this meeting did not take place" }]);
      if (meeting.start.epochMilliseconds > now.getTime()) throw new AppError("conflict", "Who led a meeting can be recorded once it has started.", [{ path: "start", message: "this meeting has not started yet" }]);
      const allowed = new Set((await leaderCandidates(group.id, originalStart)).map((c) => c.userId));
      const fields: FieldError[] = [];
      const seen = new Set<string>();
      input.leaders.forEach((l, i) => {
        if (!allowed.has(l.userId)) fields.push({ path: `leaders.${i}.userId`, message: "is not a leader of this group or meeting" });
        else if (seen.has(l.userId)) fields.push({ path: `leaders.${i}.userId`, message: "appears twice" });
        seen.add(l.userId);
      });
      if (fields.length) throw new AppError("validation_failed", `Invalid ${fields[0]!.path}: ${fields[0]!.message}`, fields);
      const changed = await db.transaction(async (tx) => {
        const rows = await recordSessionLeaders(group.id, originalStart, { byUserId: actor.userId, now, led: input.leaders, tx });
        for (const r of rows) {
          await audit(tx, actor, meta, { organisationId: orgId, action: "session.leader_credit_changed", targetType: "user", targetId: r.userId, details: { groupId: group.id, occurrenceStart: originalStart.toISOString(), kind: r.kind, led: r.led } });
        }
        return rows.length;
      });
      return { occurrenceStart: originalStart.toISOString(), changed, items: await leaderCandidates(group.id, originalStart) };
    },

    // ---- change notices ------------------------------------------------------------------------

    /** Internal (no actor): emails a notice to whoever has not had it yet (idempotent). */
    deliverNotice,

    /** Leaders: the change notices of a group (newest first, up to 50), each recipient with the mail's delivery status. */
    async noticesFor(actor: Actor, orgId: string, groupId: string) {
      const { group } = await requireLead(actor, orgId, groupId);
      const notices = await db.select().from(sessionNotice).where(eq(sessionNotice.groupId, group.id)).orderBy(desc(sessionNotice.createdAt)).limit(50);
      const ids = notices.map((n) => n.id);
      const recipients = ids.length
        ? await db
            .select({ noticeId: sessionNoticeRecipient.noticeId, userId: sessionNoticeRecipient.userId, name: user.name, queuedAt: sessionNoticeRecipient.queuedAt, mailStatus: mailMessage.status })
            .from(sessionNoticeRecipient)
            .innerJoin(user, eq(user.id, sessionNoticeRecipient.userId))
            .leftJoin(mailMessage, eq(mailMessage.id, sessionNoticeRecipient.mailMessageId))
            .where(inArray(sessionNoticeRecipient.noticeId, ids))
            .orderBy(user.name)
        : [];
      return {
        items: notices.map((n) => {
          const mine = recipients.filter((r) => r.noticeId === n.id).map((r) => ({ userId: r.userId, name: r.name, queuedAt: r.queuedAt.toISOString(), mailStatus: r.mailStatus ?? "queued" }));
          return {
            id: n.id,
            kind: n.kind,
            occurrenceStart: n.occurrenceStart?.toISOString() ?? null,
            startDate: n.startDate,
            endDate: n.endDate,
            createdAt: n.createdAt.toISOString(),
            recipients: mine,
            sent: mine.filter((r) => r.mailStatus === "sent" || r.mailStatus === "outbox").length,
            failed: mine.filter((r) => r.mailStatus === "failed").length,
          };
        }),
      };
    },

    // ---- participation -------------------------------------------------------------------------

    /** Internal (no actor): for the person's own view and the accreditation work. See the header. */
    async participationOf(userId: string, now = new Date()): Promise<Participation> {
      const attendedRows = await db
        .select({ organisationId: balintGroup.organisationId, groupId: attendance.groupId, occurrenceStart: attendance.occurrenceStart })
        .from(attendance)
        .innerJoin(balintGroup, eq(balintGroup.id, attendance.groupId))
        .where(and(eq(attendance.userId, userId), eq(attendance.status, "present")))
        .orderBy(attendance.occurrenceStart);
      const ledRows = await db
        .select({ organisationId: balintGroup.organisationId, groupId: sessionLeader.groupId, occurrenceStart: sessionLeader.occurrenceStart, kind: sessionLeader.kind })
        .from(sessionLeader)
        .innerJoin(balintGroup, eq(balintGroup.id, sessionLeader.groupId))
        .leftJoin(sessionException, and(eq(sessionException.groupId, sessionLeader.groupId), eq(sessionException.occurrenceStart, sessionLeader.occurrenceStart), eq(sessionException.kind, "cancelled")))
        .where(and(eq(sessionLeader.userId, userId), eq(sessionLeader.led, true), isNull(sessionException.id), lte(sessionLeader.recordedAt, now)))
        .orderBy(sessionLeader.occurrenceStart);
      // Only meetings that took place count (see `tookPlaceAt`).
      const tookPlace = await tookPlaceAt([...attendedRows, ...ledRows].map((r) => r.groupId), now);
      const led: Participation["led"] = ledRows.filter((r) => tookPlace(r.groupId, r.occurrenceStart)).map((r) => ({ organisationId: r.organisationId, groupId: r.groupId, occurrenceStart: r.occurrenceStart.toISOString(), kind: r.kind }));
      const attended = attendedRows.filter((r) => tookPlace(r.groupId, r.occurrenceStart)).map((r) => ({ organisationId: r.organisationId, groupId: r.groupId, occurrenceStart: r.occurrenceStart.toISOString() }));
      return { userId, attended, led, attendedCount: attended.length, ledCount: led.length };
    },

    async myParticipation(actor: Actor) {
      const userId = requireUser(actor);
      if (actor.tokenScope) throw new AppError("forbidden", "Use a signed-in session for your own records.");
      return this.participationOf(userId);
    },

    // ---- reminders -----------------------------------------------------------------------------

    planReminders,
    sendReminder,
    runPlanner,

    /**
     * Starts the self-renewing planner (every 6 h): call once after the job queue has started.
     * Safe to call on every instance and every restart: a slot is planned once (`session_reminder_plan_slot`).
     */
    async startReminderScheduler(now = new Date()) {
      await enqueuePlanner(now);
    },

    async reminderPreference(actor: Actor): Promise<{ offsetsMinutes: number[]; isDefault: boolean }> {
      const userId = requireUser(actor);
      const stored = (await offsetsOf([userId])).get(userId);
      return { offsetsMinutes: stored ?? [...DEFAULT_REMINDER_OFFSETS], isDefault: stored === undefined };
    },

    async setReminderPreference(actor: Actor, raw: unknown): Promise<{ offsetsMinutes: number[]; isDefault: boolean }> {
      const userId = requireUser(actor);
      if (actor.tokenScope) throw new AppError("forbidden", "Change your reminders while signed in.");
      const input = parse(ReminderPreferenceInput, raw);
      const offsetsMinutes = [...input.offsetsMinutes].sort((a, b) => b - a);
      await db.insert(reminderPreference).values({ userId, offsetsMinutes }).onConflictDoUpdate({ target: reminderPreference.userId, set: { offsetsMinutes, updatedAt: new Date() } });
      const mine = await groupsOfUser(userId);
      await replanQuietly(mine.filter((m) => m.role === "member").map((m) => m.group.id));
      return { offsetsMinutes, isDefault: false };
    },

    /** Leaders: which reminders went out for one meeting, per member and offset, with the mail's delivery status. */
    async remindersFor(actor: Actor, orgId: string, groupId: string, start: string) {
      const { group } = await requireLead(actor, orgId, groupId);
      const originalStart = parseStart(start);
      const rows = await db
        .select({ userId: reminderSent.userId, offsetMinutes: reminderSent.offsetMinutes, sentAt: reminderSent.sentAt, mailStatus: mailMessage.status })
        .from(reminderSent)
        .leftJoin(mailMessage, eq(mailMessage.id, reminderSent.mailMessageId))
        .where(and(eq(reminderSent.groupId, group.id), eq(reminderSent.occurrenceStart, originalStart)));
      return { items: rows.map((r) => ({ userId: r.userId, offsetMinutes: r.offsetMinutes, queuedAt: r.sentAt.toISOString(), mailStatus: r.mailStatus ?? "queued" })) };
    },

    // ---- calendar ------------------------------------------------------------------------------

    /** Creates (or regenerates: the old one stops working) my secret feed URL. The token is shown once. */
    async createFeed(actor: Actor): Promise<{ https: string; webcal: string; createdAt: string }> {
      const userId = requireUser(actor);
      if (actor.tokenScope) throw new AppError("forbidden", "Manage your calendar feed while signed in.");
      const token = randomBytes(32).toString("base64url");
      const now = new Date();
      await db.transaction(async (tx) => {
        await tx.update(calendarFeed).set({ revokedAt: now }).where(and(eq(calendarFeed.userId, userId), isNull(calendarFeed.revokedAt)));
        await tx.insert(calendarFeed).values({ userId, tokenHash: hashToken(token), createdAt: now });
        await recordAudit(tx, { actor, action: "calendar_feed.created", targetType: "user", targetId: userId });
      });
      const https = `${config.appUrl}/api/v1/calendar/${token}.ics`;
      return { https, webcal: https.replace(/^https?:/, "webcal:"), createdAt: now.toISOString() };
    },

    async feedStatus(actor: Actor): Promise<{ active: boolean; createdAt: string | null }> {
      const userId = requireUser(actor);
      const [row] = await db.select().from(calendarFeed).where(and(eq(calendarFeed.userId, userId), isNull(calendarFeed.revokedAt)));
      return { active: !!row, createdAt: row?.createdAt.toISOString() ?? null };
    },

    async revokeFeed(actor: Actor): Promise<{ revoked: boolean }> {
      const userId = requireUser(actor);
      if (actor.tokenScope) throw new AppError("forbidden", "Manage your calendar feed while signed in.");
      const rows = await db.update(calendarFeed).set({ revokedAt: new Date() }).where(and(eq(calendarFeed.userId, userId), isNull(calendarFeed.revokedAt))).returning();
      if (rows.length) await recordAudit(db, { actor, action: "calendar_feed.revoked", targetType: "user", targetId: userId });
      return { revoked: rows.length > 0 };
    },

    /** The public feed: null for an unknown or revoked token. */
    async feed(file: string): Promise<{ body: string; etag: string } | null> {
      const token = file.endsWith(".ics") ? file.slice(0, -4) : file;
      if (!FEED_TOKEN.test(token)) return null;
      const [row] = await db.select().from(calendarFeed).where(and(eq(calendarFeed.tokenHash, hashToken(token)), isNull(calendarFeed.revokedAt)));
      if (!row) return null;
      const mine = await groupsOfUser(row.userId);
      const series = await seriesFor(mine);
      const input = { name: "Balint groups", refreshIntervalMinutes: FEED_REFRESH_MINUTES, events: series, uidDomain: uidDomain() };
      // Calendar apps poll every hour and most polls find nothing changed: building the text costs
      // far more than reading the inputs, so identical inputs reuse the text built last time.
      const key = createHash("sha256").update(JSON.stringify(input)).digest("base64url");
      const cached = feedCache.get(key);
      if (cached) {
        feedCache.delete(key);
        feedCache.set(key, cached);
        return cached;
      }
      const body = buildCalendar(input);
      const built = { body, etag: etagFor(body) };
      feedCache.set(key, built);
      if (feedCache.size > FEED_CACHE_ENTRIES) feedCache.delete(feedCache.keys().next().value!);
      return built;
    },

    /** One meeting as .ics (for the group's leaders, coordinators and active members). */
    async sessionIcs(actor: Actor, orgId: string, groupId: string, file: string): Promise<{ body: string; etag: string }> {
      const a = await access(actor, orgId, groupId);
      if (!a.lead && a.role !== "member") throw notFoundGroup();
      const originalStart = parseStart(file);
      const [series] = await seriesFor([{ group: a.group, agreed: a.lead || a.agreed }]);
      const meeting = meetingAt(a.group, series!.exceptions ?? {}, originalStart);
      if (meeting.status === "paused") throw new AppError("conflict", "This meeting falls in a pause.", [{ path: "start", message: "falls in a pause" }]);
      const body = buildSingleEvent({ series: series!, originalStart, uidDomain: uidDomain() });
      return { body, etag: etagFor(body) };
    },
  };
}

export type SessionsService = ReturnType<typeof createSessionsService>;
