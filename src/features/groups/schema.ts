import { sql } from "drizzle-orm";
import { check, customType, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { user } from "../../platform/auth/schema.ts";
import { organisation } from "../../platform/tenancy/schema.ts";
import { GROUP_FORMATS, GROUP_VISIBILITIES, JOIN_POLICIES, LEADER_KINDS, MEMBERSHIP_STATUSES, WAITLIST_REORDER_REASONS } from "./constants.ts";

// Balint groups. There is deliberately NO column for case content anywhere in this slice: the
// only free text is the group's public description, the leaders' venue/link, the CE-credit line,
// a short join-request note (shown to the group's leaders only) and a leader's waitlist note.

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

export const balintGroup = pgTable(
  "balint_group",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisation.id, { onDelete: "cascade" }),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    format: text("format", { enum: GROUP_FORMATS }).notNull(),
    /** Venue address: members only (after the agreement), never public. */
    address: text("address"),
    /** Meeting link: members only (after the agreement), never public. */
    meetingLink: text("meeting_link"),
    /** Disciplines the group is for (e.g. "residents", "nursing"); empty = mixed / open to all. */
    disciplines: text("disciplines").array().notNull().default(sql`'{}'::text[]`),
    /** BCP 47 language tags, e.g. ["en", "es-MX"]. */
    languages: text("languages").array().notNull(),
    timeZone: text("time_zone").notNull(),
    /** RRULE value; the term is its COUNT or UNTIL. */
    rrule: text("rrule").notNull(),
    /** First meeting's local start, "YYYY-MM-DDTHH:mm", in `timeZone`. */
    dtstartLocal: text("dtstart_local").notNull(),
    durationMinutes: integer("duration_minutes").notNull(),
    firstDurationMinutes: integer("first_duration_minutes"),
    /** Derived at write time from the schedule (for the directory): local weekdays 0=Sunday..6. */
    weekdays: integer("weekdays").array().notNull().default(sql`'{}'::int[]`),
    /** Derived: minutes after local midnight the meetings start. */
    localStartMinute: integer("local_start_minute").notNull(),
    /** Derived: end of the term's last meeting. */
    lastMeetingEndsAt: timestamp("last_meeting_ends_at", { withTimezone: true }).notNull(),
    capacity: integer("capacity").notNull().default(10),
    ceCredit: text("ce_credit"),
    visibility: text("visibility", { enum: GROUP_VISIBILITIES }).notNull().default("listed"),
    joinPolicy: text("join_policy", { enum: JOIN_POLICIES }).notNull().default("request"),
    /** 1 for the first term; +1 on each new term. */
    term: integer("term").notNull().default(1),
    termEndedAt: timestamp("term_ended_at", { withTimezone: true }),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    search: tsvector("search").generatedAlwaysAs(sql`to_tsvector('simple'::regconfig, coalesce(name, '') || ' ' || coalesce(description, ''))`),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("balint_group_org_slug_key").on(t.organisationId, t.slug),
    index("balint_group_org_idx").on(t.organisationId),
    // The public directory: listed, not archived, ordered by name then id.
    index("balint_group_directory_idx").on(t.name, t.id).where(sql`${t.visibility} = 'listed' and ${t.archivedAt} is null`),
    index("balint_group_languages_gin").using("gin", t.languages),
    index("balint_group_disciplines_gin").using("gin", t.disciplines),
    index("balint_group_search_gin").using("gin", t.search),
    check("balint_group_capacity_check", sql`${t.capacity} between 3 and 15`),
    check("balint_group_format_check", sql`${t.format} in ('in_person','online','hybrid')`),
    check("balint_group_visibility_check", sql`${t.visibility} in ('listed','unlisted','private')`),
    check("balint_group_join_policy_check", sql`${t.joinPolicy} in ('request','invitation')`),
  ],
);

export const groupLeader = pgTable(
  "group_leader",
  {
    groupId: uuid("group_id")
      .notNull()
      .references(() => balintGroup.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: LEADER_KINDS }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.userId] }),
    index("group_leader_user_idx").on(t.userId),
    check("group_leader_kind_check", sql`${t.kind} in ('leader','co_leader')`),
  ],
);

export const groupMembership = pgTable(
  "group_membership",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    groupId: uuid("group_id")
      .notNull()
      .references(() => balintGroup.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    status: text("status", { enum: MEMBERSHIP_STATUSES }).notNull(),
    /** At most 280 characters; shown to the group's leaders only; cleared when decided. */
    requestNote: text("request_note"),
    term: integer("term").notNull().default(1),
    agreementAcceptedAt: timestamp("agreement_accepted_at", { withTimezone: true }),
    decidedByUserId: text("decided_by_user_id").references(() => user.id, { onDelete: "set null" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("group_membership_open_key").on(t.groupId, t.userId).where(sql`${t.status} in ('pending','active')`),
    index("group_membership_active_idx").on(t.groupId).where(sql`${t.status} = 'active'`),
    index("group_membership_user_idx").on(t.userId),
    check("group_membership_status_check", sql`${t.status} in ('pending','active','declined','left','removed')`),
    check("group_membership_note_length", sql`${t.requestNote} is null or char_length(${t.requestNote}) <= 280`),
  ],
);

export const groupWaitlist = pgTable(
  "group_waitlist",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    groupId: uuid("group_id")
      .notNull()
      .references(() => balintGroup.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    /** 1-based place in the queue; kept dense (1..n) by the service. */
    position: integer("position").notNull(),
    offeredAt: timestamp("offered_at", { withTimezone: true }),
    offerExpiresAt: timestamp("offer_expires_at", { withTimezone: true }),
    /** The last manual reorder: a reason code (also audited) and an optional short leader note. */
    reorderReason: text("reorder_reason", { enum: WAITLIST_REORDER_REASONS }),
    reorderNote: text("reorder_note"),
    reorderedByUserId: text("reordered_by_user_id").references(() => user.id, { onDelete: "set null" }),
    reorderedAt: timestamp("reordered_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("group_waitlist_group_user_key").on(t.groupId, t.userId),
    index("group_waitlist_group_position_idx").on(t.groupId, t.position),
    check("group_waitlist_note_length", sql`${t.reorderNote} is null or char_length(${t.reorderNote}) <= 200`),
  ],
);
