import { sql } from "drizzle-orm";
import { bigint, boolean, check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { user } from "../../platform/auth/schema.ts";
import { LEADER_KINDS } from "../groups/constants.ts";
import { balintGroup } from "../groups/schema.ts";
import { ATTENDANCE_STATUSES, EXCEPTION_KINDS, EXCEPTION_REASONS, NOTICE_KINDS, RSVP_STATUSES } from "./constants.ts";

// Sessions (meetings) of a Balint group. A meeting is identified by its group and its
// `occurrence_start`: the start the group's rule gives it (its `originalStart`, RECURRENCE-ID),
// which never changes when the meeting is moved. No free-text case content anywhere: exceptions
// carry a reason CODE; the only free text is an RSVP's short note to the leaders (≤ 280 chars).

/** One meeting cancelled or changed (moved, other length, own link). One row per meeting. */
export const sessionException = pgTable(
  "session_exception",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    groupId: uuid("group_id")
      .notNull()
      .references(() => balintGroup.id, { onDelete: "cascade" }),
    occurrenceStart: timestamp("occurrence_start", { withTimezone: true }).notNull(),
    kind: text("kind", { enum: EXCEPTION_KINDS }).notNull(),
    newStart: timestamp("new_start", { withTimezone: true }),
    durationMinutes: integer("duration_minutes"),
    meetingLink: text("meeting_link"),
    reason: text("reason", { enum: EXCEPTION_REASONS }).notNull().default("other"),
    changedByUserId: text("changed_by_user_id").references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("session_exception_group_start_key").on(t.groupId, t.occurrenceStart),
    check("session_exception_kind_check", sql`${t.kind} in ('cancelled','changed')`),
    check("session_exception_duration_check", sql`${t.durationMinutes} is null or ${t.durationMinutes} between 30 and 240`),
  ],
);

/** A break in a group's series: meetings whose LOCAL date (group zone) is in [startDate, endDate] are skipped. */
export const groupPause = pgTable(
  "group_pause",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    groupId: uuid("group_id")
      .notNull()
      .references(() => balintGroup.id, { onDelete: "cascade" }),
    startDate: text("start_date").notNull(),
    endDate: text("end_date").notNull(),
    createdByUserId: text("created_by_user_id").references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("group_pause_group_idx").on(t.groupId), check("group_pause_order_check", sql`${t.startDate} <= ${t.endDate}`)],
);

/** A member's answer for one meeting. No row means "going". */
export const rsvp = pgTable(
  "session_rsvp",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    groupId: uuid("group_id")
      .notNull()
      .references(() => balintGroup.id, { onDelete: "cascade" }),
    occurrenceStart: timestamp("occurrence_start", { withTimezone: true }).notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    status: text("status", { enum: RSVP_STATUSES }).notNull(),
    /** Shown to the group's leaders only. */
    note: text("note"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("session_rsvp_key").on(t.groupId, t.occurrenceStart, t.userId),
    index("session_rsvp_user_idx").on(t.userId),
    check("session_rsvp_status_check", sql`${t.status} in ('going','not_going')`),
    check("session_rsvp_note_length", sql`${t.note} is null or char_length(${t.note}) <= 280`),
  ],
);

/**
 * Attendance of one member at one meeting, as recorded by a leader. The current value; every
 * change (including the first recording) is appended to `attendance_change`.
 */
export const attendance = pgTable(
  "session_attendance",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    groupId: uuid("group_id")
      .notNull()
      .references(() => balintGroup.id, { onDelete: "cascade" }),
    occurrenceStart: timestamp("occurrence_start", { withTimezone: true }).notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    status: text("status", { enum: ATTENDANCE_STATUSES }).notNull(),
    recordedByUserId: text("recorded_by_user_id").references(() => user.id, { onDelete: "set null" }),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("session_attendance_key").on(t.groupId, t.occurrenceStart, t.userId),
    index("session_attendance_user_idx").on(t.userId),
    check("session_attendance_status_check", sql`${t.status} in ('present','absent','excused')`),
  ],
);

/** Append-only history of attendance values (never updated or deleted by the app). */
export const attendanceChange = pgTable(
  "session_attendance_change",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    groupId: uuid("group_id")
      .notNull()
      .references(() => balintGroup.id, { onDelete: "cascade" }),
    occurrenceStart: timestamp("occurrence_start", { withTimezone: true }).notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    previousStatus: text("previous_status", { enum: ATTENDANCE_STATUSES }),
    status: text("status", { enum: ATTENDANCE_STATUSES }).notNull(),
    recordedByUserId: text("recorded_by_user_id").references(() => user.id, { onDelete: "set null" }),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("session_attendance_change_idx").on(t.groupId, t.occurrenceStart, t.userId)],
);

