// Faculty observations of leaders in training (issue 6). A faculty member or supervisor of an
// event (event_faculty, or a confirmed registration with role `faculty` for the event or a
// package holding it) rates a leader in training at that event (a confirmed registration with
// role `leader_in_training`) on the organisation's competencies, levels 1–4, with a short
// narrative that is checked for identifiers (422-style "findings" unless acknowledged).
//
// Who sees what:
// - the observer: the form and the observations they wrote at that event;
// - organisers (groups:manage): every observation of the organisation's events;
// - the leader in training: their own observations, with the narrative and the observer's name;
// - the accreditation work: observationsOf(userId) — dates, event and levels, never the narrative.
// Outsiders get 404; members of the organisation who are not faculty of the event get 403.
// The audit log gets identifiers and counts only.
import { and, asc, desc, eq, inArray, or, sql } from "drizzle-orm";
import { user } from "../../platform/auth/schema.ts";
import { recordAudit } from "../../platform/audit/audit.server.ts";
import type { Executor } from "../../platform/db/client.server.ts";
import { AppError, validationError, type FieldError } from "../../platform/http/errors.ts";
import type { Kernel } from "../../platform/kernel.server.ts";
import { can, requireUser, roleIn, type Actor } from "../../platform/policy/policy.ts";
import { organisation } from "../../platform/tenancy/schema.ts";
import { findIdentifiers, type IdentifierFinding } from "../debrief/identifier-check.ts";
import { supervisionSettings } from "../accreditation/supervision-schema.ts";
import { competencyList, type Competency } from "./competencies.ts";
import { eventObservation, eventObservationRating } from "./observation-schema.ts";
import { ObservationInput } from "./observation-schemas.ts";
import { event, eventDay, eventFaculty, eventPackageEvent, eventRegistration, eventSession } from "./schema.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const notFound = () => new AppError("not_found", "That event was not found.");

export interface ObservationMeta {
  ipAddress?: string | null;
  requestId?: string | null;
}

export interface ObservationView {
  id: string;
  organisation: { slug: string; name: string };
  event: { id: string; title: string };
  session: { id: string; title: string } | null;
  observer: { userId: string | null; name: string | null };
  leader: { userId: string; name: string };
  observedOn: string;
  ratings: { competency: string; label: string; level: number }[];
  narrative: string;
  createdAt: string;
}

/** What the accreditation pathway counts: no narrative. */
export interface ObservationRecord {
  id: string;
  organisationId: string;
  eventId: string;
  eventTitle: string;
  observedOn: string;
  observerUserId: string | null;
  ratings: { competency: string; level: number }[];
}

export interface ObservationForm {
  organisation: { id: string; slug: string; name: string };
  event: { id: string; title: string; slug: string; timeZone: string };
  days: { date: string; sessions: { id: string; title: string; kind: string; start: string }[] }[];
  leaders: { userId: string; name: string }[];
  competencies: Competency[];
  /** The actor may record (faculty of the event); organisers who are not faculty only read. */
  mayRecord: boolean;
  observations: ObservationView[];
}

export type RecordOutcome = { outcome: "saved"; observation: ObservationView } | { outcome: "findings"; findings: IdentifierFinding[] };

