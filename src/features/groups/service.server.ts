// The groups slice: Balint groups, the public directory, join requests with leader approval,
// capacity that holds under concurrency, the group agreement and the waitlist.
//
// Decisions (documented here for the API and the UI):
// - A signed-in person who is NOT yet a member of the organisation may request to join (or join
//   the waitlist of) a listed or unlisted group. Approval (or accepting a waitlist offer) then
//   also makes them a `member` of the organisation. Private groups are reachable only by the
//   organisation's members; invitation-only groups refuse requests (403).
// - Every change to who holds a seat (approve, accept an offer, leave, remove, offer expiry)
//   runs in one transaction that first locks the group row (SELECT … FOR UPDATE) and then counts
//   active members and open offers, so concurrent approvals can never exceed the capacity.
// - An open waitlist offer reserves a seat for 48 hours. When it lapses the person leaves the
//   waitlist and the seat is offered to the next person (a job scheduled with `startAfter`).
// - Meeting details (link, address) are shown only to the group's leaders, coordinators and
//   active members who accepted the group agreement for the current term.
// - The audit log gets identifiers and codes only: never a request note or a waitlist note.
import { and, arrayContains, asc, count, eq, gt, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import { user } from "../../platform/auth/schema.ts";
import { recordAudit } from "../../platform/audit/audit.server.ts";
import type { Executor } from "../../platform/db/client.server.ts";
import { uniqueViolation } from "../../platform/db/errors.ts";
import { AppError, validationError, type FieldError } from "../../platform/http/errors.ts";
import { isLocale, type Locale } from "../../platform/i18n/locales.ts";
import type { Kernel } from "../../platform/kernel.server.ts";
import { ROLE_RANK } from "../../platform/policy/permissions.ts";
import { authorize, can, requireUser, roleIn, type Actor } from "../../platform/policy/policy.ts";
import { membership, organisation } from "../../platform/tenancy/schema.ts";
import { profile } from "../profile/schema.ts";
import { slugify } from "../setup/schemas.ts";
import { OFFER_TTL_MS, WEEKDAY_CODES, hasSeat, nextToOffer, reorder, seatsLeft, seatsToOffer, timeOfDayRange, weekdayIndex } from "./rules.ts";
import { isValidTimeZone, occurrences, toZoned, validateRecurrence, type RecurrenceInput } from "./schedule.ts";
import { balintGroup, groupLeader, groupMembership, groupWaitlist } from "./schema.ts";
import {
  CreateGroupInput,
  DecisionInput,
  DirectoryQuery,
  GroupListQuery,
  JoinRequestInput,
  LEADER_EDITABLE_FIELDS,
  NewTermInput,
  ReorderInput,
  UpdateGroupInput,
  type ScheduleInput,
} from "./schemas.ts";

export const OFFER_EXPIRY_QUEUE = "groups-waitlist-offer-expiry";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface RequestMeta {
  ipAddress?: string | null;
  requestId?: string | null;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

type GroupRow = typeof balintGroup.$inferSelect;

export interface ScheduleView {
  rrule: string;
  dtstartLocal: string;
  durationMinutes: number;
  firstDurationMinutes: number | null;
}

/** What anyone may see about a listed (or, by link, unlisted) group: no link, no address, no names. */
export interface PublicGroupView {
  organisation: { slug: string; name: string };
  slug: string;
  name: string;
  description: string;
  format: GroupRow["format"];
  languages: string[];
  disciplines: string[];
  timeZone: string;
  schedule: ScheduleView;
  capacity: number;
  seatsLeft: number;
  nextSession: { start: string; end: string } | null;
  ceCredit: string | null;
  joinPolicy: GroupRow["joinPolicy"];
  visibility: "listed" | "unlisted";
}

/** The public group page for one viewer (see `publicGroupFor`). */
export interface PublicGroupPage {
  group: Omit<PublicGroupView, "visibility"> & { visibility: GroupRow["visibility"] };
  organisationId: string;
  groupId: string;
  term: number;
  termEnded: boolean;
  myStatus: MyStatus;
  agreementAccepted: boolean;
  /** The viewer's place on the waitlist, and the open offer's deadline (null when none is open). */
  waitlist: { position: number; offerExpiresAt: string | null } | null;
  /** The next meetings of the current term (none once the term has ended). */
  upcoming: { start: string; end: string; cancelled: boolean }[];
}

export type MyStatus = "leader" | "co_leader" | "active" | "pending" | "waitlisted" | "none";

/** A group as seen inside its organisation. */
export interface GroupView {
  id: string;
  organisationId: string;
  slug: string;
  name: string;
  description: string;
  format: GroupRow["format"];
  languages: string[];
  disciplines: string[];
  timeZone: string;
  schedule: ScheduleView;
  capacity: number;
  seatsLeft: number;
  activeMembers: number;
  nextSession: { start: string; end: string } | null;
  ceCredit: string | null;
  visibility: GroupRow["visibility"];
  joinPolicy: GroupRow["joinPolicy"];
  term: number;
  termEndedAt: string | null;
  archivedAt: string | null;
  leaders: { userId: string; name: string; kind: "leader" | "co_leader" }[];
  myStatus: MyStatus;
  agreementAcceptedAt: string | null;
  /** Only for leaders, coordinators, and active members who accepted the agreement. */
  meetingDetails: { meetingLink: string | null; address: string | null } | null;
}

export interface GroupMemberView {
  userId: string;
  name: string;
  status: "pending" | "active";
  /** Leaders and coordinators only. */
  requestNote?: string | null;
  agreementAccepted?: boolean;
  requestedAt?: string;
}

export interface WaitlistEntryView {
  userId: string;
  name: string;
  position: number;
  offerExpiresAt: string | null;
  reorderReason: string | null;
  reorderNote: string | null;
}

const notFoundGroup = () => new AppError("not_found", "That group was not found.");

function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> } } }, raw: unknown): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error.issues);
  return parsed.data;
}

function recurrenceOf(schedule: ScheduleInput | ScheduleView, timeZone: string): RecurrenceInput {
  const input: RecurrenceInput = { rrule: schedule.rrule, dtstartLocal: schedule.dtstartLocal, timeZone, durationMinutes: schedule.durationMinutes };
  if (schedule.firstDurationMinutes !== undefined && schedule.firstDurationMinutes !== null) input.firstDurationMinutes = schedule.firstDurationMinutes;
  return input;
}

/** Schedule problems as field errors: `timeZone` stays top-level, the rest are under `schedule.`. */
export function scheduleIssues(schedule: ScheduleInput, timeZone: string): FieldError[] {
  return validateRecurrence(recurrenceOf(schedule, timeZone)).map((i) => ({ path: i.path === "timeZone" ? "timeZone" : `schedule.${i.path}`, message: i.message }));
}

/** Values derived from a valid schedule, stored for the directory. */
export function deriveSchedule(schedule: ScheduleInput, timeZone: string) {
  const all = occurrences(recurrenceOf(schedule, timeZone));
  const weekdays = [...new Set(all.map((o) => weekdayIndex(toZoned(o.start, timeZone).dayOfWeek)))].sort((a, b) => a - b);
  const [, hh, mm] = /T(\d{2}):(\d{2})/.exec(schedule.dtstartLocal) ?? [];
  const last = all.at(-1);
  return {
    weekdays,
    localStartMinute: Number(hh) * 60 + Number(mm),
    lastMeetingEndsAt: last ? last.end : new Date(),
  };
}

/**
 * The meetings of a schedule (start and end in ms, cancelled ones left out), memoised: a pure
 * function of the schedule's fields, so the cache never goes stale; bounded by clearing it when
 * it is full. The directory asks for the next meeting of every group on a page, and expanding a
 * series (RRULE + time zone) costs about a millisecond; see docs/performance.md.
 */
