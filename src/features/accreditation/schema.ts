import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, numeric, pgTable, text, timestamp, uniqueIndex, uuid, date } from "drizzle-orm/pg-core";
import { user } from "../../platform/auth/schema.ts";
import { organisation } from "../../platform/tenancy/schema.ts";

// Accreditation core (issue 7, brief P): pathways as versioned data, candidates enrolled on ONE
// version, and candidate-added evidence verified by a coordinator or supervisor. No column holds
// case content: descriptions are short labels checked for identifiers, reasons are short, files are
// certificates kept under random names in the file store (src/platform/files/).
// Supervision, review and credential tables (other files of this slice) reference these tables.

export const PATHWAY_VERSION_STATUSES = ["draft", "published", "retired"] as const;
export const CANDIDATE_STATUSES = ["active", "applied", "accredited", "withdrawn"] as const;
export const EVIDENCE_STATUSES = ["pending", "verified", "rejected"] as const;
export const EVIDENCE_KINDS = [
  "session_attended",
  "session_led",
  "supervised_session",
  "supervision_meeting",
  "event_attended",
  "debrief",
  "membership",
  "verified_item",
] as const;
export type CandidateStatus = (typeof CANDIDATE_STATUSES)[number];
export type EvidenceStatus = (typeof EVIDENCE_STATUSES)[number];
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** A pathway an organisation offers ("Balint group leader"); its rules live in versions. */
export const accreditationPathway = pgTable(
  "accreditation_pathway",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisation.id, { onDelete: "cascade" }),
    /** Stable short key ("leader", "leader-trainer"). */
    key: text("key").notNull(),
    name: text("name").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("accreditation_pathway_org_key").on(t.organisationId, t.key),
    check("accreditation_pathway_key_format", sql`${t.key} ~ '^[a-z0-9][a-z0-9-]{0,39}$'`),
    check("accreditation_pathway_name_length", sql`char_length(${t.name}) between 1 and 120`),
  ],
);

/**
 * One version of a pathway's rules: the validated JSON definition (pathway.ts). Published versions
 * are never edited (a change is a new version), so a candidate's past is never rewritten.
 */
export const accreditationPathwayVersion = pgTable(
  "accreditation_pathway_version",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    pathwayId: uuid("pathway_id")
      .notNull()
      .references(() => accreditationPathway.id, { onDelete: "cascade" }),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisation.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    status: text("status", { enum: PATHWAY_VERSION_STATUSES }).notNull().default("draft"),
    definition: jsonb("definition").notNull(),
    createdByUserId: text("created_by_user_id").references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp("published_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("accreditation_pathway_version_key").on(t.pathwayId, t.version),
    index("accreditation_pathway_version_org_idx").on(t.organisationId),
    check("accreditation_pathway_version_status_check", sql`${t.status} in ('draft','published','retired')`),
    check("accreditation_pathway_version_number_check", sql`${t.version} >= 1`),
  ],
);

/** A person enrolled on a pathway, on ONE version (moves are recorded in candidate_version_move). */
export const accreditationCandidate = pgTable(
  "accreditation_candidate",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisation.id, { onDelete: "cascade" }),
    pathwayId: uuid("pathway_id")
      .notNull()
      .references(() => accreditationPathway.id, { onDelete: "cascade" }),
    pathwayVersionId: uuid("pathway_version_id")
      .notNull()
      .references(() => accreditationPathwayVersion.id, { onDelete: "restrict" }),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    status: text("status", { enum: CANDIDATE_STATUSES }).notNull().default("active"),
    enrolledAt: timestamp("enrolled_at", { withTimezone: true }).notNull().defaultNow(),
    statusChangedAt: timestamp("status_changed_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("accreditation_candidate_person_pathway").on(t.pathwayId, t.userId),
    index("accreditation_candidate_user_idx").on(t.userId),
    index("accreditation_candidate_org_idx").on(t.organisationId),
    check("accreditation_candidate_status_check", sql`${t.status} in ('active','applied','accredited','withdrawn')`),
  ],
);