export function createEventObservationService(kernel: Kernel) {
  const { db } = kernel;

  async function loadEvent(orgId: string, eventId: string) {
    if (!UUID.test(orgId) || !UUID.test(eventId)) throw notFound();
    const [row] = await db
      .select({ e: event, orgSlug: organisation.slug, orgName: organisation.name })
      .from(event)
      .innerJoin(organisation, eq(organisation.id, event.organisationId))
      .where(and(eq(event.id, eventId), eq(event.organisationId, orgId)));
    if (!row) throw notFound();
    return row;
  }

  /** Packages holding the event (registrations through them count for the event). */
  async function packagesOf(exec: Executor, eventId: string): Promise<string[]> {
    return (await exec.select({ id: eventPackageEvent.packageId }).from(eventPackageEvent).where(eq(eventPackageEvent.eventId, eventId))).map((p) => p.id);
  }

  function regForEvent(eventId: string, pkgIds: string[]) {
    return or(eq(eventRegistration.eventId, eventId), pkgIds.length ? inArray(eventRegistration.packageId, pkgIds) : sql`false`);
  }

  async function isFacultyAt(exec: Executor, eventId: string, userId: string): Promise<boolean> {
    const [f] = await exec.select({ userId: eventFaculty.userId }).from(eventFaculty).where(and(eq(eventFaculty.eventId, eventId), eq(eventFaculty.userId, userId)));
    if (f) return true;
    const pkgIds = await packagesOf(exec, eventId);
    const [r] = await exec
      .select({ id: eventRegistration.id })
      .from(eventRegistration)
      .where(and(eq(eventRegistration.userId, userId), eq(eventRegistration.status, "confirmed"), eq(eventRegistration.role, "faculty"), regForEvent(eventId, pkgIds)))
      .limit(1);
    return Boolean(r);
  }

  async function leadersInTraining(exec: Executor, eventId: string) {
    const pkgIds = await packagesOf(exec, eventId);
    const rows = await exec
      .select({ userId: eventRegistration.userId, name: user.name })
      .from(eventRegistration)
      .innerJoin(user, eq(user.id, eventRegistration.userId))
      .where(and(eq(eventRegistration.status, "confirmed"), eq(eventRegistration.role, "leader_in_training"), regForEvent(eventId, pkgIds)))
      .orderBy(asc(user.name));
    return [...new Map(rows.map((r) => [r.userId, r])).values()];
  }

  /** Organiser or faculty of the event; otherwise 403 for members of the organisation, 404 for anyone else. */
  async function access(actor: Actor, orgId: string, eventId: string) {
    const row = await loadEvent(orgId, eventId);
    if (actor.kind === "anonymous") throw new AppError("unauthenticated", "Please sign in.");
    if (actor.tokenScope && actor.tokenScope.organisationId !== orgId) throw notFound();
    const userId = requireUser(actor);
    const organiser = can(actor, "groups:manage", { organisationId: orgId });
    const faculty = await isFacultyAt(db, eventId, userId);
    if (!organiser && !faculty) {
      if (roleIn(actor, orgId) !== null || (await isFacultyAnywhereIn(userId, orgId))) throw new AppError("forbidden", "Only the faculty of this event record observations.");
      throw notFound();
    }
    return { row, userId, organiser, faculty };
  }

  async function isFacultyAnywhereIn(userId: string, orgId: string): Promise<boolean> {
    const [f] = await db.select({ e: eventFaculty.eventId }).from(eventFaculty).innerJoin(event, eq(event.id, eventFaculty.eventId)).where(and(eq(eventFaculty.userId, userId), eq(event.organisationId, orgId))).limit(1);
    if (f) return true;
    const [r] = await db.select({ id: eventRegistration.id }).from(eventRegistration).where(and(eq(eventRegistration.userId, userId), eq(eventRegistration.organisationId, orgId), eq(eventRegistration.role, "faculty"), eq(eventRegistration.status, "confirmed"))).limit(1);
    return Boolean(r);
  }

  async function views(where: ReturnType<typeof and>): Promise<ObservationView[]> {
    const rows = await db
      .select({
        o: eventObservation,
        eventTitle: event.title,
        orgSlug: organisation.slug,
        orgName: organisation.name,
        sessionTitle: eventSession.title,
        leaderName: user.name,
      })
      .from(eventObservation)
      .innerJoin(event, eq(event.id, eventObservation.eventId))
      .innerJoin(organisation, eq(organisation.id, eventObservation.organisationId))
      .innerJoin(user, eq(user.id, eventObservation.leaderUserId))
      .leftJoin(eventSession, eq(eventSession.id, eventObservation.sessionId))
      .where(where)
      .orderBy(desc(eventObservation.observedOn), desc(eventObservation.createdAt));
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.o.id);
    const ratings = await db.select().from(eventObservationRating).where(inArray(eventObservationRating.observationId, ids));
    const observerIds = [...new Set(rows.map((r) => r.o.observerUserId).filter((x): x is string => x !== null))];
    const observers = observerIds.length ? await db.select({ id: user.id, name: user.name }).from(user).where(inArray(user.id, observerIds)) : [];
    const lists = new Map<string, Competency[]>();
    for (const orgId of new Set(rows.map((r) => r.o.organisationId))) lists.set(orgId, await competenciesOf(orgId));
    const label = (orgId: string, key: string) => lists.get(orgId)?.find((c) => c.key === key)?.label ?? key;
    return rows.map(({ o, eventTitle, orgSlug, orgName, sessionTitle, leaderName }) => ({
      id: o.id,
      organisation: { slug: orgSlug, name: orgName },
      event: { id: o.eventId, title: eventTitle },
      session: o.sessionId ? { id: o.sessionId, title: sessionTitle ?? "" } : null,
      observer: { userId: o.observerUserId, name: observers.find((x) => x.id === o.observerUserId)?.name ?? null },
      leader: { userId: o.leaderUserId, name: leaderName },
      observedOn: o.observedOn,
      ratings: ratings.filter((r) => r.observationId === o.id).map((r) => ({ competency: r.competency, label: label(o.organisationId, r.competency), level: r.level })),
      narrative: o.narrative,
      createdAt: o.createdAt.toISOString(),
    }));
  }

  async function daysOf(eventId: string) {
    const days = await db.select().from(eventDay).where(eq(eventDay.eventId, eventId)).orderBy(asc(eventDay.date));
    const sessions = await db.select().from(eventSession).where(eq(eventSession.eventId, eventId)).orderBy(asc(eventSession.startsAt));
    return days.map((d) => ({ id: d.id, date: d.date, sessions: sessions.filter((s) => s.dayId === d.id).map((s) => ({ id: s.id, title: s.title, kind: s.kind, start: s.startsAt.toISOString() })) }));
  }

  /** The form and the observations the actor may read at this event. */
  async function forEvent(actor: Actor, orgId: string, eventId: string): Promise<ObservationForm> {
    const { row, userId, organiser, faculty } = await access(actor, orgId, eventId);
    const [days, leaders] = await Promise.all([daysOf(eventId), leadersInTraining(db, eventId)]);
    const observations = await views(organiser ? eq(eventObservation.eventId, eventId) : and(eq(eventObservation.eventId, eventId), eq(eventObservation.observerUserId, userId)));
    return {
      organisation: { id: orgId, slug: row.orgSlug, name: row.orgName },
      event: { id: row.e.id, title: row.e.title, slug: row.e.slug, timeZone: row.e.timeZone },
      days: days.map((d) => ({ date: d.date, sessions: d.sessions.map(({ id, title, kind, start }) => ({ id, title, kind, start })) })),
      leaders: leaders.filter((l) => l.userId !== userId),
      competencies: await competenciesOf(orgId),
      mayRecord: faculty,
      observations,
    };
  }

  async function record(actor: Actor, orgId: string, eventId: string, raw: unknown, meta: ObservationMeta = {}): Promise<RecordOutcome> {
    const { row, userId, faculty } = await access(actor, orgId, eventId);
    if (!faculty) throw new AppError("forbidden", "Only the faculty of this event record observations.");
    if (row.e.status === "draft") throw new AppError("conflict", "This event is not published yet.");
    const parsed = ObservationInput.safeParse(raw);
    if (!parsed.success) throw validationError(parsed.error.issues);
    const input = parsed.data;
    const issues: FieldError[] = [];
    const leaders = await leadersInTraining(db, eventId);
    if (input.leaderUserId === userId) issues.push({ path: "leaderUserId", message: "You cannot observe yourself." });
    else if (!leaders.some((l) => l.userId === input.leaderUserId)) issues.push({ path: "leaderUserId", message: "Not a leader in training at this event." });
    const days = await daysOf(eventId);
    let observedOn = input.observedOn;
    let sessionId: string | null = null;
    if (input.sessionId) {
      const day = days.find((d) => d.sessions.some((s) => s.id === input.sessionId));
      if (!day) issues.push({ path: "sessionId", message: "Not a session of this event." });
      else {
        sessionId = input.sessionId;
        if (observedOn && observedOn !== day.date) issues.push({ path: "observedOn", message: "The session is on another day." });
        observedOn ??= day.date;
      }
    }
    if (!observedOn) issues.push({ path: "observedOn", message: "Choose the day observed." });
    else if (days.length && !days.some((d) => d.date === observedOn)) issues.push({ path: "observedOn", message: "Not a day of this event." });
    const competencies = (await competenciesOf(orgId)).map((c) => c.key);
    const seen = new Set<string>();
    for (const [i, r] of input.ratings.entries()) {
      if (!competencies.includes(r.competency)) issues.push({ path: `ratings.${i}.competency`, message: "Not one of the organisation's competencies." });
      else if (seen.has(r.competency)) issues.push({ path: `ratings.${i}.competency`, message: "This competency is rated twice." });
      seen.add(r.competency);
    }
    if (issues.length) throw new AppError("validation_failed", `Invalid ${issues[0]!.path}: ${issues[0]!.message}`, issues);
    const findings = input.narrative ? findIdentifiers(input.narrative) : [];
    if (findings.length && input.acknowledgeFindings !== true) return { outcome: "findings", findings };
    const id = await db.transaction(async (tx) => {
      const [o] = await tx
        .insert(eventObservation)
        .values({ organisationId: orgId, eventId, sessionId, observerUserId: userId, leaderUserId: input.leaderUserId, observedOn: observedOn!, narrative: input.narrative })
        .returning({ id: eventObservation.id });
      await tx.insert(eventObservationRating).values(input.ratings.map((r) => ({ observationId: o!.id, competency: r.competency, level: r.level })));
      await recordAudit(tx, {
        organisationId: orgId,
        actor,
        action: "event.observation_recorded",
        targetType: "event_observation",
        targetId: o!.id,
        details: { eventId, leaderUserId: input.leaderUserId, ratings: input.ratings.length, acknowledgedFindings: findings.length > 0 },
        ipAddress: meta.ipAddress ?? null,
        requestId: meta.requestId ?? null,
      });
      return o!.id;
    });
    return { outcome: "saved", observation: (await views(eq(eventObservation.id, id)))[0]! };
  }

  /** The leader in training reads their own observations (with the narrative). */
  async function mine(actor: Actor): Promise<{ items: ObservationView[] }> {
    const userId = requireUser(actor);
    if (actor.tokenScope) throw new AppError("forbidden", "Use the app while signed in to read your observations.");
    return { items: await views(eq(eventObservation.leaderUserId, userId)) };
  }

  /** Events where the actor is faculty and which have leaders in training (links to the form). */
  async function eventsIObserve(actor: Actor): Promise<{ items: { organisationId: string; orgSlug: string; orgName: string; eventId: string; title: string }[] }> {
    const userId = requireUser(actor);
    const direct = await db
      .select({ eventId: event.id })
      .from(eventFaculty)
      .innerJoin(event, eq(event.id, eventFaculty.eventId))
      .where(and(eq(eventFaculty.userId, userId), eq(event.status, "published")));
    const regs = await db.select({ eventId: eventRegistration.eventId, packageId: eventRegistration.packageId }).from(eventRegistration).where(and(eq(eventRegistration.userId, userId), eq(eventRegistration.role, "faculty"), eq(eventRegistration.status, "confirmed")));
    const pkgIds = regs.map((r) => r.packageId).filter((x): x is string => x !== null);
    const viaPkg = pkgIds.length ? await db.select({ eventId: eventPackageEvent.eventId }).from(eventPackageEvent).where(inArray(eventPackageEvent.packageId, pkgIds)) : [];
    const ids = [...new Set([...direct.map((d) => d.eventId), ...regs.map((r) => r.eventId).filter((x): x is string => x !== null), ...viaPkg.map((p) => p.eventId)])];
    if (!ids.length) return { items: [] };
    const rows = await db
      .select({ organisationId: event.organisationId, orgSlug: organisation.slug, orgName: organisation.name, eventId: event.id, title: event.title })
      .from(event)
      .innerJoin(organisation, eq(organisation.id, event.organisationId))
      .where(and(inArray(event.id, ids), eq(event.status, "published")))
      .orderBy(asc(event.title));
    return { items: rows };
  }

  /** For the accreditation work: a person's observations (dates, event, levels; never the narrative). */
  async function observationsOf(userId: string): Promise<ObservationRecord[]> {
    const rows = await db
      .select({ o: eventObservation, eventTitle: event.title })
      .from(eventObservation)
      .innerJoin(event, eq(event.id, eventObservation.eventId))
      .where(eq(eventObservation.leaderUserId, userId))
      .orderBy(asc(eventObservation.observedOn), asc(eventObservation.createdAt));
    if (!rows.length) return [];
    const ratings = await db.select().from(eventObservationRating).where(inArray(eventObservationRating.observationId, rows.map((r) => r.o.id)));
    return rows.map(({ o, eventTitle }) => ({
      id: o.id,
      organisationId: o.organisationId,
      eventId: o.eventId,
      eventTitle,
      observedOn: o.observedOn,
      observerUserId: o.observerUserId,
      ratings: ratings.filter((r) => r.observationId === o.id).map((r) => ({ competency: r.competency, level: r.level })),
    }));
  }

  /** The organisation's competency list: its supervision settings (accreditation slice) or the defaults. */
  async function competenciesOf(orgId: string): Promise<Competency[]> {
    if (!UUID.test(orgId)) return competencyList(null);
    const [row] = await db.select({ competencies: supervisionSettings.competencies }).from(supervisionSettings).where(eq(supervisionSettings.organisationId, orgId));
    return competencyList(row?.competencies);
  }

  return { forEvent, record, mine, eventsIObserve, observationsOf, competenciesOf };
}

export type EventObservationService = ReturnType<typeof createEventObservationService>;