const SERIES_CACHE_MAX = 20_000;
const seriesCache = new Map<string, { start: number; end: number }[] | null>();
function seriesOf(row: Pick<GroupRow, "rrule" | "dtstartLocal" | "durationMinutes" | "firstDurationMinutes" | "timeZone">) {
  const key = `${row.rrule}\u0000${row.dtstartLocal}\u0000${row.durationMinutes}\u0000${row.firstDurationMinutes ?? ""}\u0000${row.timeZone}`;
  let series = seriesCache.get(key);
  if (series === undefined) {
    try {
      series = occurrences(recurrenceOf(row, row.timeZone))
        .filter((o) => o.status !== "cancelled")
        .map((o) => ({ start: o.start.getTime(), end: o.end.getTime() }));
    } catch {
      series = null;
    }
    if (seriesCache.size >= SERIES_CACHE_MAX) seriesCache.clear();
    seriesCache.set(key, series);
  }
  return series;
}

function nextSessionOf(row: Pick<GroupRow, "rrule" | "dtstartLocal" | "durationMinutes" | "firstDurationMinutes" | "timeZone" | "termEndedAt">, now = new Date()) {
  if (row.termEndedAt) return null;
  const next = seriesOf(row)?.find((o) => o.start >= now.getTime());
  return next ? { start: new Date(next.start).toISOString(), end: new Date(next.end).toISOString() } : null;
}

const scheduleView = (row: GroupRow): ScheduleView => ({
  rrule: row.rrule,
  dtstartLocal: row.dtstartLocal,
  durationMinutes: row.durationMinutes,
  firstDurationMinutes: row.firstDurationMinutes,
});

/** Active members of a group (correlated subquery; uses the partial index on active rows). */
const activeCountSql = sql<number>`(select count(*)::int from ${groupMembership} gm where gm.group_id = ${balintGroup.id} and gm.status = 'active')`;

/** Word prefixes for the full-text search ("bal res" finds "Balint residents"). */
export function searchQuery(q: string): string | null {
  const words = (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8);
  return words.length ? words.map((w) => `${w}:*`).join(" & ") : null;
}

