import { sql } from "drizzle-orm";
import { boolean, check, date, index, integer, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { user } from "../../platform/auth/schema.ts";
import { organisation } from "../../platform/tenancy/schema.ts";
import {
  ATTENDEE_ROLES,
  CANCELLATION_REASONS,
  EVENT_FORMATS,
  EXPERIENCE_LEVELS,
  EVENT_KINDS,
  EVENT_STATUSES,
  FACULTY_ROLES,
  PAYMENT_STATUSES,
  QUESTION_KINDS,
  REFUND_STATUSES,
  REGISTRATION_STATUSES,
  SESSION_KINDS,
  TIER_ELIGIBILITIES,
  TRAINEE_STAGES,
  WAITLIST_REORDER_REASONS,
} from "./constants.ts";

// Training events: intensives, workshops, conferences, webinars, fellowship cohorts.
// There is NO column for case content or patient details. Free text is limited to what the
// organiser publishes (title, description, venue, CE statement, question labels) and short
// registration answers (≤ 200 characters: a diet, an access need).
//
// A registration is for ONE event (event_id) or for ONE package (package_id: a series of events,
// one registration, one payment, one calendar entry per session of every event in it). A seat in
// event E is used by confirmed registrations and open offers for E or for any package holding E
// (faculty registrations use no seat). See service.server.ts.

export const event = pgTable(
  "event",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisation.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: EVENT_KINDS }).notNull(),
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    /** BCP 47 tag of the language the event is held in. */
    language: text("language").notNull(),
    timeZone: text("time_zone").notNull(),
    format: text("format", { enum: EVENT_FORMATS }).notNull(),
    /** Venue (public: a city and a place name is what people need to decide). */
    venue: text("venue"),
    /** Online link: confirmed registrants, faculty and organisers only; never public. */
    onlineLink: text("online_link"),
    ceStatement: text("ce_statement"),
    ceHours: numeric("ce_hours", { precision: 5, scale: 2, mode: "number" }),
    capacity: integer("capacity").notNull(),
    registrationOpensAt: timestamp("registration_opens_at", { withTimezone: true }),
    registrationClosesAt: timestamp("registration_closes_at", { withTimezone: true }),
    status: text("status", { enum: EVENT_STATUSES }).notNull().default("draft"),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("event_org_slug_key").on(t.organisationId, t.slug),
    index("event_org_status_idx").on(t.organisationId, t.status),
    check("event_capacity_check", sql`${t.capacity} between 1 and 5000`),
    check("event_ce_hours_check", sql`${t.ceHours} is null or (${t.ceHours} >= 0 and ${t.ceHours} <= 200)`),
    check("event_kind_check", sql`${t.kind} in ('intensive','workshop','conference','webinar','fellowship_cohort')`),
    check("event_status_check", sql`${t.status} in ('draft','published','cancelled')`),
    check("event_format_check", sql`${t.format} in ('in_person','online','hybrid')`),
  ],
);

/** A day of an event, in the event's time zone. */
export const eventDay = pgTable(
  "event_day",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    eventId: uuid("event_id")
      .notNull()
      .references(() => event.id, { onDelete: "cascade" }),
    date: date("date", { mode: "string" }).notNull(),
    label: text("label"),
  },
  (t) => [uniqueIndex("event_day_event_date_key").on(t.eventId, t.date)],
);

export const eventSession = pgTable(
  "event_session",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    eventId: uuid("event_id")
      .notNull()
      .references(() => event.id, { onDelete: "cascade" }),
    dayId: uuid("day_id")
      .notNull()
      .references(() => eventDay.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: SESSION_KINDS }).notNull(),
    title: text("title").notNull(),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    index("event_session_event_idx").on(t.eventId, t.startsAt),
    check("event_session_time_check", sql`${t.endsAt} > ${t.startsAt}`),
    check("event_session_kind_check", sql`${t.kind} in ('experiential_group','small_group','faculty_panel','debrief','other')`),
  ],
);

export const eventFaculty = pgTable(
  "event_faculty",
  {
    eventId: uuid("event_id")
      .notNull()
      .references(() => event.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    role: text("role", { enum: FACULTY_ROLES }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.userId] }), index("event_faculty_user_idx").on(t.userId), check("event_faculty_role_check", sql`${t.role} in ('faculty','supervisor')`)],
);