/** A person's secret calendar subscription. Only the SHA-256 of the token is stored; one active per user. */
export const calendarFeed = pgTable(
  "calendar_feed",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("calendar_feed_token_key").on(t.tokenHash),
    uniqueIndex("calendar_feed_active_key").on(t.userId).where(sql`${t.revokedAt} is null`),
  ],
);

/** A person's reminder offsets (minutes before a meeting). No row: the default (24 h and 1 h). Empty: none. */
export const reminderPreference = pgTable("session_reminder_preference", {
  userId: text("user_id")
    .primaryKey()
    .references(() => user.id, { onDelete: "cascade" }),
  offsetsMinutes: integer("offsets_minutes").array().notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One row per reminder that went out: the primary key makes "exactly one per (person, meeting,
 * offset)" hold however many job workers run, and links the queued mail (its delivery status).
 */
export const reminderSent = pgTable(
  "session_reminder_sent",
  {
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    groupId: uuid("group_id")
      .notNull()
      .references(() => balintGroup.id, { onDelete: "cascade" }),
    occurrenceStart: timestamp("occurrence_start", { withTimezone: true }).notNull(),
    offsetMinutes: integer("offset_minutes").notNull(),
    mailMessageId: uuid("mail_message_id"),
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.groupId, t.occurrenceStart, t.offsetMinutes] }), index("session_reminder_sent_group_idx").on(t.groupId, t.occurrenceStart)],
);

/**
 * The reminder planner's 6-hour slots that have run: the first job to claim a slot plans it and
 * queues the next one; any other (a second app instance, a restart) stops there, so there is
 * one planner chain however often it is started.
 */
export const reminderPlanSlot = pgTable("session_reminder_plan_slot", {
  slot: bigint("slot", { mode: "number" }).primaryKey(),
  ranAt: timestamp("ran_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Who led or co-led one held meeting: a snapshot of the group's leaders taken when attendance is
 * first recorded (`recordSessionLeaders` in the service, the one writer), correctable by the
 * leaders ("led this meeting" per leader). `led = false` keeps the snapshot row of a leader who
 * was away. Read by `participationOf` (led / co-led credits) and the accreditation work.
 */
export const sessionLeader = pgTable(
  "session_leader",
  {
    groupId: uuid("group_id")
      .notNull()
      .references(() => balintGroup.id, { onDelete: "cascade" }),
    occurrenceStart: timestamp("occurrence_start", { withTimezone: true }).notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: LEADER_KINDS }).notNull(),
    led: boolean("led").notNull().default(true),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
    recordedByUserId: text("recorded_by_user_id").references(() => user.id, { onDelete: "set null" }),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.occurrenceStart, t.userId] }),
    index("session_leader_user_idx").on(t.userId),
    check("session_leader_kind_check", sql`${t.kind} in ('leader','co_leader')`),
  ],
);

/**
 * One change notice sent to a group's members: a meeting cancelled, moved, given its own link or
 * restored (a change taken back), or the series paused or resumed. Codes and dates only, no free
 * text. Its delivery job is queued in the same transaction (see the service's `createNotice`).
 */
export const sessionNotice = pgTable(
  "session_notice",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    groupId: uuid("group_id")
      .notNull()
      .references(() => balintGroup.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: NOTICE_KINDS }).notNull(),
    /** The meeting (original start) for cancelled / changed / link_changed. */
    occurrenceStart: timestamp("occurrence_start", { withTimezone: true }),
    /** The pause's local dates for paused / resumed. */
    startDate: text("start_date"),
    endDate: text("end_date"),
    createdByUserId: text("created_by_user_id").references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("session_notice_group_idx").on(t.groupId, t.createdAt),
    check("session_notice_kind_check", sql`${t.kind} in ('cancelled','changed','link_changed','restored','paused','resumed')`),
  ],
);

/**
 * One row per (notice, recipient), claimed BEFORE the email is queued: the primary key means a
 * notice reaches each person once however many app instances deliver it; links the mail message
 * so leaders see whether it went out.
 */
export const sessionNoticeRecipient = pgTable(
  "session_notice_recipient",
  {
    noticeId: uuid("notice_id")
      .notNull()
      .references(() => sessionNotice.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    mailMessageId: uuid("mail_message_id"),
    queuedAt: timestamp("queued_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.noticeId, t.userId] })],
);
