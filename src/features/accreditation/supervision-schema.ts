import { sql } from "drizzle-orm";
import { boolean, check, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { user } from "../../platform/auth/schema.ts";
import { organisation } from "../../platform/tenancy/schema.ts";
import { accreditationCandidate, accreditationPathwayVersion } from "./schema.ts";

// Supervision, supervisor reports, applications and committee review (brief Q).
// No column holds case content: terms and fee text are the organisation's/supervisor's own words
// about the arrangement; report narratives and reviewer comments are about the CANDIDATE's
// competence and are checked for identifiers on the way in (422-style warning, see the service).
// Candidates are identified by (organisation, user): the accreditation core's candidate rows are
// per pathway, supervision is per person.

export const SUPERVISION_MODES = ["online", "in_person", "both"] as const;
export const SUPERVISION_STATUSES = ["requested", "proposed", "active", "declined", "ended"] as const;
export const CONFIRMATION_STATUSES = ["pending", "confirmed", "rejected"] as const;
export const APPLICATION_STATUSES = ["submitted", "in_review", "decided", "withdrawn"] as const;
export const RECOMMENDATIONS = ["approve", "more_needed", "decline"] as const;
export const COMMITTEE_ROLES = ["chair", "member"] as const;

/** Organisation settings for supervision: the competency list, rating levels and report interval. */
export const supervisionSettings = pgTable(
  "accreditation_supervision_settings",
  {
    organisationId: uuid("organisation_id")
      .primaryKey()
      .references(() => organisation.id, { onDelete: "cascade" }),
    /** The competencies rated now, in order: [{ key, label }]. Other slices read this list as it is. */
    competencies: jsonb("competencies").$type<Array<{ key: string; label: string }>>().notNull(),
    /**
     * Competencies taken off the list (never deleted): their labels stay readable for old reports
     * and observations, and their keys are not given a new meaning. Restoring one moves it back.
     */
    retiredCompetencies: jsonb("retired_competencies").$type<Array<{ key: string; label: string; retiredAt: string }>>().notNull().default([]),
    maxLevel: integer("max_level").notNull().default(4),
    reportIntervalMonths: integer("report_interval_months").notNull().default(6),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("accreditation_supervision_settings_level", sql`${t.maxLevel} between 2 and 10`),
    check("accreditation_supervision_settings_interval", sql`${t.reportIntervalMonths} between 1 and 24`),
  ],
);

/** A supervisor's entry on the organisation's supervisors list (opt in / out). */
export const supervisorListing = pgTable(
  "accreditation_supervisor",
  {
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisation.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    capacity: integer("capacity").notNull(),
    languages: text("languages").array().notNull(),
    feeText: text("fee_text").notNull().default(""),
    mode: text("mode", { enum: SUPERVISION_MODES }).notNull(),
    active: boolean("active").notNull().default(true),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.userId] }),
    check("accreditation_supervisor_capacity", sql`${t.capacity} between 0 and 100`),
    check("accreditation_supervisor_mode", sql`${t.mode} in ('online','in_person','both')`),
  ],
);

/**
 * One supervision relationship: requested by the candidate, proposed (terms + fee text) by the
 * supervisor, which is the supervisor's acceptance, then accepted by the candidate → active.
 */
export const supervision = pgTable(
  "accreditation_supervision",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisation.id, { onDelete: "cascade" }),
    candidateUserId: text("candidate_user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    supervisorUserId: text("supervisor_user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    status: text("status", { enum: SUPERVISION_STATUSES }).notNull().default("requested"),
    requestedAt: timestamp("requested_at", { withTimezone: true }).notNull().defaultNow(),
    termsText: text("terms_text"),
    feeText: text("fee_text"),
    supervisorAcceptedAt: timestamp("supervisor_accepted_at", { withTimezone: true }),
    supervisorAcceptedByUserId: text("supervisor_accepted_by_user_id").references(() => user.id, { onDelete: "set null" }),
    candidateAcceptedAt: timestamp("candidate_accepted_at", { withTimezone: true }),
    candidateAcceptedByUserId: text("candidate_accepted_by_user_id").references(() => user.id, { onDelete: "set null" }),
    startedAt: timestamp("started_at", { withTimezone: true }),
    endedAt: timestamp("ended_at", { withTimezone: true }),
  },
  (t) => [
    check("accreditation_supervision_status", sql`${t.status} in ('requested','proposed','active','declined','ended')`),
    check("accreditation_supervision_not_self", sql`${t.candidateUserId} <> ${t.supervisorUserId}`),
    // One open supervision per candidate and supervisor.
    uniqueIndex("accreditation_supervision_open_key").on(t.organisationId, t.candidateUserId, t.supervisorUserId).where(sql`status in ('requested','proposed','active')`),
    index("accreditation_supervision_supervisor_idx").on(t.organisationId, t.supervisorUserId),
  ],
);

