// The dashboard slice: one personal page (and `GET /api/v1/me/dashboard`) that gathers, for the
// signed-in person, the groups they lead and the groups they belong to.
//
// Decisions (documented here for the API and the UI):
// - Read-only. Meetings, RSVPs and overdue attendance come from the sessions service
//   (`mySessions`, `attendanceOverdue`), so the rules there (who sees a meeting link, what counts
//   as overdue) hold here too. Counts and lists of groups are read from the groups slice's tables
//   (imported read-only), batched by group ids: a fixed number of queries whatever the number of
//   groups (no N+1).
// - "Groups I lead": groups where the person is a leader or co-leader AND still holds a role that
//   may lead in that organisation (as `attendanceOverdue` does). Counts (roster, pending requests,
//   waitlist) are only ever computed for those groups, so nothing about another organisation's
//   groups is revealed. Coordinators who do not lead a group see it on the organisation's pages.
// - "My groups": active memberships (not archived groups, not the ones the person leads), with
//   the next meeting, the person's answer and whether the group agreement of the current term
//   was accepted. Requests still waiting for the leaders and waitlist places are listed apart.
// - Personal, like `/me/participation`: API tokens (scoped to one organisation) are refused (403).
// - Lists are capped (see DASHBOARD_LIMITS); each list carries its `total` so the page can say
//   "and N more" and link to the full view instead of hiding data.
import { and, asc, count, eq, inArray, isNull } from "drizzle-orm";
import { AppError } from "../../platform/http/errors.ts";
import type { Kernel } from "../../platform/kernel.server.ts";
import { can, requireUser, type Actor } from "../../platform/policy/policy.ts";
import { organisation } from "../../platform/tenancy/schema.ts";
import { balintGroup, groupLeader, groupMembership, groupWaitlist } from "../groups/schema.ts";
import type { SessionsService, SessionView } from "../sessions/service.server.ts";

const DAY_MS = 86_400_000;
/** How far ahead the next meeting is looked for. */
export const DASHBOARD_HORIZON_DAYS = 120;

export interface DashboardLimits {
  /** Groups I lead shown. */
  leading: number;
  /** Groups I am a member of shown. */
  member: number;
  /** My pending requests and waitlist places shown (each). */
  waiting: number;
  /** Meetings with attendance to record shown per group. */
  overduePerGroup: number;
}
export const DASHBOARD_LIMITS: DashboardLimits = { leading: 10, member: 20, waiting: 10, overduePerGroup: 3 };

export interface DashboardOrganisation {
  id: string;
  name: string;
  slug: string;
}

export interface DashboardMeeting {
  /** The meeting's identity (its original start), ISO 8601: use it for RSVPs and attendance. */
  occurrenceStart: string;
  start: string;
  end: string;
  status: "scheduled" | "cancelled" | "rescheduled";
  /** Members who accepted the agreement, and leaders; null otherwise. */
  meetingLink: string | null;
  /** The viewer's answer (members only; no answer means "going"); null for leaders. */
  myRsvp: "going" | "not_going" | null;
}

export interface DashboardGroupBase {
  id: string;
  name: string;
  slug: string;
  organisation: DashboardOrganisation;
  /** The next meeting (any status: a cancelled one is shown as such). */
  nextMeeting: DashboardMeeting | null;
  /** When `nextMeeting` is cancelled: the next one that is not. */
  followingMeeting: DashboardMeeting | null;
}

export interface LedGroup extends DashboardGroupBase {
  role: "leader" | "co_leader";
  capacity: number;
  activeMembers: number;
  pendingRequests: number;
  waitlistLength: number;
  termEnded: boolean;
  /** Past meetings (last 90 days) with no attendance recorded, oldest first, capped. */
  attendanceToRecord: { items: { occurrenceStart: string; start: string }[]; total: number };
}

export interface MemberGroup extends DashboardGroupBase {
  agreementAccepted: boolean;
}

export interface WaitingRequest {
  group: { id: string; name: string; slug: string };
  organisation: DashboardOrganisation;
  requestedAt: string;
}

export interface WaitlistPlace {
  group: { id: string; name: string; slug: string };
  organisation: DashboardOrganisation;
  position: number;
  /** An open offer of a seat (accept it on the group's page) expires then; null when none. */
  offerExpiresAt: string | null;
}

export interface Dashboard {
  leading: { items: LedGroup[]; total: number };
  member: { items: MemberGroup[]; total: number };
  requests: { items: WaitingRequest[]; total: number };
  waitlists: { items: WaitlistPlace[]; total: number };
  /** All meetings with attendance to record across the groups I lead. */
  attendanceToRecordTotal: number;
}

