// Pure rules of the groups slice: seats, waitlist order, times of day across time zones. No I/O.
// The directory's SQL mirrors `viewerSlot` (see service.server.ts, `viewerSlotSql`).

import { Temporal } from "temporal-polyfill";

export const CAPACITY_MIN = 3;
export const CAPACITY_MAX = 15;
export const CAPACITY_DEFAULT = 10;
/** How long a waitlist offer stays open. */
export const OFFER_TTL_MS = 48 * 60 * 60 * 1000;

export const TIMES_OF_DAY = ["morning", "afternoon", "evening"] as const;
export type TimeOfDay = (typeof TIMES_OF_DAY)[number];
/** Bucket bounds in minutes after local midnight: morning [00:00, 12:00), afternoon [12:00, 17:00), evening [17:00, 24:00). */
export const AFTERNOON_FROM = 12 * 60;
export const EVENING_FROM = 17 * 60;

export function timeOfDayOf(minuteOfDay: number): TimeOfDay {
  if (minuteOfDay < AFTERNOON_FROM) return "morning";
  if (minuteOfDay < EVENING_FROM) return "afternoon";
  return "evening";
}

/** [from, to) minutes of a bucket. */
export function timeOfDayRange(bucket: TimeOfDay): [number, number] {
  if (bucket === "morning") return [0, AFTERNOON_FROM];
  if (bucket === "afternoon") return [AFTERNOON_FROM, EVENING_FROM];
  return [EVENING_FROM, 24 * 60];
}

export const WEEKDAY_CODES = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"] as const;
export type WeekdayCode = (typeof WEEKDAY_CODES)[number];

/** 0 = Sunday … 6 = Saturday, from a Temporal dayOfWeek (1 = Monday … 7 = Sunday). */
export const weekdayIndex = (temporalDayOfWeek: number) => temporalDayOfWeek % 7;

/** Free seats; never negative (a lowered capacity can leave a group over-full). */
export function seatsLeft(capacity: number, activeMembers: number): number {
  return Math.max(0, capacity - activeMembers);
}

/** True when one more person can become active. */
export function hasSeat(capacity: number, activeMembers: number): boolean {
  return activeMembers < capacity;
}

/**
 * The weekdays (0 = Sunday) and the start minute a VIEWER sees for a group meeting at
 * `localStartMinute` on `groupWeekdays` in `groupTimeZone`, using the offsets in force on `at`'s
 * date (the next meetings' offsets; off by the DST difference for a few weeks a year at most).
 */
export function viewerSlot(
  groupWeekdays: readonly number[],
  localStartMinute: number,
  groupTimeZone: string,
  viewerTimeZone: string,
  at: Date = new Date(),
): { weekdays: number[]; minute: number } {
  const groupToday = Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(groupTimeZone).toPlainDate();
  const local = groupToday.toPlainDateTime({ hour: Math.floor(localStartMinute / 60), minute: localStartMinute % 60 });
  const viewer = local.toZonedDateTime(groupTimeZone, { disambiguation: "compatible" }).withTimeZone(viewerTimeZone);
  const shift = viewer.toPlainDate().since(groupToday).days;
  const weekdays = [...new Set(groupWeekdays.map((d) => (((d + shift) % 7) + 7) % 7))].sort((a, b) => a - b);
  return { weekdays, minute: viewer.hour * 60 + viewer.minute };
}

/**
 * The waitlist after moving `userId` to `newPosition` (1-based, clamped to the list). The
 * others keep their relative order. Returns user ids in their new order.
 */
export function reorder(order: readonly string[], userId: string, newPosition: number): string[] {
  const from = order.indexOf(userId);
  if (from < 0) throw new RangeError("not on the waitlist");
  const rest = order.filter((id) => id !== userId);
  const to = Math.min(Math.max(Math.trunc(newPosition), 1), order.length) - 1;
  rest.splice(to, 0, userId);
  return rest;
}

/** The next person to offer a seat to: the first by position who has no open offer yet. */
export function nextToOffer<T extends { position: number; offerExpiresAt: Date | null }>(rows: readonly T[]): T | null {
  return [...rows].sort((a, b) => a.position - b.position).find((r) => r.offerExpiresAt === null) ?? null;
}

/** Seats that may be offered now: free seats minus offers still open. */
export function seatsToOffer(capacity: number, activeMembers: number, openOffers: number): number {
  return Math.max(0, capacity - activeMembers - openOffers);
}