export function createGroupsService(kernel: Kernel) {
  const { db, config, mailer, jobs, logger } = kernel;

  // ---- loading and locking -------------------------------------------------------------------

  async function loadGroup(exec: Executor, orgId: string, groupId: string): Promise<GroupRow> {
    if (!UUID.test(groupId) || !UUID.test(orgId)) throw notFoundGroup();
    const [row] = await exec.select().from(balintGroup).where(and(eq(balintGroup.id, groupId), eq(balintGroup.organisationId, orgId)));
    if (!row) throw notFoundGroup();
    return row;
  }

  /** Locks the group row: every change to who holds a seat is serialised on it. */
  async function lockGroup(exec: Executor, orgId: string, groupId: string): Promise<GroupRow> {
    if (!UUID.test(groupId) || !UUID.test(orgId)) throw notFoundGroup();
    const [row] = await exec
      .select()
      .from(balintGroup)
      .where(and(eq(balintGroup.id, groupId), eq(balintGroup.organisationId, orgId)))
      .for("update");
    if (!row) throw notFoundGroup();
    return row;
  }

  async function leaderKind(exec: Executor, groupId: string, userId: string | null) {
    if (!userId) return null;
    const [row] = await exec.select({ kind: groupLeader.kind }).from(groupLeader).where(and(eq(groupLeader.groupId, groupId), eq(groupLeader.userId, userId)));
    return row?.kind ?? null;
  }

  /** May the actor run this group (decide, remove, reorder)? Coordinators and above, or its own leaders. */
  async function mayLead(exec: Executor, actor: Actor, group: GroupRow): Promise<boolean> {
    const resource = { organisationId: group.organisationId };
    if (can(actor, "groups:manage", resource)) return true;
    return can(actor, "groups:lead", resource) && (await leaderKind(exec, group.id, actor.userId)) !== null;
  }

  async function requireLead(exec: Executor, actor: Actor, group: GroupRow) {
    if (!(await mayLead(exec, actor, group))) throw new AppError("forbidden", "Only this group's leaders and the organisation's coordinators can do that.");
  }

  async function openMembership(exec: Executor, groupId: string, userId: string) {
    const [row] = await exec
      .select()
      .from(groupMembership)
      .where(and(eq(groupMembership.groupId, groupId), eq(groupMembership.userId, userId), inArray(groupMembership.status, ["pending", "active"])));
    return row ?? null;
  }

  /** Reads an organisation member's group (any visibility) or a stranger's view of a listed/unlisted one. */
  async function groupForOrgReader(actor: Actor, orgId: string, groupId: string): Promise<GroupRow> {
    authorize(actor, "groups:read", { organisationId: orgId });
    const group = await loadGroup(db, orgId, groupId);
    if (group.visibility === "private" && !can(actor, "groups:manage", { organisationId: orgId }) && actor.userId) {
      const involved = (await leaderKind(db, group.id, actor.userId)) || (await openMembership(db, group.id, actor.userId)) || (await onWaitlist(db, group.id, actor.userId));
      if (!involved) throw notFoundGroup();
    }
    return group;
  }

  async function onWaitlist(exec: Executor, groupId: string, userId: string) {
    const [row] = await exec.select().from(groupWaitlist).where(and(eq(groupWaitlist.groupId, groupId), eq(groupWaitlist.userId, userId)));
    return row ?? null;
  }

  /**
   * Who may ask for a place: a signed-in person (not an API token). Organisation members reach any
   * group of theirs; others reach listed and unlisted groups only. Invitation-only groups: 403.
   */
  async function groupForJoiner(actor: Actor, orgId: string, groupId: string): Promise<{ group: GroupRow; userId: string }> {
    if (actor.kind === "anonymous") throw new AppError("unauthenticated", "Please sign in.");
    if (actor.tokenScope) {
      if (actor.tokenScope.organisationId !== orgId) throw notFoundGroup();
      throw new AppError("forbidden", "Ask for a place while signed in, not with an API token.");
    }
    const userId = requireUser(actor);
    const group = await loadGroup(db, orgId, groupId);
    const isOrgMember = roleIn(actor, orgId) !== null;
    if (!isOrgMember && group.visibility === "private") throw notFoundGroup();
    if (group.archivedAt) throw new AppError("conflict", "This group is archived and does not take new members.");
    if (group.joinPolicy === "invitation") throw new AppError("forbidden", "This group takes members by invitation only.");
    return { group, userId };
  }

  async function counts(exec: Executor, groupId: string, now = new Date()) {
    const [active] = await exec
      .select({ n: count() })
      .from(groupMembership)
      .where(and(eq(groupMembership.groupId, groupId), eq(groupMembership.status, "active")));
    const [offers] = await exec
      .select({ n: count() })
      .from(groupWaitlist)
      .where(and(eq(groupWaitlist.groupId, groupId), gt(groupWaitlist.offerExpiresAt, now)));
    return { active: active?.n ?? 0, openOffers: offers?.n ?? 0 };
  }

  /** Makes the person a `member` of the organisation if they are not in it yet. */
  async function ensureOrgMember(exec: Executor, orgId: string, userId: string) {
    await exec.insert(membership).values({ organisationId: orgId, userId, role: "member" }).onConflictDoNothing();
  }

  async function compactWaitlist(exec: Executor, groupId: string) {
    const rows = await exec.select({ id: groupWaitlist.id, position: groupWaitlist.position }).from(groupWaitlist).where(eq(groupWaitlist.groupId, groupId)).orderBy(asc(groupWaitlist.position), asc(groupWaitlist.createdAt));
    for (const [i, r] of rows.entries()) {
      if (r.position !== i + 1) await exec.update(groupWaitlist).set({ position: i + 1 }).where(eq(groupWaitlist.id, r.id));
    }
  }

  interface Offer {
    waitlistId: string;
    userId: string;
    expiresAt: Date;
  }

  /** With the group locked: offers every seat that is free and not already offered. */
  async function offerFreeSeats(tx: Executor, group: GroupRow, now = new Date()): Promise<Offer[]> {
    if (group.archivedAt || group.termEndedAt) return [];
    const { active, openOffers } = await counts(tx, group.id, now);
    let seats = seatsToOffer(group.capacity, active, openOffers);
    const made: Offer[] = [];
    if (seats === 0) return made;
    const rows = await tx.select().from(groupWaitlist).where(eq(groupWaitlist.groupId, group.id));
    let candidates = rows;
    while (seats > 0) {
      const next = nextToOffer(candidates);
      if (!next) break;
      const expiresAt = new Date(now.getTime() + OFFER_TTL_MS);
      await tx.update(groupWaitlist).set({ offeredAt: now, offerExpiresAt: expiresAt }).where(eq(groupWaitlist.id, next.id));
      await recordAudit(tx, { organisationId: group.organisationId, actor: null, action: "group.waitlist_offered", targetType: "user", targetId: next.userId, details: { groupId: group.id } });
      made.push({ waitlistId: next.id, userId: next.userId, expiresAt });
      candidates = candidates.filter((c) => c.id !== next.id);
      seats -= 1;
    }
    return made;
  }

  // ---- mail ----------------------------------------------------------------------------------

  async function recipient(userId: string, orgId: string) {
    const [row] = await db
      .select({ email: user.email, name: user.name, locale: profile.locale, timeZone: profile.timeZone, orgLocale: organisation.defaultLocale, orgName: organisation.name, orgTimeZone: organisation.timeZone })
      .from(user)
      .leftJoin(profile, eq(profile.userId, user.id))
      .innerJoin(organisation, eq(organisation.id, orgId))
      .where(eq(user.id, userId));
    if (!row) return null;
    const locale: Locale = isLocale(row.locale) ? row.locale : isLocale(row.orgLocale) ? row.orgLocale : "en";
    return { ...row, locale, timeZone: row.timeZone ?? row.orgTimeZone };
  }

  async function orgSlug(orgId: string) {
    const [row] = await db.select({ slug: organisation.slug }).from(organisation).where(eq(organisation.id, orgId));
    return row?.slug ?? "";
  }

  async function mailDecision(group: GroupRow, userId: string, decision: "approve" | "decline") {
    const to = await recipient(userId, group.organisationId);
    if (!to) return;
    const slug = await orgSlug(group.organisationId);
    await mailer.send(
      to.email,
      {
        template: decision === "approve" ? "groupJoinApproved" : "groupJoinDeclined",
        locale: to.locale,
        recipientName: to.name,
        values: { group: group.name, organisation: to.orgName },
        actionUrl: decision === "approve" ? `${config.appUrl}/groups/${slug}/${group.slug}` : `${config.appUrl}/groups`,
      },
      { organisationId: group.organisationId },
    );
  }

  /** After commit: email each offer and schedule its expiry. */
  async function announceOffers(group: GroupRow, offers: Offer[]) {
    for (const offer of offers) {
      await jobs.enqueue(OFFER_EXPIRY_QUEUE, { waitlistId: offer.waitlistId, expiresAt: offer.expiresAt.toISOString() }, { startAfter: offer.expiresAt, singletonKey: `${offer.waitlistId}:${offer.expiresAt.getTime()}` });
      const to = await recipient(offer.userId, group.organisationId);
      if (!to) continue;
      const expires = new Intl.DateTimeFormat(to.locale, { dateStyle: "long", timeStyle: "short", timeZone: to.timeZone }).format(offer.expiresAt);
      const slug = await orgSlug(group.organisationId);
      await mailer.send(
        to.email,
        {
          template: "groupSeatOffered",
          locale: to.locale,
          recipientName: to.name,
          values: { group: group.name, organisation: to.orgName, expires },
          actionUrl: `${config.appUrl}/groups/${slug}/${group.slug}`,
        },
        { organisationId: group.organisationId },
      );
    }
  }

  /**
   * Job handler (also called by tests): an offer whose time is up passes to the next person.
   * Idempotent: does nothing when the offer was accepted, withdrawn or renewed meanwhile.
   */
  async function expireOffer(data: { waitlistId: string; expiresAt: string }, now = new Date()): Promise<"expired" | "skipped"> {
    if (!UUID.test(data.waitlistId)) return "skipped";
    const expiresAt = new Date(data.expiresAt);
    if (now.getTime() < expiresAt.getTime()) return "skipped";
    const result = await db.transaction(async (tx) => {
      const [entry] = await tx.select().from(groupWaitlist).where(eq(groupWaitlist.id, data.waitlistId));
      if (!entry) return null;
      const [g] = await tx.select({ organisationId: balintGroup.organisationId }).from(balintGroup).where(eq(balintGroup.id, entry.groupId));
      if (!g) return null;
      const group = await lockGroup(tx, g.organisationId, entry.groupId);
      const [current] = await tx.select().from(groupWaitlist).where(eq(groupWaitlist.id, data.waitlistId)).for("update");
      if (!current?.offerExpiresAt || current.offerExpiresAt.getTime() !== expiresAt.getTime()) return null;
      await tx.delete(groupWaitlist).where(eq(groupWaitlist.id, current.id));
      await compactWaitlist(tx, group.id);
      await recordAudit(tx, { organisationId: group.organisationId, actor: null, action: "group.waitlist_offer_expired", targetType: "user", targetId: current.userId, details: { groupId: group.id } });
      return { group, offers: await offerFreeSeats(tx, group, now) };
    });
    if (!result) return "skipped";
    await announceOffers(result.group, result.offers);
    return "expired";
  }

  jobs.define<{ waitlistId: string; expiresAt: string }>(OFFER_EXPIRY_QUEUE, async (data) => {
    const outcome = await expireOffer(data);
    logger.debug({ waitlistId: data.waitlistId, outcome }, "waitlist offer expiry");
  });

  // ---- views -------------------------------------------------------------------------------

  async function leadersOf(exec: Executor, groupId: string) {
    return exec
      .select({ userId: groupLeader.userId, name: user.name, kind: groupLeader.kind })
      .from(groupLeader)
      .innerJoin(user, eq(user.id, groupLeader.userId))
      .where(eq(groupLeader.groupId, groupId))
      .orderBy(asc(groupLeader.kind), asc(user.name));
  }

  async function groupView(actor: Actor, group: GroupRow): Promise<GroupView> {
    const [leaders, { active }] = await Promise.all([leadersOf(db, group.id), counts(db, group.id)]);
    const leads = await mayLead(db, actor, group);
    const mine = actor.userId ? await openMembership(db, group.id, actor.userId) : null;
    const waiting = actor.userId && !mine ? await onWaitlist(db, group.id, actor.userId) : null;
    const leaderRow = leaders.find((l) => l.userId === actor.userId);
    const myStatus: MyStatus = leaderRow ? leaderRow.kind : mine ? mine.status as "active" | "pending" : waiting ? "waitlisted" : "none";
    const agreed = mine?.status === "active" && mine.agreementAcceptedAt !== null && mine.term === group.term;
    return {
      id: group.id,
      organisationId: group.organisationId,
      slug: group.slug,
      name: group.name,
      description: group.description,
      format: group.format,
      languages: group.languages,
      disciplines: group.disciplines,
      timeZone: group.timeZone,
      schedule: scheduleView(group),
      capacity: group.capacity,
      seatsLeft: seatsLeft(group.capacity, active),
      activeMembers: active,
      nextSession: nextSessionOf(group),
      ceCredit: group.ceCredit,
      visibility: group.visibility,
      joinPolicy: group.joinPolicy,
      term: group.term,
      termEndedAt: group.termEndedAt?.toISOString() ?? null,
      archivedAt: group.archivedAt?.toISOString() ?? null,
      leaders,
      myStatus,
      agreementAcceptedAt: agreed ? mine!.agreementAcceptedAt!.toISOString() : null,
      meetingDetails: leads || agreed ? { meetingLink: group.meetingLink, address: group.address } : null,
    };
  }

  function publicView(row: GroupRow, org: { slug: string; name: string }, active: number, now: Date): PublicGroupView {
    return {
      organisation: { slug: org.slug, name: org.name },
      slug: row.slug,
      name: row.name,
      description: row.description,
      format: row.format,
      languages: row.languages,
      disciplines: row.disciplines,
      timeZone: row.timeZone,
      schedule: scheduleView(row),
      capacity: row.capacity,
      seatsLeft: seatsLeft(row.capacity, active),
      nextSession: nextSessionOf(row, now),
      ceCredit: row.ceCredit,
      joinPolicy: row.joinPolicy,
      visibility: row.visibility === "listed" ? "listed" : "unlisted",
    };
  }

  // ---- writing groups ----------------------------------------------------------------------

  async function checkLeaders(exec: Executor, orgId: string, leaders: { userId: string; kind: string }[], issues: FieldError[]) {
    const seen = new Set<string>();
    for (const [i, l] of leaders.entries()) {
      if (seen.has(l.userId)) issues.push({ path: `leaders.${i}.userId`, message: "This person is listed twice." });
      seen.add(l.userId);
      const [row] = await exec.select({ role: membership.role }).from(membership).where(and(eq(membership.organisationId, orgId), eq(membership.userId, l.userId)));
      if (!row || ROLE_RANK[row.role] < ROLE_RANK.leader) {
        issues.push({ path: `leaders.${i}.userId`, message: "A leader must be a member of this organisation with the role leader or above." });
      }
    }
    if (leaders.length > 0 && !leaders.some((l) => l.kind === "leader")) issues.push({ path: "leaders", message: "Name at least one leader (not only co-leaders)." });
  }

  function formatIssues(format: GroupRow["format"], address: string | null | undefined, link: string | null | undefined, issues: FieldError[]) {
    if ((format === "in_person" || format === "hybrid") && !address) issues.push({ path: "address", message: "An in-person or hybrid group needs the venue's address (shown to members only)." });
    if ((format === "online" || format === "hybrid") && !link) issues.push({ path: "meetingLink", message: "An online or hybrid group needs a meeting link (shown to members only)." });
  }

  const audit = (tx: Executor, actor: Actor, meta: RequestMeta, entry: { organisationId: string; action: string; targetType: string; targetId: string; details?: Record<string, string | number | boolean | null> }) =>
    recordAudit(tx, { ...entry, actor, ipAddress: meta.ipAddress ?? null, requestId: meta.requestId ?? null });

  async function waitlistView(actor: Actor, orgId: string, groupId: string): Promise<{ items: WaitlistEntryView[] }> {
    authorize(actor, "groups:read", { organisationId: orgId });
    const group = await loadGroup(db, orgId, groupId);
    await requireLead(db, actor, group);
    const rows = await db
      .select({ w: groupWaitlist, name: user.name })
      .from(groupWaitlist)
      .innerJoin(user, eq(user.id, groupWaitlist.userId))
      .where(eq(groupWaitlist.groupId, groupId))
      .orderBy(asc(groupWaitlist.position));
    return {
      items: rows.map((r) => ({
        userId: r.w.userId,
        name: r.name,
        position: r.w.position,
        offerExpiresAt: r.w.offerExpiresAt?.toISOString() ?? null,
        reorderReason: r.w.reorderReason,
        reorderNote: r.w.reorderNote,
      })),
    };
  }

  return {
    expireOffer,

    async create(actor: Actor, orgId: string, raw: unknown, meta: RequestMeta = {}): Promise<GroupView> {
      authorize(actor, "groups:manage", { organisationId: orgId });
      const input = parse(CreateGroupInput, raw);
      const issues: FieldError[] = [];
      formatIssues(input.format, input.address, input.meetingLink, issues);
      issues.push(...scheduleIssues(input.schedule, input.timeZone));
      await checkLeaders(db, orgId, input.leaders, issues);
      const slug = input.slug ?? slugify(input.name);
      if (slug.length < 2) issues.push({ path: "slug", message: "Choose a web address name of at least 2 letters or digits." });
      if (issues.length) throw new AppError("validation_failed", `Invalid ${issues[0]!.path}: ${issues[0]!.message}`, issues);
      const derived = deriveSchedule(input.schedule, input.timeZone);
      try {
        const row = await db.transaction(async (tx) => {
          const [row] = await tx
            .insert(balintGroup)
            .values({
              organisationId: orgId,
              slug,
              name: input.name,
              description: input.description,
              format: input.format,
              address: input.address ?? null,
              meetingLink: input.meetingLink ?? null,
              disciplines: [...new Set(input.disciplines)],
              languages: [...new Set(input.languages)],
              timeZone: input.timeZone,
              rrule: input.schedule.rrule,
              dtstartLocal: input.schedule.dtstartLocal,
              durationMinutes: input.schedule.durationMinutes,
              firstDurationMinutes: input.schedule.firstDurationMinutes ?? null,
              ...derived,
              capacity: input.capacity,
              ceCredit: input.ceCredit ?? null,
              visibility: input.visibility,
              joinPolicy: input.joinPolicy,
            })
            .returning();
          await tx.insert(groupLeader).values(input.leaders.map((l) => ({ groupId: row!.id, userId: l.userId, kind: l.kind })));
          await audit(tx, actor, meta, { organisationId: orgId, action: "group.created", targetType: "group", targetId: row!.id, details: { visibility: input.visibility } });
          for (const l of input.leaders) await audit(tx, actor, meta, { organisationId: orgId, action: "group.leader_added", targetType: "user", targetId: l.userId, details: { groupId: row!.id, kind: l.kind } });
          return row!;
        });
        return groupView(actor, row);
      } catch (error) {
        if (uniqueViolation(error) === "balint_group_org_slug_key") throw new AppError("conflict", "Another group in this organisation already uses that web address name.", [{ path: "slug", message: "already used in this organisation" }]);
        throw error;
      }
    },

    async update(actor: Actor, orgId: string, groupId: string, raw: unknown, meta: RequestMeta = {}): Promise<GroupView> {
      const current = await groupForOrgReader(actor, orgId, groupId);
      const manages = can(actor, "groups:manage", { organisationId: orgId });
      if (!manages && !(await mayLead(db, actor, current))) throw new AppError("forbidden", "Only this group's leaders and the organisation's coordinators can change it.");
      const input = parse(UpdateGroupInput, raw);
      const sent = Object.keys(input).filter((k) => input[k as keyof UpdateGroupInput] !== undefined);
      if (!manages) {
        const refused = sent.filter((k) => !(LEADER_EDITABLE_FIELDS as readonly string[]).includes(k));
        if (refused.length) throw new AppError("forbidden", "As the group's leader you can change its description and meeting link; ask a coordinator for the rest.", refused.map((path) => ({ path, message: "coordinators only" })));
      }
      const issues: FieldError[] = [];
      const format = input.format ?? current.format;
      const address = input.address !== undefined ? input.address : current.address;
      const link = input.meetingLink !== undefined ? input.meetingLink : current.meetingLink;
      formatIssues(format, address, link, issues);
      const timeZone = input.timeZone ?? current.timeZone;
      const schedule: ScheduleInput = input.schedule ?? { ...scheduleView(current) };
      if (input.schedule || input.timeZone) issues.push(...scheduleIssues(schedule, timeZone));
      if (input.leaders) await checkLeaders(db, orgId, input.leaders, issues);
      if (issues.length) throw new AppError("validation_failed", `Invalid ${issues[0]!.path}: ${issues[0]!.message}`, issues);
      const row = await db.transaction(async (tx) => {
        const locked = await lockGroup(tx, orgId, groupId);
        if (input.capacity !== undefined) {
          const { active } = await counts(tx, groupId);
          if (input.capacity < active) throw new AppError("conflict", `The group has ${active} active members; capacity cannot be lower than that.`, [{ path: "capacity", message: `at least ${active}` }]);
        }
        const patch: Partial<typeof balintGroup.$inferInsert> = { updatedAt: new Date() };
        for (const key of ["name", "description", "format", "address", "meetingLink", "timeZone", "capacity", "ceCredit", "visibility", "joinPolicy"] as const) {
          if (input[key] !== undefined) (patch as Record<string, unknown>)[key] = input[key];
        }
        if (input.disciplines) patch.disciplines = [...new Set(input.disciplines)];
        if (input.languages) patch.languages = [...new Set(input.languages)];
        if (input.schedule || input.timeZone) {
          Object.assign(patch, {
            rrule: schedule.rrule,
            dtstartLocal: schedule.dtstartLocal,
            durationMinutes: schedule.durationMinutes,
            firstDurationMinutes: schedule.firstDurationMinutes ?? null,
            ...deriveSchedule(schedule, timeZone),
          });
        }
        const [updated] = await tx.update(balintGroup).set(patch).where(eq(balintGroup.id, groupId)).returning();
        if (input.leaders) {
          const before = await tx.select({ userId: groupLeader.userId, kind: groupLeader.kind }).from(groupLeader).where(eq(groupLeader.groupId, groupId));
          await tx.delete(groupLeader).where(eq(groupLeader.groupId, groupId));
          await tx.insert(groupLeader).values(input.leaders.map((l) => ({ groupId, userId: l.userId, kind: l.kind })));
          // Each change of leadership is audited on its own (who, which kind), not only as "group.updated".
          for (const l of input.leaders) {
            const was = before.find((b) => b.userId === l.userId);
            if (!was) await audit(tx, actor, meta, { organisationId: orgId, action: "group.leader_added", targetType: "user", targetId: l.userId, details: { groupId, kind: l.kind } });
            else if (was.kind !== l.kind) await audit(tx, actor, meta, { organisationId: orgId, action: "group.leader_kind_changed", targetType: "user", targetId: l.userId, details: { groupId, from: was.kind, to: l.kind } });
          }
          for (const b of before) {
            if (!input.leaders.some((l) => l.userId === b.userId)) await audit(tx, actor, meta, { organisationId: orgId, action: "group.leader_removed", targetType: "user", targetId: b.userId, details: { groupId, kind: b.kind } });
          }
        }
        await audit(tx, actor, meta, { organisationId: orgId, action: "group.updated", targetType: "group", targetId: groupId, details: { fields: sent.slice(0, 6).join(" ") } });
        const offers = input.capacity !== undefined && input.capacity > locked.capacity ? await offerFreeSeats(tx, updated!) : [];
        return { updated: updated!, offers };
      });
      await announceOffers(row.updated, row.offers);
      return groupView(actor, row.updated);
    },

    async archive(actor: Actor, orgId: string, groupId: string, meta: RequestMeta = {}): Promise<GroupView> {
      authorize(actor, "groups:manage", { organisationId: orgId });
      const row = await db.transaction(async (tx) => {
        const group = await lockGroup(tx, orgId, groupId);
        if (group.archivedAt) return group;
        const [updated] = await tx.update(balintGroup).set({ archivedAt: new Date(), updatedAt: new Date() }).where(eq(balintGroup.id, groupId)).returning();
        await audit(tx, actor, meta, { organisationId: orgId, action: "group.archived", targetType: "group", targetId: groupId });
        return updated!;
      });
      return groupView(actor, row);
    },

    /** The organisation's groups: coordinators see all; others see listed/unlisted ones and their own. */
    async list(actor: Actor, orgId: string, rawQuery: unknown = {}): Promise<Page<GroupView>> {
      authorize(actor, "groups:read", { organisationId: orgId });
      const q = parse(GroupListQuery, rawQuery);
      const where: (SQL | undefined)[] = [eq(balintGroup.organisationId, orgId)];
      if (!q.includeArchived) where.push(isNull(balintGroup.archivedAt));
      if (!can(actor, "groups:manage", { organisationId: orgId })) {
        const me = actor.userId ?? "";
        where.push(
          or(
            inArray(balintGroup.visibility, ["listed", "unlisted"]),
            sql`exists (select 1 from ${groupLeader} gl where gl.group_id = ${balintGroup.id} and gl.user_id = ${me})`,
            sql`exists (select 1 from ${groupMembership} gm where gm.group_id = ${balintGroup.id} and gm.user_id = ${me} and gm.status in ('pending','active'))`,
            sql`exists (select 1 from ${groupWaitlist} gw where gw.group_id = ${balintGroup.id} and gw.user_id = ${me})`,
          ),
        );
      }
      const condition = and(...where);
      const [total] = await db.select({ n: count() }).from(balintGroup).where(condition);
      const rows = await db.select().from(balintGroup).where(condition).orderBy(asc(balintGroup.name), asc(balintGroup.id)).limit(q.pageSize).offset((q.page - 1) * q.pageSize);
      return { items: await Promise.all(rows.map((r) => groupView(actor, r))), page: q.page, pageSize: q.pageSize, total: total?.n ?? 0 };
    },

    /** One group inside its organisation; the meeting details only after the agreement (or for leaders). */
    async get(actor: Actor, orgId: string, groupId: string): Promise<GroupView> {
      return groupView(actor, await groupForOrgReader(actor, orgId, groupId));
    },

    /** The member's view: same as `get`, and refused to people who are not in the group. */
    async memberView(actor: Actor, orgId: string, groupId: string): Promise<GroupView> {
      const view = await groupView(actor, await groupForOrgReader(actor, orgId, groupId));
      if (view.myStatus === "none" && !can(actor, "groups:manage", { organisationId: orgId })) throw new AppError("forbidden", "This view is for the group's members.");
      return view;
    },

    // ---- the public directory ----------------------------------------------------------------

    /**
     * Listed, non-archived groups of every organisation. Never returns meeting links, addresses
     * or people's names. Weekday and time of day are read in the viewer's time zone (`timeZone`
     * in the query, else `viewerTimeZone`), with the offsets in force today.
     */
    async directory(rawQuery: unknown, viewerTimeZone = "UTC", now = new Date()): Promise<Page<PublicGroupView>> {
      const q = parse(DirectoryQuery, rawQuery);
      const tz = q.timeZone ?? (isValidTimeZone(viewerTimeZone) ? viewerTimeZone : "UTC");
      const where: (SQL | undefined)[] = [eq(balintGroup.visibility, "listed"), isNull(balintGroup.archivedAt)];
      if (q.q) {
        const tsq = searchQuery(q.q);
        if (tsq) where.push(sql`${balintGroup.search} @@ to_tsquery('simple'::regconfig, ${tsq})`);
      }
      if (q.format) where.push(eq(balintGroup.format, q.format));
      if (q.language) {
        let lang = q.language;
        try {
          lang = Intl.getCanonicalLocales(lang)[0] ?? lang;
        } catch {
          /* keep as typed */
        }
        where.push(arrayContains(balintGroup.languages, [lang]));
      }
      if (q.discipline) where.push(arrayContains(balintGroup.disciplines, [q.discipline]));
      if (q.organisationSlug) where.push(eq(organisation.slug, q.organisationSlug));
      if (q.openSeats) where.push(sql`${balintGroup.capacity} > ${activeCountSql}`);
      if (q.weekday || q.timeOfDay) {
        // Today's meeting time in the group's zone, seen on the viewer's wall clock.
        const groupToday = sql`(timezone(${balintGroup.timeZone}, ${now.toISOString()}::timestamptz))::date`;
        const viewerTs = sql`timezone(${tz}::text, timezone(${balintGroup.timeZone}, ${groupToday} + make_interval(mins => ${balintGroup.localStartMinute})))`;
        if (q.timeOfDay) {
          const [from, to] = timeOfDayRange(q.timeOfDay);
          const minute = sql`(extract(hour from ${viewerTs}) * 60 + extract(minute from ${viewerTs}))`;
          where.push(sql`${minute} >= ${from} and ${minute} < ${to}`);
        }
        if (q.weekday) {
          const wd = WEEKDAY_CODES.indexOf(q.weekday);
          const shift = sql`((${viewerTs})::date - ${groupToday})`;
          where.push(sql`(((${wd}::int - ${shift}) % 7 + 7) % 7) = any(${balintGroup.weekdays})`);
        }
      }
      const condition = and(...where);
      // Every group has its organisation (foreign key), so the count joins it only to filter by slug.
      const [total] = q.organisationSlug
        ? await db.select({ n: count() }).from(balintGroup).innerJoin(organisation, eq(organisation.id, balintGroup.organisationId)).where(condition)
        : await db.select({ n: count() }).from(balintGroup).where(condition);
      const rows = await db
        .select({ group: balintGroup, orgSlug: organisation.slug, orgName: organisation.name, active: activeCountSql })
        .from(balintGroup)
        .innerJoin(organisation, eq(organisation.id, balintGroup.organisationId))
        .where(condition)
        .orderBy(asc(balintGroup.name), asc(balintGroup.id))
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize);
      return {
        items: rows.map((r) => publicView(r.group, { slug: r.orgSlug, name: r.orgName }, Number(r.active), now)),
        page: q.page,
        pageSize: q.pageSize,
        total: total?.n ?? 0,
      };
    },

    /** A listed group, or an unlisted one by its direct link. */
    async publicGroup(orgSlugValue: string, groupSlug: string): Promise<PublicGroupView> {
      const [row] = await db
        .select({ group: balintGroup, orgSlug: organisation.slug, orgName: organisation.name, active: activeCountSql })
        .from(balintGroup)
        .innerJoin(organisation, eq(organisation.id, balintGroup.organisationId))
        .where(and(eq(organisation.slug, orgSlugValue.toLowerCase()), eq(balintGroup.slug, groupSlug.toLowerCase()), inArray(balintGroup.visibility, ["listed", "unlisted"]), isNull(balintGroup.archivedAt)));
      if (!row) throw notFoundGroup();
      return publicView(row.group, { slug: row.orgSlug, name: row.orgName }, Number(row.active), new Date());
    },

    /**
     * The public group page for one viewer (UI read): the public view, the ids its forms post to,
     * where the viewer stands, and the next meetings. Listed and unlisted groups for anyone;
     * a private group only for the people involved in it and the organisation's coordinators.
     * Never a link, an address or a name.
     */
    async publicGroupFor(actor: Actor, orgSlugValue: string, groupSlug: string, upcomingCount = 5): Promise<PublicGroupPage> {
      const [row] = await db
        .select({ group: balintGroup, orgSlug: organisation.slug, orgName: organisation.name, active: activeCountSql })
        .from(balintGroup)
        .innerJoin(organisation, eq(organisation.id, balintGroup.organisationId))
        .where(and(eq(organisation.slug, orgSlugValue.toLowerCase()), eq(balintGroup.slug, groupSlug.toLowerCase()), isNull(balintGroup.archivedAt)));
      if (!row) throw notFoundGroup();
      const group = row.group;
      const userId = actor.kind === "user" ? actor.userId : null;
      const lead = userId ? await leaderKind(db, group.id, userId) : null;
      const mine = userId ? await openMembership(db, group.id, userId) : null;
      const waiting = userId && !mine ? await onWaitlist(db, group.id, userId) : null;
      if (group.visibility === "private" && !lead && !mine && !waiting && !can(actor, "groups:manage", { organisationId: group.organisationId })) throw notFoundGroup();
      const now = new Date();
      let upcoming: { start: string; end: string; cancelled: boolean }[] = [];
      if (!group.termEndedAt) {
        try {
          upcoming = occurrences(recurrenceOf(group, group.timeZone), {}, { from: now })
            .slice(0, Math.min(Math.max(upcomingCount, 0), 20))
            .map((o) => ({ start: o.start.toISOString(), end: o.end.toISOString(), cancelled: o.status === "cancelled" }));
        } catch {
          upcoming = [];
        }
      }
      const myStatus: MyStatus = lead ?? (mine ? (mine.status as "active" | "pending") : waiting ? "waitlisted" : "none");
      const view = publicView(group, { slug: row.orgSlug, name: row.orgName }, Number(row.active), now);
      return {
        group: { ...view, visibility: group.visibility },
        organisationId: group.organisationId,
        groupId: group.id,
        term: group.term,
        termEnded: group.termEndedAt !== null,
        myStatus,
        agreementAccepted: mine?.status === "active" && mine.agreementAcceptedAt !== null && mine.term === group.term,
        waitlist: waiting ? { position: waiting.position, offerExpiresAt: waiting.offerExpiresAt && waiting.offerExpiresAt.getTime() > now.getTime() ? waiting.offerExpiresAt.toISOString() : null } : null,
        upcoming,
      };
    },

    // ---- joining -------------------------------------------------------------------------------

    async requestToJoin(actor: Actor, orgId: string, groupId: string, raw: unknown = {}, meta: RequestMeta = {}): Promise<{ status: "pending" }> {
      const { group, userId } = await groupForJoiner(actor, orgId, groupId);
      const input = parse(JoinRequestInput, raw ?? {});
      if (await leaderKind(db, group.id, userId)) throw new AppError("conflict", "You lead this group.");
      try {
        await db.transaction(async (tx) => {
          const existing = await openMembership(tx, group.id, userId);
          if (existing) throw new AppError("conflict", existing.status === "active" ? "You are already a member of this group." : "You have already asked to join this group; the leaders will answer.");
          await tx.insert(groupMembership).values({ groupId: group.id, userId, status: "pending", requestNote: input.note || null, term: group.term });
          await audit(tx, actor, meta, { organisationId: orgId, action: "group.join_requested", targetType: "group", targetId: group.id });
        });
      } catch (error) {
        if (uniqueViolation(error) === "group_membership_open_key") throw new AppError("conflict", "You have already asked to join this group; the leaders will answer.");
        throw error;
      }
      return { status: "pending" };
    },

    /**
     * Approve or decline a pending request. Approval locks the group row and counts active members
     * and open waitlist offers first, so the capacity holds under concurrent approvals (409 when full).
     */
    async decide(actor: Actor, orgId: string, groupId: string, userId: string, raw: unknown, meta: RequestMeta = {}): Promise<{ userId: string; status: "active" | "declined" }> {
      authorize(actor, "groups:read", { organisationId: orgId });
      const { decision } = parse(DecisionInput, raw);
      const group = await loadGroup(db, orgId, groupId);
      await requireLead(db, actor, group);
      const status = await db.transaction(async (tx) => {
        const locked = await lockGroup(tx, orgId, groupId);
        const [pending] = await tx
          .select()
          .from(groupMembership)
          .where(and(eq(groupMembership.groupId, groupId), eq(groupMembership.userId, userId), eq(groupMembership.status, "pending")))
          .for("update");
        if (!pending) throw new AppError("not_found", "There is no open request from that person for this group.");
        const now = new Date();
        if (decision === "approve") {
          const { active, openOffers } = await counts(tx, groupId, now);
          if (!hasSeat(locked.capacity, active + openOffers)) {
            throw new AppError("conflict", `This group is full (${locked.capacity} places). Suggest the waitlist: the person can join it and is offered the next free place.`, [{ path: "capacity", message: "full" }]);
          }
          await tx.update(groupMembership).set({ status: "active", requestNote: null, decidedAt: now, decidedByUserId: actor.userId, term: locked.term, updatedAt: now }).where(eq(groupMembership.id, pending.id));
          await ensureOrgMember(tx, orgId, userId);
          await tx.delete(groupWaitlist).where(and(eq(groupWaitlist.groupId, groupId), eq(groupWaitlist.userId, userId)));
          await compactWaitlist(tx, groupId);
        } else {
          await tx.update(groupMembership).set({ status: "declined", requestNote: null, decidedAt: now, decidedByUserId: actor.userId, endedAt: now, updatedAt: now }).where(eq(groupMembership.id, pending.id));
        }
        await audit(tx, actor, meta, { organisationId: orgId, action: decision === "approve" ? "group.join_approved" : "group.join_declined", targetType: "user", targetId: userId, details: { groupId } });
        return decision === "approve" ? ("active" as const) : ("declined" as const);
      });
      await mailDecision(group, userId, decision);
      return { userId, status };
    },

    /** Accepts the group agreement (confidentiality, no notes or recordings, commitment to the term). */
    async acceptAgreement(actor: Actor, orgId: string, groupId: string, meta: RequestMeta = {}): Promise<GroupView> {
      authorize(actor, "groups:read", { organisationId: orgId });
      const userId = requireUser(actor);
      if (actor.kind !== "user") throw new AppError("forbidden", "Accept the group agreement yourself, while signed in.");
      const group = await loadGroup(db, orgId, groupId);
      await db.transaction(async (tx) => {
        const mine = await openMembership(tx, groupId, userId);
        if (!mine || mine.status !== "active") throw new AppError("forbidden", "Only the group's members accept its agreement.");
        if (mine.agreementAcceptedAt && mine.term === group.term) return;
        await tx.update(groupMembership).set({ agreementAcceptedAt: new Date(), term: group.term, updatedAt: new Date() }).where(eq(groupMembership.id, mine.id));
        await audit(tx, actor, meta, { organisationId: orgId, action: "group.agreement_accepted", targetType: "group", targetId: groupId, details: { term: group.term } });
      });
      return groupView(actor, group);
    },

    /** Members (and, for leaders, pending requests with their notes). Members see co-members' names only. */
    async members(actor: Actor, orgId: string, groupId: string): Promise<{ items: GroupMemberView[] }> {
      const group = await groupForOrgReader(actor, orgId, groupId);
      const leads = await mayLead(db, actor, group);
      if (!leads) {
        const mine = actor.userId ? await openMembership(db, groupId, actor.userId) : null;
        if (mine?.status !== "active") throw new AppError("forbidden", "Only the group's members and leaders see who is in it.");
      }
      const rows = await db
        .select({ m: groupMembership, name: user.name })
        .from(groupMembership)
        .innerJoin(user, eq(user.id, groupMembership.userId))
        .where(and(eq(groupMembership.groupId, groupId), leads ? inArray(groupMembership.status, ["pending", "active"]) : eq(groupMembership.status, "active")))
        .orderBy(asc(groupMembership.status), asc(user.name), asc(groupMembership.userId));
      return {
        items: rows.map((r) =>
          leads
            ? { userId: r.m.userId, name: r.name, status: r.m.status as "pending" | "active", requestNote: r.m.requestNote, agreementAccepted: r.m.agreementAcceptedAt !== null && r.m.term === group.term, requestedAt: r.m.createdAt.toISOString() }
            : { userId: r.m.userId, name: r.name, status: "active" as const },
        ),
      };
    },

    /** Leaves the group (or withdraws a pending request); a freed seat is offered to the waitlist. */
    async leave(actor: Actor, orgId: string, groupId: string, meta: RequestMeta = {}): Promise<void> {
      authorize(actor, "groups:read", { organisationId: orgId });
      const userId = requireUser(actor);
      const result = await db.transaction(async (tx) => {
        const group = await lockGroup(tx, orgId, groupId);
        const mine = await openMembership(tx, groupId, userId);
        if (!mine) throw new AppError("not_found", "You are not in this group.");
        const now = new Date();
        await tx.update(groupMembership).set({ status: "left", endedAt: now, requestNote: null, updatedAt: now }).where(eq(groupMembership.id, mine.id));
        await audit(tx, actor, meta, { organisationId: orgId, action: mine.status === "active" ? "group.member_left" : "group.join_withdrawn", targetType: "user", targetId: userId, details: { groupId } });
        return { group, offers: mine.status === "active" ? await offerFreeSeats(tx, group, now) : [] };
      });
      await announceOffers(result.group, result.offers);
    },

    async removeMember(actor: Actor, orgId: string, groupId: string, userId: string, meta: RequestMeta = {}): Promise<void> {
      authorize(actor, "groups:read", { organisationId: orgId });
      await requireLead(db, actor, await loadGroup(db, orgId, groupId));
      const result = await db.transaction(async (tx) => {
        const group = await lockGroup(tx, orgId, groupId);
        const [mine] = await tx.select().from(groupMembership).where(and(eq(groupMembership.groupId, groupId), eq(groupMembership.userId, userId), eq(groupMembership.status, "active")));
        if (!mine) throw new AppError("not_found", "That person is not an active member of this group.");
        const now = new Date();
        await tx.update(groupMembership).set({ status: "removed", endedAt: now, decidedByUserId: actor.userId, updatedAt: now }).where(eq(groupMembership.id, mine.id));
        await audit(tx, actor, meta, { organisationId: orgId, action: "group.member_removed", targetType: "user", targetId: userId, details: { groupId } });
        return { group, offers: await offerFreeSeats(tx, group, now) };
      });
      await announceOffers(result.group, result.offers);
    },

    // ---- waitlist ----------------------------------------------------------------------------

    async joinWaitlist(actor: Actor, orgId: string, groupId: string, meta: RequestMeta = {}): Promise<{ position: number }> {
      const { group, userId } = await groupForJoiner(actor, orgId, groupId);
      try {
        return await db.transaction(async (tx) => {
          const locked = await lockGroup(tx, orgId, group.id);
          const mine = await openMembership(tx, group.id, userId);
          if (mine?.status === "active") throw new AppError("conflict", "You are already a member of this group.");
          if (await leaderKind(tx, group.id, userId)) throw new AppError("conflict", "You lead this group.");
          const { active, openOffers } = await counts(tx, group.id);
          if (hasSeat(locked.capacity, active + openOffers)) throw new AppError("conflict", "This group has a free place: ask to join it instead of the waitlist.");
          const [last] = await tx.select({ n: count() }).from(groupWaitlist).where(eq(groupWaitlist.groupId, group.id));
          const position = (last?.n ?? 0) + 1;
          await tx.insert(groupWaitlist).values({ groupId: group.id, userId, position });
          await audit(tx, actor, meta, { organisationId: orgId, action: "group.waitlist_joined", targetType: "group", targetId: group.id, details: { position } });
          return { position };
        });
      } catch (error) {
        if (uniqueViolation(error) === "group_waitlist_group_user_key") throw new AppError("conflict", "You are already on this group's waitlist.");
        throw error;
      }
    },

    async leaveWaitlist(actor: Actor, orgId: string, groupId: string, meta: RequestMeta = {}): Promise<void> {
      if (actor.kind === "anonymous") throw new AppError("unauthenticated", "Please sign in.");
      if (actor.tokenScope && actor.tokenScope.organisationId !== orgId) throw notFoundGroup();
      const userId = requireUser(actor);
      const result = await db.transaction(async (tx) => {
        const group = await lockGroup(tx, orgId, groupId);
        const entry = await onWaitlist(tx, groupId, userId);
        if (!entry) throw new AppError("not_found", "You are not on this group's waitlist.");
        await tx.delete(groupWaitlist).where(eq(groupWaitlist.id, entry.id));
        await compactWaitlist(tx, groupId);
        await audit(tx, actor, meta, { organisationId: orgId, action: "group.waitlist_left", targetType: "group", targetId: groupId });
        return { group, offers: entry.offerExpiresAt ? await offerFreeSeats(tx, group) : [] };
      });
      await announceOffers(result.group, result.offers);
    },

    waitlist: waitlistView,

    /** Moves a person on the waitlist; the reason code is recorded on the entry and in the audit log. */
    async reorderWaitlist(actor: Actor, orgId: string, groupId: string, userId: string, raw: unknown, meta: RequestMeta = {}): Promise<{ items: WaitlistEntryView[] }> {
      authorize(actor, "groups:read", { organisationId: orgId });
      const input = parse(ReorderInput, raw);
      await requireLead(db, actor, await loadGroup(db, orgId, groupId));
      await db.transaction(async (tx) => {
        await lockGroup(tx, orgId, groupId);
        const rows = await tx.select().from(groupWaitlist).where(eq(groupWaitlist.groupId, groupId)).orderBy(asc(groupWaitlist.position));
        const moving = rows.find((r) => r.userId === userId);
        if (!moving) throw new AppError("not_found", "That person is not on this group's waitlist.");
        if (input.position > rows.length) throw new AppError("validation_failed", `Invalid position: the waitlist has ${rows.length} people.`, [{ path: "position", message: `Use 1 to ${rows.length}.` }]);
        const order = reorder(rows.map((r) => r.userId), userId, input.position);
        const now = new Date();
        for (const [i, id] of order.entries()) {
          const r = rows.find((x) => x.userId === id)!;
          if (id === userId) {
            await tx.update(groupWaitlist).set({ position: i + 1, reorderReason: input.reason, reorderNote: input.note || null, reorderedByUserId: actor.userId, reorderedAt: now }).where(eq(groupWaitlist.id, r.id));
          } else if (r.position !== i + 1) {
            await tx.update(groupWaitlist).set({ position: i + 1 }).where(eq(groupWaitlist.id, r.id));
          }
        }
        await audit(tx, actor, meta, { organisationId: orgId, action: "group.waitlist_reordered", targetType: "user", targetId: userId, details: { groupId, from: moving.position, to: input.position, reason: input.reason } });
      });
      return waitlistView(actor, orgId, groupId);
    },

    /** Accepts an open waitlist offer: under the group lock, and only while a seat is free. */
    async acceptOffer(actor: Actor, orgId: string, groupId: string, meta: RequestMeta = {}): Promise<{ status: "active" }> {
      if (actor.kind === "anonymous") throw new AppError("unauthenticated", "Please sign in.");
      if (actor.tokenScope) {
        if (actor.tokenScope.organisationId !== orgId) throw notFoundGroup();
        throw new AppError("forbidden", "Accept a place while signed in, not with an API token.");
      }
      const userId = requireUser(actor);
      await db.transaction(async (tx) => {
        const group = await lockGroup(tx, orgId, groupId);
        const entry = await onWaitlist(tx, groupId, userId);
        if (!entry) throw new AppError("not_found", "You are not on this group's waitlist.");
        const now = new Date();
        if (!entry.offerExpiresAt) throw new AppError("conflict", "You have no open offer for this group yet; you will be emailed when a place is free.");
        if (entry.offerExpiresAt.getTime() <= now.getTime()) throw new AppError("gone", "This offer has expired and passed to the next person.");
        const { active } = await counts(tx, groupId, now);
        if (!hasSeat(group.capacity, active)) throw new AppError("conflict", "The group is full; you stay on the waitlist.");
        const mine = await openMembership(tx, groupId, userId);
        if (mine?.status === "active") throw new AppError("conflict", "You are already a member of this group.");
        if (mine) await tx.update(groupMembership).set({ status: "active", requestNote: null, decidedAt: now, term: group.term, updatedAt: now }).where(eq(groupMembership.id, mine.id));
        else await tx.insert(groupMembership).values({ groupId, userId, status: "active", term: group.term, decidedAt: now });
        await ensureOrgMember(tx, orgId, userId);
        await tx.delete(groupWaitlist).where(eq(groupWaitlist.id, entry.id));
        await compactWaitlist(tx, groupId);
        await audit(tx, actor, meta, { organisationId: orgId, action: "group.waitlist_offer_accepted", targetType: "group", targetId: groupId });
      });
      return { status: "active" };
    },

    // ---- terms -------------------------------------------------------------------------------

    async endTerm(actor: Actor, orgId: string, groupId: string, meta: RequestMeta = {}): Promise<GroupView> {
      authorize(actor, "groups:read", { organisationId: orgId });
      await requireLead(db, actor, await loadGroup(db, orgId, groupId));
      const row = await db.transaction(async (tx) => {
        const group = await lockGroup(tx, orgId, groupId);
        if (group.termEndedAt) throw new AppError("conflict", "This term has already ended.");
        const [updated] = await tx.update(balintGroup).set({ termEndedAt: new Date(), updatedAt: new Date() }).where(eq(balintGroup.id, groupId)).returning();
        await audit(tx, actor, meta, { organisationId: orgId, action: "group.term_ended", targetType: "group", targetId: groupId, details: { term: group.term } });
        return updated!;
      });
      return groupView(actor, row);
    },

    /**
     * Starts the next term with the same members and a new schedule. Members accept the agreement
     * again (the commitment is to a term).
     */
    async startNewTerm(actor: Actor, orgId: string, groupId: string, raw: unknown, meta: RequestMeta = {}): Promise<GroupView> {
      authorize(actor, "groups:read", { organisationId: orgId });
      const input = parse(NewTermInput, raw);
      const current = await loadGroup(db, orgId, groupId);
      await requireLead(db, actor, current);
      const issues = scheduleIssues(input.schedule, current.timeZone);
      if (issues.length) throw new AppError("validation_failed", `Invalid ${issues[0]!.path}: ${issues[0]!.message}`, issues);
      const row = await db.transaction(async (tx) => {
        const group = await lockGroup(tx, orgId, groupId);
        if (!group.termEndedAt) throw new AppError("conflict", "End the current term before starting a new one.");
        const term = group.term + 1;
        const [updated] = await tx
          .update(balintGroup)
          .set({
            term,
            termEndedAt: null,
            rrule: input.schedule.rrule,
            dtstartLocal: input.schedule.dtstartLocal,
            durationMinutes: input.schedule.durationMinutes,
            firstDurationMinutes: input.schedule.firstDurationMinutes ?? null,
            ...deriveSchedule(input.schedule, group.timeZone),
            updatedAt: new Date(),
          })
          .where(eq(balintGroup.id, groupId))
          .returning();
        await tx.update(groupMembership).set({ term, agreementAcceptedAt: null, updatedAt: new Date() }).where(and(eq(groupMembership.groupId, groupId), eq(groupMembership.status, "active")));
        await audit(tx, actor, meta, { organisationId: orgId, action: "group.term_started", targetType: "group", targetId: groupId, details: { term, sameMembers: true } });
        return updated!;
      });
      return groupView(actor, row);
    },
  };
}

export type GroupsService = ReturnType<typeof createGroupsService>;
