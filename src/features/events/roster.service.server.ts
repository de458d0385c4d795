// Small-group rosters, day check-in, CE certificates and the attendee export of events (brief O).
// Built on the events slice's tables (schema.ts); its own tables are in roster-schema.ts.
//
// Decisions:
// - Organisers are the organisation's coordinators and above (the `ORGANISE` permission below);
//   outsiders get 404 like everywhere else.
// - The people of a roster are the CONFIRMED participants and leaders in training of the event,
//   registered for the event itself or for a package holding it. Faculty are not placed.
// - Saving replaces the whole roster in one transaction, after `validateRoster` (400 naming the
//   person placed twice, the field path `groups.<g>.members.<m>`); the primary key
//   (event, user) of event_roster_member makes "one person, one group" a database rule as well.
//   `version` guards against two organisers overwriting each other (409).
// - Publishing re-validates against today's participants (409 if someone new is unplaced),
//   then emails each person their group. Participants see their group once published.
// - Check-in is per person and day; hours and CE credit follow checkin.ts.
// - A certificate snapshots name, event, dates and hours; it is refused when the person earned
//   no credit (409) or for more hours than earned (400 `hours`). One valid certificate per person
//   and event (409 when one exists). The public verification page shows valid / revoked / unknown.
import { and, asc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import { user } from "../../platform/auth/schema.ts";
import { recordAudit } from "../../platform/audit/audit.server.ts";
import { uniqueViolation } from "../../platform/db/errors.ts";
import { AppError, conflict, invalid, notFound, validationError } from "../../platform/http/errors.ts";
import { isLocale, type Locale } from "../../platform/i18n/locales.ts";
import type { Kernel } from "../../platform/kernel.server.ts";
import type { Permission } from "../../platform/policy/permissions.ts";
import { authorize, can, requireUser, type Actor } from "../../platform/policy/policy.ts";
import { organisation } from "../../platform/tenancy/schema.ts";
import { profile } from "../profile/schema.ts";
import { toCsv } from "../audit-log/csv.ts";
import { normaliseCertificateCode, newCertificateCode } from "./certificate.ts";
import { renderCertificatePdf } from "./certificate-pdf.ts";
import { summariseAttendance, type AttendanceSummary } from "./checkin.ts";
import { balanceRoster, validateRoster, type RosterParticipant } from "./roster.ts";
import { eventCertificate, eventCheckin, eventRoster, eventRosterGroup, eventRosterMember } from "./roster-schema.ts";
import {
  event,
  eventDay,
  eventKeepApart,
  eventPackageEvent,
  eventPriceTier,
  eventQuestion,
  eventRegistration,
  eventRegistrationAnswer,
  eventSession,
} from "./schema.ts";

/** Who organises events: coordinators and above (the same people who manage groups). */
const ORGANISE: Permission = "groups:manage";

export interface RequestMeta {
  ipAddress?: string | null;
  requestId?: string | null;
}

// ---- input schemas (also used by the REST API) ---------------------------------------------

export const GenerateRosterInput = z
  .object({
    minSize: z.coerce.number().int().min(1).max(100),
    maxSize: z.coerce.number().int().min(1).max(100),
    targetSize: z.coerce.number().int().min(1).max(100).optional(),
    seed: z.coerce.number().int().min(0).max(2 ** 31 - 1).optional(),
  })
  .refine((v) => v.maxSize >= v.minSize, { path: ["maxSize"], message: "Must be at least the minimum size." });

export const SaveRosterInput = z
  .object({
    minSize: z.number().int().min(1).max(100),
    maxSize: z.number().int().min(1).max(100),
    /** The version you loaded; omit for a first save. */
    version: z.number().int().min(1).optional(),
    groups: z
      .array(
        z.object({
          name: z.string().trim().min(1).max(60),
          members: z.array(z.string().min(1).max(100)).max(200),
        }),
      )
      .min(1)
      .max(100),
  })
  .refine((v) => v.maxSize >= v.minSize, { path: ["maxSize"], message: "Must be at least the minimum size." });
export type SaveRosterInput = z.infer<typeof SaveRosterInput>;

export const CheckinInput = z.object({
  dayId: z.uuid(),
  userId: z.string().min(1).max(100),
  present: z.boolean(),
});

export const IssueCertificateInput = z.object({
  userId: z.string().min(1).max(100),
  /** Fewer hours than earned may be certified, never more. Default: all earned. */
  hours: z.number().positive().max(200).optional(),
});

// ---- views ----------------------------------------------------------------------------------

export interface RosterPerson {
  userId: string;
  name: string;
  role: "participant" | "leader_in_training" | "faculty";
  discipline: string | null;
  experience: string | null;
  affiliation: string | null;
}

export interface RosterView {
  event: { id: string; organisationId: string; title: string; kind: string };
  participants: RosterPerson[];
  /** Pairs of user ids to keep apart (both are participants). */
  keepApart: Array<[string, string]>;
  roster: {
    status: "draft" | "published";
    minSize: number;
    maxSize: number;
    version: number;
    publishedAt: string | null;
    groups: Array<{ id: string; name: string; members: string[] }>;
  } | null;
}

export interface MyRosterGroup {
  eventId: string;
  eventTitle: string;
  organisationName: string;
  groupName: string;
  /** Names of the others in the group. */
  members: string[];
}

export interface CheckinView {
  event: { id: string; organisationId: string; title: string; ceHours: number | null };
  days: Array<{ id: string; date: string; label: string | null }>;
  people: Array<{ userId: string; name: string; email: string; role: RosterPerson["role"]; days: string[]; summary: AttendanceSummary; certificateCode: string | null }>;
}

export interface AttendedEvent {
  eventId: string;
  organisationId: string;
  title: string;
  kind: string;
  firstDay: string | null;
  lastDay: string | null;
  daysAttended: number;
  attendedHours: number;
  creditHours: number;
  certificateCode: string | null;
}

export interface CertificateVerification {
  status: "valid" | "revoked" | "unknown";
  code: string;
  personName?: string;
  eventTitle?: string;
  organisationName?: string;
  firstDay?: string;
  lastDay?: string;
  hours?: number;
  issuedAt?: string;
}

export interface CertificateSummary {
  id: string;
  code: string;
  eventId: string;
  eventTitle: string;
  organisationName: string;
  hours: number;
  firstDay: string;
  lastDay: string;
  issuedAt: string;
  revoked: boolean;
}

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (!r.success) throw validationError(r.error.issues);
  return r.data;
}