/** A candidate moved from one version of their pathway to another (never silent). */
export const accreditationCandidateVersionMove = pgTable(
  "accreditation_candidate_version_move",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    candidateId: uuid("candidate_id")
      .notNull()
      .references(() => accreditationCandidate.id, { onDelete: "cascade" }),
    fromVersionId: uuid("from_version_id")
      .notNull()
      .references(() => accreditationPathwayVersion.id, { onDelete: "restrict" }),
    toVersionId: uuid("to_version_id")
      .notNull()
      .references(() => accreditationPathwayVersion.id, { onDelete: "restrict" }),
    movedByUserId: text("moved_by_user_id").references(() => user.id, { onDelete: "set null" }),
    movedAt: timestamp("moved_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("accreditation_candidate_version_move_candidate_idx").on(t.candidateId)],
);

/**
 * Evidence a candidate adds (an intensive held elsewhere, prior leading, a certificate), verified or
 * rejected by a coordinator or supervisor. `dedupeKey` identifies the thing counted (a session, an
 * event, a dated item) so the same session is never counted twice: unique per candidate among
 * evidence that is not rejected.
 */
export const accreditationEvidence = pgTable(
  "accreditation_evidence",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisation.id, { onDelete: "cascade" }),
    candidateId: uuid("candidate_id")
      .notNull()
      .references(() => accreditationCandidate.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: EVIDENCE_KINDS }).notNull(),
    /** Which requirement of the pathway it is for (a requirement id), when the kind alone is ambiguous. */
    requirementId: text("requirement_id"),
    /** A short label ("Intensive, Chicago"); checked for identifiers; never case content. */
    description: text("description").notNull(),
    occurredOn: date("occurred_on", { mode: "string" }).notNull(),
    hours: numeric("hours", { precision: 6, scale: 2 }),
    /** For event evidence: the kind of event (intensive, workshop, …); `final` for a credentialing one. */
    eventKind: text("event_kind"),
    finalCredentialing: integer("final_credentialing").notNull().default(0),
    /** For a platform meeting: its group and start (then dedupe against automatic records). */
    groupId: uuid("group_id"),
    occurrenceStart: timestamp("occurrence_start", { withTimezone: true }),
    dedupeKey: text("dedupe_key").notNull(),
    /** File in the file store (random name), its sniffed type and size; never a public path. */
    fileKey: text("file_key"),
    fileType: text("file_type"),
    fileSize: integer("file_size"),
    status: text("status", { enum: EVIDENCE_STATUSES }).notNull().default("pending"),
    /** Why it was rejected (short; no case content). */
    reason: text("reason"),
    verifiedByUserId: text("verified_by_user_id").references(() => user.id, { onDelete: "set null" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("accreditation_evidence_dedupe").on(t.candidateId, t.dedupeKey).where(sql`${t.status} <> 'rejected'`),
    index("accreditation_evidence_org_status_idx").on(t.organisationId, t.status),
    index("accreditation_evidence_candidate_idx").on(t.candidateId),
    check(
      "accreditation_evidence_kind_check",
      sql`${t.kind} in ('session_attended','session_led','supervised_session','supervision_meeting','event_attended','debrief','membership','verified_item')`,
    ),
    check("accreditation_evidence_status_check", sql`${t.status} in ('pending','verified','rejected')`),
    check("accreditation_evidence_description_length", sql`char_length(${t.description}) between 1 and 200`),
    check("accreditation_evidence_reason_length", sql`${t.reason} is null or char_length(${t.reason}) <= 300`),
    check("accreditation_evidence_hours_check", sql`${t.hours} is null or (${t.hours} >= 0 and ${t.hours} <= 1000)`),
    check("accreditation_evidence_file_size_check", sql`${t.fileSize} is null or (${t.fileSize} > 0 and ${t.fileSize} <= 5242880)`),
  ],
);
