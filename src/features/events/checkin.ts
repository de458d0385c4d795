/**
 * Attendance rules for events (pure, no I/O).
 *
 * Check-in is recorded per person and day. The hours someone attended are the lengths of the
 * event's sessions held on the days they were checked in. When the organiser set CE hours for
 * the whole event, the credit is pro-rated: ceHours × attended session time / all session time,
 * rounded DOWN to a quarter hour (never more than was attended, never more than ceHours).
 * Without CE hours, the credit is the attended session time, rounded down to a quarter hour.
 */

export type SessionSpan = { dayId: string; startsAt: Date | string; endsAt: Date | string };

const minutes = (s: SessionSpan) => Math.max(0, (new Date(s.endsAt).getTime() - new Date(s.startsAt).getTime()) / 60_000);

/** Rounds down to a quarter hour (a hair of tolerance for float noise, never above `hours`). */
export function roundDownToQuarter(hours: number): number {
  const r = Math.floor(hours * 4 + 1e-9) / 4;
  return r > hours ? r - 0.25 : r;
}

export type AttendanceSummary = {
  daysAttended: number;
  /** Session time on the attended days, in hours (unrounded). */
  attendedHours: number;
  /** Session time of the whole event, in hours. */
  totalHours: number;
  /** CE hours earned (quarter hours, rounded down). */
  creditHours: number;
};

export function summariseAttendance(
  sessions: readonly SessionSpan[],
  attendedDayIds: Iterable<string>,
  ceHours: number | null | undefined,
): AttendanceSummary {
  const days = new Set(attendedDayIds);
  let total = 0;
  let attended = 0;
  for (const s of sessions) {
    const m = minutes(s);
    total += m;
    if (days.has(s.dayId)) attended += m;
  }
  const attendedHours = attended / 60;
  const totalHours = total / 60;
  let credit: number;
  if (ceHours !== null && ceHours !== undefined && ceHours >= 0 && totalHours > 0) {
    credit = Math.min(ceHours, (ceHours * attended) / total);
  } else {
    credit = attendedHours;
  }
  return { daysAttended: days.size, attendedHours, totalHours, creditHours: roundDownToQuarter(credit) };
}

/** Folds case and accents so "jose" finds "José" on the check-in list. */
export function foldForSearch(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().trim();
}

/** Everyone whose name or email contains every word of the query (accent- and case-blind). */
export function filterAttendees<T extends { name: string; email?: string | null }>(people: readonly T[], query: string): T[] {
  const words = foldForSearch(query).split(/\s+/).filter(Boolean);
  if (!words.length) return [...people];
  return people.filter((p) => {
    const hay = foldForSearch(`${p.name} ${p.email ?? ""}`);
    return words.every((w) => hay.includes(w));
  });
}
