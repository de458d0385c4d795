// The facilitation companion: one meeting's shared live state for the group's leaders.
//
// Decisions (see ADR 012):
// - Only the group's leaders and co-leaders (with "groups:lead" in the organisation) run the
//   companion; anyone else, coordinators included, gets 404 as for things they cannot see.
//   A group's companion settings (phase minutes, ground rules, soft sound) are editable by its
//   leaders and the organisation's coordinators.
// - A meeting run can be opened from 2 h before the meeting's (actual) start until 24 h after it,
//   never for a cancelled meeting. The run is named by the meeting's ORIGINAL start, as in sessions.
// - The server's clock is the only clock: commands are applied at server time by the pure state
//   machine in meeting-clock.ts; the row is updated `where version = expected` so two co-leaders
//   pressing at once cannot both apply (the second gets 409 "stale" with the current state).
// - Attendance goes through the sessions service's `recordAttendance` only: the taps, and the end.
//   Ending the meeting ends the clock and, in the same transaction (`recordAttendance` with the
//   transaction and `unrecordedOnly`), records members nobody tapped as absent (never overriding a
//   recorded value) and the leaders' credit snapshot (sessions' `recordSessionLeaders`, which
//   `recordAttendance` calls); so a meeting that did not take place cannot be ended into
//   attendance. Ending twice changes nothing.
// - A presenter record holds only that a member presented case n at a meeting.
// - After every change a small notice {groupId, start, version} goes on the live bus; every
//   subscriber (on any instance) re-reads the state. A change of the group's companion settings
//   sends {groupId, settings} on the same channel, which every open meeting of the group re-reads. The event stream re-resolves the reader's
//   current role (`liveAccess`, one query) on every notice and heartbeat, and ends when it is gone
//   (live-stream.server.ts).
import { and, desc, eq, gt, inArray, isNull, max, or } from "drizzle-orm";
import { session, user } from "../../platform/auth/schema.ts";
import { recordAudit } from "../../platform/audit/audit.server.ts";
import type { Executor } from "../../platform/db/client.server.ts";
import { AppError, validationError } from "../../platform/http/errors.ts";
import type { Kernel } from "../../platform/kernel.server.ts";
import { liveChannel } from "../../platform/live/live.server.ts";
import { authorize, can, type Actor } from "../../platform/policy/policy.ts";
import { membership, organisation } from "../../platform/tenancy/schema.ts";
import { apiToken } from "../api-tokens/schema.ts";
import { balintGroup, groupLeader, groupMembership } from "../groups/schema.ts";
import { attendance } from "../sessions/schema.ts";
import { parseStart, type RequestMeta, type SessionsService } from "../sessions/service.server.ts";
import {
  DEFAULT_PHASE_MINUTES,
  PHASES,
  applyCommand,
  isMeetingClock,
  newClock,
  phaseMinutesIssues,
  presenterSuggestions,
  viewClock,
  type ClockCommand,
  type ClockView,
  type MeetingClock,
  type PhaseMinutes,
} from "./meeting-clock.ts";
import { HEARTBEAT_MS } from "./live-stream.server.ts";
import { facilitationSettings, meetingPresenter, meetingRun } from "./schema.ts";
import { CommandInput, EndInput, PresenterInput, SettingsInput, TapInput, expandUnknownKeys } from "./schemas.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOUR_MS = 3_600_000;
export const OPEN_BEFORE_MS = 2 * HOUR_MS;
export const OPEN_AFTER_MS = 24 * HOUR_MS;
export const DEFAULT_EXTEND_SECONDS = 300;
/** Members per `recordAttendance` call when the end records the untapped (its input takes at most 30). */
const ATTENDANCE_BATCH = 30;

export type AttendanceStatus = "present" | "absent" | "excused";

