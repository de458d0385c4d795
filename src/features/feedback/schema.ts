import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, primaryKey, smallint, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { organisation } from "../../platform/tenancy/schema.ts";
import { balintGroup } from "../groups/schema.ts";

// Anonymous meeting feedback. An answer has NO user id, NO answer time (only the meeting's date),
// and a random id. Double answers are stopped by a nullifier (an HMAC of the person and the meeting
// under a server secret, not stored anywhere else), kept only while the meeting's feedback window is
// open and deleted when it closes. See docs/decisions/013-anonymous-feedback.md.

export const feedbackAnswer = pgTable(
  "feedback_answer",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisation.id, { onDelete: "cascade" }),
    groupId: uuid("group_id")
      .notNull()
      .references(() => balintGroup.id, { onDelete: "cascade" }),
    /** The meeting answered about (its occurrence start): the only time stored. */
    occurrenceStart: timestamp("occurrence_start", { withTimezone: true }).notNull(),
    safeToSpeak: smallint("safe_to_speak").notNull(),
    feltHeard: smallint("felt_heard").notNull(),
    seeDifferently: smallint("see_differently").notNull(),
    /** Values that showed up today (codes from FEEDBACK_VALUES). */
    values: text("values").array().notNull().default(sql`'{}'::text[]`),
    /** About the meeting, never the case; shown only in bins of at least 10 answers, shuffled. */
    comment: text("comment"),
  },
  (t) => [
    index("feedback_answer_group_idx").on(t.groupId, t.occurrenceStart),
    check("feedback_answer_scale_check", sql`${t.safeToSpeak} between 1 and 5 and ${t.feltHeard} between 1 and 5 and ${t.seeDifferently} between 1 and 5`),
    check("feedback_answer_comment_length", sql`${t.comment} is null or char_length(${t.comment}) <= 500`),
  ],
);

/** One-time marks that stop a second answer while a meeting's window is open; purged when it closes. */
export const feedbackNullifier = pgTable(
  "feedback_nullifier",
  {
    nullifier: text("nullifier").primaryKey(),
    groupId: uuid("group_id")
      .notNull()
      .references(() => balintGroup.id, { onDelete: "cascade" }),
    occurrenceStart: timestamp("occurrence_start", { withTimezone: true }).notNull(),
  },
  (t) => [index("feedback_nullifier_meeting_idx").on(t.groupId, t.occurrenceStart)],
);

/** Closed bins: runs of meetings whose answers leaders may see together. Final once written. */
export const feedbackBin = pgTable(
  "feedback_bin",
  {
    groupId: uuid("group_id")
      .notNull()
      .references(() => balintGroup.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["scores", "comments"] }).notNull(),
    seq: integer("seq").notNull(),
    fromOccurrence: timestamp("from_occurrence", { withTimezone: true }).notNull(),
    toOccurrence: timestamp("to_occurrence", { withTimezone: true }).notNull(),
    responses: integer("responses").notNull(),
    minCell: integer("min_cell").notNull(),
    closedAt: timestamp("closed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.kind, t.seq] }),
    check("feedback_bin_kind_check", sql`${t.kind} in ('scores','comments')`),
    check("feedback_bin_threshold_check", sql`${t.minCell} >= 5 and ${t.responses} >= ${t.minCell}`),
  ],
);