type GroupRow = typeof balintGroup.$inferSelect;
type OrgRow = { id: string; name: string; slug: string };

const orgColumns = { id: organisation.id, name: organisation.name, slug: organisation.slug };

function toMeeting(s: SessionView): DashboardMeeting {
  return { occurrenceStart: s.occurrenceStart, start: s.start, end: s.end, status: s.status, meetingLink: s.meetingLink, myRsvp: s.myRsvp };
}

/** Orders by the next meeting (groups without one last), then by name. */
function byNextMeeting(a: DashboardGroupBase, b: DashboardGroupBase): number {
  const x = a.nextMeeting?.start ?? "\uffff";
  const y = b.nextMeeting?.start ?? "\uffff";
  return x === y ? a.name.localeCompare(b.name) : x.localeCompare(y);
}

export function createDashboardService(kernel: Kernel, deps: { sessions: SessionsService }) {
  const { db } = kernel;

  /** Next and (if that one is cancelled) following meeting of each group, from my sessions. */
  function nextMeetings(sessions: SessionView[], now: Date): Map<string, { next: DashboardMeeting | null; following: DashboardMeeting | null }> {
    const out = new Map<string, { next: DashboardMeeting | null; following: DashboardMeeting | null }>();
    for (const s of sessions) {
      if (new Date(s.start).getTime() <= now.getTime()) continue;
      const entry = out.get(s.groupId) ?? { next: null, following: null };
      if (!entry.next) entry.next = toMeeting(s);
      else if (entry.next.status === "cancelled" && !entry.following && s.status !== "cancelled") entry.following = toMeeting(s);
      out.set(s.groupId, entry);
    }
    return out;
  }

  async function ledGroups(actor: Actor, userId: string): Promise<{ group: GroupRow; org: OrgRow; kind: "leader" | "co_leader" }[]> {
    const rows = await db
      .select({ group: balintGroup, org: orgColumns, kind: groupLeader.kind })
      .from(groupLeader)
      .innerJoin(balintGroup, eq(balintGroup.id, groupLeader.groupId))
      .innerJoin(organisation, eq(organisation.id, balintGroup.organisationId))
      .where(and(eq(groupLeader.userId, userId), isNull(balintGroup.archivedAt)))
      .orderBy(asc(balintGroup.name));
    return rows.filter((r) => can(actor, "groups:lead", { organisationId: r.group.organisationId }));
  }

  /** Roster, pending requests and waitlist length of the given groups: two queries in all. */
  async function countsOf(groupIds: string[]) {
    const out = new Map<string, { active: number; pending: number; waitlist: number }>();
    for (const id of groupIds) out.set(id, { active: 0, pending: 0, waitlist: 0 });
    if (groupIds.length === 0) return out;
    const members = await db
      .select({ groupId: groupMembership.groupId, status: groupMembership.status, n: count() })
      .from(groupMembership)
      .where(and(inArray(groupMembership.groupId, groupIds), inArray(groupMembership.status, ["pending", "active"])))
      .groupBy(groupMembership.groupId, groupMembership.status);
    for (const r of members) {
      const c = out.get(r.groupId)!;
      if (r.status === "active") c.active = Number(r.n);
      else c.pending = Number(r.n);
    }
    const waiting = await db.select({ groupId: groupWaitlist.groupId, n: count() }).from(groupWaitlist).where(inArray(groupWaitlist.groupId, groupIds)).groupBy(groupWaitlist.groupId);
    for (const r of waiting) out.get(r.groupId)!.waitlist = Number(r.n);
    return out;
  }

  return {
    /** The signed-in person's dashboard. See the header for what it holds. */
    async forMe(actor: Actor, options: { now?: Date; limits?: Partial<DashboardLimits> } = {}): Promise<Dashboard> {
      const userId = requireUser(actor);
      if (actor.tokenScope) throw new AppError("forbidden", "Use a signed-in session for your own dashboard.");
      const now = options.now ?? new Date();
      const limits = { ...DASHBOARD_LIMITS, ...options.limits };

      const [led, memberRows, pendingRows, waitlistRows, sessions, overdue] = await Promise.all([
        ledGroups(actor, userId),
        db
          .select({ group: balintGroup, org: orgColumns, m: groupMembership })
          .from(groupMembership)
          .innerJoin(balintGroup, eq(balintGroup.id, groupMembership.groupId))
          .innerJoin(organisation, eq(organisation.id, balintGroup.organisationId))
          .where(and(eq(groupMembership.userId, userId), eq(groupMembership.status, "active"), isNull(balintGroup.archivedAt))),
        db
          .select({ group: { id: balintGroup.id, name: balintGroup.name, slug: balintGroup.slug }, org: orgColumns, createdAt: groupMembership.createdAt })
          .from(groupMembership)
          .innerJoin(balintGroup, eq(balintGroup.id, groupMembership.groupId))
          .innerJoin(organisation, eq(organisation.id, balintGroup.organisationId))
          .where(and(eq(groupMembership.userId, userId), eq(groupMembership.status, "pending"), isNull(balintGroup.archivedAt)))
          .orderBy(asc(groupMembership.createdAt)),
        db
          .select({ group: { id: balintGroup.id, name: balintGroup.name, slug: balintGroup.slug }, org: orgColumns, position: groupWaitlist.position, offerExpiresAt: groupWaitlist.offerExpiresAt })
          .from(groupWaitlist)
          .innerJoin(balintGroup, eq(balintGroup.id, groupWaitlist.groupId))
          .innerJoin(organisation, eq(organisation.id, balintGroup.organisationId))
          .where(and(eq(groupWaitlist.userId, userId), isNull(balintGroup.archivedAt)))
          .orderBy(asc(groupWaitlist.createdAt)),
        deps.sessions.mySessions(actor, { from: now.toISOString(), to: new Date(now.getTime() + DASHBOARD_HORIZON_DAYS * DAY_MS).toISOString() }),
        deps.sessions.attendanceOverdue(actor, now),
      ]);

      const next = nextMeetings(sessions.items, now);
      const ledIds = new Set(led.map((l) => l.group.id));
      const counts = await countsOf([...ledIds]);
      const overdueByGroup = new Map<string, { occurrenceStart: string; start: string }[]>();
      let attendanceToRecordTotal = 0;
      for (const o of overdue.items) {
        if (!ledIds.has(o.groupId)) continue;
        attendanceToRecordTotal += 1;
        const list = overdueByGroup.get(o.groupId) ?? [];
        list.push({ occurrenceStart: o.occurrenceStart, start: o.start });
        overdueByGroup.set(o.groupId, list);
      }

      const leading: LedGroup[] = led.map(({ group, org, kind }) => {
        const c = counts.get(group.id)!;
        const todo = overdueByGroup.get(group.id) ?? [];
        const n = next.get(group.id);
        return {
          id: group.id,
          name: group.name,
          slug: group.slug,
          organisation: org,
          role: kind,
          nextMeeting: n?.next ?? null,
          followingMeeting: n?.following ?? null,
          capacity: group.capacity,
          activeMembers: c.active,
          pendingRequests: c.pending,
          waitlistLength: c.waitlist,
          termEnded: group.termEndedAt !== null,
          attendanceToRecord: { items: todo.slice(0, limits.overduePerGroup), total: todo.length },
        };
      });
      leading.sort(byNextMeeting);

      // Groups I lead are listed once, under "Groups I lead" (even if I also hold a seat).
      const member: MemberGroup[] = memberRows
        .filter((r) => !ledIds.has(r.group.id))
        .map(({ group, org, m }) => {
          const n = next.get(group.id);
          return {
            id: group.id,
            name: group.name,
            slug: group.slug,
            organisation: org,
            nextMeeting: n?.next ?? null,
            followingMeeting: n?.following ?? null,
            agreementAccepted: m.agreementAcceptedAt !== null && m.term === group.term,
          };
        });
      member.sort(byNextMeeting);

      const requests: WaitingRequest[] = pendingRows.map((r) => ({ group: r.group, organisation: r.org, requestedAt: r.createdAt.toISOString() }));
      const waitlists: WaitlistPlace[] = waitlistRows.map((r) => ({
        group: r.group,
        organisation: r.org,
        position: r.position,
        offerExpiresAt: r.offerExpiresAt && r.offerExpiresAt.getTime() > now.getTime() ? r.offerExpiresAt.toISOString() : null,
      }));

      return {
        leading: { items: leading.slice(0, limits.leading), total: leading.length },
        member: { items: member.slice(0, limits.member), total: member.length },
        requests: { items: requests.slice(0, limits.waiting), total: requests.length },
        waitlists: { items: waitlists.slice(0, limits.waiting), total: waitlists.length },
        attendanceToRecordTotal,
      };
    },
  };
}

export type DashboardService = ReturnType<typeof createDashboardService>;
