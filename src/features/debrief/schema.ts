import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { user } from "../../platform/auth/schema.ts";
import { organisation } from "../../platform/tenancy/schema.ts";
import { balintGroup } from "../groups/schema.ts";

// The leaders' private debrief after a meeting. The text exists only sealed (AES-256-GCM) under the
// organisation's data key, which exists only wrapped under a master key from configuration
// (src/platform/crypto/envelope.server.ts; docs/decisions/014-…). Debriefs expire and are deleted;
// the FACT that a leader completed one is kept separately for the accreditation record.

/** An organisation's data keys, wrapped (see ADR 014). One active key per organisation. */
export const organisationDataKey = pgTable(
  "organisation_data_key",
  {
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisation.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    /** The data key sealed under a master key ("wk1.…"), never the key itself. */
    wrapped: text("wrapped").notNull(),
    /** Which master key wrapped it (a fingerprint, never the key); the rewrap job looks rows up by it. */
    masterKeyId: text("master_key_id").notNull(),
    status: text("status", { enum: ["active", "retired"] }).notNull().default("active"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    rewrappedAt: timestamp("rewrapped_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.version] }),
    uniqueIndex("organisation_data_key_active_key").on(t.organisationId).where(sql`${t.status} = 'active'`),
    index("organisation_data_key_master_idx").on(t.masterKeyId),
    check("organisation_data_key_status_check", sql`${t.status} in ('active','retired')`),
    check("organisation_data_key_version_check", sql`${t.version} >= 1`),
  ],
);

export const meetingDebrief = pgTable(
  "meeting_debrief",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisation.id, { onDelete: "cascade" }),
    groupId: uuid("group_id")
      .notNull()
      .references(() => balintGroup.id, { onDelete: "cascade" }),
    occurrenceStart: timestamp("occurrence_start", { withTimezone: true }).notNull(),
    /** The sealed text ("v1.<key version>.…"); never plaintext. */
    bodySealed: text("body_sealed").notNull(),
    keyVersion: integer("key_version").notNull(),
    /** Optimistic concurrency between co-leaders editing the shared text. */
    revision: integer("revision").notNull().default(1),
    updatedByUserId: text("updated_by_user_id").references(() => user.id, { onDelete: "set null" }),
    /** Deleted for good after this, unless attached to supervision. */
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    attachedToSupervisionAt: timestamp("attached_to_supervision_at", { withTimezone: true }),
    attachedByUserId: text("attached_by_user_id").references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("meeting_debrief_meeting_key").on(t.groupId, t.occurrenceStart),
    index("meeting_debrief_expiry_idx").on(t.expiresAt).where(sql`${t.attachedToSupervisionAt} is null`),
  ],
);

/** That a leader took part in the debrief of a meeting: the fact, never the text. Survives expiry. */
export const debriefCompletion = pgTable(
  "debrief_completion",
  {
    groupId: uuid("group_id")
      .notNull()
      .references(() => balintGroup.id, { onDelete: "cascade" }),
    occurrenceStart: timestamp("occurrence_start", { withTimezone: true }).notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    completedAt: timestamp("completed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.occurrenceStart, t.userId] }), index("debrief_completion_user_idx").on(t.userId)],
);

export const DEBRIEF_RETENTION_DAYS_DEFAULT = 180;
export const DEBRIEF_TEXT_MAX = 20_000;