/** A series of events sold as one registration. */
export const eventPackage = pgTable(
  "event_package",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisation.id, { onDelete: "cascade" }),
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    status: text("status", { enum: EVENT_STATUSES }).notNull().default("draft"),
    registrationClosesAt: timestamp("registration_closes_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("event_package_org_slug_key").on(t.organisationId, t.slug), check("event_package_status_check", sql`${t.status} in ('draft','published','cancelled')`)],
);

export const eventPackageEvent = pgTable(
  "event_package_event",
  {
    packageId: uuid("package_id")
      .notNull()
      .references(() => eventPackage.id, { onDelete: "cascade" }),
    eventId: uuid("event_id")
      .notNull()
      .references(() => event.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.packageId, t.eventId] }), index("event_package_event_event_idx").on(t.eventId)],
);

/** A price tier of an event or of a package (exactly one of the two). */
export const eventPriceTier = pgTable(
  "event_price_tier",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    eventId: uuid("event_id").references(() => event.id, { onDelete: "cascade" }),
    packageId: uuid("package_id").references(() => eventPackage.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    amountMinor: integer("amount_minor").notNull(),
    /** ISO 4217, e.g. "USD". */
    currency: text("currency").notNull(),
    eligibility: text("eligibility", { enum: TIER_ELIGIBILITIES }).notNull(),
    /** Trainee tiers: disciplines accepted (empty = any discipline). */
    traineeDisciplines: text("trainee_disciplines").array().notNull().default(sql`'{}'::text[]`),
    /** Shown next to the price, e.g. "20% off for trainees". */
    discountLabel: text("discount_label"),
    position: integer("position").notNull().default(0),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
  },
  (t) => [
    index("event_price_tier_event_idx").on(t.eventId),
    index("event_price_tier_package_idx").on(t.packageId),
    check("event_price_tier_target_check", sql`(${t.eventId} is null) <> (${t.packageId} is null)`),
    check("event_price_tier_amount_check", sql`${t.amountMinor} >= 0`),
    check("event_price_tier_currency_check", sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check("event_price_tier_eligibility_check", sql`${t.eligibility} in ('member','anyone','trainee')`),
  ],
);

/** A question the organiser asks at registration (event or package). */
export const eventQuestion = pgTable(
  "event_question",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    eventId: uuid("event_id").references(() => event.id, { onDelete: "cascade" }),
    packageId: uuid("package_id").references(() => eventPackage.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: QUESTION_KINDS }).notNull(),
    label: text("label").notNull(),
    /** For `choice` (and optionally dietary): the allowed answers. */
    options: text("options").array().notNull().default(sql`'{}'::text[]`),
    required: boolean("required").notNull().default(false),
    position: integer("position").notNull().default(0),
  },
  (t) => [
    index("event_question_event_idx").on(t.eventId),
    check("event_question_target_check", sql`(${t.eventId} is null) <> (${t.packageId} is null)`),
    check("event_question_kind_check", sql`${t.kind} in ('dietary','accessibility','discipline','balint_experience','short_text','choice')`),
  ],
);

