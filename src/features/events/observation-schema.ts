import { sql } from "drizzle-orm";
import { check, date, index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { user } from "../../platform/auth/schema.ts";
import { organisation } from "../../platform/tenancy/schema.ts";
import { event, eventSession } from "./schema.ts";

// Faculty observations of leaders in training at an event (issue 6), which the accreditation
// pathway can count. An observer (faculty or supervisor of the event) rates the leader in
// training on the organisation's competencies (level 1–4) and writes a short narrative about how
// the leader led — never case content (checked for identifiers before saving). The leader reads
// their observations; the accreditation work reads dates, events and levels (not the narrative).

export const eventObservation = pgTable(
  "event_observation",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisation.id, { onDelete: "cascade" }),
    eventId: uuid("event_id")
      .notNull()
      .references(() => event.id, { onDelete: "cascade" }),
    sessionId: uuid("session_id").references(() => eventSession.id, { onDelete: "set null" }),
    observerUserId: text("observer_user_id").references(() => user.id, { onDelete: "set null" }),
    leaderUserId: text("leader_user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    observedOn: date("observed_on", { mode: "string" }).notNull(),
    /** How the leader led (≤ 1000 characters); never case content or patient details. */
    narrative: text("narrative").notNull().default(""),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("event_observation_leader_idx").on(t.leaderUserId, t.observedOn),
    index("event_observation_event_idx").on(t.eventId),
    index("event_observation_org_idx").on(t.organisationId),
    check("event_observation_narrative_length", sql`char_length(${t.narrative}) <= 1000`),
  ],
);

/** One rating per observation and competency. */
export const eventObservationRating = pgTable(
  "event_observation_rating",
  {
    observationId: uuid("observation_id")
      .notNull()
      .references(() => eventObservation.id, { onDelete: "cascade" }),
    competency: text("competency").notNull(),
    level: integer("level").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.observationId, t.competency] }),
    check("event_observation_rating_level_check", sql`${t.level} between 1 and 4`),
    check("event_observation_rating_competency_length", sql`char_length(${t.competency}) between 1 and 60`),
  ],
);