/** A supervision meeting, logged by one side and confirmed by the other. Only confirmed ones count. */
export const supervisionMeeting = pgTable(
  "accreditation_supervision_meeting",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    supervisionId: uuid("supervision_id")
      .notNull()
      .references(() => supervision.id, { onDelete: "cascade" }),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisation.id, { onDelete: "cascade" }),
    heldOn: date("held_on", { mode: "string" }).notNull(),
    minutes: integer("minutes").notNull(),
    mode: text("mode", { enum: ["online", "in_person"] }).notNull(),
    status: text("status", { enum: CONFIRMATION_STATUSES }).notNull().default("pending"),
    loggedByUserId: text("logged_by_user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    loggedAt: timestamp("logged_at", { withTimezone: true }).notNull().defaultNow(),
    decidedByUserId: text("decided_by_user_id").references(() => user.id, { onDelete: "set null" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
  },
  (t) => [
    check("accreditation_supervision_meeting_minutes", sql`${t.minutes} between 5 and 600`),
    check("accreditation_supervision_meeting_status", sql`${t.status} in ('pending','confirmed','rejected')`),
    // One meeting per supervision and day that is not rejected.
    uniqueIndex("accreditation_supervision_meeting_day_key").on(t.supervisionId, t.heldOn).where(sql`status <> 'rejected'`),
  ],
);

/** A session the candidate led or co-led, marked as supervised and confirmed by the supervisor. */
export const supervisedSession = pgTable(
  "accreditation_supervised_session",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    supervisionId: uuid("supervision_id")
      .notNull()
      .references(() => supervision.id, { onDelete: "cascade" }),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisation.id, { onDelete: "cascade" }),
    candidateUserId: text("candidate_user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    groupId: uuid("group_id").notNull(),
    occurrenceStart: timestamp("occurrence_start", { withTimezone: true }).notNull(),
    status: text("status", { enum: CONFIRMATION_STATUSES }).notNull().default("pending"),
    markedAt: timestamp("marked_at", { withTimezone: true }).notNull().defaultNow(),
    decidedByUserId: text("decided_by_user_id").references(() => user.id, { onDelete: "set null" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
  },
  (t) => [
    check("accreditation_supervised_session_status", sql`${t.status} in ('pending','confirmed','rejected')`),
    // The same session never counts twice for a person (whichever supervision marked it).
    uniqueIndex("accreditation_supervised_session_key").on(t.candidateUserId, t.groupId, t.occurrenceStart).where(sql`status <> 'rejected'`),
  ],
);

/** A periodic supervisor report: ratings of the organisation's competencies and a narrative. */
export const supervisorReport = pgTable(
  "accreditation_supervisor_report",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    supervisionId: uuid("supervision_id")
      .notNull()
      .references(() => supervision.id, { onDelete: "cascade" }),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisation.id, { onDelete: "cascade" }),
    candidateUserId: text("candidate_user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    supervisorUserId: text("supervisor_user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    periodStart: date("period_start", { mode: "string" }).notNull(),
    periodEnd: date("period_end", { mode: "string" }).notNull(),
    /** { competencyKey: level } against the competency list and maxLevel in force when written. */
    ratings: jsonb("ratings").$type<Record<string, number>>().notNull(),
    maxLevel: integer("max_level").notNull(),
    narrative: text("narrative").notNull(),
    identifierWarnings: integer("identifier_warnings").notNull().default(0),
    submittedAt: timestamp("submitted_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("accreditation_supervisor_report_period", sql`${t.periodEnd} >= ${t.periodStart}`),
    index("accreditation_supervisor_report_candidate_idx").on(t.organisationId, t.candidateUserId, t.submittedAt),
  ],
);

/**
 * The claim for one supervisor-report reminder email: one row per supervision, report cycle and
 * kind. The cycle is what the due date counts from ("start" or "report:<id>" of the latest report),
 * so a change of the organisation's interval never sends a cycle's reminder again. The daily job
 * inserts the row first (ON CONFLICT DO NOTHING) and mails only when the insert won, so a reminder
 * is sent once however many times or on however many instances the job runs.
 */
export const REPORT_REMINDER_KINDS = ["due", "overdue"] as const;
export const reportReminder = pgTable(
  "accreditation_report_reminder",
  {
    supervisionId: uuid("supervision_id")
      .notNull()
      .references(() => supervision.id, { onDelete: "cascade" }),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisation.id, { onDelete: "cascade" }),
    cycle: text("cycle").notNull(),
    kind: text("kind", { enum: REPORT_REMINDER_KINDS }).notNull(),
    dueOn: date("due_on", { mode: "string" }).notNull(),
    recipientUserId: text("recipient_user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.supervisionId, t.cycle, t.kind] }),
    check("accreditation_report_reminder_kind", sql`${t.kind} in ('due','overdue')`),
    index("accreditation_report_reminder_org_idx").on(t.organisationId, t.sentAt),
  ],
);

/** The accreditation committee of an organisation: a chair and members (reviewers). */
export const committeeMember = pgTable(
  "accreditation_committee_member",
  {
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisation.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    role: text("role", { enum: COMMITTEE_ROLES }).notNull(),
    addedAt: timestamp("added_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.userId] }),
    check("accreditation_committee_member_role", sql`${t.role} in ('chair','member')`),
    // One chair per organisation.
    uniqueIndex("accreditation_committee_chair_key").on(t.organisationId).where(sql`role = 'chair'`),
  ],
);

/**
 * An application for accreditation on a pathway. The progress and pathway version are a
 * SNAPSHOT taken at application: later pathway versions or evidence never change it.
 */
export const application = pgTable(
  "accreditation_application",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisation.id, { onDelete: "cascade" }),
    /** The core's candidate row (person on one pathway). */
    candidateId: uuid("candidate_id")
      .notNull()
      .references(() => accreditationCandidate.id, { onDelete: "cascade" }),
    candidateUserId: text("candidate_user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    pathwayId: uuid("pathway_id").notNull(),
    /** The pathway version the candidate was on when applying (snapshot). */
    pathwayVersionId: uuid("pathway_version_id")
      .notNull()
      .references(() => accreditationPathwayVersion.id, { onDelete: "restrict" }),
    pathwayVersion: integer("pathway_version").notNull(),
    pathwayName: text("pathway_name").notNull(),
    progressSnapshot: jsonb("progress_snapshot").$type<unknown>().notNull(),
    requirementsMet: boolean("requirements_met").notNull(),
    explanation: text("explanation"),
    status: text("status", { enum: APPLICATION_STATUSES }).notNull().default("submitted"),
    submittedAt: timestamp("submitted_at", { withTimezone: true }).notNull().defaultNow(),
    decision: text("decision", { enum: RECOMMENDATIONS }),
    decisionReasons: text("decision_reasons"),
    decidedByUserId: text("decided_by_user_id").references(() => user.id, { onDelete: "set null" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    /** The credential issued on approval (the credentials slice's id), when there is one. */
    credentialId: text("credential_id"),
  },
  (t) => [
    check("accreditation_application_status", sql`${t.status} in ('submitted','in_review','decided','withdrawn')`),
    check("accreditation_application_decision", sql`(${t.status} = 'decided') = (${t.decision} is not null)`),
    check("accreditation_application_explained", sql`${t.requirementsMet} or char_length(coalesce(${t.explanation}, '')) > 0`),
    // One open application per person and pathway.
    uniqueIndex("accreditation_application_open_key").on(t.candidateId).where(sql`status in ('submitted','in_review')`),
  ],
);

/** A reviewer assigned to an application by the chair, and their recommendation. */
export const applicationReviewer = pgTable(
  "accreditation_application_reviewer",
  {
    applicationId: uuid("application_id")
      .notNull()
      .references(() => application.id, { onDelete: "cascade" }),
    reviewerUserId: text("reviewer_user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    assignedByUserId: text("assigned_by_user_id").references(() => user.id, { onDelete: "set null" }),
    assignedAt: timestamp("assigned_at", { withTimezone: true }).notNull().defaultNow(),
    recommendation: text("recommendation", { enum: RECOMMENDATIONS }),
    comments: text("comments"),
    recommendedAt: timestamp("recommended_at", { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.applicationId, t.reviewerUserId] })],
);
