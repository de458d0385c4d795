import { DEBRIEF_RETENTION_DAYS_DEFAULT, DEBRIEF_RETENTION_DAYS_MAX, DEBRIEF_RETENTION_DAYS_MIN } from "./constants.ts";

/** The organisation's debrief retention in days (its setting, clamped to 30..3650; default 180). Pure, browser-safe. */
export function retentionDaysOf(settings: { debriefRetentionDays?: number } | null | undefined): number {
  const days = settings?.debriefRetentionDays;
  if (typeof days !== "number" || !Number.isInteger(days)) return DEBRIEF_RETENTION_DAYS_DEFAULT;
  return Math.min(DEBRIEF_RETENTION_DAYS_MAX, Math.max(DEBRIEF_RETENTION_DAYS_MIN, days));
}
