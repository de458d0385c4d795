// The events slice: training events (intensives, workshops, conferences, webinars, fellowship
// cohorts) with days and sessions, faculty, price tiers, registration questions, registration
// with capacity held under a row lock, a waitlist with timed offers, packages, payments.
//
// Decisions (documented here for the API and the UI):
// - Organisers are the organisation's coordinators and above (permission `groups:manage`, the same
//   people who run the organisation's groups). Strangers get 404 for anything inside an
//   organisation; drafts are invisible to the public.
// - A registration is for one event or one package. A seat in event E is used by confirmed
//   registrations and open offers (not yet expired) for E or for a package holding E; faculty
//   registrations use no seat. Every change to who holds a seat locks the event rows concerned
//   (SELECT … FOR UPDATE, in id order) first, so concurrent registrations never exceed capacity.
// - Full → waitlisted (dense positions per event / package). A freed seat is offered to the next
//   person for 48 hours (email + a job at the expiry); when an offer lapses the registration is
//   cancelled (`offer_expired`) and the seat passes on. Accepting after expiry: 410.
// - Eligibility: `member` tiers need a membership of the organisation; `trainee` tiers need a
//   self-declaration (stage + discipline, confirmed) whose discipline the tier accepts; `anyone`.
// - The audit log gets identifiers and codes only: never answers, names or references.
import { and, asc, eq, inArray, isNull, lte, ne, or, sql } from "drizzle-orm";
import { Temporal } from "temporal-polyfill";
import { user } from "../../platform/auth/schema.ts";
import { recordAudit, type AuditDetails } from "../../platform/audit/audit.server.ts";
import type { Executor } from "../../platform/db/client.server.ts";
import { uniqueViolation } from "../../platform/db/errors.ts";
import { AppError, validationError, type FieldError } from "../../platform/http/errors.ts";
import { eventCheckin } from "./roster-schema.ts";
import { definePeriodicJob } from "../../platform/jobs/periodic.server.ts";
import { isLocale, type Locale } from "../../platform/i18n/locales.ts";
import type { Kernel } from "../../platform/kernel.server.ts";
import type { MailAttachment } from "../../platform/mail/mailer.server.ts";
import { ROLE_RANK } from "../../platform/policy/permissions.ts";
import { authorize, can, requireUser, roleIn, type Actor } from "../../platform/policy/policy.ts";
import { membership, organisation } from "../../platform/tenancy/schema.ts";
import { profile } from "../profile/schema.ts";
import { reorder } from "../groups/rules.ts";
import { EVENT_OFFER_TTL_MS } from "./constants.ts";
import { answerIssues } from "./answers.ts";
import { buildEventCalendar, type IcsSession } from "./ical.ts";
import { paymentProviders } from "./payments.server.ts";
import {
  event,
  eventDay,
  eventFaculty,
  eventKeepApart,
  eventPackage,
  eventPackageEvent,
  eventPaymentNotice,
  eventPriceTier,
  eventQuestion,
  eventRegistration,
  eventRegistrationAnswer,
  eventSession,
} from "./schema.ts";
import { CreateEventInput, CreatePackageInput, PaymentInput, RegisterInput, ReorderInput, RoleInput, UpdateEventInput, UpdatePackageInput } from "./schemas.ts";

export const EVENT_OFFER_EXPIRY_QUEUE = "events-waitlist-offer-expiry";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface RequestMeta {
  ipAddress?: string | null;
  requestId?: string | null;
}

type EventRow = typeof event.$inferSelect;
type PackageRow = typeof eventPackage.$inferSelect;
type RegistrationRow = typeof eventRegistration.$inferSelect;
type TierRow = typeof eventPriceTier.$inferSelect;
type QuestionRow = typeof eventQuestion.$inferSelect;

export interface SessionView {
  id: string;
  kind: string;
  title: string;
  start: string;
  end: string;
}
export interface DayView {
  id: string;
  date: string;
  label: string | null;
  sessions: SessionView[];
}
export interface TierView {
  id: string;
  name: string;
  amountMinor: number;
  currency: string;
  eligibility: TierRow["eligibility"];
  traineeDisciplines: string[];
  discountLabel: string | null;
}
export interface QuestionView {
  id: string;
  kind: QuestionRow["kind"];
  label: string;
  options: string[];
  required: boolean;
}

/** What anyone may see about a published event: never the online link, never attendees. */
export interface PublicEventView {
  id: string;
  organisation: { slug: string; name: string };
  kind: EventRow["kind"];
  slug: string;
  title: string;
  description: string;
  language: string;
  timeZone: string;
  format: EventRow["format"];
  venue: string | null;
  ceStatement: string | null;
  ceHours: number | null;
  capacity: number;
  seatsLeft: number;
  status: EventRow["status"];
  registrationOpensAt: string | null;
  registrationClosesAt: string | null;
  registrationOpen: boolean;
  startsAt: string | null;
  endsAt: string | null;
  days: DayView[];
  tiers: TierView[];
  questions: QuestionView[];
  faculty: { name: string; role: "faculty" | "supervisor" }[];
  packages: { slug: string; title: string }[];
}

export interface EventDetail extends Omit<PublicEventView, "faculty"> {
  organisationId: string;
  onlineLink: string | null;
  faculty: { userId: string; name: string; role: "faculty" | "supervisor" }[];
  counts: { confirmed: number; waitlisted: number; offered: number; cancelled: number };
}

export interface PackageView {
  id: string;
  organisation: { slug: string; name: string };
  slug: string;
  title: string;
  description: string;
  status: PackageRow["status"];
  registrationClosesAt: string | null;
  registrationOpen: boolean;
  seatsLeft: number;
  events: { id: string; slug: string; title: string; startsAt: string | null; endsAt: string | null }[];
  tiers: TierView[];
  questions: QuestionView[];
}

export interface RegistrationView {
  id: string;
  userId: string;
  name: string;
  email: string;
  eventId: string | null;
  packageId: string | null;
  tier: { id: string; name: string } | null;
  role: RegistrationRow["role"];
  status: RegistrationRow["status"];
  waitlistPosition: number | null;
  offerExpiresAt: string | null;
  reorderReason: string | null;
  amountMinor: number;
  currency: string;
  paymentStatus: RegistrationRow["paymentStatus"];
  paymentProvider: string | null;
  paymentReference: string | null;
  paymentRecordedAt: string | null;
  refundStatus: RegistrationRow["refundStatus"];
  cancellationReason: string | null;
  discipline: string | null;
  traineeStage: string | null;
  experience: string | null;
  answers: Record<string, string>;
  createdAt: string;
}

export interface MyRegistrationView {
  id: string;
  organisation: { slug: string; name: string };
  target: { kind: "event" | "package"; slug: string; title: string; startsAt: string | null; endsAt: string | null };
  tierName: string | null;
  role: RegistrationRow["role"];
  status: RegistrationRow["status"];
  waitlistPosition: number | null;
  offerExpiresAt: string | null;
  amountMinor: number;
  currency: string;
  paymentStatus: RegistrationRow["paymentStatus"];
  refundStatus: RegistrationRow["refundStatus"];
  /** Only for confirmed registrations. */
  onlineLinks: { event: string; link: string }[];
}

const notFoundEvent = () => new AppError("not_found", "That event was not found.");
const notFoundRegistration = () => new AppError("not_found", "That registration was not found.");

function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> } } }, raw: unknown): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error.issues);
  return parsed.data;
}

/** "YYYY-MM-DD" + "HH:mm" in a time zone → an instant. */
export function localToInstant(date: string, time: string, timeZone: string): Date {
  const zoned = Temporal.PlainDateTime.from(`${date}T${time}`).toZonedDateTime(timeZone, { disambiguation: "compatible" });
  return new Date(zoned.epochMilliseconds);
}

function registrationOpen(row: { status: string; registrationOpensAt?: Date | null; registrationClosesAt: Date | null }, now: Date): boolean {
  if (row.status !== "published") return false;
  if (row.registrationOpensAt && row.registrationOpensAt.getTime() > now.getTime()) return false;
  if (row.registrationClosesAt && row.registrationClosesAt.getTime() <= now.getTime()) return false;
  return true;
}

const tierView = (t: TierRow): TierView => ({ id: t.id, name: t.name, amountMinor: t.amountMinor, currency: t.currency, eligibility: t.eligibility, traineeDisciplines: t.traineeDisciplines, discountLabel: t.discountLabel });
const questionView = (q: QuestionRow): QuestionView => ({ id: q.id, kind: q.kind, label: q.label, options: q.options, required: q.required });

