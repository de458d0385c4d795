import { sql } from "drizzle-orm";
import { check, index, integer, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { user } from "../../platform/auth/schema.ts";
import { organisation } from "../../platform/tenancy/schema.ts";
import { event, eventDay } from "./schema.ts";

// Small-group rosters, day check-ins and CE certificates of events (brief O).
// No column holds case content: names of groups are short labels, everything else is ids,
// numbers and timestamps. Certificates keep a SNAPSHOT of what they certify (name, title,
// dates, hours) so a later rename or edit never changes an issued certificate.

export const ROSTER_STATUSES = ["draft", "published"] as const;

/** One roster per event. `version` increases on every save (optimistic concurrency). */
export const eventRoster = pgTable(
  "event_roster",
  {
    eventId: uuid("event_id")
      .primaryKey()
      .references(() => event.id, { onDelete: "cascade" }),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisation.id, { onDelete: "cascade" }),
    status: text("status", { enum: ROSTER_STATUSES }).notNull().default("draft"),
    minSize: integer("min_size").notNull(),
    maxSize: integer("max_size").notNull(),
    version: integer("version").notNull().default(1),
    updatedByUserId: text("updated_by_user_id").references(() => user.id, { onDelete: "set null" }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    publishedByUserId: text("published_by_user_id").references(() => user.id, { onDelete: "set null" }),
  },
  (t) => [
    check("event_roster_status_check", sql`${t.status} in ('draft','published')`),
    check("event_roster_sizes_check", sql`${t.minSize} >= 1 and ${t.maxSize} >= ${t.minSize} and ${t.maxSize} <= 100`),
  ],
);

export const eventRosterGroup = pgTable(
  "event_roster_group",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    eventId: uuid("event_id")
      .notNull()
      .references(() => eventRoster.eventId, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    /** A short label ("Group 3", "Blue"); ≤ 60 characters. */
    name: text("name").notNull(),
  },
  (t) => [
    uniqueIndex("event_roster_group_position_key").on(t.eventId, t.position),
    check("event_roster_group_name_length", sql`char_length(${t.name}) between 1 and 60`),
  ],
);

/** A person in one small group. The primary key makes "one person, one group" a database rule. */
export const eventRosterMember = pgTable(
  "event_roster_member",
  {
    eventId: uuid("event_id")
      .notNull()
      .references(() => eventRoster.eventId, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    groupId: uuid("group_id")
      .notNull()
      .references(() => eventRosterGroup.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.userId] }), index("event_roster_member_group_idx").on(t.groupId)],
);

/** Someone was there on a day of the event. */
export const eventCheckin = pgTable(
  "event_checkin",
  {
    eventId: uuid("event_id")
      .notNull()
      .references(() => event.id, { onDelete: "cascade" }),
    dayId: uuid("day_id")
      .notNull()
      .references(() => eventDay.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    checkedInAt: timestamp("checked_in_at", { withTimezone: true }).notNull().defaultNow(),
    checkedInByUserId: text("checked_in_by_user_id").references(() => user.id, { onDelete: "set null" }),
  },
  (t) => [primaryKey({ columns: [t.dayId, t.userId] }), index("event_checkin_event_user_idx").on(t.eventId, t.userId), index("event_checkin_user_idx").on(t.userId)],
);

/** An issued CE certificate. At most one valid (not revoked) per person and event. */
export const eventCertificate = pgTable(
  "event_certificate",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** XXXX-XXXX-XXXX-XXXX (certificate.ts). */
    code: text("code").notNull(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisation.id, { onDelete: "cascade" }),
    eventId: uuid("event_id")
      .notNull()
      .references(() => event.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    personName: text("person_name").notNull(),
    eventTitle: text("event_title").notNull(),
    firstDay: text("first_day").notNull(),
    lastDay: text("last_day").notNull(),
    hours: numeric("hours", { precision: 5, scale: 2, mode: "number" }).notNull(),
    statement: text("statement"),
    locale: text("locale").notNull().default("en"),
    issuedAt: timestamp("issued_at", { withTimezone: true }).notNull().defaultNow(),
    issuedByUserId: text("issued_by_user_id").references(() => user.id, { onDelete: "set null" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("event_certificate_code_key").on(t.code),
    uniqueIndex("event_certificate_event_user_key").on(t.eventId, t.userId).where(sql`${t.revokedAt} is null`),
    index("event_certificate_user_idx").on(t.userId),
    check("event_certificate_hours_check", sql`${t.hours} > 0 and ${t.hours} <= 200`),
  ],
);
