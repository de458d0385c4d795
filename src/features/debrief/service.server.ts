// The leaders' debrief: one shared private text per held meeting, written by the leaders of THAT
// meeting, encrypted at rest (ADR 014), deleted for good after the organisation's retention period
// unless a leader keeps it for supervision. The fact that a leader completed it is kept apart.
//
// Decisions:
// - Who: the leaders of the meeting — the `session_leader` rows with led = true when the meeting
//   has a record, else the group's current leaders — who also hold "groups:lead" in the
//   organisation. Anyone else (other leaders, coordinators, owners, admins, members, other
//   organisations) gets 404, as if there were nothing there.
// - Which meetings: a meeting of the group's rule that took place — the sessions slice's rule
//   (`didNotTakePlace`): not cancelled, and not paused unless something was recorded for it before
//   the pause was added (a pause added later does not undo a held meeting) — and has started: 409
//   otherwise; an unknown meeting is 404.
// - Text: never stored in clear; `body_sealed` = seal(organisation data key, text,
//   debriefAad(orgId, debriefId)). Nothing derived from the text is stored, logged or audited.
// - Saving: the identifier check (identifier-check.ts) runs again on the server; with findings
//   the save is refused (`{ outcome: "findings" }`, 422 in the API) unless acknowledgeFindings.
//   Optimistic concurrency: the caller sends the revision it started from (0 = new); if a
//   co-leader saved first the save is refused with the current text (409). The first save sets
//   expires_at = now + organisation's debriefRetentionDays (default 180).
// - Completion: a save, or "mark complete", records debrief_completion (group, meeting, user):
//   the fact only; it survives expiry and deletion.
// - Expiry: a daily job (self-renewing, pg-boss) DELETEs expired, unattached debriefs in batches
//   with FOR UPDATE SKIP LOCKED, one audit "debrief.expired" per row — safe with several instances.
// - A sealed value that cannot be opened (moved to another row, altered, key missing) reads as
//   `unreadable: true` with no text and no details; the leaders may overwrite or delete it.
import { randomUUID } from "node:crypto";
import { and, desc, eq, gte, inArray, isNull, lte } from "drizzle-orm";
import { user } from "../../platform/auth/schema.ts";
import { recordAudit } from "../../platform/audit/audit.server.ts";
import { debriefAad, EncryptionError, open, seal, type DataKey } from "../../platform/crypto/envelope.server.ts";
import type { Executor } from "../../platform/db/client.server.ts";
import { AppError, validationError } from "../../platform/http/errors.ts";
import type { Kernel } from "../../platform/kernel.server.ts";
import { definePeriodicJob } from "../../platform/jobs/periodic.server.ts";
import { authorize, can, requireUser, type Actor } from "../../platform/policy/policy.ts";
import { organisation } from "../../platform/tenancy/schema.ts";
import { balintGroup, groupLeader } from "../groups/schema.ts";
import { resolveSeries, type RecurrenceExceptions, type RecurrenceInput } from "../groups/schedule.ts";
import { groupPause, sessionException, sessionLeader } from "../sessions/schema.ts";
import { didNotTakePlace, parseStart } from "../sessions/service.server.ts";
import { DEBRIEF_PENDING_DAYS } from "./constants.ts";
import { retentionDaysOf } from "./retention.ts";
export { retentionDaysOf };
import { findIdentifiers, type IdentifierFinding } from "./identifier-check.ts";
import { createKeyStore, type KeyStore } from "./keys.server.ts";
import { debriefCompletion, meetingDebrief } from "./schema.ts";
import { AttachDebriefInput, CompleteDebriefInput, SaveDebriefInput } from "./schemas.ts";

export const DEBRIEF_EXPIRE_QUEUE = "debrief-expire";
const DAY_MS = 86_400_000;
const EXPIRE_BATCH = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type GroupRow = typeof balintGroup.$inferSelect;
type DebriefRow = typeof meetingDebrief.$inferSelect;

export interface RequestMeta {
  ipAddress?: string | null;
  requestId?: string | null;
}