export interface CompanionState {
  organisationId: string;
  groupId: string;
  groupName: string;
  /** The meeting's identity (original start), ISO 8601. */
  occurrenceStart: string;
  /** When it actually starts and ends (it may have been moved). */
  start: string;
  end: string;
  format: "in_person" | "online" | "hybrid";
  /** Online and hybrid groups: the link of this meeting. */
  meetingLink: string | null;
  /** Server time (epoch ms) when this state was read: devices correct their clocks by it. */
  serverNow: number;
  /** Whether a run can be opened now (2 h before start to 24 h after). */
  canOpen: boolean;
  /** Null until a leader opens the companion for this meeting. */
  clock: MeetingClock | null;
  view: ClockView | null;
  settings: { phaseMinutes: PhaseMinutes; groundRules: string | null; softSound: boolean };
  leaders: { userId: string; name: string; kind: "leader" | "co_leader" }[];
  roster: { userId: string; name: string; attendance: AttendanceStatus | null }[];
  presenters: { caseNumber: number; userId: string; name: string }[];
  /** Leaders only (the companion is leaders only): who has not presented for a while. */
  suggestions: { userId: string; name: string; lastPresentedAt: string | null }[];
}

/** A 409 "stale" that carries the current state (the API returns it beside the error). */
export class StaleStateError extends AppError {
  readonly state: CompanionState;
  constructor(state: CompanionState, message = "Another leader changed the meeting first; this is the current state.") {
    super("conflict", message, [{ path: "expectedVersion", message: "stale: the meeting has changed since you saw it" }]);
    this.state = state;
  }
}

function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ code?: string; path: PropertyKey[]; message: string; keys?: readonly string[] }> } } }, raw: unknown): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw validationError(expandUnknownKeys(parsed.error.issues));
  return parsed.data;
}

const notFound = () => new AppError("not_found", "That meeting was not found.");

export function meetingChannel(groupId: string): string {
  return liveChannel("meeting", groupId.replace(/-/g, ""));
}

export interface LiveNotice {
  groupId: string;
  start: string;
  version: number;
}

/**
 * The group's companion settings changed (soft tone, phase minutes, ground rules): every open
 * meeting of the group re-reads. `settings` is when they changed (epoch ms), nothing of them.
 */
export interface SettingsNotice {
  groupId: string;
  settings: number;
}

type GroupRow = typeof balintGroup.$inferSelect;