export function createEventRosterService(kernel: Kernel) {
  const { db, mailer, config } = kernel;

  async function loadEvent(actor: Actor, organisationId: string, eventId: string) {
    authorize(actor, ORGANISE, { organisationId });
    if (!/^[0-9a-f-]{36}$/i.test(eventId)) throw notFound("That event");
    const [row] = await db.select().from(event).where(and(eq(event.id, eventId), eq(event.organisationId, organisationId)));
    if (!row) throw notFound("That event");
    return row;
  }

  /** Confirmed registrations for the event, directly or through a package holding it. */
  async function confirmedRegistrations(eventId: string, roles: ReadonlyArray<RosterPerson["role"]>) {
    const packages = db.select({ id: eventPackageEvent.packageId }).from(eventPackageEvent).where(eq(eventPackageEvent.eventId, eventId));
    return db
      .select({
        registrationId: eventRegistration.id,
        userId: eventRegistration.userId,
        name: user.name,
        email: user.email,
        role: eventRegistration.role,
        discipline: eventRegistration.discipline,
        experience: eventRegistration.experience,
        affiliation: eventRegistration.affiliation,
      })
      .from(eventRegistration)
      .innerJoin(user, eq(user.id, eventRegistration.userId))
      .where(
        and(
          or(eq(eventRegistration.eventId, eventId), inArray(eventRegistration.packageId, packages)),
          eq(eventRegistration.status, "confirmed"),
          inArray(eventRegistration.role, [...roles]),
        ),
      )
      .orderBy(asc(user.name), asc(user.id));
  }

  async function participantsOf(eventId: string) {
    const rows = await confirmedRegistrations(eventId, ["participant", "leader_in_training"]);
    // One person could hold both an event and a package registration: keep the first.
    const seen = new Set<string>();
    const people = rows.filter((r) => (seen.has(r.userId) ? false : (seen.add(r.userId), true)));
    const regIds = rows.map((r) => r.registrationId);
    const byReg = new Map(rows.map((r) => [r.registrationId, r.userId]));
    const ids = new Set(people.map((p) => p.userId));
    const keep = regIds.length
      ? await db.select({ registrationId: eventKeepApart.registrationId, other: eventKeepApart.colleagueUserId }).from(eventKeepApart).where(inArray(eventKeepApart.registrationId, regIds))
      : [];
    const pairs = new Map<string, [string, string]>();
    for (const k of keep) {
      const a = byReg.get(k.registrationId);
      const b = k.other;
      if (!a || !b || a === b || !ids.has(b)) continue;
      const pair: [string, string] = a < b ? [a, b] : [b, a];
      pairs.set(pair.join("|"), pair);
    }
    return { people, keepApart: [...pairs.values()] };
  }

  async function rosterOf(eventId: string): Promise<RosterView["roster"]> {
    const [r] = await db.select().from(eventRoster).where(eq(eventRoster.eventId, eventId));
    if (!r) return null;
    const groups = await db.select().from(eventRosterGroup).where(eq(eventRosterGroup.eventId, eventId)).orderBy(asc(eventRosterGroup.position));
    const members = await db.select().from(eventRosterMember).where(eq(eventRosterMember.eventId, eventId));
    return {
      status: r.status,
      minSize: r.minSize,
      maxSize: r.maxSize,
      version: r.version,
      publishedAt: r.publishedAt?.toISOString() ?? null,
      groups: groups.map((g) => ({ id: g.id, name: g.name, members: members.filter((m) => m.groupId === g.id).map((m) => m.userId) })),
    };
  }

  async function recipient(userId: string, orgId: string) {
    const [row] = await db
      .select({ email: user.email, name: user.name, locale: profile.locale, orgLocale: organisation.defaultLocale, orgName: organisation.name })
      .from(user)
      .leftJoin(profile, eq(profile.userId, user.id))
      .innerJoin(organisation, eq(organisation.id, orgId))
      .where(eq(user.id, userId));
    if (!row) return null;
    const locale: Locale = isLocale(row.locale) ? row.locale : isLocale(row.orgLocale) ? row.orgLocale : "en";
    return { ...row, locale };
  }

  async function daysAndSessions(eventId: string) {
    const days = await db.select({ id: eventDay.id, date: eventDay.date, label: eventDay.label }).from(eventDay).where(eq(eventDay.eventId, eventId)).orderBy(asc(eventDay.date));
    const sessions = await db.select({ dayId: eventSession.dayId, startsAt: eventSession.startsAt, endsAt: eventSession.endsAt }).from(eventSession).where(eq(eventSession.eventId, eventId));
    return { days, sessions };
  }

  async function checkinsOf(eventId: string, userIds?: string[]) {
    const rows = await db
      .select({ userId: eventCheckin.userId, dayId: eventCheckin.dayId })
      .from(eventCheckin)
      .where(userIds ? and(eq(eventCheckin.eventId, eventId), inArray(eventCheckin.userId, userIds.length ? userIds : ["-"])) : eq(eventCheckin.eventId, eventId));
    const byUser = new Map<string, string[]>();
    for (const r of rows) byUser.set(r.userId, [...(byUser.get(r.userId) ?? []), r.dayId]);
    return byUser;
  }

  const service = {
    // ---- rosters ------------------------------------------------------------------------------

    async getRoster(actor: Actor, organisationId: string, eventId: string): Promise<RosterView> {
      const ev = await loadEvent(actor, organisationId, eventId);
      const { people, keepApart } = await participantsOf(ev.id);
      return {
        event: { id: ev.id, organisationId: ev.organisationId, title: ev.title, kind: ev.kind },
        participants: people.map((p) => ({ userId: p.userId, name: p.name, role: p.role, discipline: p.discipline, experience: p.experience, affiliation: p.affiliation })),
        keepApart,
        roster: await rosterOf(ev.id),
      };
    },

    /** A balanced proposal (not saved). 400 for impossible sizes, 409 for unsatisfiable keep-apart. */
    async generateRoster(actor: Actor, organisationId: string, eventId: string, input: unknown) {
      const opts = parse(GenerateRosterInput, input);
      const ev = await loadEvent(actor, organisationId, eventId);
      const { people, keepApart } = await participantsOf(ev.id);
      const participants: RosterParticipant[] = people.map((p) => ({ id: p.userId, name: p.name, discipline: p.discipline, experience: p.experience, organisation: p.affiliation }));
      const result = balanceRoster(participants, { ...opts, keepApart, seed: opts.seed ?? 1 });
      if (!result.ok) {
        const first = result.problems[0]!;
        if (first.code === "keep_apart_unsatisfiable") throw conflict(result.message);
        if (first.code === "no_participants") throw conflict(result.message);
        throw new AppError("validation_failed", result.message, [{ path: "minSize", message: result.message }]);
      }
      return {
        minSize: opts.minSize,
        maxSize: opts.maxSize,
        groups: result.groups.map((members, i) => ({ name: `Group ${i + 1}`, members })),
      };
    },

    async saveRoster(actor: Actor, organisationId: string, eventId: string, input: unknown, meta: RequestMeta = {}) {
      const data = parse(SaveRosterInput, input);
      const ev = await loadEvent(actor, organisationId, eventId);
      const userId = requireUser(actor);
      const { people, keepApart } = await participantsOf(ev.id);
      const check = validateRoster(data, { participants: people.map((p) => ({ id: p.userId, name: p.name })), keepApart, minSize: data.minSize, maxSize: data.maxSize });
      const errors = check.issues.filter((i) => i.severity === "error");
      if (errors.length) {
        throw new AppError(
          "validation_failed",
          errors[0]!.message,
          errors.map((e) => ({ path: e.path.join("."), message: e.message })),
        );
      }
      const version = await db.transaction(async (tx) => {
        const [current] = await tx.select().from(eventRoster).where(eq(eventRoster.eventId, ev.id)).for("update");
        if (current && data.version !== undefined && data.version !== current.version) {
          throw conflict("Someone else saved this roster meanwhile. Reload it and try again.", [{ path: "version", message: "Out of date." }]);
        }
        if (!current && data.version !== undefined && data.version !== 1) throw conflict("This roster was removed meanwhile.");
        let next = 1;
        if (current) {
          next = current.version + 1;
          await tx.update(eventRoster).set({ minSize: data.minSize, maxSize: data.maxSize, version: next, updatedByUserId: userId, updatedAt: new Date() }).where(eq(eventRoster.eventId, ev.id));
          await tx.delete(eventRosterGroup).where(eq(eventRosterGroup.eventId, ev.id));
        } else {
          await tx.insert(eventRoster).values({ eventId: ev.id, organisationId: ev.organisationId, minSize: data.minSize, maxSize: data.maxSize, updatedByUserId: userId });
        }
        const groups = await tx
          .insert(eventRosterGroup)
          .values(data.groups.map((g, i) => ({ eventId: ev.id, position: i, name: g.name })))
          .returning({ id: eventRosterGroup.id, position: eventRosterGroup.position });
        const rows = groups.flatMap((g) => data.groups[g.position]!.members.map((m) => ({ eventId: ev.id, userId: m, groupId: g.id })));
        if (rows.length) await tx.insert(eventRosterMember).values(rows);
        await recordAudit(tx, { organisationId: ev.organisationId, actor, action: "event_roster.saved", targetType: "event", targetId: ev.id, details: { groups: data.groups.length, people: rows.length, version: next }, ipAddress: meta.ipAddress ?? null, requestId: meta.requestId ?? null });
        return next;
      });
      return { version, warnings: check.issues.filter((i) => i.severity === "warning").map((i) => i.message) };
    },

    async publishRoster(actor: Actor, organisationId: string, eventId: string, meta: RequestMeta = {}) {
      const ev = await loadEvent(actor, organisationId, eventId);
      const userId = requireUser(actor);
      const roster = await rosterOf(ev.id);
      if (!roster) throw conflict("Save a roster before publishing it.");
      const { people, keepApart } = await participantsOf(ev.id);
      const check = validateRoster(roster, { participants: people.map((p) => ({ id: p.userId, name: p.name })), keepApart });
      const errors = check.issues.filter((i) => i.severity === "error");
      if (errors.length) throw conflict(`The roster no longer matches the participants: ${errors.map((e) => e.message).join(" ")}`);
      const publishedAt = new Date();
      await db.transaction(async (tx) => {
        await tx.update(eventRoster).set({ status: "published", publishedAt, publishedByUserId: userId }).where(eq(eventRoster.eventId, ev.id));
        await recordAudit(tx, { organisationId: ev.organisationId, actor, action: "event_roster.published", targetType: "event", targetId: ev.id, details: { groups: roster.groups.length, version: roster.version }, ipAddress: meta.ipAddress ?? null, requestId: meta.requestId ?? null });
      });
      const names = new Map(people.map((p) => [p.userId, p.name]));
      for (const group of roster.groups) {
        for (const member of group.members) {
          const to = await recipient(member, ev.organisationId);
          if (!to) continue;
          await mailer.send(
            to.email,
            {
              template: "eventRosterPublished",
              locale: to.locale,
              recipientName: to.name,
              values: { event: ev.title, group: group.name, members: group.members.filter((m) => m !== member).map((m) => names.get(m) ?? "").filter(Boolean).join(", ") || "—" },
              actionUrl: `${config.appUrl}/account/intensives`,
            },
            { organisationId: ev.organisationId },
          );
        }
      }
      return { publishedAt: publishedAt.toISOString(), notified: roster.groups.reduce((n, g) => n + g.members.length, 0) };
    },

    /** The published small groups the actor is in (for their account page). */
    async myRosterGroups(actor: Actor): Promise<MyRosterGroup[]> {
      const userId = requireUser(actor);
      const mine = await db
        .select({ eventId: eventRosterMember.eventId, groupId: eventRosterMember.groupId, groupName: eventRosterGroup.name, eventTitle: event.title, organisationName: organisation.name, startsOn: sql<string | null>`(select min(${eventDay.date}) from ${eventDay} where ${eventDay.eventId} = ${event.id})` })
        .from(eventRosterMember)
        .innerJoin(eventRoster, eq(eventRoster.eventId, eventRosterMember.eventId))
        .innerJoin(eventRosterGroup, eq(eventRosterGroup.id, eventRosterMember.groupId))
        .innerJoin(event, eq(event.id, eventRosterMember.eventId))
        .innerJoin(organisation, eq(organisation.id, event.organisationId))
        .where(and(eq(eventRosterMember.userId, userId), eq(eventRoster.status, "published")));
      if (!mine.length) return [];
      const others = await db
        .select({ groupId: eventRosterMember.groupId, userId: eventRosterMember.userId, name: user.name })
        .from(eventRosterMember)
        .innerJoin(user, eq(user.id, eventRosterMember.userId))
        .where(inArray(eventRosterMember.groupId, mine.map((m) => m.groupId)))
        .orderBy(asc(user.name));
      return mine
        .sort((a, b) => (b.startsOn ?? "").localeCompare(a.startsOn ?? ""))
        .map((m) => ({
          eventId: m.eventId,
          eventTitle: m.eventTitle,
          organisationName: m.organisationName,
          groupName: m.groupName,
          members: others.filter((o) => o.groupId === m.groupId && o.userId !== userId).map((o) => o.name),
        }));
    },

    // ---- check-in and attendance --------------------------------------------------------------

    async checkinList(actor: Actor, organisationId: string, eventId: string): Promise<CheckinView> {
      const ev = await loadEvent(actor, organisationId, eventId);
      const rows = await confirmedRegistrations(ev.id, ["participant", "leader_in_training", "faculty"]);
      const seen = new Set<string>();
      const people = rows.filter((r) => (seen.has(r.userId) ? false : (seen.add(r.userId), true)));
      const { days, sessions } = await daysAndSessions(ev.id);
      const checkins = await checkinsOf(ev.id);
      const certs = await db.select({ userId: eventCertificate.userId, code: eventCertificate.code }).from(eventCertificate).where(and(eq(eventCertificate.eventId, ev.id), isNull(eventCertificate.revokedAt)));
      const certByUser = new Map(certs.map((c) => [c.userId, c.code]));
      return {
        event: { id: ev.id, organisationId: ev.organisationId, title: ev.title, ceHours: ev.ceHours },
        days,
        people: people.map((p) => {
          const attended = checkins.get(p.userId) ?? [];
          return { userId: p.userId, name: p.name, email: p.email, role: p.role, days: attended, summary: summariseAttendance(sessions, attended, ev.ceHours), certificateCode: certByUser.get(p.userId) ?? null };
        }),
      };
    },

    async setCheckin(actor: Actor, organisationId: string, eventId: string, input: unknown, meta: RequestMeta = {}) {
      const data = parse(CheckinInput, input);
      const ev = await loadEvent(actor, organisationId, eventId);
      const by = requireUser(actor);
      const [day] = await db.select().from(eventDay).where(and(eq(eventDay.id, data.dayId), eq(eventDay.eventId, ev.id)));
      if (!day) throw invalid("dayId", "Not a day of this event.");
      const regs = await confirmedRegistrations(ev.id, ["participant", "leader_in_training", "faculty"]);
      if (!regs.some((r) => r.userId === data.userId)) throw invalid("userId", "This person has no confirmed registration for this event.");
      await db.transaction(async (tx) => {
        if (data.present) {
          const inserted = await tx.insert(eventCheckin).values({ eventId: ev.id, dayId: day.id, userId: data.userId, checkedInByUserId: by }).onConflictDoNothing().returning({ userId: eventCheckin.userId });
          if (inserted.length) await recordAudit(tx, { organisationId: ev.organisationId, actor, action: "event.checked_in", targetType: "event", targetId: ev.id, details: { dayId: day.id, userId: data.userId }, ipAddress: meta.ipAddress ?? null, requestId: meta.requestId ?? null });
        } else {
          const removed = await tx.delete(eventCheckin).where(and(eq(eventCheckin.dayId, day.id), eq(eventCheckin.userId, data.userId))).returning({ userId: eventCheckin.userId });
          if (removed.length) await recordAudit(tx, { organisationId: ev.organisationId, actor, action: "event.check_in_removed", targetType: "event", targetId: ev.id, details: { dayId: day.id, userId: data.userId }, ipAddress: meta.ipAddress ?? null, requestId: meta.requestId ?? null });
        }
      });
      const { sessions } = await daysAndSessions(ev.id);
      const attended = (await checkinsOf(ev.id, [data.userId])).get(data.userId) ?? [];
      return { userId: data.userId, days: attended, summary: summariseAttendance(sessions, attended, ev.ceHours) };
    },

    /**
     * The events a person attended (checked in at least one day), with hours and CE credit.
     * For the accreditation pathway (server-side callers decide who may see it).
     */
    async attendedEvents(userId: string): Promise<AttendedEvent[]> {
      const rows = await db.select({ eventId: eventCheckin.eventId, dayId: eventCheckin.dayId }).from(eventCheckin).where(eq(eventCheckin.userId, userId));
      const eventIds = [...new Set(rows.map((r) => r.eventId))];
      if (!eventIds.length) return [];
      const events = await db.select().from(event).where(inArray(event.id, eventIds));
      const days = await db.select({ eventId: eventDay.eventId, date: eventDay.date }).from(eventDay).where(inArray(eventDay.eventId, eventIds));
      const sessions = await db.select({ eventId: eventSession.eventId, dayId: eventSession.dayId, startsAt: eventSession.startsAt, endsAt: eventSession.endsAt }).from(eventSession).where(inArray(eventSession.eventId, eventIds));
      const certs = await db.select({ eventId: eventCertificate.eventId, code: eventCertificate.code }).from(eventCertificate).where(and(eq(eventCertificate.userId, userId), isNull(eventCertificate.revokedAt), inArray(eventCertificate.eventId, eventIds)));
      return events
        .map((ev) => {
          const dates = days.filter((d) => d.eventId === ev.id).map((d) => d.date).sort();
          const s = summariseAttendance(sessions.filter((x) => x.eventId === ev.id), rows.filter((r) => r.eventId === ev.id).map((r) => r.dayId), ev.ceHours);
          return {
            eventId: ev.id,
            organisationId: ev.organisationId,
            title: ev.title,
            kind: ev.kind,
            firstDay: dates[0] ?? null,
            lastDay: dates.at(-1) ?? null,
            daysAttended: s.daysAttended,
            attendedHours: Math.round(s.attendedHours * 100) / 100,
            creditHours: s.creditHours,
            certificateCode: certs.find((c) => c.eventId === ev.id)?.code ?? null,
          };
        })
        .sort((a, b) => (b.firstDay ?? "").localeCompare(a.firstDay ?? ""));
    },

    async myAttendance(actor: Actor) {
      return service.attendedEvents(requireUser(actor));
    },

    // ---- certificates -------------------------------------------------------------------------

    async issueCertificate(actor: Actor, organisationId: string, eventId: string, input: unknown, meta: RequestMeta = {}) {
      const data = parse(IssueCertificateInput, input);
      const ev = await loadEvent(actor, organisationId, eventId);
      return issue(actor, ev, data.userId, data.hours, meta);
    },

    /** Issues a certificate to everyone who earned credit and has none yet. */
    async issueAllCertificates(actor: Actor, organisationId: string, eventId: string, meta: RequestMeta = {}) {
      const ev = await loadEvent(actor, organisationId, eventId);
      const list = await service.checkinList(actor, organisationId, eventId);
      let issued = 0;
      for (const p of list.people) {
        if (p.certificateCode || p.summary.creditHours <= 0) continue;
        try {
          await issue(actor, ev, p.userId, undefined, meta);
          issued += 1;
        } catch (error) {
          if (!(error instanceof AppError && error.code === "conflict")) throw error;
        }
      }
      return { issued };
    },

    async revokeCertificate(actor: Actor, organisationId: string, certificateId: string, meta: RequestMeta = {}) {
      authorize(actor, ORGANISE, { organisationId });
      if (!/^[0-9a-f-]{36}$/i.test(certificateId)) throw notFound("That certificate");
      const [row] = await db
        .update(eventCertificate)
        .set({ revokedAt: new Date() })
        .where(and(eq(eventCertificate.id, certificateId), eq(eventCertificate.organisationId, organisationId), isNull(eventCertificate.revokedAt)))
        .returning();
      if (!row) throw notFound("That certificate");
      await recordAudit(db, { organisationId, actor, action: "event_certificate.revoked", targetType: "event_certificate", targetId: row.id, details: { eventId: row.eventId, userId: row.userId }, ipAddress: meta.ipAddress ?? null, requestId: meta.requestId ?? null });
      return { revoked: true };
    },

    async myCertificates(actor: Actor): Promise<CertificateSummary[]> {
      const userId = requireUser(actor);
      const rows = await db
        .select({ c: eventCertificate, organisationName: organisation.name })
        .from(eventCertificate)
        .innerJoin(organisation, eq(organisation.id, eventCertificate.organisationId))
        .where(eq(eventCertificate.userId, userId))
        .orderBy(sql`${eventCertificate.issuedAt} desc`);
      return rows.map(({ c, organisationName }) => ({ id: c.id, code: c.code, eventId: c.eventId, eventTitle: c.eventTitle, organisationName, hours: c.hours, firstDay: c.firstDay, lastDay: c.lastDay, issuedAt: c.issuedAt.toISOString(), revoked: c.revokedAt !== null }));
    },

    /** The PDF, for its holder or the organisation's organisers; 404 for anyone else. */
    async certificatePdf(actor: Actor, code: string): Promise<{ filename: string; bytes: Uint8Array }> {
      requireUser(actor);
      const canonical = normaliseCertificateCode(code);
      if (!canonical) throw notFound("That certificate");
      const [row] = await db
        .select({ c: eventCertificate, organisationName: organisation.name })
        .from(eventCertificate)
        .innerJoin(organisation, eq(organisation.id, eventCertificate.organisationId))
        .where(eq(eventCertificate.code, canonical));
      if (!row || (row.c.userId !== actor.userId && !can(actor, ORGANISE, { organisationId: row.c.organisationId }))) throw notFound("That certificate");
      if (row.c.revokedAt) throw new AppError("gone", "This certificate was revoked.");
      const bytes = await renderCertificatePdf({
        code: row.c.code,
        personName: row.c.personName,
        organisationName: row.organisationName,
        eventTitle: row.c.eventTitle,
        firstDay: row.c.firstDay,
        lastDay: row.c.lastDay,
        hours: row.c.hours,
        statement: row.c.statement,
        issuedAt: row.c.issuedAt,
        verifyUrl: `${config.appUrl}/verify/certificate/${row.c.code}`,
        locale: row.c.locale === "es" ? "es" : "en",
      });
      return { filename: `certificate-${row.c.code}.pdf`, bytes };
    },

    /** Public: anyone may check a code. Says only what the certificate itself says. */
    async verifyCertificate(code: string): Promise<CertificateVerification> {
      const canonical = normaliseCertificateCode(code);
      if (!canonical) return { status: "unknown", code: String(code).slice(0, 40) };
      const [row] = await db
        .select({ c: eventCertificate, organisationName: organisation.name })
        .from(eventCertificate)
        .innerJoin(organisation, eq(organisation.id, eventCertificate.organisationId))
        .where(eq(eventCertificate.code, canonical));
      if (!row) return { status: "unknown", code: canonical };
      return {
        status: row.c.revokedAt ? "revoked" : "valid",
        code: canonical,
        personName: row.c.personName,
        eventTitle: row.c.eventTitle,
        organisationName: row.organisationName,
        firstDay: row.c.firstDay,
        lastDay: row.c.lastDay,
        hours: row.c.hours,
        issuedAt: row.c.issuedAt.toISOString(),
      };
    },

    // ---- export -------------------------------------------------------------------------------

    /** Every registration of the event as CSV (formula-safe), recorded in the audit log. */
    async exportAttendees(actor: Actor, organisationId: string, eventId: string, meta: RequestMeta = {}): Promise<{ filename: string; csv: string; rows: number }> {
      const ev = await loadEvent(actor, organisationId, eventId);
      const packages = db.select({ id: eventPackageEvent.packageId }).from(eventPackageEvent).where(eq(eventPackageEvent.eventId, ev.id));
      const regs = await db
        .select({ r: eventRegistration, name: user.name, email: user.email, tierName: eventPriceTier.name })
        .from(eventRegistration)
        .innerJoin(user, eq(user.id, eventRegistration.userId))
        .leftJoin(eventPriceTier, eq(eventPriceTier.id, eventRegistration.tierId))
        .where(or(eq(eventRegistration.eventId, ev.id), inArray(eventRegistration.packageId, packages)))
        .orderBy(asc(eventRegistration.createdAt), asc(eventRegistration.id));
      const questions = await db
        .select({ id: eventQuestion.id, label: eventQuestion.label })
        .from(eventQuestion)
        .where(or(eq(eventQuestion.eventId, ev.id), inArray(eventQuestion.packageId, packages)))
        .orderBy(asc(eventQuestion.position), asc(eventQuestion.id));
      const answers = regs.length
        ? await db.select().from(eventRegistrationAnswer).where(inArray(eventRegistrationAnswer.registrationId, regs.map((r) => r.r.id)))
        : [];
      const { days, sessions } = await daysAndSessions(ev.id);
      const checkins = await checkinsOf(ev.id);
      const certs = await db.select({ userId: eventCertificate.userId, code: eventCertificate.code }).from(eventCertificate).where(and(eq(eventCertificate.eventId, ev.id), isNull(eventCertificate.revokedAt)));
      const header = [
        "registration_id", "name", "email", "status", "role", "tier", "amount", "currency", "payment_status", "payment_provider", "payment_reference", "refund_status",
        "registered_at", "cancelled_at", "discipline", "experience", "affiliation",
        ...questions.map((q) => `question: ${q.label}`),
        ...days.map((d) => `present ${d.date}`),
        "days_attended", "hours_attended", "ce_hours", "certificate_code",
      ];
      const rows = regs.map(({ r, name, email, tierName }) => {
        const attended = checkins.get(r.userId) ?? [];
        const s = summariseAttendance(sessions, attended, ev.ceHours);
        return [
          r.id, name, email, r.status, r.role, tierName ?? "", (r.amountMinor / 100).toFixed(2), r.currency, r.paymentStatus, r.paymentProvider, r.paymentReference, r.refundStatus,
          r.createdAt.toISOString(), r.cancelledAt?.toISOString() ?? "", r.discipline, r.experience, r.affiliation,
          ...questions.map((q) => answers.find((a) => a.registrationId === r.id && a.questionId === q.id)?.value ?? ""),
          ...days.map((d) => (attended.includes(d.id) ? "yes" : "no")),
          s.daysAttended, Math.round(s.attendedHours * 100) / 100, s.creditHours, certs.find((c) => c.userId === r.userId)?.code ?? "",
        ];
      });
      await recordAudit(db, { organisationId: ev.organisationId, actor, action: "event.attendees_exported", targetType: "event", targetId: ev.id, details: { rows: rows.length }, ipAddress: meta.ipAddress ?? null, requestId: meta.requestId ?? null });
      return { filename: `attendees-${ev.slug}.csv`, csv: toCsv(header, rows), rows: rows.length };
    },
  };

  async function issue(actor: Actor, ev: typeof event.$inferSelect, userId: string, hours: number | undefined, meta: RequestMeta) {
    const regs = await confirmedRegistrations(ev.id, ["participant", "leader_in_training", "faculty"]);
    const reg = regs.find((r) => r.userId === userId);
    if (!reg) throw invalid("userId", "This person has no confirmed registration for this event.");
    const { days, sessions } = await daysAndSessions(ev.id);
    const attended = (await checkinsOf(ev.id, [userId])).get(userId) ?? [];
    const summary = summariseAttendance(sessions, attended, ev.ceHours);
    if (summary.creditHours <= 0) throw conflict(`${reg.name} has no attended hours at this event: no certificate can be issued.`, [{ path: "userId", message: "No attended hours." }]);
    if (hours !== undefined && hours > summary.creditHours) {
      throw invalid("hours", `Only ${summary.creditHours} hours were attended; a certificate cannot say more.`);
    }
    const attendedDates = days.filter((d) => attended.includes(d.id)).map((d) => d.date).sort();
    const [org] = await db.select({ locale: organisation.defaultLocale }).from(organisation).where(eq(organisation.id, ev.organisationId));
    const locale = ev.language.toLowerCase().startsWith("es") ? "es" : ev.language.toLowerCase().startsWith("en") ? "en" : org?.locale === "es" ? "es" : "en";
    const code = newCertificateCode();
    let row: typeof eventCertificate.$inferSelect;
    try {
      row = await db.transaction(async (tx) => {
        const [created] = await tx
          .insert(eventCertificate)
          .values({
            code,
            organisationId: ev.organisationId,
            eventId: ev.id,
            userId,
            personName: reg.name,
            eventTitle: ev.title,
            firstDay: attendedDates[0]!,
            lastDay: attendedDates.at(-1)!,
            hours: hours ?? summary.creditHours,
            statement: ev.ceStatement,
            locale,
            issuedByUserId: actor.userId,
          })
          .returning();
        await recordAudit(tx, { organisationId: ev.organisationId, actor, action: "event_certificate.issued", targetType: "event_certificate", targetId: created!.id, details: { eventId: ev.id, userId, hours: created!.hours }, ipAddress: meta.ipAddress ?? null, requestId: meta.requestId ?? null });
        return created!;
      });
    } catch (error) {
      if (uniqueViolation(error) === "event_certificate_event_user_key") throw conflict("This person already has a certificate for this event.", [{ path: "userId", message: "Already issued." }]);
      throw error;
    }
    const to = await recipient(userId, ev.organisationId);
    if (to) {
      await mailer.send(
        to.email,
        { template: "eventCertificateIssued", locale: to.locale, recipientName: to.name, values: { event: ev.title, hours: String(row.hours), code: row.code }, actionUrl: `${config.appUrl}/account/intensives` },
        { organisationId: ev.organisationId },
      );
    }
    return { id: row.id, code: row.code, hours: row.hours, firstDay: row.firstDay, lastDay: row.lastDay };
  }

  return service;
}

export type EventRosterService = ReturnType<typeof createEventRosterService>;