export interface DebriefView {
  organisationId: string;
  groupId: string;
  groupName: string;
  occurrenceStart: string;
  /** When the meeting took place (differs from occurrenceStart when it was moved). */
  meetingStart: string;
  /** False until the first save. */
  exists: boolean;
  /** The text; null when there is none yet or it cannot be opened. */
  text: string | null;
  /** True when a stored debrief could not be decrypted (altered, moved, or its key is gone). */
  unreadable: boolean;
  /** 0 before the first save; send it back with the next save. */
  revision: number;
  updatedAt: string | null;
  updatedByName: string | null;
  /** When it will be deleted for good; null when kept for supervision or not written yet. */
  expiresAt: string | null;
  attachedToSupervisionAt: string | null;
  retentionDays: number;
  /** Did I complete this debrief (saved it or marked it complete)? */
  completedByMe: boolean;
  myKind: "leader" | "co_leader";
}

export type SaveResult =
  | { outcome: "saved"; debrief: DebriefView }
  | { outcome: "conflict"; current: DebriefView }
  | { outcome: "findings"; findings: IdentifierFinding[] };

export interface PendingDebrief {
  organisationId: string;
  groupId: string;
  groupName: string;
  occurrenceStart: string;
  start: string;
  hasDebrief: boolean;
}

const notFound = () => new AppError("not_found", "That debrief was not found.");

function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> } } }, raw: unknown): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error.issues);
  return parsed.data;
}

function recurrenceOf(row: GroupRow): RecurrenceInput {
  const input: RecurrenceInput = { rrule: row.rrule, dtstartLocal: row.dtstartLocal, timeZone: row.timeZone, durationMinutes: row.durationMinutes };
  if (row.firstDurationMinutes !== null) input.firstDurationMinutes = row.firstDurationMinutes;
  return input;
}