export function createFacilitationService(kernel: Kernel, deps: { sessions: SessionsService }) {
  const { db, live, logger } = kernel;
  const { sessions } = deps;

  async function loadGroup(orgId: string, groupId: string): Promise<GroupRow> {
    if (!UUID.test(groupId) || !UUID.test(orgId)) throw notFound();
    const [row] = await db.select().from(balintGroup).where(and(eq(balintGroup.id, groupId), eq(balintGroup.organisationId, orgId)));
    if (!row) throw notFound();
    return row;
  }

  /** The group, when the actor leads or co-leads it; 404 for everyone else. */
  async function requireGroupLeader(actor: Actor, orgId: string, groupId: string): Promise<GroupRow> {
    if (!UUID.test(orgId)) throw notFound();
    authorize(actor, "groups:read", { organisationId: orgId });
    const group = await loadGroup(orgId, groupId);
    if (!actor.userId || !can(actor, "groups:lead", { organisationId: orgId })) throw notFound();
    const [row] = await db.select({ kind: groupLeader.kind }).from(groupLeader).where(and(eq(groupLeader.groupId, group.id), eq(groupLeader.userId, actor.userId)));
    if (!row) throw notFound();
    return group;
  }

  /** Settings: the group's leaders and the organisation's coordinators. */
  async function requireSettingsEditor(actor: Actor, orgId: string, groupId: string): Promise<GroupRow> {
    if (!UUID.test(orgId)) throw notFound();
    authorize(actor, "groups:read", { organisationId: orgId });
    const group = await loadGroup(orgId, groupId);
    if (can(actor, "groups:manage", { organisationId: orgId })) return group;
    return requireGroupLeader(actor, orgId, groupId);
  }

  async function settingsOf(groupId: string, exec: Executor = db) {
    const [row] = await exec.select().from(facilitationSettings).where(eq(facilitationSettings.groupId, groupId));
    const stored = row?.phaseMinutes;
    const phaseMinutes: PhaseMinutes = stored && phaseMinutesIssues(stored).length === 0 ? { ...stored } : { ...DEFAULT_PHASE_MINUTES };
    return { phaseMinutes, groundRules: row?.groundRules ?? null, softSound: (row?.softSound ?? 0) === 1 };
  }

  interface Meeting {
    occurrenceStart: Date;
    start: Date;
    end: Date;
    status: string;
    meetingLink: string | null;
  }

  /** The meeting (by original start) as the sessions slice resolves it; 404 when there is none near now. */
  async function meetingOf(actor: Actor, group: GroupRow, startRaw: string, now: Date): Promise<Meeting> {
    const occurrenceStart = parseStart(startRaw);
    const gone = () => new AppError("not_found", "That meeting was not found.", [{ path: "start", message: "is not a meeting of this group near now (use the meeting's original start)" }]);
    // The companion is for meetings around now (a moved meeting stays within a few weeks of its original start).
    if (Math.abs(occurrenceStart.getTime() - now.getTime()) > 60 * 24 * HOUR_MS) throw gone();
    // Any meeting that could be opened is within a day of now; search a little wider around its start.
    const from = new Date(Math.min(now.getTime(), occurrenceStart.getTime()) - 3 * 24 * HOUR_MS);
    const to = new Date(Math.max(now.getTime(), occurrenceStart.getTime()) + 3 * 24 * HOUR_MS);
    const { items } = await sessions.upcoming(actor, group.organisationId, group.id, { from: from.toISOString(), to: to.toISOString() });
    const m = items.find((i) => new Date(i.occurrenceStart).getTime() === occurrenceStart.getTime());
    if (!m) throw gone();
    return { occurrenceStart, start: new Date(m.start), end: new Date(m.end), status: m.status, meetingLink: m.meetingLink ?? group.meetingLink ?? null };
  }

  function openable(meeting: Meeting, now: Date): boolean {
    const t = now.getTime();
    return meeting.status !== "cancelled" && t >= meeting.start.getTime() - OPEN_BEFORE_MS && t <= meeting.start.getTime() + OPEN_AFTER_MS;
  }

  async function runOf(groupId: string, occurrenceStart: Date, exec: Executor = db) {
    const [row] = await exec.select().from(meetingRun).where(and(eq(meetingRun.groupId, groupId), eq(meetingRun.occurrenceStart, occurrenceStart)));
    return row ?? null;
  }

  async function buildState(group: GroupRow, meeting: Meeting, now = new Date()): Promise<CompanionState> {
    const run = await runOf(group.id, meeting.occurrenceStart);
    const settings = await settingsOf(group.id);
    const leaders = await db
      .select({ userId: groupLeader.userId, name: user.name, kind: groupLeader.kind })
      .from(groupLeader)
      .innerJoin(user, eq(user.id, groupLeader.userId))
      .where(eq(groupLeader.groupId, group.id));
    leaders.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === "leader" ? -1 : 1));
    const members = await db
      .select({ userId: user.id, name: user.name })
      .from(groupMembership)
      .innerJoin(user, eq(user.id, groupMembership.userId))
      .where(and(eq(groupMembership.groupId, group.id), eq(groupMembership.status, "active")))
      .orderBy(user.name);
    const taps = await db.select({ userId: attendance.userId, status: attendance.status }).from(attendance).where(and(eq(attendance.groupId, group.id), eq(attendance.occurrenceStart, meeting.occurrenceStart)));
    const tapped = new Map(taps.map((t) => [t.userId, t.status]));
    const presenterRows = await db
      .select({ caseNumber: meetingPresenter.caseNumber, userId: meetingPresenter.userId, name: user.name })
      .from(meetingPresenter)
      .innerJoin(user, eq(user.id, meetingPresenter.userId))
      .where(and(eq(meetingPresenter.groupId, group.id), eq(meetingPresenter.occurrenceStart, meeting.occurrenceStart)))
      .orderBy(meetingPresenter.caseNumber);
    const last = members.length
      ? await db
          .select({ userId: meetingPresenter.userId, at: max(meetingPresenter.occurrenceStart) })
          .from(meetingPresenter)
          .where(and(eq(meetingPresenter.groupId, group.id), inArray(meetingPresenter.userId, members.map((m) => m.userId))))
          .groupBy(meetingPresenter.userId)
      : [];
    // Today's presenters are not suggested again; earlier presentations count by their meeting.
    const lastPresented = new Map<string, number>();
    for (const l of last) if (l.at) lastPresented.set(l.userId, new Date(l.at).getTime());
    const today = new Set(presenterRows.map((p) => p.userId));
    const candidates = members.filter((m) => !today.has(m.userId) && tapped.get(m.userId) !== "absent" && tapped.get(m.userId) !== "excused");
    const suggestions = presenterSuggestions(candidates, lastPresented)
      .filter((s) => s.lastPresentedAt === null || s.lastPresentedAt < meeting.occurrenceStart.getTime())
      .slice(0, 3)
      .map((s) => ({ userId: s.userId, name: s.name, lastPresentedAt: s.lastPresentedAt === null ? null : new Date(s.lastPresentedAt).toISOString() }));
    const clock = run && isMeetingClock(run.clock) ? run.clock : null;
    const serverNow = Date.now();
    return {
      organisationId: group.organisationId,
      groupId: group.id,
      groupName: group.name,
      occurrenceStart: meeting.occurrenceStart.toISOString(),
      start: meeting.start.toISOString(),
      end: meeting.end.toISOString(),
      format: group.format,
      meetingLink: group.format === "in_person" ? null : meeting.meetingLink,
      serverNow,
      canOpen: openable(meeting, now),
      clock,
      view: clock ? viewClock(clock, serverNow) : null,
      settings,
      leaders,
      roster: members.map((m) => ({ userId: m.userId, name: m.name, attendance: tapped.get(m.userId) ?? null })),
      presenters: presenterRows,
      suggestions,
    };
  }

  async function publish(groupId: string, occurrenceStart: Date, version: number) {
    const notice: LiveNotice = { groupId, start: occurrenceStart.toISOString(), version };
    try {
      await live.publish(meetingChannel(groupId), notice);
    } catch (error) {
      // The change is committed; devices still catch up on their next read or reconnect.
      logger.warn({ err: error, groupId }, "live notice failed");
    }
  }

  async function publishSettings(groupId: string, changedAt: Date) {
    const notice: SettingsNotice = { groupId, settings: changedAt.getTime() };
    try {
      await live.publish(meetingChannel(groupId), notice);
    } catch (error) {
      logger.warn({ err: error, groupId }, "live notice failed");
    }
  }

  async function context(actor: Actor, orgId: string, groupId: string, start: string, now: Date) {
    const group = await requireGroupLeader(actor, orgId, groupId);
    const meeting = await meetingOf(actor, group, start, now);
    return { group, meeting };
  }

  async function requireRun(group: GroupRow, meeting: Meeting) {
    const run = await runOf(group.id, meeting.occurrenceStart);
    if (!run || !isMeetingClock(run.clock)) throw new AppError("conflict", "Open the companion for this meeting first.", [{ path: "start", message: "the companion is not open for this meeting" }]);
    return run;
  }

  const audit = (tx: Executor, actor: Actor, meta: RequestMeta, entry: { organisationId: string; action: string; targetType: string; targetId: string; details?: Record<string, string | number | boolean | null> }) =>
    recordAudit(tx, { ...entry, actor, ipAddress: meta.ipAddress ?? null, requestId: meta.requestId ?? null });

  async function endMeeting(actor: Actor, orgId: string, groupId: string, start: string, raw: unknown, meta: RequestMeta, now: Date): Promise<CompanionState> {
    const input = parse(EndInput, raw ?? {});
    const { group, meeting } = await context(actor, orgId, groupId, start, now);
    if (meeting.start.getTime() > now.getTime()) {
      throw new AppError("conflict", "A meeting can be ended once it has started (attendance is recorded from its start).", [{ path: "start", message: "this meeting has not started yet" }]);
    }
    await requireRun(group, meeting);
    const outcome = await db.transaction(async (tx) => {
      const [row] = await tx.select().from(meetingRun).where(and(eq(meetingRun.groupId, group.id), eq(meetingRun.occurrenceStart, meeting.occurrenceStart))).for("update");
      if (!row || !isMeetingClock(row.clock)) throw new AppError("conflict", "Open the companion for this meeting first.");
      // Pressed twice (or by both leaders): already ended, nothing more to do.
      if (row.clock.status === "ended") return { changed: false as const, version: row.version };
      if (input.expectedVersion !== undefined && input.expectedVersion !== row.version) return { changed: false as const, stale: true as const, version: row.version };
      const applied = applyCommand(row.clock, { type: "end" }, row.version, now.getTime());
      if (!applied.ok) throw new AppError("conflict", applied.message);
      await tx.update(meetingRun).set({ clock: applied.clock, version: applied.clock.version, endedAt: now, updatedAt: now }).where(eq(meetingRun.id, row.id));
      // Members nobody tapped are recorded absent through the sessions slice's one writer of
      // attendance, in this transaction: its rules hold (a meeting that took place and has
      // started, active members only), recorded values stand, and it snapshots the leaders.
      const members = await tx.select({ userId: groupMembership.userId }).from(groupMembership).where(and(eq(groupMembership.groupId, group.id), eq(groupMembership.status, "active")));
      let absent = 0;
      for (let i = 0; i < members.length; i += ATTENDANCE_BATCH) {
        const entries = members.slice(i, i + ATTENDANCE_BATCH).map((m) => ({ userId: m.userId, status: "absent" as const }));
        const recorded = await sessions.recordAttendance(actor, group.organisationId, group.id, meeting.occurrenceStart.toISOString(), { entries }, meta, now, { tx, unrecordedOnly: true });
        absent += recorded.changed;
      }
      // No members, no attendance: the leaders are credited all the same.
      if (members.length === 0) await sessions.recordSessionLeaders(group.id, meeting.occurrenceStart, { byUserId: actor.userId, now, tx });
      await audit(tx, actor, meta, { organisationId: group.organisationId, action: "facilitation.meeting_ended", targetType: "group", targetId: group.id, details: { occurrenceStart: meeting.occurrenceStart.toISOString(), absentRecorded: absent } });
      return { changed: true as const, version: applied.clock.version };
    });
    if ("stale" in outcome) throw new StaleStateError(await buildState(group, meeting, now));
    if (outcome.changed) await publish(group.id, meeting.occurrenceStart, outcome.version);
    return buildState(group, meeting, now);
  }

  return {
    /** For UI routes whose URL has no organisation: the group's organisation, or 404. */
    async organisationOf(groupId: string): Promise<{ id: string; slug: string }> {
      if (!UUID.test(groupId)) throw notFound();
      const [row] = await db.select({ id: organisation.id, slug: organisation.slug }).from(balintGroup).innerJoin(organisation, eq(organisation.id, balintGroup.organisationId)).where(eq(balintGroup.id, groupId));
      if (!row) throw notFound();
      return row;
    },

    /** Leaders: the whole state of one meeting's companion. */
    async state(actor: Actor, orgId: string, groupId: string, start: string, now = new Date()): Promise<CompanionState> {
      const { group, meeting } = await context(actor, orgId, groupId, start, now);
      return buildState(group, meeting, now);
    },

    /** Leaders: open the companion (idempotent). 2 h before the start to 24 h after; not when cancelled. */
    async open(actor: Actor, orgId: string, groupId: string, start: string, meta: RequestMeta = {}, now = new Date()): Promise<CompanionState> {
      const { group, meeting } = await context(actor, orgId, groupId, start, now);
      if (meeting.status === "cancelled") throw new AppError("conflict", "This meeting is cancelled.", [{ path: "start", message: "this meeting is cancelled" }]);
      if (!openable(meeting, now)) throw new AppError("conflict", "The companion opens 2 hours before a meeting and closes 24 hours after its start.", [{ path: "start", message: "outside the time the companion can be opened" }]);
      const settings = await settingsOf(group.id);
      const clock = newClock(settings.phaseMinutes);
      const inserted = await db.transaction(async (tx) => {
        const rows = await tx
          .insert(meetingRun)
          .values({ organisationId: group.organisationId, groupId: group.id, occurrenceStart: meeting.occurrenceStart, version: clock.version, clock, openedByUserId: actor.userId, createdAt: now, updatedAt: now })
          .onConflictDoNothing()
          .returning({ id: meetingRun.id });
        if (rows.length) await audit(tx, actor, meta, { organisationId: group.organisationId, action: "facilitation.meeting_opened", targetType: "group", targetId: group.id, details: { occurrenceStart: meeting.occurrenceStart.toISOString() } });
        return rows.length > 0;
      });
      if (inserted) await publish(group.id, meeting.occurrenceStart, clock.version);
      return buildState(group, meeting, now);
    },

    /** Leaders: one clock command. 409 "stale" (with the current state) when someone acted first. */
    async command(actor: Actor, orgId: string, groupId: string, start: string, raw: unknown, meta: RequestMeta = {}, now = new Date()): Promise<CompanionState> {
      const input = parse(CommandInput, raw);
      if (input.seconds !== undefined && input.type !== "extend") throw new AppError("validation_failed", "Invalid seconds: only for extend.", [{ path: "seconds", message: "only for extend" }]);
      if (input.type === "end") return endMeeting(actor, orgId, groupId, start, { expectedVersion: input.expectedVersion }, meta, now);
      const { group, meeting } = await context(actor, orgId, groupId, start, now);
      const run = await requireRun(group, meeting);
      const settings = await settingsOf(group.id);
      const command: ClockCommand = input.type === "extend" ? { type: "extend", seconds: input.seconds ?? DEFAULT_EXTEND_SECONDS } : ({ type: input.type } as ClockCommand);
      const result = applyCommand(run.clock, command, input.expectedVersion, now.getTime(), settings.phaseMinutes);
      if (!result.ok) {
        if (result.code === "stale") throw new StaleStateError(await buildState(group, meeting, now));
        if (result.code === "invalid") throw new AppError("validation_failed", `Invalid seconds: ${result.message}`, [{ path: "seconds", message: result.message }]);
        throw new AppError("conflict", result.message, [{ path: "type", message: result.message }]);
      }
      const updated = await db
        .update(meetingRun)
        .set({ clock: result.clock, version: result.clock.version, updatedAt: now })
        .where(and(eq(meetingRun.id, run.id), eq(meetingRun.version, input.expectedVersion)))
        .returning({ id: meetingRun.id });
      if (updated.length === 0) throw new StaleStateError(await buildState(group, meeting, now));
      await publish(group.id, meeting.occurrenceStart, result.clock.version);
      return buildState(group, meeting, now);
    },

    /** Leaders: a tap on the roster = attendance through the sessions service. */
    async tap(actor: Actor, orgId: string, groupId: string, start: string, raw: unknown, meta: RequestMeta = {}, now = new Date()): Promise<CompanionState> {
      const input = parse(TapInput, raw);
      const { group, meeting } = await context(actor, orgId, groupId, start, now);
      const run = await requireRun(group, meeting);
      await sessions.recordAttendance(actor, group.organisationId, group.id, meeting.occurrenceStart.toISOString(), { entries: [{ userId: input.userId, status: input.status }] }, meta, now);
      await publish(group.id, meeting.occurrenceStart, run.version);
      return buildState(group, meeting, now);
    },

    /** Leaders: who presents case n (a member of the group; only the fact). userId null clears it. */
    async recordPresenter(actor: Actor, orgId: string, groupId: string, start: string, raw: unknown, meta: RequestMeta = {}, now = new Date()): Promise<CompanionState> {
      const input = parse(PresenterInput, raw);
      const { group, meeting } = await context(actor, orgId, groupId, start, now);
      const run = await requireRun(group, meeting);
      if (run.clock.status === "ended") throw new AppError("conflict", "The meeting has ended.", [{ path: "caseNumber", message: "the meeting has ended" }]);
      const cases = Math.max(0, ...run.clock.steps.map((s) => s.caseNumber ?? 0));
      if (input.caseNumber > cases) throw new AppError("validation_failed", "Invalid caseNumber: this meeting does not have that case.", [{ path: "caseNumber", message: `this meeting has ${cases} case(s)` }]);
      const at = and(eq(meetingPresenter.groupId, group.id), eq(meetingPresenter.occurrenceStart, meeting.occurrenceStart), eq(meetingPresenter.caseNumber, input.caseNumber));
      if (input.userId !== null) {
        const [m] = await db.select({ userId: groupMembership.userId }).from(groupMembership).where(and(eq(groupMembership.groupId, group.id), eq(groupMembership.userId, input.userId), eq(groupMembership.status, "active")));
        if (!m) throw new AppError("validation_failed", "Invalid userId: not an active member of this group.", [{ path: "userId", message: "is not an active member of this group" }]);
      }
      await db.transaction(async (tx) => {
        await tx.delete(meetingPresenter).where(at);
        if (input.userId !== null) {
          await tx.insert(meetingPresenter).values({ groupId: group.id, occurrenceStart: meeting.occurrenceStart, caseNumber: input.caseNumber, userId: input.userId, recordedByUserId: actor.userId, recordedAt: now });
        }
        await audit(tx, actor, meta, {
          organisationId: group.organisationId,
          action: input.userId ? "facilitation.presenter_recorded" : "facilitation.presenter_cleared",
          targetType: "group",
          targetId: group.id,
          details: { occurrenceStart: meeting.occurrenceStart.toISOString(), caseNumber: input.caseNumber, userId: input.userId },
        });
      });
      await publish(group.id, meeting.occurrenceStart, run.version);
      return buildState(group, meeting, now);
    },

    /** Leaders: end the meeting (clock, attendance, leading credits) in one go; idempotent. */
    async end(actor: Actor, orgId: string, groupId: string, start: string, raw: unknown = {}, meta: RequestMeta = {}, now = new Date()): Promise<CompanionState> {
      return endMeeting(actor, orgId, groupId, start, raw, meta, now);
    },

    /**
     * The event stream's re-check (one query): the actor with their CURRENT role in the
     * organisation, or null when they may no longer run this group's companion — no longer a
     * member there, a role without "groups:lead", no longer a leader of the group, or signed out
     * (`sessionId`: the cookie's session; API tokens: revoked or expired).
     */
    async liveAccess(actor: Actor, orgId: string, groupId: string, credential: { sessionId?: string | null } = {}, now = new Date()): Promise<Actor | null> {
      if (!actor.userId || !UUID.test(orgId) || !UUID.test(groupId)) return null;
      let query = db
        .select({ role: membership.role, kind: groupLeader.kind })
        .from(membership)
        .leftJoin(groupLeader, and(eq(groupLeader.groupId, groupId), eq(groupLeader.userId, membership.userId)))
        .$dynamic();
      if (actor.tokenScope) {
        query = query.innerJoin(apiToken, and(eq(apiToken.id, actor.tokenScope.tokenId), eq(apiToken.userId, membership.userId), isNull(apiToken.revokedAt), or(isNull(apiToken.expiresAt), gt(apiToken.expiresAt, now))));
      } else if (credential.sessionId) {
        query = query.innerJoin(session, and(eq(session.id, credential.sessionId), eq(session.userId, membership.userId), gt(session.expiresAt, now)));
      }
      const [row] = await query.where(and(eq(membership.organisationId, orgId), eq(membership.userId, actor.userId)));
      if (!row?.kind) return null;
      const memberships = new Map(actor.memberships);
      memberships.set(orgId, row.role);
      const current: Actor = { ...actor, memberships };
      return can(current, "groups:lead", { organisationId: orgId }) ? current : null;
    },

    /** The event stream's heartbeat (and access re-check) interval; tests shorten it. */
    streamSettings: { heartbeatMs: HEARTBEAT_MS },

    /**
     * Subscribe to change notices of one meeting (after the caller has been authorised through
     * `state`). `onChange` is called on every notice for this meeting, on every change of the
     * group's companion settings, and after a reconnect of the bus; `onClose` when the bus shuts
     * down. Returns the unsubscribe function.
     */
    subscribe(groupId: string, start: string, onChange: () => void, onClose?: () => void): () => void {
      const occurrence = parseStart(start).getTime();
      return live.subscribe(
        meetingChannel(groupId),
        (payload) => {
          const p = payload as (Partial<LiveNotice> & Partial<SettingsNotice> & { reconnected?: boolean }) | null;
          if (!p) return;
          if (p.reconnected) return onChange();
          if (p.groupId !== groupId) return;
          if (typeof p.settings === "number" || (typeof p.start === "string" && new Date(p.start).getTime() === occurrence)) onChange();
        },
        onClose,
      );
    },

    /** Leaders and coordinators: the group's companion settings. */
    async settings(actor: Actor, orgId: string, groupId: string) {
      const group = await requireSettingsEditor(actor, orgId, groupId);
      return { groupId: group.id, groupName: group.name, organisationId: group.organisationId, ...(await settingsOf(group.id)) };
    },

    async updateSettings(actor: Actor, orgId: string, groupId: string, raw: unknown, meta: RequestMeta = {}, now = new Date()) {
      const input = parse(SettingsInput, raw);
      const group = await requireSettingsEditor(actor, orgId, groupId);
      if (input.phaseMinutes) {
        const issues = phaseMinutesIssues(input.phaseMinutes);
        if (issues.length) throw validationError(issues.map((i) => ({ path: ["phaseMinutes", i.path], message: i.message })));
      }
      const current = await settingsOf(group.id);
      const groundRules = input.groundRules === undefined ? current.groundRules : input.groundRules?.trim() ? input.groundRules.trim() : null;
      const next = {
        phaseMinutes: input.phaseMinutes ?? current.phaseMinutes,
        groundRules,
        softSound: input.softSound === undefined ? (current.softSound ? 1 : 0) : input.softSound ? 1 : 0,
      };
      await db.transaction(async (tx) => {
        await tx
          .insert(facilitationSettings)
          .values({ groupId: group.id, ...next, updatedByUserId: actor.userId, updatedAt: now })
          .onConflictDoUpdate({ target: facilitationSettings.groupId, set: { ...next, updatedByUserId: actor.userId, updatedAt: now } });
        await audit(tx, actor, meta, {
          organisationId: group.organisationId,
          action: "facilitation.settings_updated",
          targetType: "group",
          targetId: group.id,
          details: { ...Object.fromEntries(PHASES.map((p) => [`minutes${p[0]!.toUpperCase()}${p.slice(1)}`, next.phaseMinutes[p]])), ownGroundRules: next.groundRules !== null, softSound: next.softSound === 1 },
        });
      });
      // Open companions of the group re-read (a muted tone must reach every device at once).
      await publishSettings(group.id, now);
      return { groupId: group.id, groupName: group.name, organisationId: group.organisationId, ...(await settingsOf(group.id)) };
    },

    /** Leaders: meetings of groups they lead whose companion can be opened now (for links). */
    async openableNow(actor: Actor, now = new Date()) {
      if (!actor.userId) return { items: [] };
      const led = await db
        .select({ groupId: groupLeader.groupId, organisationId: balintGroup.organisationId, name: balintGroup.name })
        .from(groupLeader)
        .innerJoin(balintGroup, eq(balintGroup.id, groupLeader.groupId))
        .where(eq(groupLeader.userId, actor.userId))
        .orderBy(desc(balintGroup.name));
      const items: { organisationId: string; groupId: string; groupName: string; occurrenceStart: string; start: string }[] = [];
      for (const g of led) {
        if (!can(actor, "groups:lead", { organisationId: g.organisationId })) continue;
        try {
          const { items: list } = await sessions.upcoming(actor, g.organisationId, g.groupId, { from: new Date(now.getTime() - OPEN_AFTER_MS - 4 * HOUR_MS).toISOString(), to: new Date(now.getTime() + OPEN_BEFORE_MS).toISOString() });
          for (const s of list) {
            const t = new Date(s.start).getTime();
            if (s.status !== "cancelled" && now.getTime() >= t - OPEN_BEFORE_MS && now.getTime() <= t + OPEN_AFTER_MS) items.push({ organisationId: g.organisationId, groupId: g.groupId, groupName: g.name, occurrenceStart: s.occurrenceStart, start: s.start });
          }
        } catch (error) {
          logger.debug({ err: error, groupId: g.groupId }, "companion: no meetings");
        }
      }
      items.sort((a, b) => a.start.localeCompare(b.start));
      return { items };
    },
  };
}

export type FacilitationService = ReturnType<typeof createFacilitationService>;