export const eventRegistration = pgTable(
  "event_registration",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisation.id, { onDelete: "cascade" }),
    eventId: uuid("event_id").references(() => event.id, { onDelete: "cascade" }),
    packageId: uuid("package_id").references(() => eventPackage.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    tierId: uuid("tier_id").references(() => eventPriceTier.id, { onDelete: "set null" }),
    role: text("role", { enum: ATTENDEE_ROLES }).notNull().default("participant"),
    status: text("status", { enum: REGISTRATION_STATUSES }).notNull(),
    /** Trainee tiers: the self-declared stage and discipline (checked against the tier). */
    traineeStage: text("trainee_stage", { enum: TRAINEE_STAGES }),
    /** The registrant's discipline (DISCIPLINES), for trainee checks and balanced small groups. */
    discipline: text("discipline"),
    /** Balint experience bucket (EXPERIENCE_LEVELS), for balanced small groups. */
    experience: text("experience", { enum: EXPERIENCE_LEVELS }),
    /** Where the registrant works (an institution's name, ≤ 120), to mix organisations in small groups. */
    affiliation: text("affiliation"),
    /** The price when registering (a snapshot of the tier). */
    amountMinor: integer("amount_minor").notNull().default(0),
    currency: text("currency").notNull().default("USD"),
    /** 1-based place while waitlisted (or offered); null otherwise. */
    waitlistPosition: integer("waitlist_position"),
    offeredAt: timestamp("offered_at", { withTimezone: true }),
    offerExpiresAt: timestamp("offer_expires_at", { withTimezone: true }),
    reorderReason: text("reorder_reason", { enum: WAITLIST_REORDER_REASONS }),
    reorderedByUserId: text("reordered_by_user_id").references(() => user.id, { onDelete: "set null" }),
    reorderedAt: timestamp("reordered_at", { withTimezone: true }),
    paymentStatus: text("payment_status", { enum: PAYMENT_STATUSES }).notNull().default("unpaid"),
    /** "manual" or a provider name. */
    paymentProvider: text("payment_provider"),
    /** The provider's or the organiser's reference (a receipt number; never card data). */
    paymentReference: text("payment_reference"),
    paymentRecordedByUserId: text("payment_recorded_by_user_id").references(() => user.id, { onDelete: "set null" }),
    paymentRecordedAt: timestamp("payment_recorded_at", { withTimezone: true }),
    refundStatus: text("refund_status", { enum: REFUND_STATUSES }).notNull().default("none"),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    cancelledByUserId: text("cancelled_by_user_id").references(() => user.id, { onDelete: "set null" }),
    cancellationReason: text("cancellation_reason", { enum: CANCELLATION_REASONS }),
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One open registration per person and event / package.
    uniqueIndex("event_registration_event_user_key").on(t.eventId, t.userId).where(sql`${t.status} <> 'cancelled' and ${t.eventId} is not null`),
    uniqueIndex("event_registration_package_user_key").on(t.packageId, t.userId).where(sql`${t.status} <> 'cancelled' and ${t.packageId} is not null`),
    index("event_registration_event_status_idx").on(t.eventId, t.status),
    index("event_registration_package_status_idx").on(t.packageId, t.status),
    index("event_registration_user_idx").on(t.userId),
    index("event_registration_org_idx").on(t.organisationId),
    check("event_registration_target_check", sql`(${t.eventId} is null) <> (${t.packageId} is null)`),
    check("event_registration_status_check", sql`${t.status} in ('confirmed','waitlisted','offered','cancelled')`),
    check("event_registration_role_check", sql`${t.role} in ('participant','leader_in_training','faculty')`),
    check("event_registration_payment_check", sql`${t.paymentStatus} in ('unpaid','paid','refunded','waived')`),
    check("event_registration_refund_check", sql`${t.refundStatus} in ('none','requested','refunded','not_applicable')`),
    check("event_registration_affiliation_length", sql`${t.affiliation} is null or char_length(${t.affiliation}) <= 120`),
    check("event_registration_reference_length", sql`${t.paymentReference} is null or char_length(${t.paymentReference}) <= 120`),
  ],
);

/** One answer per registration and question; short, never case content. */
export const eventRegistrationAnswer = pgTable(
  "event_registration_answer",
  {
    registrationId: uuid("registration_id")
      .notNull()
      .references(() => eventRegistration.id, { onDelete: "cascade" }),
    questionId: uuid("question_id")
      .notNull()
      .references(() => eventQuestion.id, { onDelete: "cascade" }),
    value: text("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.registrationId, t.questionId] }), check("event_registration_answer_length", sql`char_length(${t.value}) <= 200`)],
);

/**
 * "Keep apart": a registrant names a colleague (by email) they would rather not share a small
 * group with. Resolved to a user when one has that email. Read by the roster generator only.
 */
export const eventKeepApart = pgTable(
  "event_keep_apart",
  {
    registrationId: uuid("registration_id")
      .notNull()
      .references(() => eventRegistration.id, { onDelete: "cascade" }),
    colleagueEmail: text("colleague_email").notNull(),
    colleagueUserId: text("colleague_user_id").references(() => user.id, { onDelete: "set null" }),
  },
  (t) => [primaryKey({ columns: [t.registrationId, t.colleagueEmail] }), index("event_keep_apart_colleague_idx").on(t.colleagueUserId)],
);

/** Payment provider notifications already applied (idempotency of webhooks). */
export const eventPaymentNotice = pgTable(
  "event_payment_notice",
  {
    provider: text("provider").notNull(),
    providerEventId: text("provider_event_id").notNull(),
    registrationId: uuid("registration_id").references(() => eventRegistration.id, { onDelete: "set null" }),
    outcome: text("outcome").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerEventId] })],
);