export function createDebriefService(kernel: Kernel, options: { keys?: KeyStore } = {}) {
  const { db, jobs, logger } = kernel;
  const keys = options.keys ?? createKeyStore({ db, masterKeys: kernel.config.encryptionKeys });

  const audit = (tx: Executor, actor: Actor | null, meta: RequestMeta, entry: { organisationId: string; action: string; targetId: string; details: Record<string, string | number | boolean | null> }) =>
    recordAudit(tx, { ...entry, ...(actor ? { actor } : {}), targetType: "debrief", ipAddress: meta.ipAddress ?? null, requestId: meta.requestId ?? null });

  // ---- who and which meeting -----------------------------------------------------------------

  async function exceptionsFor(groupId: string): Promise<RecurrenceExceptions> {
    const ex: RecurrenceExceptions = { cancelled: [], changed: [], pauses: [] };
    for (const r of await db.select().from(sessionException).where(eq(sessionException.groupId, groupId))) {
      if (r.kind === "cancelled") ex.cancelled!.push(r.occurrenceStart);
      else {
        const change: NonNullable<RecurrenceExceptions["changed"]>[number] = { originalStart: r.occurrenceStart };
        if (r.newStart) change.start = r.newStart;
        if (r.durationMinutes !== null) change.durationMinutes = r.durationMinutes;
        if (r.meetingLink !== null) change.meetingLink = r.meetingLink;
        ex.changed!.push(change);
      }
    }
    for (const p of await db.select().from(groupPause).where(eq(groupPause.groupId, groupId))) ex.pauses!.push({ startDate: p.startDate, endDate: p.endDate });
    return ex;
  }

  /** The leaders of one meeting: its record (led = true) when there is one, else the group's current leaders. */
  async function meetingLeaders(groupId: string, occurrenceStart: Date): Promise<Map<string, "leader" | "co_leader">> {
    const recorded = await db.select({ userId: sessionLeader.userId, kind: sessionLeader.kind, led: sessionLeader.led }).from(sessionLeader).where(and(eq(sessionLeader.groupId, groupId), eq(sessionLeader.occurrenceStart, occurrenceStart)));
    if (recorded.length > 0) return new Map(recorded.filter((r) => r.led).map((r) => [r.userId, r.kind]));
    const current = await db.select({ userId: groupLeader.userId, kind: groupLeader.kind }).from(groupLeader).where(eq(groupLeader.groupId, groupId));
    return new Map(current.map((r) => [r.userId, r.kind]));
  }

  interface Access {
    group: GroupRow;
    occurrenceStart: Date;
    meetingStart: Date;
    userId: string;
    kind: "leader" | "co_leader";
  }

  /**
   * The meeting, if the actor led it; 404 for everyone else (before anything about the meeting is
   * revealed). Then 404 for a start that is not a meeting of the group, 409 for a meeting that did
   * not take place (the sessions rule: cancelled, or paused with nothing recorded) or has not started.
   */
  async function leaderAccess(actor: Actor, orgId: string, groupId: string, start: string, now = new Date()): Promise<Access> {
    authorize(actor, "groups:read", { organisationId: orgId });
    const userId = requireUser(actor);
    if (!can(actor, "groups:lead", { organisationId: orgId })) throw notFound();
    if (!UUID.test(groupId)) throw notFound();
    const occurrenceStart = parseStart(start);
    const [group] = await db.select().from(balintGroup).where(and(eq(balintGroup.id, groupId), eq(balintGroup.organisationId, orgId)));
    if (!group) throw notFound();
    const kind = (await meetingLeaders(group.id, occurrenceStart)).get(userId);
    if (!kind) throw notFound();
    let meetings;
    try {
      meetings = resolveSeries(recurrenceOf(group), await exceptionsFor(group.id)).meetings;
    } catch {
      throw notFound();
    }
    const meeting = meetings.find((m) => m.rule.start.epochMilliseconds === occurrenceStart.getTime());
    if (!meeting) throw notFound();
    if (await didNotTakePlace(group.id, meeting, occurrenceStart, db)) throw new AppError("conflict", "This meeting did not take place.", [{ path: "start", message: "this meeting did not take place" }]);
    if (meeting.start.epochMilliseconds > now.getTime()) throw new AppError("conflict", "A debrief can be written once the meeting has started.", [{ path: "start", message: "this meeting has not started yet" }]);
    return { group, occurrenceStart, meetingStart: new Date(meeting.start.epochMilliseconds), userId, kind };
  }

  // ---- reading -------------------------------------------------------------------------------

  async function retentionDays(orgId: string, exec: Executor = db): Promise<number> {
    const [row] = await exec.select({ settings: organisation.settings }).from(organisation).where(eq(organisation.id, orgId));
    return retentionDaysOf(row?.settings);
  }

  async function rowOf(exec: Executor, groupId: string, occurrenceStart: Date, lock = false): Promise<DebriefRow | undefined> {
    const q = exec.select().from(meetingDebrief).where(and(eq(meetingDebrief.groupId, groupId), eq(meetingDebrief.occurrenceStart, occurrenceStart)));
    const [row] = lock ? await q.for("update") : await q;
    return row;
  }

  /** Opens a stored debrief; undefined (never an error with details) when it cannot be opened. */
  async function openRow(row: DebriefRow, exec: Executor = db): Promise<string | undefined> {
    try {
      const resolve = await keys.resolver(row.organisationId, exec);
      return open(resolve, row.bodySealed, debriefAad(row.organisationId, row.id));
    } catch (error) {
      if (error instanceof EncryptionError) {
        logger.warn({ debriefId: row.id, organisationId: row.organisationId, code: error.code }, "debrief could not be decrypted");
        return undefined;
      }
      throw error;
    }
  }

  async function view(a: Access, row: DebriefRow | undefined, exec: Executor = db): Promise<DebriefView> {
    const [done] = await exec.select({ userId: debriefCompletion.userId }).from(debriefCompletion).where(and(eq(debriefCompletion.groupId, a.group.id), eq(debriefCompletion.occurrenceStart, a.occurrenceStart), eq(debriefCompletion.userId, a.userId)));
    const base = {
      organisationId: a.group.organisationId,
      groupId: a.group.id,
      groupName: a.group.name,
      occurrenceStart: a.occurrenceStart.toISOString(),
      meetingStart: a.meetingStart.toISOString(),
      retentionDays: await retentionDays(a.group.organisationId, exec),
      completedByMe: done !== undefined,
      myKind: a.kind,
    };
    if (!row) return { ...base, exists: false, text: null, unreadable: false, revision: 0, updatedAt: null, updatedByName: null, expiresAt: null, attachedToSupervisionAt: null };
    const text = await openRow(row, exec);
    let updatedByName: string | null = null;
    if (row.updatedByUserId) {
      const [u] = await exec.select({ name: user.name }).from(user).where(eq(user.id, row.updatedByUserId));
      updatedByName = u?.name ?? null;
    }
    return {
      ...base,
      exists: true,
      text: text ?? null,
      unreadable: text === undefined,
      revision: row.revision,
      updatedAt: row.updatedAt.toISOString(),
      updatedByName,
      expiresAt: row.attachedToSupervisionAt ? null : row.expiresAt.toISOString(),
      attachedToSupervisionAt: row.attachedToSupervisionAt?.toISOString() ?? null,
    };
  }

  const target = (a: Access) => ({ groupId: a.group.id, occurrenceStart: a.occurrenceStart.toISOString() });

  async function markComplete(exec: Executor, a: Access, now: Date): Promise<boolean> {
    const inserted = await exec.insert(debriefCompletion).values({ groupId: a.group.id, occurrenceStart: a.occurrenceStart, userId: a.userId, completedAt: now }).onConflictDoNothing().returning();
    return inserted.length > 0;
  }

  // ---- expiry --------------------------------------------------------------------------------

  /** Deletes every expired, unattached debrief for good; one audit entry per row. Returns how many. */
  async function expireDue(now = new Date()): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await db.transaction(async (tx) => {
        const due = tx
          .select({ id: meetingDebrief.id })
          .from(meetingDebrief)
          .where(and(lte(meetingDebrief.expiresAt, now), isNull(meetingDebrief.attachedToSupervisionAt)))
          .limit(EXPIRE_BATCH)
          .for("update", { skipLocked: true });
        const rows = await tx
          .delete(meetingDebrief)
          .where(and(inArray(meetingDebrief.id, due), lte(meetingDebrief.expiresAt, now), isNull(meetingDebrief.attachedToSupervisionAt)))
          .returning({ id: meetingDebrief.id, organisationId: meetingDebrief.organisationId, groupId: meetingDebrief.groupId, occurrenceStart: meetingDebrief.occurrenceStart });
        for (const r of rows) {
          await audit(tx, null, {}, { organisationId: r.organisationId, action: "debrief.expired", targetId: r.id, details: { groupId: r.groupId, occurrenceStart: r.occurrenceStart.toISOString() } });
        }
        return rows.length;
      });
      total += deleted;
      if (deleted < EXPIRE_BATCH) return total;
    }
  }

  // Once a day (00:01 UTC) across all instances: delete expired debriefs for good.
  const dailyExpiry = definePeriodicJob(
    { jobs, db, logger },
    {
      name: DEBRIEF_EXPIRE_QUEUE,
      periodMs: DAY_MS,
      offsetMs: 60_000,
      run: async (now) => {
        const removed = await expireDue(now);
        if (removed) logger.info({ removed }, "expired debriefs deleted");
      },
    },
  );

  return {
    keys,
    expireDue,

    /** Starts the daily expiry job (call once after the job queue started; safe on every instance). */
    async startExpiryScheduler(now = new Date()) {
      await dailyExpiry.start(now);
    },

    /** For pages addressed by group only (/debrief/:groupId/:start): the group's organisation, if the actor belongs to it; 404 otherwise. */
    async organisationOf(actor: Actor, groupId: string): Promise<string> {
      requireUser(actor);
      if (!UUID.test(groupId)) throw notFound();
      const [row] = await db.select({ organisationId: balintGroup.organisationId }).from(balintGroup).where(eq(balintGroup.id, groupId));
      if (!row || !can(actor, "groups:read", { organisationId: row.organisationId })) throw notFound();
      return row.organisationId;
    },

    async get(actor: Actor, orgId: string, groupId: string, start: string, now = new Date()): Promise<DebriefView> {
      const a = await leaderAccess(actor, orgId, groupId, start, now);
      return view(a, await rowOf(db, a.group.id, a.occurrenceStart));
    },

    /** Saves the shared text (see the header: revision, identifier check, expiry, completion). */
    async save(actor: Actor, orgId: string, groupId: string, start: string, raw: unknown, meta: RequestMeta = {}, now = new Date()): Promise<SaveResult> {
      const a = await leaderAccess(actor, orgId, groupId, start, now);
      const input = parse(SaveDebriefInput, raw);
      const findings = findIdentifiers(input.text);
      if (findings.length > 0 && input.acknowledgeFindings !== true) return { outcome: "findings", findings };
      const kinds = [...new Set(findings.map((f) => f.kind))].join("+");
      return db.transaction(async (tx): Promise<SaveResult> => {
        const key: DataKey = await keys.currentKey(a.group.organisationId, tx);
        const current = await rowOf(tx, a.group.id, a.occurrenceStart, true);
        let row: DebriefRow | undefined;
        if (current) {
          if (current.revision !== input.revision) return { outcome: "conflict", current: await view(a, current, tx) };
          [row] = await tx
            .update(meetingDebrief)
            .set({ bodySealed: seal(key, input.text, debriefAad(current.organisationId, current.id)), keyVersion: key.version, revision: current.revision + 1, updatedByUserId: a.userId, updatedAt: now })
            .where(and(eq(meetingDebrief.id, current.id), eq(meetingDebrief.revision, current.revision)))
            .returning();
          if (!row) return { outcome: "conflict", current: await view(a, await rowOf(tx, a.group.id, a.occurrenceStart), tx) };
          await audit(tx, actor, meta, { organisationId: orgId, action: "debrief.updated", targetId: row.id, details: { ...target(a), revision: row.revision, identifierWarnings: findings.length, identifierKinds: kinds || null } });
        } else {
          if (input.revision !== 0) return { outcome: "conflict", current: await view(a, undefined, tx) };
          const id = randomUUID();
          const expiresAt = new Date(now.getTime() + (await retentionDays(a.group.organisationId, tx)) * DAY_MS);
          [row] = await tx
            .insert(meetingDebrief)
            .values({ id, organisationId: a.group.organisationId, groupId: a.group.id, occurrenceStart: a.occurrenceStart, bodySealed: seal(key, input.text, debriefAad(a.group.organisationId, id)), keyVersion: key.version, revision: 1, updatedByUserId: a.userId, expiresAt, createdAt: now, updatedAt: now })
            .onConflictDoNothing()
            .returning();
          // A co-leader's first save won the race: theirs is the current text.
          if (!row) return { outcome: "conflict", current: await view(a, await rowOf(tx, a.group.id, a.occurrenceStart), tx) };
          await audit(tx, actor, meta, { organisationId: orgId, action: "debrief.created", targetId: row.id, details: { ...target(a), revision: row.revision, identifierWarnings: findings.length, identifierKinds: kinds || null } });
        }
        if (await markComplete(tx, a, now)) await audit(tx, actor, meta, { organisationId: orgId, action: "debrief.completed", targetId: row.id, details: target(a) });
        return { outcome: "saved", debrief: await view(a, row, tx) };
      });
    },

    /** Records that I completed the debrief (e.g. a co-leader wrote it and I read it). The fact only. */
    async complete(actor: Actor, orgId: string, groupId: string, start: string, raw: unknown = {}, meta: RequestMeta = {}, now = new Date()): Promise<DebriefView> {
      const a = await leaderAccess(actor, orgId, groupId, start, now);
      parse(CompleteDebriefInput, raw ?? {});
      return db.transaction(async (tx) => {
        const row = await rowOf(tx, a.group.id, a.occurrenceStart);
        if (await markComplete(tx, a, now)) await audit(tx, actor, meta, { organisationId: orgId, action: "debrief.completed", targetId: row?.id ?? a.group.id, details: target(a) });
        return view(a, row, tx);
      });
    },

    /** Keep for supervision (no expiry) or stop keeping it (it expires at its original date again). */
    async attach(actor: Actor, orgId: string, groupId: string, start: string, raw: unknown, meta: RequestMeta = {}, now = new Date()): Promise<DebriefView> {
      const a = await leaderAccess(actor, orgId, groupId, start, now);
      const input = parse(AttachDebriefInput, raw);
      return db.transaction(async (tx) => {
        const row = await rowOf(tx, a.group.id, a.occurrenceStart, true);
        if (!row) throw new AppError("conflict", "There is no debrief to keep yet: save it first.", [{ path: "attached", message: "there is no debrief yet" }]);
        if ((row.attachedToSupervisionAt !== null) === input.attached) return view(a, row, tx);
        const [updated] = await tx
          .update(meetingDebrief)
          .set(input.attached ? { attachedToSupervisionAt: now, attachedByUserId: a.userId } : { attachedToSupervisionAt: null, attachedByUserId: null })
          .where(eq(meetingDebrief.id, row.id))
          .returning();
        await audit(tx, actor, meta, { organisationId: orgId, action: input.attached ? "debrief.attached" : "debrief.detached", targetId: row.id, details: target(a) });
        return view(a, updated!, tx);
      });
    },

    /** Deletes the debrief now, for good. Completions stay. */
    async remove(actor: Actor, orgId: string, groupId: string, start: string, meta: RequestMeta = {}, now = new Date()): Promise<{ deleted: true }> {
      const a = await leaderAccess(actor, orgId, groupId, start, now);
      const deleted = await db.transaction(async (tx) => {
        const [row] = await tx.delete(meetingDebrief).where(and(eq(meetingDebrief.groupId, a.group.id), eq(meetingDebrief.occurrenceStart, a.occurrenceStart))).returning({ id: meetingDebrief.id });
        if (row) await audit(tx, actor, meta, { organisationId: orgId, action: "debrief.deleted", targetId: row.id, details: target(a) });
        return row !== undefined;
      });
      if (!deleted) throw new AppError("not_found", "There is no debrief to delete.");
      return { deleted: true };
    },

    /** My debrief completions (the fact, for the accreditation record), newest first. */
    async myCompletions(actor: Actor) {
      const userId = requireUser(actor);
      if (actor.tokenScope) throw new AppError("forbidden", "Use a signed-in session for your own records.");
      const rows = await db
        .select({ organisationId: balintGroup.organisationId, groupId: debriefCompletion.groupId, occurrenceStart: debriefCompletion.occurrenceStart, completedAt: debriefCompletion.completedAt })
        .from(debriefCompletion)
        .innerJoin(balintGroup, eq(balintGroup.id, debriefCompletion.groupId))
        .where(eq(debriefCompletion.userId, userId))
        .orderBy(desc(debriefCompletion.occurrenceStart));
      return { items: rows.map((r) => ({ organisationId: r.organisationId, groupId: r.groupId, occurrenceStart: r.occurrenceStart.toISOString(), completedAt: r.completedAt.toISOString() })), count: rows.length };
    },

    /**
     * My recent held meetings (last DEBRIEF_PENDING_DAYS days) that I led and whose debrief I have
     * not completed, oldest first — for the small "debriefs to write" list.
     */
    async pending(actor: Actor, now = new Date()): Promise<{ items: PendingDebrief[] }> {
      const userId = requireUser(actor);
      const from = new Date(now.getTime() - DEBRIEF_PENDING_DAYS * DAY_MS);
      const current = await db.select({ group: balintGroup }).from(groupLeader).innerJoin(balintGroup, eq(balintGroup.id, groupLeader.groupId)).where(and(eq(groupLeader.userId, userId), isNull(balintGroup.archivedAt)));
      const recordedMine = await db
        .select({ group: balintGroup })
        .from(sessionLeader)
        .innerJoin(balintGroup, eq(balintGroup.id, sessionLeader.groupId))
        .where(and(eq(sessionLeader.userId, userId), eq(sessionLeader.led, true), gte(sessionLeader.occurrenceStart, new Date(from.getTime() - DAY_MS))));
      const groups = new Map<string, GroupRow>();
      for (const r of [...current, ...recordedMine]) if (can(actor, "groups:lead", { organisationId: r.group.organisationId })) groups.set(r.group.id, r.group);
      if (groups.size === 0) return { items: [] };
      const ids = [...groups.keys()];
      const done = await db.select({ groupId: debriefCompletion.groupId, occurrenceStart: debriefCompletion.occurrenceStart }).from(debriefCompletion).where(and(eq(debriefCompletion.userId, userId), inArray(debriefCompletion.groupId, ids)));
      const doneSet = new Set(done.map((d) => `${d.groupId}|${d.occurrenceStart.getTime()}`));
      const written = await db.select({ groupId: meetingDebrief.groupId, occurrenceStart: meetingDebrief.occurrenceStart }).from(meetingDebrief).where(inArray(meetingDebrief.groupId, ids));
      const writtenSet = new Set(written.map((d) => `${d.groupId}|${d.occurrenceStart.getTime()}`));
      const items: PendingDebrief[] = [];
      for (const group of groups.values()) {
        let meetings;
        try {
          meetings = resolveSeries(recurrenceOf(group), await exceptionsFor(group.id)).meetings;
        } catch {
          continue;
        }
        for (const m of meetings) {
          const start = m.start.epochMilliseconds;
          if (start < from.getTime() || start > now.getTime()) continue;
          const originalStart = new Date(m.rule.start.epochMilliseconds);
          const k = `${group.id}|${originalStart.getTime()}`;
          if (doneSet.has(k)) continue;
          // The same rule as leaderAccess: a meeting held before a pause was added still needs its debrief.
          if (await didNotTakePlace(group.id, m, originalStart, db)) continue;
          if (!(await meetingLeaders(group.id, originalStart)).has(userId)) continue;
          items.push({ organisationId: group.organisationId, groupId: group.id, groupName: group.name, occurrenceStart: originalStart.toISOString(), start: new Date(start).toISOString(), hasDebrief: writtenSet.has(k) });
        }
      }
      items.sort((x, y) => x.start.localeCompare(y.start));
      return { items };
    },

    /** Data-key rotation for one organisation: a new version, and every debrief re-sealed with it. */
    async rotateOrganisationKey(orgId: string): Promise<{ version: number; resealed: number }> {
      return keys.rotateDataKey(orgId, async (tx, resolve, key) => {
        const rows = await tx.select().from(meetingDebrief).where(eq(meetingDebrief.organisationId, orgId)).for("update");
        let n = 0;
        for (const row of rows) {
          if (row.keyVersion === key.version) continue;
          const aad = debriefAad(row.organisationId, row.id);
          let text: string;
          try {
            text = open(resolve, row.bodySealed, aad);
          } catch (error) {
            if (error instanceof EncryptionError) {
              logger.warn({ debriefId: row.id, code: error.code }, "debrief could not be re-sealed: left as it is");
              continue;
            }
            throw error;
          }
          await tx.update(meetingDebrief).set({ bodySealed: seal(key, text, aad), keyVersion: key.version }).where(eq(meetingDebrief.id, row.id));
          n += 1;
        }
        await recordAudit(tx, { organisationId: orgId, action: "debrief.key_rotated", targetType: "organisation", targetId: orgId, details: { version: key.version, resealed: n } });
        return n;
      });
    },

    /** Master-key rotation: every stored data key re-wrapped under the newest master key. */
    rewrapAll: () => keys.rewrapAll(),
  };
}

export type DebriefService = ReturnType<typeof createDebriefService>;
