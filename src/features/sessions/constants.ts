export const EXCEPTION_KINDS = ["cancelled", "changed"] as const;
/** Why a meeting was cancelled or changed: a code, never free text. */
export const EXCEPTION_REASONS = ["leader_unavailable", "holiday", "venue_unavailable", "technical", "low_attendance", "other"] as const;
export const RSVP_STATUSES = ["going", "not_going"] as const;
export const ATTENDANCE_STATUSES = ["present", "absent", "excused"] as const;
export const RSVP_NOTE_MAX = 280;
/** Reminder offsets a person may choose, in minutes before a meeting. */
export const REMINDER_OFFSETS = [15, 60, 180, 1440, 2880] as const;
export const DEFAULT_REMINDER_OFFSETS = [1440, 60];
/** Change notices emailed to a group's members (see `session_notice`). */
export const NOTICE_KINDS = ["cancelled", "changed", "link_changed", "restored", "paused", "resumed"] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
