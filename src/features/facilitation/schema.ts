import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { user } from "../../platform/auth/schema.ts";
import { organisation } from "../../platform/tenancy/schema.ts";
import { balintGroup } from "../groups/schema.ts";
import type { MeetingClock, PhaseMinutes } from "./meeting-clock.ts";

// The facilitation companion's records. There is NO column for case content: a meeting run holds
// the clock (phases and times), a presenter record holds only that a person presented.

/** A group's own way of running meetings: phase timings and an optional ground-rules card. */
export const facilitationSettings = pgTable(
  "facilitation_settings",
  {
    groupId: uuid("group_id")
      .primaryKey()
      .references(() => balintGroup.id, { onDelete: "cascade" }),
    /** Minutes per phase (opening, presentation, questions, pushback, return, closing). */
    phaseMinutes: jsonb("phase_minutes").$type<PhaseMinutes>().notNull(),
    /** The group's own ground rules to read aloud; null = the standard card in the reader's language. */
    groundRules: text("ground_rules"),
    /** Play a soft sound near the end of a phase (off by default). */
    softSound: integer("soft_sound").notNull().default(0),
    updatedByUserId: text("updated_by_user_id").references(() => user.id, { onDelete: "set null" }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("facilitation_settings_ground_rules_length", sql`${t.groundRules} is null or char_length(${t.groundRules}) <= 2000`)],
);

/** One meeting as the companion runs it: the shared live state leaders see on every device. */
export const meetingRun = pgTable(
  "meeting_run",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisation.id, { onDelete: "cascade" }),
    groupId: uuid("group_id")
      .notNull()
      .references(() => balintGroup.id, { onDelete: "cascade" }),
    /** The meeting: its occurrence start (RECURRENCE-ID), as in the sessions slice. */
    occurrenceStart: timestamp("occurrence_start", { withTimezone: true }).notNull(),
    /** Mirrors clock.version: updates are `where version = expected` (optimistic concurrency). */
    version: integer("version").notNull().default(0),
    clock: jsonb("clock").$type<MeetingClock>().notNull(),
    openedByUserId: text("opened_by_user_id").references(() => user.id, { onDelete: "set null" }),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("meeting_run_group_start_key").on(t.groupId, t.occurrenceStart), index("meeting_run_org_idx").on(t.organisationId)],
);

/** That a member presented a case at a meeting (case 1, 2…). Nothing about the case. */
export const meetingPresenter = pgTable(
  "meeting_presenter",
  {
    groupId: uuid("group_id")
      .notNull()
      .references(() => balintGroup.id, { onDelete: "cascade" }),
    occurrenceStart: timestamp("occurrence_start", { withTimezone: true }).notNull(),
    caseNumber: integer("case_number").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    recordedByUserId: text("recorded_by_user_id").references(() => user.id, { onDelete: "set null" }),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.occurrenceStart, t.caseNumber] }),
    index("meeting_presenter_user_idx").on(t.groupId, t.userId),
    check("meeting_presenter_case_check", sql`${t.caseNumber} between 1 and 3`),
  ],
);