export function createEventsService(kernel: Kernel) {
  const { db, config, mailer, jobs, logger } = kernel;
  const providers = paymentProviders(config.paymentWebhookSecrets);

  const audit = (tx: Executor, actor: Actor | null, meta: RequestMeta, entry: { organisationId: string; action: string; targetType: string; targetId: string; details?: AuditDetails }) =>
    recordAudit(tx, { ...entry, actor, ipAddress: meta.ipAddress ?? null, requestId: meta.requestId ?? null });

  // ---- loading -------------------------------------------------------------------------------

  async function orgBySlug(slug: string) {
    const [row] = await db.select({ id: organisation.id, slug: organisation.slug, name: organisation.name }).from(organisation).where(eq(organisation.slug, slug.toLowerCase()));
    if (!row) throw notFoundEvent();
    return row;
  }
  async function orgById(id: string) {
    const [row] = await db.select({ id: organisation.id, slug: organisation.slug, name: organisation.name }).from(organisation).where(eq(organisation.id, id));
    if (!row) throw notFoundEvent();
    return row;
  }

  async function loadEvent(exec: Executor, orgId: string, eventId: string): Promise<EventRow> {
    if (!UUID.test(eventId) || !UUID.test(orgId)) throw notFoundEvent();
    const [row] = await exec.select().from(event).where(and(eq(event.id, eventId), eq(event.organisationId, orgId)));
    if (!row) throw notFoundEvent();
    return row;
  }

  function requireOrganiser(actor: Actor, orgId: string) {
    authorize(actor, "groups:manage", { organisationId: orgId });
  }

  /** Locks events in id order (the one lock order of this slice). */
  async function lockEvents(tx: Executor, ids: readonly string[]): Promise<EventRow[]> {
    const unique = [...new Set(ids)].sort();
    if (unique.length === 0) return [];
    return tx.select().from(event).where(inArray(event.id, unique)).orderBy(asc(event.id)).for("update");
  }

  async function packageEventIds(exec: Executor, packageId: string): Promise<string[]> {
    const rows = await exec.select({ eventId: eventPackageEvent.eventId }).from(eventPackageEvent).where(eq(eventPackageEvent.packageId, packageId));
    return rows.map((r) => r.eventId);
  }

  /** The events a registration for `target` uses seats in. */
  async function targetEventIds(exec: Executor, target: { eventId: string | null; packageId: string | null }): Promise<string[]> {
    return target.eventId ? [target.eventId] : await packageEventIds(exec, target.packageId!);
  }

  /** Events whose seats can matter when seats in `eventIds` change: them and the other events of packages holding them. */
  async function relatedEventIds(exec: Executor, eventIds: readonly string[]): Promise<string[]> {
    if (eventIds.length === 0) return [];
    const pkgs = await exec.select({ packageId: eventPackageEvent.packageId }).from(eventPackageEvent).where(inArray(eventPackageEvent.eventId, [...eventIds]));
    if (pkgs.length === 0) return [...eventIds];
    const more = await exec.select({ eventId: eventPackageEvent.eventId }).from(eventPackageEvent).where(inArray(eventPackageEvent.packageId, pkgs.map((p) => p.packageId)));
    return [...new Set([...eventIds, ...more.map((m) => m.eventId)])];
  }

  /** Free seats per event (capacity minus confirmed and open offers, by event or package). */
  async function freeSeats(exec: Executor, eventIds: readonly string[], now: Date): Promise<Map<string, number>> {
    if (eventIds.length === 0) return new Map();
    const rows = await exec
      .select({
        id: event.id,
        capacity: event.capacity,
        used: sql<number>`(select count(*)::int from ${eventRegistration} r
          where r.role <> 'faculty'
            and (r.status = 'confirmed' or (r.status = 'offered' and r.offer_expires_at > ${now.toISOString()}::timestamptz))
            and (r.event_id = "event"."id" or r.package_id in (select pe.package_id from ${eventPackageEvent} pe where pe.event_id = "event"."id")))`,
      })
      .from(event)
      .where(inArray(event.id, [...eventIds]));
    return new Map(rows.map((r) => [r.id, Math.max(0, r.capacity - Number(r.used))]));
  }

  async function seatsFor(exec: Executor, eventIds: readonly string[], now: Date): Promise<number> {
    const free = await freeSeats(exec, eventIds, now);
    return eventIds.length ? Math.min(...eventIds.map((id) => free.get(id) ?? 0)) : 0;
  }

  const targetWhere = (t: { eventId: string | null; packageId: string | null }) => (t.eventId ? eq(eventRegistration.eventId, t.eventId) : eq(eventRegistration.packageId, t.packageId!));

  async function compactWaitlist(tx: Executor, t: { eventId: string | null; packageId: string | null }) {
    const rows = await tx
      .select({ id: eventRegistration.id, position: eventRegistration.waitlistPosition })
      .from(eventRegistration)
      .where(and(targetWhere(t), eq(eventRegistration.status, "waitlisted")))
      .orderBy(asc(eventRegistration.waitlistPosition), asc(eventRegistration.createdAt));
    for (const [i, r] of rows.entries()) if (r.position !== i + 1) await tx.update(eventRegistration).set({ waitlistPosition: i + 1 }).where(eq(eventRegistration.id, r.id));
  }

  interface Offer {
    registrationId: string;
    userId: string;
    organisationId: string;
    expiresAt: Date;
  }

  /**
   * With the related events locked: offers every free seat to the next waitlisted person, per
   * event or package whose events are all among `lockedEventIds`. Oldest waiting targets first.
   */
  async function offerFreeSeats(tx: Executor, lockedEventIds: readonly string[], now: Date): Promise<Offer[]> {
    if (lockedEventIds.length === 0) return [];
    const locked = new Set(lockedEventIds);
    const pkgLinks = await tx.select().from(eventPackageEvent).where(inArray(eventPackageEvent.eventId, [...lockedEventIds]));
    const pkgIds = [...new Set(pkgLinks.map((l) => l.packageId))];
    const waiting = await tx
      .select()
      .from(eventRegistration)
      .where(and(eq(eventRegistration.status, "waitlisted"), or(inArray(eventRegistration.eventId, [...lockedEventIds]), pkgIds.length ? inArray(eventRegistration.packageId, pkgIds) : sql`false`)))
      .orderBy(asc(eventRegistration.waitlistPosition), asc(eventRegistration.createdAt));
    const made: Offer[] = [];
    const events = await tx.select({ id: event.id, status: event.status }).from(event).where(inArray(event.id, [...lockedEventIds]));
    const published = new Set(events.filter((e) => e.status === "published").map((e) => e.id));
    const byTarget = new Map<string, RegistrationRow[]>();
    for (const r of waiting) {
      const key = r.eventId ? `e:${r.eventId}` : `p:${r.packageId}`;
      byTarget.set(key, [...(byTarget.get(key) ?? []), r]);
    }
    const targets = [...byTarget.entries()].sort((a, b) => a[1][0]!.createdAt.getTime() - b[1][0]!.createdAt.getTime());
    for (const [, rows] of targets) {
      const first = rows[0]!;
      const ids = await targetEventIds(tx, first);
      if (!ids.every((id) => locked.has(id) && published.has(id))) continue;
      for (const next of rows) {
        if ((await seatsFor(tx, ids, now)) <= 0) break;
        const expiresAt = new Date(now.getTime() + EVENT_OFFER_TTL_MS);
        await tx.update(eventRegistration).set({ status: "offered", offeredAt: now, offerExpiresAt: expiresAt, updatedAt: now }).where(eq(eventRegistration.id, next.id));
        await recordAudit(tx, { organisationId: next.organisationId, actor: null, action: "event.waitlist_offered", targetType: "event_registration", targetId: next.id, details: next.eventId ? { eventId: next.eventId } : { packageId: next.packageId } });
        made.push({ registrationId: next.id, userId: next.userId, organisationId: next.organisationId, expiresAt });
      }
      await compactWaitlist(tx, first);
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

  async function targetTitle(reg: Pick<RegistrationRow, "eventId" | "packageId">) {
    if (reg.eventId) {
      const [e] = await db.select({ title: event.title }).from(event).where(eq(event.id, reg.eventId));
      return e?.title ?? "";
    }
    const [p] = await db.select({ title: eventPackage.title }).from(eventPackage).where(eq(eventPackage.id, reg.packageId!));
    return p?.title ?? "";
  }

  /** Sessions of a registration's events, for its calendar (the link only when asked). */
  async function sessionsFor(eventIds: readonly string[], includeLink: boolean): Promise<IcsSession[]> {
    if (eventIds.length === 0) return [];
    const rows = await db
      .select({ s: eventSession, title: event.title, venue: event.venue, link: event.onlineLink })
      .from(eventSession)
      .innerJoin(event, eq(event.id, eventSession.eventId))
      .where(inArray(eventSession.eventId, [...eventIds]))
      .orderBy(asc(eventSession.startsAt));
    return rows.map((r) => ({
      id: r.s.id,
      eventTitle: r.title,
      title: r.s.title,
      start: r.s.startsAt,
      end: r.s.endsAt,
      location: r.venue ?? (includeLink ? r.link : null),
      url: includeLink ? r.link : null,
    }));
  }

  const uidDomain = () => new URL(config.appUrl).hostname || "balint-commons";

  async function mailConfirmation(reg: RegistrationRow) {
    const to = await recipient(reg.userId, reg.organisationId);
    if (!to) return;
    const ids = await targetEventIds(db, reg);
    const sessions = await sessionsFor(ids, true);
    const title = await targetTitle(reg);
    const first = sessions[0];
    const start = first ? new Intl.DateTimeFormat(to.locale, { dateStyle: "long", timeStyle: "short", timeZone: to.timeZone }).format(first.start) : "—";
    const attachments: MailAttachment[] = [{ filename: "event.ics", contentType: "text/calendar; charset=utf-8; method=PUBLISH", content: buildEventCalendar({ name: title, sessions, stamp: new Date(), uidDomain: uidDomain() }) }];
    await mailer.send(
      to.email,
      { template: "eventRegistrationConfirmed", locale: to.locale, recipientName: to.name, values: { event: title, organisation: to.orgName, start, payment: reg.paymentStatus }, actionUrl: `${config.appUrl}/account/events` },
      { organisationId: reg.organisationId, attachments },
    );
  }

  async function mailWaitlisted(reg: RegistrationRow) {
    const to = await recipient(reg.userId, reg.organisationId);
    if (!to) return;
    const title = await targetTitle(reg);
    await mailer.send(
      to.email,
      { template: "eventWaitlisted", locale: to.locale, recipientName: to.name, values: { event: title, organisation: to.orgName, position: reg.waitlistPosition ?? 1 }, actionUrl: `${config.appUrl}/account/events` },
      { organisationId: reg.organisationId },
    );
  }

  /** After commit: email each offer and schedule its expiry. */
  async function announceOffers(offers: Offer[]) {
    for (const offer of offers) {
      await jobs.enqueue(EVENT_OFFER_EXPIRY_QUEUE, { registrationId: offer.registrationId, expiresAt: offer.expiresAt.toISOString() }, { startAfter: offer.expiresAt, singletonKey: `${offer.registrationId}:${offer.expiresAt.getTime()}` });
      const to = await recipient(offer.userId, offer.organisationId);
      if (!to) continue;
      const [reg] = await db.select().from(eventRegistration).where(eq(eventRegistration.id, offer.registrationId));
      if (!reg) continue;
      const expires = new Intl.DateTimeFormat(to.locale, { dateStyle: "long", timeStyle: "short", timeZone: to.timeZone }).format(offer.expiresAt);
      await mailer.send(
        to.email,
        { template: "eventSeatOffered", locale: to.locale, recipientName: to.name, values: { event: await targetTitle(reg), organisation: to.orgName, expires }, actionUrl: `${config.appUrl}/account/events` },
        { organisationId: offer.organisationId },
      );
    }
  }

  /**
   * Job handler (also called by tests): an offer whose time is up is cancelled (`offer_expired`)
   * and the seat passes to the next person. Idempotent.
   */
  async function expireOffer(data: { registrationId: string; expiresAt: string }, now = new Date()): Promise<"expired" | "skipped"> {
    if (!UUID.test(data.registrationId)) return "skipped";
    const expiresAt = new Date(data.expiresAt);
    if (now.getTime() < expiresAt.getTime()) return "skipped";
    const result = await db.transaction(async (tx) => {
      const [reg] = await tx.select().from(eventRegistration).where(eq(eventRegistration.id, data.registrationId));
      if (!reg) return null;
      const related = await relatedEventIds(tx, await targetEventIds(tx, reg));
      await lockEvents(tx, related);
      const [current] = await tx.select().from(eventRegistration).where(eq(eventRegistration.id, reg.id)).for("update");
      if (current?.status !== "offered" || !current.offerExpiresAt || current.offerExpiresAt.getTime() > now.getTime()) return null;
      await tx
        .update(eventRegistration)
        .set({ status: "cancelled", cancellationReason: "offer_expired", cancelledAt: now, waitlistPosition: null, refundStatus: current.paymentStatus === "paid" ? "requested" : "none", updatedAt: now })
        .where(eq(eventRegistration.id, current.id));
      await recordAudit(tx, { organisationId: current.organisationId, actor: null, action: "event.waitlist_offer_expired", targetType: "event_registration", targetId: current.id });
      return offerFreeSeats(tx, related, now);
    });
    if (!result) return "skipped";
    await announceOffers(result);
    return "expired";
  }

  /** Expires every offer that is due (a sweep; the per-offer job normally does this). */
  async function expireDueOffers(now = new Date()): Promise<number> {
    const due = await db
      .select({ id: eventRegistration.id, expiresAt: eventRegistration.offerExpiresAt })
      .from(eventRegistration)
      .where(and(eq(eventRegistration.status, "offered"), lte(eventRegistration.offerExpiresAt, now)));
    let n = 0;
    for (const d of due) if ((await expireOffer({ registrationId: d.id, expiresAt: d.expiresAt!.toISOString() }, now)) === "expired") n++;
    return n;
  }

  jobs.define<{ registrationId: string; expiresAt: string }>(EVENT_OFFER_EXPIRY_QUEUE, async (data) => {
    const outcome = await expireOffer(data);
    logger.debug({ registrationId: data.registrationId, outcome }, "event waitlist offer expiry");
  });

  // Every hour across all instances: a sweep for offers whose own expiry job never ran (say, the
  // process stopped between the registration's commit and queueing that job).
  const offerSweep = definePeriodicJob(
    { jobs, db, logger },
    {
      name: "events-offer-sweep",
      periodMs: 3_600_000,
      run: async (now) => {
        const expired = await expireDueOffers(now);
        if (expired) logger.info({ expired }, "event waitlist offers expired by the sweep");
      },
    },
  );

  // ---- views ---------------------------------------------------------------------------------

  async function programme(eventId: string): Promise<DayView[]> {
    const days = await db.select().from(eventDay).where(eq(eventDay.eventId, eventId)).orderBy(asc(eventDay.date));
    const sessions = await db.select().from(eventSession).where(eq(eventSession.eventId, eventId)).orderBy(asc(eventSession.startsAt));
    return days.map((d) => ({
      id: d.id,
      date: d.date,
      label: d.label,
      sessions: sessions.filter((s) => s.dayId === d.id).map((s) => ({ id: s.id, kind: s.kind, title: s.title, start: s.startsAt.toISOString(), end: s.endsAt.toISOString() })),
    }));
  }

  async function tiersOf(t: { eventId?: string; packageId?: string }) {
    const rows = await db
      .select()
      .from(eventPriceTier)
      .where(and(t.eventId ? eq(eventPriceTier.eventId, t.eventId) : eq(eventPriceTier.packageId, t.packageId!), isNull(eventPriceTier.archivedAt)))
      .orderBy(asc(eventPriceTier.position));
    return rows;
  }
  async function questionsOf(t: { eventId?: string; packageId?: string }) {
    return db
      .select()
      .from(eventQuestion)
      .where(t.eventId ? eq(eventQuestion.eventId, t.eventId) : eq(eventQuestion.packageId, t.packageId!))
      .orderBy(asc(eventQuestion.position));
  }

  async function facultyOf(eventId: string) {
    return db
      .select({ userId: eventFaculty.userId, name: user.name, role: eventFaculty.role })
      .from(eventFaculty)
      .innerJoin(user, eq(user.id, eventFaculty.userId))
      .where(eq(eventFaculty.eventId, eventId))
      .orderBy(asc(user.name));
  }

  async function publicView(row: EventRow, org: { slug: string; name: string }, now: Date): Promise<PublicEventView> {
    const [days, tiers, questions, faculty, seats, pkgs] = await Promise.all([
      programme(row.id),
      tiersOf({ eventId: row.id }),
      questionsOf({ eventId: row.id }),
      facultyOf(row.id),
      seatsFor(db, [row.id], now),
      db
        .select({ slug: eventPackage.slug, title: eventPackage.title })
        .from(eventPackageEvent)
        .innerJoin(eventPackage, eq(eventPackage.id, eventPackageEvent.packageId))
        .where(and(eq(eventPackageEvent.eventId, row.id), eq(eventPackage.status, "published"))),
    ]);
    const all = days.flatMap((d) => d.sessions);
    return {
      id: row.id,
      organisation: { slug: org.slug, name: org.name },
      kind: row.kind,
      slug: row.slug,
      title: row.title,
      description: row.description,
      language: row.language,
      timeZone: row.timeZone,
      format: row.format,
      venue: row.venue,
      ceStatement: row.ceStatement,
      ceHours: row.ceHours,
      capacity: row.capacity,
      seatsLeft: seats,
      status: row.status,
      registrationOpensAt: row.registrationOpensAt?.toISOString() ?? null,
      registrationClosesAt: row.registrationClosesAt?.toISOString() ?? null,
      registrationOpen: registrationOpen(row, now),
      startsAt: all.length ? all.map((s) => s.start).sort()[0]! : days[0] ? `${days[0].date}` : null,
      endsAt: all.length ? all.map((s) => s.end).sort().at(-1)! : days.at(-1) ? `${days.at(-1)!.date}` : null,
      days,
      tiers: tiers.map(tierView),
      questions: questions.map(questionView),
      faculty: faculty.map((f) => ({ name: f.name, role: f.role })),
      packages: pkgs,
    };
  }

  async function detailView(row: EventRow, now = new Date()): Promise<EventDetail> {
    const org = await orgById(row.organisationId);
    const pub = await publicView(row, org, now);
    const faculty = await facultyOf(row.id);
    const counts = await db
      .select({ status: eventRegistration.status, n: sql<number>`count(*)::int` })
      .from(eventRegistration)
      .where(eq(eventRegistration.eventId, row.id))
      .groupBy(eventRegistration.status);
    const c = { confirmed: 0, waitlisted: 0, offered: 0, cancelled: 0 };
    for (const r of counts) c[r.status] = Number(r.n);
    return { ...pub, organisationId: row.organisationId, onlineLink: row.onlineLink, faculty, counts: c };
  }

  // ---- organiser: writing events ---------------------------------------------------------------

  type EventFields = Partial<CreateEventInput>;

  async function crossIssues(exec: Executor, orgId: string, merged: { format: EventRow["format"]; venue: string | null | undefined; onlineLink: string | null | undefined; timeZone: string; registrationOpensAt: string | null | undefined; registrationClosesAt: string | null | undefined }, input: EventFields): Promise<FieldError[]> {
    const issues: FieldError[] = [];
    if ((merged.format === "in_person" || merged.format === "hybrid") && !merged.venue) issues.push({ path: "venue", message: "An in-person or hybrid event needs a venue." });
    if ((merged.format === "online" || merged.format === "hybrid") && !merged.onlineLink) issues.push({ path: "onlineLink", message: "An online or hybrid event needs a link (shown to confirmed registrants only)." });
    if (merged.registrationOpensAt && merged.registrationClosesAt && new Date(merged.registrationClosesAt) <= new Date(merged.registrationOpensAt)) issues.push({ path: "registrationClosesAt", message: "Registration must close after it opens." });
    if (input.days) {
      const seen = new Set<string>();
      for (const [i, d] of input.days.entries()) {
        if (seen.has(d.date)) issues.push({ path: `days.${i}.date`, message: "This day is listed twice." });
        seen.add(d.date);
        for (const [j, s] of d.sessions.entries()) if (s.end <= s.start) issues.push({ path: `days.${i}.sessions.${j}.end`, message: "A session must end after it starts." });
      }
    }
    if (input.questions) for (const [i, q] of input.questions.entries()) if (q.kind === "choice" && q.options.length < 2) issues.push({ path: `questions.${i}.options`, message: "A choice question needs at least two options." });
    if (input.faculty) {
      const seen = new Set<string>();
      for (const [i, f] of input.faculty.entries()) {
        if (seen.has(f.userId)) issues.push({ path: `faculty.${i}.userId`, message: "This person is listed twice." });
        seen.add(f.userId);
        const [m] = await exec.select({ role: membership.role }).from(membership).where(and(eq(membership.organisationId, orgId), eq(membership.userId, f.userId)));
        if (!m) issues.push({ path: `faculty.${i}.userId`, message: "Faculty must be members of this organisation." });
        else if (f.role === "supervisor" && ROLE_RANK[m.role] < ROLE_RANK.supervisor) issues.push({ path: `faculty.${i}.role`, message: "A supervisor must hold the role supervisor or above here." });
      }
    }
    return issues;
  }

  async function writeChildren(tx: Executor, row: EventRow, input: EventFields) {
    if (input.days) {
      // Days are kept by date (others' records, e.g. check-ins, may refer to them); sessions are replaced.
      const existing = await tx.select().from(eventDay).where(eq(eventDay.eventId, row.id));
      const wanted = new Set(input.days.map((d) => d.date));
      const gone = existing.filter((d) => !wanted.has(d.date)).map((d) => d.id);
      if (gone.length) {
        // A day people were checked in on cannot leave the programme: their attendance (and CE
        // hours) would go with it. The organiser must keep it (or cancel the event).
        const attended = await tx.selectDistinct({ dayId: eventCheckin.dayId }).from(eventCheckin).where(inArray(eventCheckin.dayId, gone));
        if (attended.length) {
          const dates = existing.filter((d) => attended.some((a) => a.dayId === d.id)).map((d) => d.date);
          throw new AppError("conflict", `People were checked in on ${dates.join(", ")}: keep that day in the programme.`, [{ path: "days", message: `keep ${dates.join(", ")}: people were checked in on it` }]);
        }
        await tx.delete(eventDay).where(inArray(eventDay.id, gone));
      }
      await tx.delete(eventSession).where(eq(eventSession.eventId, row.id));
      for (const d of input.days) {
        let dayId = existing.find((e) => e.date === d.date)?.id;
        if (dayId) await tx.update(eventDay).set({ label: d.label ?? null }).where(eq(eventDay.id, dayId));
        else dayId = (await tx.insert(eventDay).values({ eventId: row.id, date: d.date, label: d.label ?? null }).returning({ id: eventDay.id }))[0]!.id;
        if (d.sessions.length)
          await tx.insert(eventSession).values(
            d.sessions.map((s) => ({ eventId: row.id, dayId: dayId!, kind: s.kind, title: s.title, startsAt: localToInstant(d.date, s.start, row.timeZone), endsAt: localToInstant(d.date, s.end, row.timeZone) })),
          );
      }
    }
    if (input.tiers) await writeTiers(tx, { eventId: row.id }, input.tiers);
    if (input.questions) await writeQuestions(tx, { eventId: row.id }, input.questions);
    if (input.faculty) {
      await tx.delete(eventFaculty).where(eq(eventFaculty.eventId, row.id));
      if (input.faculty.length) await tx.insert(eventFaculty).values(input.faculty.map((f) => ({ eventId: row.id, userId: f.userId, role: f.role })));
    }
  }

  /** Tiers with an id are updated, new ones inserted, missing ones archived (registrations keep theirs). */
  async function writeTiers(tx: Executor, t: { eventId?: string; packageId?: string }, tiers: NonNullable<CreateEventInput["tiers"]>) {
    const where = t.eventId ? eq(eventPriceTier.eventId, t.eventId) : eq(eventPriceTier.packageId, t.packageId!);
    const existing = await tx.select({ id: eventPriceTier.id }).from(eventPriceTier).where(where);
    const keep = new Set<string>();
    for (const [position, tier] of tiers.entries()) {
      const values = { name: tier.name, amountMinor: tier.amountMinor, currency: tier.currency, eligibility: tier.eligibility, traineeDisciplines: tier.traineeDisciplines, discountLabel: tier.discountLabel || null, position, archivedAt: null };
      if (tier.id && existing.some((e) => e.id === tier.id)) {
        await tx.update(eventPriceTier).set(values).where(eq(eventPriceTier.id, tier.id));
        keep.add(tier.id);
      } else await tx.insert(eventPriceTier).values({ ...values, eventId: t.eventId ?? null, packageId: t.packageId ?? null });
    }
    const drop = existing.filter((e) => !keep.has(e.id)).map((e) => e.id);
    if (drop.length) await tx.update(eventPriceTier).set({ archivedAt: new Date() }).where(inArray(eventPriceTier.id, drop));
  }

  async function writeQuestions(tx: Executor, t: { eventId?: string; packageId?: string }, questions: NonNullable<CreateEventInput["questions"]>) {
    const where = t.eventId ? eq(eventQuestion.eventId, t.eventId) : eq(eventQuestion.packageId, t.packageId!);
    const existing = await tx.select({ id: eventQuestion.id }).from(eventQuestion).where(where);
    const keep = new Set<string>();
    for (const [position, q] of questions.entries()) {
      const values = { kind: q.kind, label: q.label, options: q.options, required: q.required, position };
      if (q.id && existing.some((e) => e.id === q.id)) {
        await tx.update(eventQuestion).set(values).where(eq(eventQuestion.id, q.id));
        keep.add(q.id);
      } else await tx.insert(eventQuestion).values({ ...values, eventId: t.eventId ?? null, packageId: t.packageId ?? null });
    }
    const drop = existing.filter((e) => !keep.has(e.id)).map((e) => e.id);
    if (drop.length) await tx.delete(eventQuestion).where(inArray(eventQuestion.id, drop));
  }

  const slugConflict = () => new AppError("conflict", "Another event of this organisation already uses that slug.", [{ path: "slug", message: "Already in use." }]);

  async function createEvent(actor: Actor, orgId: string, raw: unknown, meta: RequestMeta = {}): Promise<EventDetail> {
    requireOrganiser(actor, orgId);
    const input = parse(CreateEventInput, raw);
    const issues = await crossIssues(db, orgId, { ...input, venue: input.venue, onlineLink: input.onlineLink, registrationOpensAt: input.registrationOpensAt, registrationClosesAt: input.registrationClosesAt }, input);
    if (issues.length) throw new AppError("validation_failed", `Invalid ${issues[0]!.path}: ${issues[0]!.message}`, issues);
    try {
      const row = await db.transaction(async (tx) => {
        const [row] = await tx
          .insert(event)
          .values({
            organisationId: orgId,
            kind: input.kind,
            slug: input.slug,
            title: input.title,
            description: input.description,
            language: input.language,
            timeZone: input.timeZone,
            format: input.format,
            venue: input.venue ?? null,
            onlineLink: input.onlineLink ?? null,
            ceStatement: input.ceStatement ?? null,
            ceHours: input.ceHours ?? null,
            capacity: input.capacity,
            registrationOpensAt: input.registrationOpensAt ? new Date(input.registrationOpensAt) : null,
            registrationClosesAt: input.registrationClosesAt ? new Date(input.registrationClosesAt) : null,
          })
          .returning();
        await writeChildren(tx, row!, input);
        await audit(tx, actor, meta, { organisationId: orgId, action: "event.created", targetType: "event", targetId: row!.id, details: { kind: input.kind } });
        return row!;
      });
      return detailView(row);
    } catch (error) {
      if (uniqueViolation(error) === "event_org_slug_key") throw slugConflict();
      throw error;
    }
  }

  async function updateEvent(actor: Actor, orgId: string, eventId: string, raw: unknown, meta: RequestMeta = {}): Promise<EventDetail> {
    requireOrganiser(actor, orgId);
    const current = await loadEvent(db, orgId, eventId);
    const input = parse(UpdateEventInput, raw) as EventFields;
    const merged = {
      format: input.format ?? current.format,
      venue: input.venue !== undefined ? input.venue : current.venue,
      onlineLink: input.onlineLink !== undefined ? input.onlineLink : current.onlineLink,
      timeZone: input.timeZone ?? current.timeZone,
      registrationOpensAt: input.registrationOpensAt !== undefined ? input.registrationOpensAt : (current.registrationOpensAt?.toISOString() ?? null),
      registrationClosesAt: input.registrationClosesAt !== undefined ? input.registrationClosesAt : (current.registrationClosesAt?.toISOString() ?? null),
    };
    const issues = await crossIssues(db, orgId, merged, input);
    if (current.status === "cancelled") issues.push({ path: "status", message: "A cancelled event cannot be edited." });
    if (issues.length) throw new AppError(current.status === "cancelled" ? "conflict" : "validation_failed", `Invalid ${issues[0]!.path}: ${issues[0]!.message}`, issues);
    try {
      const { row, offers } = await db.transaction(async (tx) => {
        const related = await relatedEventIds(tx, [eventId]);
        await lockEvents(tx, related);
        const set: Partial<typeof event.$inferInsert> = { updatedAt: new Date() };
        for (const k of ["kind", "slug", "title", "description", "language", "timeZone", "format", "venue", "onlineLink", "ceStatement", "ceHours", "capacity"] as const) if (input[k] !== undefined) (set as Record<string, unknown>)[k] = input[k];
        if (input.registrationOpensAt !== undefined) set.registrationOpensAt = input.registrationOpensAt ? new Date(input.registrationOpensAt) : null;
        if (input.registrationClosesAt !== undefined) set.registrationClosesAt = input.registrationClosesAt ? new Date(input.registrationClosesAt) : null;
        const [row] = await tx.update(event).set(set).where(eq(event.id, eventId)).returning();
        await writeChildren(tx, row!, input);
        await audit(tx, actor, meta, { organisationId: orgId, action: "event.updated", targetType: "event", targetId: eventId });
        // A raised capacity frees seats for the waitlist.
        const offers = input.capacity !== undefined && input.capacity > current.capacity ? await offerFreeSeats(tx, related, new Date()) : [];
        return { row: row!, offers };
      });
      await announceOffers(offers);
      return detailView(row);
    } catch (error) {
      if (uniqueViolation(error) === "event_org_slug_key") throw slugConflict();
      throw error;
    }
  }

  async function publishEvent(actor: Actor, orgId: string, eventId: string, meta: RequestMeta = {}): Promise<EventDetail> {
    requireOrganiser(actor, orgId);
    const current = await loadEvent(db, orgId, eventId);
    if (current.status === "cancelled") throw new AppError("conflict", "A cancelled event cannot be published.");
    const issues: FieldError[] = [];
    if ((await tiersOf({ eventId })).length === 0) issues.push({ path: "tiers", message: "Add at least one price tier before publishing." });
    if ((await db.select({ id: eventSession.id }).from(eventSession).where(eq(eventSession.eventId, eventId)).limit(1)).length === 0) issues.push({ path: "days", message: "Add at least one day with a session before publishing." });
    if (issues.length) throw new AppError("validation_failed", `Invalid ${issues[0]!.path}: ${issues[0]!.message}`, issues);
    const row = await db.transaction(async (tx) => {
      const [row] = await tx.update(event).set({ status: "published", publishedAt: current.publishedAt ?? new Date(), updatedAt: new Date() }).where(eq(event.id, eventId)).returning();
      await audit(tx, actor, meta, { organisationId: orgId, action: "event.published", targetType: "event", targetId: eventId });
      return row!;
    });
    return detailView(row);
  }

  /** Cancels the event and every open registration (refund requested for paid ones). */
  async function cancelEvent(actor: Actor, orgId: string, eventId: string, meta: RequestMeta = {}): Promise<EventDetail> {
    requireOrganiser(actor, orgId);
    await loadEvent(db, orgId, eventId);
    const row = await db.transaction(async (tx) => {
      const [locked] = await lockEvents(tx, [eventId]);
      if (locked!.status === "cancelled") throw new AppError("conflict", "This event is already cancelled.");
      const now = new Date();
      const [row] = await tx.update(event).set({ status: "cancelled", cancelledAt: now, updatedAt: now }).where(eq(event.id, eventId)).returning();
      const open = await tx.select().from(eventRegistration).where(and(eq(eventRegistration.eventId, eventId), ne(eventRegistration.status, "cancelled")));
      for (const r of open)
        await tx
          .update(eventRegistration)
          .set({ status: "cancelled", cancellationReason: "event_cancelled", cancelledAt: now, cancelledByUserId: actor.userId, waitlistPosition: null, refundStatus: r.paymentStatus === "paid" ? "requested" : "not_applicable", updatedAt: now })
          .where(eq(eventRegistration.id, r.id));
      await audit(tx, actor, meta, { organisationId: orgId, action: "event.cancelled", targetType: "event", targetId: eventId, details: { registrationsCancelled: open.length } });
      return row!;
    });
    return detailView(row);
  }

  async function listEvents(actor: Actor, orgId: string): Promise<{ items: (EventDetail & { id: string })[] }> {
    requireOrganiser(actor, orgId);
    const rows = await db.select().from(event).where(eq(event.organisationId, orgId)).orderBy(asc(event.createdAt));
    const items = await Promise.all(rows.map((r) => detailView(r)));
    items.sort((a, b) => (b.startsAt ?? "").localeCompare(a.startsAt ?? ""));
    return { items };
  }

  async function getEvent(actor: Actor, orgId: string, eventId: string): Promise<EventDetail> {
    requireOrganiser(actor, orgId);
    return detailView(await loadEvent(db, orgId, eventId));
  }

  // ---- organiser: packages ---------------------------------------------------------------------

  async function packageView(row: PackageRow, org: { slug: string; name: string }, now: Date): Promise<PackageView> {
    const ids = await packageEventIds(db, row.id);
    const events = ids.length ? await db.select().from(event).where(inArray(event.id, ids)) : [];
    const evs = await Promise.all(
      events.map(async (e) => {
        const [span] = await db.select({ start: sql<string | null>`min(${eventSession.startsAt})`, end: sql<string | null>`max(${eventSession.endsAt})` }).from(eventSession).where(eq(eventSession.eventId, e.id));
        const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
        return { id: e.id, slug: e.slug, title: e.title, startsAt: iso(span?.start), endsAt: iso(span?.end), status: e.status, opensAt: e.registrationOpensAt };
      }),
    );
    evs.sort((a, b) => (a.startsAt ?? "").localeCompare(b.startsAt ?? ""));
    const open = registrationOpen(row, now) && evs.every((e) => e.status === "published");
    return {
      id: row.id,
      organisation: org,
      slug: row.slug,
      title: row.title,
      description: row.description,
      status: row.status,
      registrationClosesAt: row.registrationClosesAt?.toISOString() ?? null,
      registrationOpen: open,
      seatsLeft: await seatsFor(db, ids, now),
      events: evs.map(({ id, slug, title, startsAt, endsAt }) => ({ id, slug, title, startsAt, endsAt })),
      tiers: (await tiersOf({ packageId: row.id })).map(tierView),
      questions: (await questionsOf({ packageId: row.id })).map(questionView),
    };
  }

  async function createPackage(actor: Actor, orgId: string, raw: unknown, meta: RequestMeta = {}): Promise<PackageView> {
    requireOrganiser(actor, orgId);
    const input = parse(CreatePackageInput, raw);
    const found = await db.select({ id: event.id }).from(event).where(and(eq(event.organisationId, orgId), inArray(event.id, input.eventIds)));
    const issues: FieldError[] = [];
    for (const [i, id] of input.eventIds.entries()) if (!found.some((f) => f.id === id)) issues.push({ path: `eventIds.${i}`, message: "Not an event of this organisation." });
    if (new Set(input.eventIds).size !== input.eventIds.length) issues.push({ path: "eventIds", message: "An event is listed twice." });
    if (issues.length) throw new AppError("validation_failed", `Invalid ${issues[0]!.path}: ${issues[0]!.message}`, issues);
    try {
      const row = await db.transaction(async (tx) => {
        const [row] = await tx
          .insert(eventPackage)
          .values({ organisationId: orgId, slug: input.slug, title: input.title, description: input.description, status: "published", registrationClosesAt: input.registrationClosesAt ? new Date(input.registrationClosesAt) : null })
          .returning();
        await tx.insert(eventPackageEvent).values(input.eventIds.map((eventId) => ({ packageId: row!.id, eventId })));
        await writeTiers(tx, { packageId: row!.id }, input.tiers);
        await writeQuestions(tx, { packageId: row!.id }, input.questions);
        await audit(tx, actor, meta, { organisationId: orgId, action: "event.package_created", targetType: "event_package", targetId: row!.id, details: { events: input.eventIds.length } });
        return row!;
      });
      return packageView(row, await orgById(orgId), new Date());
    } catch (error) {
      if (uniqueViolation(error) === "event_package_org_slug_key") throw new AppError("conflict", "Another package uses that slug.", [{ path: "slug", message: "Already in use." }]);
      throw error;
    }
  }

  async function packageEventIssues(orgId: string, eventIds: readonly string[]): Promise<FieldError[]> {
    const found = await db.select({ id: event.id }).from(event).where(and(eq(event.organisationId, orgId), inArray(event.id, [...eventIds])));
    const issues: FieldError[] = [];
    for (const [i, id] of eventIds.entries()) if (!found.some((f) => f.id === id)) issues.push({ path: `eventIds.${i}`, message: "Not an event of this organisation." });
    if (new Set(eventIds).size !== eventIds.length) issues.push({ path: "eventIds", message: "An event is listed twice." });
    return issues;
  }

  async function loadPackage(exec: Executor, orgId: string, packageId: string): Promise<PackageRow> {
    if (!UUID.test(packageId) || !UUID.test(orgId)) throw new AppError("not_found", "That package was not found.");
    const [row] = await exec.select().from(eventPackage).where(and(eq(eventPackage.id, packageId), eq(eventPackage.organisationId, orgId)));
    if (!row) throw new AppError("not_found", "That package was not found.");
    return row;
  }

  async function packageCounts(packageId: string) {
    const rows = await db.select({ status: eventRegistration.status, n: sql<number>`count(*)::int` }).from(eventRegistration).where(eq(eventRegistration.packageId, packageId)).groupBy(eventRegistration.status);
    const c = { confirmed: 0, waitlisted: 0, offered: 0, cancelled: 0 };
    for (const r of rows) c[r.status] = Number(r.n);
    return c;
  }

  /** Every package of the organisation, drafts included (organisers). */
  async function listPackages(actor: Actor, orgId: string): Promise<{ items: (PackageView & { counts: Awaited<ReturnType<typeof packageCounts>> })[] }> {
    requireOrganiser(actor, orgId);
    const org = await orgById(orgId);
    const rows = await db.select().from(eventPackage).where(eq(eventPackage.organisationId, orgId)).orderBy(asc(eventPackage.createdAt));
    const now = new Date();
    return { items: await Promise.all(rows.map(async (r) => ({ ...(await packageView(r, org, now)), counts: await packageCounts(r.id) }))) };
  }

  async function getPackage(actor: Actor, orgId: string, packageId: string): Promise<PackageView & { counts: Awaited<ReturnType<typeof packageCounts>> }> {
    requireOrganiser(actor, orgId);
    const row = await loadPackage(db, orgId, packageId);
    return { ...(await packageView(row, await orgById(orgId), new Date())), counts: await packageCounts(row.id) };
  }

  /**
   * Change a package. Its events can change, and it can go back to draft, only while nobody holds
   * an open registration for it (seats are counted per event through the package, so moving
   * events under registrants would silently change what they bought); tiers and questions follow
   * the events' rules (archived tiers stay with the registrations that used them).
   */
  async function updatePackage(actor: Actor, orgId: string, packageId: string, raw: unknown, meta: RequestMeta = {}): Promise<PackageView & { counts: Awaited<ReturnType<typeof packageCounts>> }> {
    requireOrganiser(actor, orgId);
    const input = parse(UpdatePackageInput, raw);
    await loadPackage(db, orgId, packageId);
    if (input.eventIds) {
      const issues = await packageEventIssues(orgId, input.eventIds);
      if (issues.length) throw new AppError("validation_failed", `Invalid ${issues[0]!.path}: ${issues[0]!.message}`, issues);
    }
    await db.transaction(async (tx) => {
      const current = await packageEventIds(tx, packageId);
      await lockEvents(tx, [...current, ...(input.eventIds ?? [])]);
      const [row] = await tx.select().from(eventPackage).where(eq(eventPackage.id, packageId)).for("update");
      if (!row) throw new AppError("not_found", "That package was not found.");
      if (row.status === "cancelled") throw new AppError("conflict", "This package is cancelled.");
      const [open] = await tx.select({ id: eventRegistration.id }).from(eventRegistration).where(and(eq(eventRegistration.packageId, packageId), ne(eventRegistration.status, "cancelled"))).limit(1);
      const eventsChange = input.eventIds !== undefined && (input.eventIds.length !== current.length || input.eventIds.some((id) => !current.includes(id)));
      if (open && eventsChange) throw new AppError("conflict", "People are registered for this package: its events cannot change.", [{ path: "eventIds", message: "People are registered." }]);
      if (open && input.status === "draft") throw new AppError("conflict", "People are registered for this package: it cannot go back to draft.", [{ path: "status", message: "People are registered." }]);
      const set: Partial<typeof eventPackage.$inferInsert> = {};
      if (input.title !== undefined) set.title = input.title;
      if (input.description !== undefined) set.description = input.description;
      if (input.status !== undefined) set.status = input.status;
      if (input.registrationClosesAt !== undefined) set.registrationClosesAt = input.registrationClosesAt ? new Date(input.registrationClosesAt) : null;
      if (Object.keys(set).length) await tx.update(eventPackage).set(set).where(eq(eventPackage.id, packageId));
      if (eventsChange) {
        await tx.delete(eventPackageEvent).where(eq(eventPackageEvent.packageId, packageId));
        await tx.insert(eventPackageEvent).values(input.eventIds!.map((eventId) => ({ packageId, eventId })));
      }
      if (input.tiers) await writeTiers(tx, { packageId }, input.tiers);
      if (input.questions) await writeQuestions(tx, { packageId }, input.questions);
      await audit(tx, actor, meta, { organisationId: orgId, action: "event.package_updated", targetType: "event_package", targetId: packageId, details: { eventsChanged: eventsChange, ...(input.status ? { status: input.status } : {}) } });
    });
    return getPackage(actor, orgId, packageId);
  }

  // ---- organiser: registrations, waitlist, payments --------------------------------------------

  async function registrationViews(where: ReturnType<typeof and>): Promise<RegistrationView[]> {
    const rows = await db
      .select({ r: eventRegistration, name: user.name, email: user.email, tierName: eventPriceTier.name })
      .from(eventRegistration)
      .innerJoin(user, eq(user.id, eventRegistration.userId))
      .leftJoin(eventPriceTier, eq(eventPriceTier.id, eventRegistration.tierId))
      .where(where)
      .orderBy(asc(eventRegistration.status), asc(eventRegistration.waitlistPosition), asc(eventRegistration.createdAt));
    const ids = rows.map((r) => r.r.id);
    const answers = ids.length ? await db.select().from(eventRegistrationAnswer).where(inArray(eventRegistrationAnswer.registrationId, ids)) : [];
    return rows.map(({ r, name, email, tierName }) => ({
      id: r.id,
      userId: r.userId,
      name,
      email,
      eventId: r.eventId,
      packageId: r.packageId,
      tier: r.tierId ? { id: r.tierId, name: tierName ?? "" } : null,
      role: r.role,
      status: r.status,
      waitlistPosition: r.waitlistPosition,
      offerExpiresAt: r.offerExpiresAt?.toISOString() ?? null,
      reorderReason: r.reorderReason,
      amountMinor: r.amountMinor,
      currency: r.currency,
      paymentStatus: r.paymentStatus,
      paymentProvider: r.paymentProvider,
      paymentReference: r.paymentReference,
      paymentRecordedAt: r.paymentRecordedAt?.toISOString() ?? null,
      refundStatus: r.refundStatus,
      cancellationReason: r.cancellationReason,
      discipline: r.discipline,
      traineeStage: r.traineeStage,
      experience: r.experience,
      answers: Object.fromEntries(answers.filter((a) => a.registrationId === r.id).map((a) => [a.questionId, a.value])),
      createdAt: r.createdAt.toISOString(),
    }));
  }

  /** Registrations of an event: direct ones and those through a package holding it. */
  async function listRegistrations(actor: Actor, orgId: string, eventId: string): Promise<{ items: RegistrationView[] }> {
    requireOrganiser(actor, orgId);
    await loadEvent(db, orgId, eventId);
    const pkgIds = (await db.select({ id: eventPackageEvent.packageId }).from(eventPackageEvent).where(eq(eventPackageEvent.eventId, eventId))).map((p) => p.id);
    return { items: await registrationViews(and(eq(eventRegistration.organisationId, orgId), or(eq(eventRegistration.eventId, eventId), pkgIds.length ? inArray(eventRegistration.packageId, pkgIds) : sql`false`))) };
  }

  async function loadRegistration(exec: Executor, orgId: string, registrationId: string): Promise<RegistrationRow> {
    if (!UUID.test(registrationId) || !UUID.test(orgId)) throw notFoundRegistration();
    const [row] = await exec.select().from(eventRegistration).where(and(eq(eventRegistration.id, registrationId), eq(eventRegistration.organisationId, orgId)));
    if (!row) throw notFoundRegistration();
    return row;
  }

  async function reorderWaitlist(actor: Actor, orgId: string, eventId: string, registrationId: string, raw: unknown, meta: RequestMeta = {}): Promise<{ items: RegistrationView[] }> {
    requireOrganiser(actor, orgId);
    const input = parse(ReorderInput, raw);
    await loadEvent(db, orgId, eventId);
    await db.transaction(async (tx) => {
      await lockEvents(tx, [eventId]);
      const reg = await loadRegistration(tx, orgId, registrationId);
      if (reg.eventId !== eventId) throw notFoundRegistration();
      if (reg.status !== "waitlisted") throw new AppError("conflict", "Only people waiting (without an open offer) can be moved.");
      const rows = await tx.select({ id: eventRegistration.id }).from(eventRegistration).where(and(eq(eventRegistration.eventId, eventId), eq(eventRegistration.status, "waitlisted"))).orderBy(asc(eventRegistration.waitlistPosition), asc(eventRegistration.createdAt));
      const order = reorder(rows.map((r) => r.id), registrationId, input.position);
      const from = rows.findIndex((r) => r.id === registrationId) + 1;
      for (const [i, id] of order.entries()) await tx.update(eventRegistration).set({ waitlistPosition: i + 1 }).where(eq(eventRegistration.id, id));
      const now = new Date();
      await tx.update(eventRegistration).set({ reorderReason: input.reason, reorderedByUserId: actor.userId, reorderedAt: now, updatedAt: now }).where(eq(eventRegistration.id, registrationId));
      await audit(tx, actor, meta, { organisationId: orgId, action: "event.waitlist_reordered", targetType: "event_registration", targetId: registrationId, details: { eventId, from, to: order.indexOf(registrationId) + 1, reason: input.reason } });
    });
    return listRegistrations(actor, orgId, eventId);
  }

  /** The manual payment provider: the organiser marks paid / refunded / waived / unpaid. */
  async function recordPayment(actor: Actor, orgId: string, registrationId: string, raw: unknown, meta: RequestMeta = {}): Promise<RegistrationView> {
    requireOrganiser(actor, orgId);
    const input = parse(PaymentInput, raw);
    await db.transaction(async (tx) => {
      const [reg] = await tx.select().from(eventRegistration).where(and(eq(eventRegistration.id, UUID.test(registrationId) ? registrationId : "00000000-0000-0000-0000-000000000000"), eq(eventRegistration.organisationId, orgId))).for("update");
      if (!reg) throw notFoundRegistration();
      if (input.status === "refunded" && reg.paymentStatus !== "paid") throw new AppError("conflict", "Only a paid registration can be refunded.", [{ path: "status", message: "Not paid." }]);
      const now = new Date();
      await tx
        .update(eventRegistration)
        .set({
          paymentStatus: input.status,
          paymentProvider: "manual",
          paymentReference: input.reference || null,
          paymentRecordedByUserId: actor.userId,
          paymentRecordedAt: now,
          ...(input.status === "refunded" ? { refundStatus: "refunded" as const } : {}),
          updatedAt: now,
        })
        .where(eq(eventRegistration.id, reg.id));
      await audit(tx, actor, meta, { organisationId: orgId, action: "event.payment_recorded", targetType: "event_registration", targetId: reg.id, details: { status: input.status, provider: "manual" } });
    });
    return (await registrationViews(eq(eventRegistration.id, registrationId)))[0]!;
  }

  async function setRole(actor: Actor, orgId: string, registrationId: string, raw: unknown, meta: RequestMeta = {}): Promise<RegistrationView> {
    requireOrganiser(actor, orgId);
    const input = parse(RoleInput, raw);
    const reg = await loadRegistration(db, orgId, registrationId);
    await db.transaction(async (tx) => {
      await tx.update(eventRegistration).set({ role: input.role, updatedAt: new Date() }).where(eq(eventRegistration.id, reg.id));
      await audit(tx, actor, meta, { organisationId: orgId, action: "event.registration_role_changed", targetType: "event_registration", targetId: reg.id, details: { role: input.role } });
    });
    return (await registrationViews(eq(eventRegistration.id, registrationId)))[0]!;
  }

  // ---- public ----------------------------------------------------------------------------------

  async function publicEvents(orgSlug: string, now = new Date()): Promise<{ organisation: { slug: string; name: string }; upcoming: PublicEventView[]; past: PublicEventView[]; packages: PackageView[] }> {
    const org = await orgBySlug(orgSlug);
    const rows = await db.select().from(event).where(and(eq(event.organisationId, org.id), inArray(event.status, ["published", "cancelled"]), sql`${event.publishedAt} is not null`));
    const views = await Promise.all(rows.map((r) => publicView(r, org, now)));
    const nowIso = now.toISOString();
    const upcoming = views.filter((v) => (v.endsAt ?? "9999") >= nowIso).sort((a, b) => (a.startsAt ?? "").localeCompare(b.startsAt ?? ""));
    const past = views.filter((v) => (v.endsAt ?? "9999") < nowIso).sort((a, b) => (b.startsAt ?? "").localeCompare(a.startsAt ?? ""));
    const pkgs = await db.select().from(eventPackage).where(and(eq(eventPackage.organisationId, org.id), eq(eventPackage.status, "published")));
    return { organisation: org, upcoming, past, packages: await Promise.all(pkgs.map((p) => packageView(p, org, now))) };
  }

  async function publicEventRow(orgSlug: string, eventSlug: string) {
    const org = await orgBySlug(orgSlug);
    const [row] = await db.select().from(event).where(and(eq(event.organisationId, org.id), eq(event.slug, eventSlug.toLowerCase())));
    if (!row || row.publishedAt === null) throw notFoundEvent();
    return { org, row };
  }

  async function publicEvent(orgSlug: string, eventSlug: string, now = new Date()): Promise<PublicEventView> {
    const { org, row } = await publicEventRow(orgSlug, eventSlug);
    return publicView(row, org, now);
  }

  async function publicPackage(orgSlug: string, packageSlug: string, now = new Date()): Promise<PackageView> {
    const org = await orgBySlug(orgSlug);
    const [row] = await db.select().from(eventPackage).where(and(eq(eventPackage.organisationId, org.id), eq(eventPackage.slug, packageSlug.toLowerCase()), ne(eventPackage.status, "draft")));
    if (!row) throw notFoundEvent();
    return packageView(row, org, now);
  }

  /** The public .ics of an event: every session, the venue, never the online link. */
  async function publicCalendar(orgSlug: string, eventSlug: string): Promise<{ filename: string; body: string }> {
    const { row } = await publicEventRow(orgSlug, eventSlug);
    const sessions = await sessionsFor([row.id], false);
    return { filename: `${row.slug}.ics`, body: buildEventCalendar({ name: row.title, sessions, stamp: row.updatedAt, uidDomain: uidDomain(), cancelled: row.status === "cancelled" }) };
  }

  // ---- registering -------------------------------------------------------------------------------

  async function register(actor: Actor, orgSlug: string, target: { kind: "event" | "package"; slug: string }, raw: unknown, meta: RequestMeta = {}, now = new Date()): Promise<MyRegistrationView> {
    if (actor.kind === "anonymous") throw new AppError("unauthenticated", "Please sign in to register.");
    const org = await orgBySlug(orgSlug);
    if (actor.tokenScope) {
      if (actor.tokenScope.organisationId !== org.id) throw notFoundEvent();
      throw new AppError("forbidden", "Register while signed in, not with an API token.");
    }
    const userId = requireUser(actor);
    let t: { eventId: string | null; packageId: string | null };
    let window: { status: string; registrationOpensAt: Date | null; registrationClosesAt: Date | null };
    if (target.kind === "event") {
      const [row] = await db.select().from(event).where(and(eq(event.organisationId, org.id), eq(event.slug, target.slug.toLowerCase())));
      if (!row || row.publishedAt === null) throw notFoundEvent();
      t = { eventId: row.id, packageId: null };
      window = row;
    } else {
      const [row] = await db.select().from(eventPackage).where(and(eq(eventPackage.organisationId, org.id), eq(eventPackage.slug, target.slug.toLowerCase()), ne(eventPackage.status, "draft")));
      if (!row) throw notFoundEvent();
      t = { eventId: null, packageId: row.id };
      window = { status: row.status, registrationOpensAt: null, registrationClosesAt: row.registrationClosesAt };
    }
    const input = parse(RegisterInput, raw);
    const tiers = await tiersOf(t.eventId ? { eventId: t.eventId } : { packageId: t.packageId! });
    const tier = tiers.find((x) => x.id === input.tierId);
    if (!tier) throw new AppError("validation_failed", "Invalid tierId: not a price tier of this event.", [{ path: "tierId", message: "Not a price tier of this event." }]);
    if (window.status === "cancelled") throw new AppError("conflict", "This event is cancelled.");
    if (window.registrationOpensAt && window.registrationOpensAt > now) throw new AppError("conflict", "Registration has not opened yet.", [{ path: "registrationOpensAt", message: "Not open yet." }]);
    if (window.registrationClosesAt && window.registrationClosesAt <= now) throw new AppError("conflict", "Registration has closed.", [{ path: "registrationClosesAt", message: "Closed." }]);
    if (tier.eligibility === "member" && roleIn(actor, org.id) === null) throw new AppError("forbidden", "This price is for members of the organisation.", [{ path: "tierId", message: "Only for members of the organisation." }]);
    if (tier.eligibility === "trainee") {
      if (!input.trainee) throw new AppError("validation_failed", "Invalid trainee: declare your stage of training and discipline for the trainee price.", [{ path: "trainee", message: "Declare your stage of training and discipline." }]);
      if (tier.traineeDisciplines.length && !tier.traineeDisciplines.includes(input.trainee.discipline))
        throw new AppError("forbidden", "This trainee price is not for your discipline.", [{ path: "tierId", message: `Only for trainees in ${tier.traineeDisciplines.join(", ")}.` }]);
    }
    const questions = await questionsOf(t.eventId ? { eventId: t.eventId } : { packageId: t.packageId! });
    const issues = answerIssues(questions, input.answers);
    if (issues.length) throw new AppError("validation_failed", `Invalid ${issues[0]!.path}: ${issues[0]!.message}`, issues);
    const [me] = await db.select({ email: user.email }).from(user).where(eq(user.id, userId));
    const keepApart = [...new Set(input.keepApart)].filter((e) => e !== me?.email.toLowerCase());
    const colleagues = keepApart.length ? await db.select({ id: user.id, email: user.email }).from(user).where(inArray(sql`lower(${user.email})`, keepApart)) : [];

    let reg: RegistrationRow;
    try {
      reg = await db.transaction(async (tx) => {
        const ids = await targetEventIds(tx, t);
        const locked = await lockEvents(tx, ids);
        if (locked.some((e) => e.status !== "published")) throw new AppError("conflict", "This event does not take registrations now.");
        // One open registration per person: directly, or through a package holding the event.
        const pkgIdsOf = await tx.select({ packageId: eventPackageEvent.packageId }).from(eventPackageEvent).where(inArray(eventPackageEvent.eventId, ids));
        const clash = await tx
          .select({ id: eventRegistration.id })
          .from(eventRegistration)
          .where(
            and(
              eq(eventRegistration.userId, userId),
              ne(eventRegistration.status, "cancelled"),
              or(inArray(eventRegistration.eventId, ids), pkgIdsOf.length ? inArray(eventRegistration.packageId, pkgIdsOf.map((p) => p.packageId)) : sql`false`),
            ),
          )
          .limit(1);
        if (clash.length) throw new AppError("conflict", "You are already registered for this event.");
        const seats = await seatsFor(tx, ids, now);
        const confirmed = seats > 0;
        let position: number | null = null;
        if (!confirmed) {
          const [m] = await tx.select({ max: sql<number | null>`max(${eventRegistration.waitlistPosition})` }).from(eventRegistration).where(and(targetWhere(t), eq(eventRegistration.status, "waitlisted")));
          position = Number(m?.max ?? 0) + 1;
        }
        const discipline = input.trainee?.discipline ?? input.discipline ?? null;
        const [row] = await tx
          .insert(eventRegistration)
          .values({
            organisationId: org.id,
            eventId: t.eventId,
            packageId: t.packageId,
            userId,
            tierId: tier.id,
            role: input.role,
            status: confirmed ? "confirmed" : "waitlisted",
            traineeStage: tier.eligibility === "trainee" ? input.trainee!.stage : null,
            discipline,
            experience: input.experience ?? null,
            affiliation: input.affiliation || null,
            amountMinor: tier.amountMinor,
            currency: tier.currency,
            paymentStatus: tier.amountMinor === 0 ? "waived" : "unpaid",
            waitlistPosition: position,
            confirmedAt: confirmed ? now : null,
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        const answers = Object.entries(input.answers).filter(([, v]) => v.trim() !== "");
        if (answers.length) await tx.insert(eventRegistrationAnswer).values(answers.map(([questionId, value]) => ({ registrationId: row!.id, questionId, value: value.trim() })));
        if (keepApart.length)
          await tx.insert(eventKeepApart).values(keepApart.map((email) => ({ registrationId: row!.id, colleagueEmail: email, colleagueUserId: colleagues.find((c) => c.email.toLowerCase() === email)?.id ?? null })));
        await audit(tx, actor, meta, { organisationId: org.id, action: "event.registered", targetType: "event_registration", targetId: row!.id, details: { ...(t.eventId ? { eventId: t.eventId } : { packageId: t.packageId }), status: row!.status, eligibility: tier.eligibility } });
        return row!;
      });
    } catch (error) {
      if (uniqueViolation(error)) throw new AppError("conflict", "You are already registered for this event.");
      throw error;
    }
    if (reg.status === "confirmed") await mailConfirmation(reg);
    else await mailWaitlisted(reg);
    return (await myViews(eq(eventRegistration.id, reg.id), true))[0]!;
  }

  async function myViews(where: ReturnType<typeof and>, withLinks: boolean): Promise<MyRegistrationView[]> {
    const rows = await db
      .select({ r: eventRegistration, tierName: eventPriceTier.name, orgSlug: organisation.slug, orgName: organisation.name })
      .from(eventRegistration)
      .innerJoin(organisation, eq(organisation.id, eventRegistration.organisationId))
      .leftJoin(eventPriceTier, eq(eventPriceTier.id, eventRegistration.tierId))
      .where(where)
      .orderBy(asc(eventRegistration.createdAt));
    const out: MyRegistrationView[] = [];
    for (const { r, tierName, orgSlug, orgName } of rows) {
      const ids = await targetEventIds(db, r);
      const evs = ids.length ? await db.select().from(event).where(inArray(event.id, ids)) : [];
      const [span] = ids.length ? await db.select({ start: sql<string | null>`min(${eventSession.startsAt})`, end: sql<string | null>`max(${eventSession.endsAt})` }).from(eventSession).where(inArray(eventSession.eventId, ids)) : [];
      const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
      let slug = "";
      let title = "";
      if (r.eventId) ({ slug, title } = evs[0] ?? { slug: "", title: "" });
      else {
        const [p] = await db.select().from(eventPackage).where(eq(eventPackage.id, r.packageId!));
        ({ slug, title } = p ?? { slug: "", title: "" });
      }
      out.push({
        id: r.id,
        organisation: { slug: orgSlug, name: orgName },
        target: { kind: r.eventId ? "event" : "package", slug, title, startsAt: iso(span?.start), endsAt: iso(span?.end) },
        tierName,
        role: r.role,
        status: r.status,
        waitlistPosition: r.waitlistPosition,
        offerExpiresAt: r.offerExpiresAt?.toISOString() ?? null,
        amountMinor: r.amountMinor,
        currency: r.currency,
        paymentStatus: r.paymentStatus,
        refundStatus: r.refundStatus,
        onlineLinks: withLinks && r.status === "confirmed" ? evs.filter((e) => e.onlineLink && e.status === "published").map((e) => ({ event: e.title, link: e.onlineLink! })) : [],
      });
    }
    return out;
  }

  async function myRegistrations(actor: Actor): Promise<{ items: MyRegistrationView[] }> {
    const userId = requireUser(actor);
    if (actor.tokenScope) throw new AppError("forbidden", "Use the app while signed in to see your registrations.");
    return { items: await myViews(eq(eventRegistration.userId, userId), true) };
  }

  async function loadMine(actor: Actor, registrationId: string): Promise<RegistrationRow> {
    const userId = requireUser(actor);
    if (actor.tokenScope || !UUID.test(registrationId)) throw notFoundRegistration();
    const [row] = await db.select().from(eventRegistration).where(and(eq(eventRegistration.id, registrationId), eq(eventRegistration.userId, userId)));
    if (!row) throw notFoundRegistration();
    return row;
  }

  /** Cancel my registration, leave the waitlist or decline an offer; a freed seat is offered on. */
  async function cancelMine(actor: Actor, registrationId: string, meta: RequestMeta = {}, now = new Date()): Promise<MyRegistrationView> {
    const reg = await loadMine(actor, registrationId);
    const offers = await db.transaction(async (tx) => {
      const related = await relatedEventIds(tx, await targetEventIds(tx, reg));
      await lockEvents(tx, related);
      const [current] = await tx.select().from(eventRegistration).where(eq(eventRegistration.id, reg.id)).for("update");
      if (!current || current.status === "cancelled") throw new AppError("conflict", "This registration is already cancelled.");
      const reason = current.status === "waitlisted" ? "left_waitlist" : current.status === "offered" ? "offer_declined" : "by_registrant";
      await tx
        .update(eventRegistration)
        .set({ status: "cancelled", cancellationReason: reason, cancelledAt: now, cancelledByUserId: actor.userId, waitlistPosition: null, refundStatus: current.paymentStatus === "paid" ? "requested" : "not_applicable", updatedAt: now })
        .where(eq(eventRegistration.id, current.id));
      await audit(tx, actor, meta, { organisationId: current.organisationId, action: "event.registration_cancelled", targetType: "event_registration", targetId: current.id, details: { reason } });
      await compactWaitlist(tx, current);
      return offerFreeSeats(tx, related, now);
    });
    await announceOffers(offers);
    return (await myViews(eq(eventRegistration.id, reg.id), true))[0]!;
  }

  /** Accept an open offer: confirmed. After the offer expired: 410, and the seat passes on. */
  async function acceptOffer(actor: Actor, registrationId: string, meta: RequestMeta = {}, now = new Date()): Promise<MyRegistrationView> {
    const reg = await loadMine(actor, registrationId);
    const outcome = await db.transaction(async (tx) => {
      const related = await relatedEventIds(tx, await targetEventIds(tx, reg));
      await lockEvents(tx, related);
      const [current] = await tx.select().from(eventRegistration).where(eq(eventRegistration.id, reg.id)).for("update");
      if (current?.status !== "offered") return { kind: "not_offered" as const };
      if (!current.offerExpiresAt || current.offerExpiresAt <= now) {
        await tx.update(eventRegistration).set({ status: "cancelled", cancellationReason: "offer_expired", cancelledAt: now, waitlistPosition: null, updatedAt: now }).where(eq(eventRegistration.id, current.id));
        await recordAudit(tx, { organisationId: current.organisationId, actor: null, action: "event.waitlist_offer_expired", targetType: "event_registration", targetId: current.id });
        return { kind: "expired" as const, offers: await offerFreeSeats(tx, related, now) };
      }
      await tx.update(eventRegistration).set({ status: "confirmed", confirmedAt: now, waitlistPosition: null, offerExpiresAt: null, updatedAt: now }).where(eq(eventRegistration.id, current.id));
      await audit(tx, actor, meta, { organisationId: current.organisationId, action: "event.waitlist_offer_accepted", targetType: "event_registration", targetId: current.id });
      return { kind: "accepted" as const };
    });
    if (outcome.kind === "not_offered") throw new AppError("conflict", "There is no open offer for this registration.");
    if (outcome.kind === "expired") {
      await announceOffers(outcome.offers);
      throw new AppError("gone", "This offer has expired and the place was offered to the next person.");
    }
    const [fresh] = await db.select().from(eventRegistration).where(eq(eventRegistration.id, reg.id));
    await mailConfirmation(fresh!);
    return (await myViews(eq(eventRegistration.id, reg.id), true))[0]!;
  }

  /** My calendar for a confirmed registration: every session (package: of every event), with the link. */
  async function myCalendar(actor: Actor, registrationId: string): Promise<{ filename: string; body: string }> {
    const reg = await loadMine(actor, registrationId);
    if (reg.status !== "confirmed") throw new AppError("conflict", "The calendar is available once your place is confirmed.");
    const sessions = await sessionsFor(await targetEventIds(db, reg), true);
    return { filename: "registration.ics", body: buildEventCalendar({ name: await targetTitle(reg), sessions, stamp: reg.updatedAt, uidDomain: uidDomain() }) };
  }

  // ---- payment webhooks ----------------------------------------------------------------------------

  async function paymentWebhook(providerName: string, rawBody: string, headers: Headers, now = new Date()): Promise<{ outcome: "applied" | "duplicate" | "unknown_registration" | "amount_mismatch" }> {
    const provider = providers.get(providerName);
    if (!provider || !provider.acceptsWebhooks) throw new AppError("not_found", "Unknown payment provider.");
    const notice = provider.parseWebhook(rawBody, headers, now);
    return db.transaction(async (tx) => {
      const inserted = await tx
        .insert(eventPaymentNotice)
        .values({ provider: provider.name, providerEventId: notice.noticeId, registrationId: null, outcome: "pending", receivedAt: now })
        .onConflictDoNothing()
        .returning({ id: eventPaymentNotice.providerEventId });
      if (inserted.length === 0) return { outcome: "duplicate" as const };
      const [reg] = await tx.select().from(eventRegistration).where(eq(eventRegistration.id, notice.registrationId)).for("update");
      const finish = async (outcome: "applied" | "unknown_registration" | "amount_mismatch") => {
        await tx.update(eventPaymentNotice).set({ outcome, registrationId: reg?.id ?? null }).where(and(eq(eventPaymentNotice.provider, provider.name), eq(eventPaymentNotice.providerEventId, notice.noticeId)));
        return { outcome };
      };
      if (!reg) return finish("unknown_registration");
      if (notice.kind === "paid" && (notice.currency !== reg.currency || notice.amountMinor < reg.amountMinor)) {
        await recordAudit(tx, { organisationId: reg.organisationId, actor: null, action: "event.payment_mismatch", targetType: "event_registration", targetId: reg.id, details: { provider: provider.name } });
        return finish("amount_mismatch");
      }
      await tx
        .update(eventRegistration)
        .set({
          paymentStatus: notice.kind,
          paymentProvider: provider.name,
          paymentReference: notice.reference?.slice(0, 120) ?? null,
          paymentRecordedByUserId: null,
          paymentRecordedAt: now,
          ...(notice.kind === "refunded" ? { refundStatus: "refunded" as const } : reg.status === "cancelled" ? { refundStatus: "requested" as const } : {}),
          updatedAt: now,
        })
        .where(eq(eventRegistration.id, reg.id));
      await recordAudit(tx, { organisationId: reg.organisationId, actor: null, action: "event.payment_recorded", targetType: "event_registration", targetId: reg.id, details: { status: notice.kind, provider: provider.name } });
      return finish("applied");
    });
  }

  /** For the roster / certificate work: people holding a place at an event (directly or by package). */
  async function attendeesOf(eventId: string) {
    const pkgIds = (await db.select({ id: eventPackageEvent.packageId }).from(eventPackageEvent).where(eq(eventPackageEvent.eventId, eventId))).map((p) => p.id);
    return db
      .select()
      .from(eventRegistration)
      .where(and(eq(eventRegistration.status, "confirmed"), or(eq(eventRegistration.eventId, eventId), pkgIds.length ? inArray(eventRegistration.packageId, pkgIds) : sql`false`)));
  }

  /** Organisations whose events the actor may organise (for the UI). */
  function mayOrganise(actor: Actor, orgId: string) {
    return can(actor, "groups:manage", { organisationId: orgId });
  }

  return {
    createEvent,
    updateEvent,
    publishEvent,
    cancelEvent,
    listEvents,
    getEvent,
    createPackage,
    listPackages,
    getPackage,
    updatePackage,
    listRegistrations,
    reorderWaitlist,
    recordPayment,
    setRole,
    publicEvents,
    publicEvent,
    publicPackage,
    publicCalendar,
    register,
    myRegistrations,
    cancelMine,
    acceptOffer,
    myCalendar,
    paymentWebhook,
    expireOffer,
    expireDueOffers,
    /** Starts the hourly offer sweep (call once after the job queue started; safe on every instance). */
    startScheduler: (now = new Date()) => offerSweep.start(now),
    attendeesOf,
    mayOrganise,
  };
}

export type EventsService = ReturnType<typeof createEventsService>;
