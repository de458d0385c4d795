// Browser-safe constants of the debrief slice (the UI cannot import schema.ts, which pulls in Drizzle).
// They must equal the ones in schema.ts; constants.test.ts checks that.

/** The longest debrief text, in UTF-16 code units (what a <textarea maxlength> counts). */
export const DEBRIEF_TEXT_MAX = 20_000;
export const DEBRIEF_RETENTION_DAYS_DEFAULT = 180;
/** Organisation setting bounds for `debriefRetentionDays`. */
export const DEBRIEF_RETENTION_DAYS_MIN = 30;
export const DEBRIEF_RETENTION_DAYS_MAX = 3650;
/** How far back the "meetings needing a debrief" list looks. */
export const DEBRIEF_PENDING_DAYS = 30;
