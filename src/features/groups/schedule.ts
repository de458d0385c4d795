// The pure scheduling core for Balint group series: which meetings a term has, when each one
// starts and ends, and which were cancelled, moved or paused. No I/O.
//
// How it works (see docs/decisions/011-recurrence-and-calendar-libraries.md):
// 1. The RRULE is checked here, part by part, before any library sees it, so that a mistake is
//    reported with the field it is in rather than silently dropped.
// 2. The rule is expanded on the group's LOCAL WALL CLOCK: `rrule-temporal` runs it with the
//    local start time placed in UTC (a zone with no daylight-saving changes), so the dates and
//    the time of day come out exactly as the group means them ("every second Wednesday, 19:00").
// 3. Each local start is then turned into an instant in the group's IANA zone with the rule of
//    RFC 5545 §3.3.5, which §3.3.10 applies to computed recurrence instances too:
//    - a local time that does not exist (spring-forward gap) is read with the offset in force
//      before the gap, i.e. it moves forward by the length of the gap (02:30 → 03:30);
//    - a local time that happens twice (fall-back) means the first of the two.
//    This is Temporal's `disambiguation: "compatible"`. A meeting is never silently dropped.

import { RRuleTemporal } from "rrule-temporal";
import { Temporal } from "temporal-polyfill";

/** The most meetings one term may have: protects against runaway rules. */
export const MAX_OCCURRENCES = 500;
/** The longest span from first to last meeting of one term. */
export const MAX_TERM_YEARS = 10;
export const MIN_DURATION_MINUTES = 30;
export const MAX_DURATION_MINUTES = 240;

/** The frequencies a Balint group may use; anything more frequent than daily is refused. */
export const ALLOWED_FREQUENCIES = ["DAILY", "WEEKLY", "MONTHLY", "YEARLY"] as const;
export type Frequency = (typeof ALLOWED_FREQUENCIES)[number];

export interface RecurrenceInput {
  /** An RFC 5545 RRULE value, e.g. "FREQ=WEEKLY;BYDAY=TU;COUNT=8" (an "RRULE:" prefix is allowed). */
  rrule: string;
  /** The first meeting's local wall-clock start in `timeZone`, "YYYY-MM-DDTHH:mm". */
  dtstartLocal: string;
  /** The group's IANA time zone, e.g. "America/New_York". */
  timeZone: string;
  durationMinutes: number;
  /** A longer (or shorter) first meeting, e.g. ABS online groups: 90 minutes, then 60. */
  firstDurationMinutes?: number;
}

export interface OccurrenceChange {
  /** The start the rule gives the meeting (its `originalStart`). */
  originalStart: Date;
  /** The new start, if the meeting moves. */
  start?: Date;
  durationMinutes?: number;
  /** A meeting link for this meeting only. */
  meetingLink?: string;
}

/** A break in the series: meetings whose local date falls in it are skipped; the rule stays. */
export interface Pause {
  /** First local date of the pause, "YYYY-MM-DD", inclusive. */
  startDate: string;
  /** Last local date of the pause, "YYYY-MM-DD", inclusive. */
  endDate: string;
}

export interface RecurrenceExceptions {
  /** Original starts of cancelled meetings. */
  cancelled?: Date[];
  changed?: OccurrenceChange[];
  pauses?: Pause[];
}

export type OccurrenceStatus = "scheduled" | "cancelled" | "rescheduled";

export interface Occurrence {
  /** The start the rule gives this meeting: its stable identity (RECURRENCE-ID in a calendar). */
  originalStart: Date;
  start: Date;
  end: Date;
  status: OccurrenceStatus;
  /** 1-based position of the meeting in the term, by the rule; stable when others change. */
  index: number;
  /** Only when this meeting has its own link. */
  meetingLink?: string;
}

export interface Issue {
  path: string;
  message: string;
}

/** Thrown by `occurrences` for input that `validateRecurrence` rejects. */
export class RecurrenceError extends Error {
  readonly issues: Issue[];
  constructor(issues: Issue[]) {
    super(`Invalid recurrence: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`);
    this.name = "RecurrenceError";
    this.issues = issues;
  }
}

/** One meeting as the rule alone gives it, before cancellations, changes and pauses. */
export interface RuleOccurrence {
  index: number;
  /** Local wall-clock start the rule computed, "YYYY-MM-DDTHH:mm:ss". */
  local: Temporal.PlainDateTime;
  /** The instant, by the gap/overlap rule above. */
  start: Temporal.ZonedDateTime;
  /** True when `local` does not exist in the zone (spring-forward gap) and was moved forward. */
  inGap: boolean;
}

/** A checked, normalised rule. */
export interface ParsedRule {
  freq: Frequency;
  /** Rule parts other than FREQ, COUNT and UNTIL, in a canonical order, values upper-cased. */
  parts: [string, string][];
  count?: number;
  /** Last possible start, inclusive. */
  until?: Temporal.Instant;
}

// ---------------------------------------------------------------------------------------------
// Time helpers

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses "YYYY-MM-DDTHH:mm[:ss]" strictly (no overflow into the next day or month). */
export function parseLocalDateTime(value: string): Temporal.PlainDateTime | null {
  const m = LOCAL_DATE_TIME.exec(value);
  if (!m) return null;
  try {
    return Temporal.PlainDateTime.from(
      {
        year: Number(m[1]),
        month: Number(m[2]),
        day: Number(m[3]),
        hour: Number(m[4]),
        minute: Number(m[5]),
        second: Number(m[6] ?? "0"),
      },
      { overflow: "reject" },
    );
  } catch {
    return null;
  }
}

function parseLocalDate(value: string): Temporal.PlainDate | null {
  const m = LOCAL_DATE.exec(value);
  if (!m) return null;
  try {
    return Temporal.PlainDate.from(
      { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) },
      { overflow: "reject" },
    );
  } catch {
    return null;
  }
}

/** True for an IANA zone name the runtime knows ("UTC" included; "+05:00" style offsets not). */
export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== "string" || timeZone === "" || /^[+-]/.test(timeZone)) return false;
  try {
    Temporal.Now.instant().toZonedDateTimeISO(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * A local wall-clock time in a zone → the instant, by RFC 5545 §3.3.5: a time in a
 * spring-forward gap moves forward by the gap; a repeated (fall-back) time means the first one.
 */
export function localToZoned(local: Temporal.PlainDateTime, timeZone: string): Temporal.ZonedDateTime {
  return local.toZonedDateTime(timeZone, { disambiguation: "compatible" });
}

/** `localToZoned` for "YYYY-MM-DDTHH:mm" strings, as a Date; throws on bad input. */
export function localToInstant(local: string, timeZone: string): Date {
  const parsed = parseLocalDateTime(local);
  if (!parsed) throw new RangeError(`Not a local date-time (YYYY-MM-DDTHH:mm): ${local}`);
  if (!isValidTimeZone(timeZone)) throw new RangeError(`Unknown time zone: ${timeZone}`);
  return toDate(localToZoned(parsed, timeZone));
}

export function toDate(zoned: Temporal.ZonedDateTime | Temporal.Instant): Date {
  return new Date(zoned.epochMilliseconds);
}

export function toZoned(date: Date, timeZone: string): Temporal.ZonedDateTime {
  return Temporal.Instant.fromEpochMilliseconds(date.getTime()).toZonedDateTimeISO(timeZone);
}

function isValidDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

// ---------------------------------------------------------------------------------------------
// RRULE parsing

const KNOWN_PARTS = [
  "FREQ",
  "UNTIL",
  "COUNT",
  "INTERVAL",
  "BYDAY",
  "BYMONTHDAY",
  "BYYEARDAY",
  "BYWEEKNO",
  "BYMONTH",
  "BYSETPOS",
  "WKST",
] as const;
const TIME_OF_DAY_PARTS = new Set(["BYHOUR", "BYMINUTE", "BYSECOND"]);
const WEEKDAYS = new Set(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]);
const UNTIL_UTC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const UNTIL_DATE = /^(\d{4})(\d{2})(\d{2})$/;

function intList(
  value: string,
  part: string,
  min: number,
  max: number,
  allowNegative: boolean,
  issues: Issue[],
): void {
  for (const item of value.split(",")) {
    if (!/^[+-]?\d{1,3}$/.test(item)) {
      issues.push({ path: "rrule", message: `${part} must be a comma-separated list of whole numbers; got "${item}".` });
      continue;
    }
    const n = Number(item);
    const abs = Math.abs(n);
    if ((n < 0 && !allowNegative) || abs < min || abs > max) {
      const range = allowNegative ? `${min} to ${max} or -${max} to -${min}` : `${min} to ${max}`;
      issues.push({ path: "rrule", message: `${part} values must be ${range}; got ${item}.` });
    }
  }
}

/**
 * Checks an RRULE and returns it normalised, or the problems with it (path "rrule").
 * `timeZone` is used only to read a date-only UNTIL as the end of that local day.
 */
export function parseRule(rrule: string, timeZone: string): { rule?: ParsedRule; issues: Issue[] } {
  const issues: Issue[] = [];
  if (typeof rrule !== "string" || rrule.trim() === "") {
    return { issues: [{ path: "rrule", message: "A recurrence rule is required, e.g. FREQ=WEEKLY;BYDAY=TU;COUNT=8." }] };
  }
  const text = rrule.trim().replace(/^RRULE:/i, "");
  if (/[\r\n]/.test(text)) {
    return { issues: [{ path: "rrule", message: "The recurrence rule must be a single RRULE value without line breaks." }] };
  }
  const values = new Map<string, string>();
  for (const raw of text.split(";")) {
    if (raw === "") continue;
    const eq = raw.indexOf("=");
    if (eq <= 0 || eq === raw.length - 1) {
      issues.push({ path: "rrule", message: `"${raw}" is not a NAME=VALUE rule part.` });
      continue;
    }
    const name = raw.slice(0, eq).toUpperCase();
    const value = raw.slice(eq + 1).toUpperCase();
    if (values.has(name)) {
      issues.push({ path: "rrule", message: `${name} appears more than once.` });
      continue;
    }
    if (TIME_OF_DAY_PARTS.has(name)) {
      issues.push({
        path: "rrule",
        message: `${name} is not allowed: the meeting time comes from dtstartLocal, one meeting a day at most.`,
      });
      continue;
    }
    if (!(KNOWN_PARTS as readonly string[]).includes(name)) {
      issues.push({ path: "rrule", message: `${name} is not a supported rule part.` });
      continue;
    }
    values.set(name, value);
  }

  const freqValue = values.get("FREQ");
  let freq: Frequency | undefined;
  if (freqValue === undefined) {
    issues.push({ path: "rrule", message: "FREQ is required (DAILY, WEEKLY, MONTHLY or YEARLY)." });
  } else if ((ALLOWED_FREQUENCIES as readonly string[]).includes(freqValue)) {
    freq = freqValue as Frequency;
  } else if (["HOURLY", "MINUTELY", "SECONDLY"].includes(freqValue)) {
    issues.push({ path: "rrule", message: `FREQ=${freqValue} is not allowed: a group meets at most once a day.` });
  } else {
    issues.push({ path: "rrule", message: `FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY; got ${freqValue}.` });
  }

  let count: number | undefined;
  const countValue = values.get("COUNT");
  if (countValue !== undefined) {
    if (!/^\d{1,6}$/.test(countValue) || Number(countValue) < 1) {
      issues.push({ path: "rrule", message: "COUNT must be a whole number of meetings, at least 1." });
    } else if (Number(countValue) > MAX_OCCURRENCES) {
      issues.push({ path: "rrule", message: `COUNT must be at most ${MAX_OCCURRENCES} meetings in a term.` });
    } else {
      count = Number(countValue);
    }
  }

  let until: Temporal.Instant | undefined;
  const untilValue = values.get("UNTIL");
  if (untilValue !== undefined) {
    const utc = UNTIL_UTC.exec(untilValue);
    const date = UNTIL_DATE.exec(untilValue);
    try {
      if (utc) {
        until = Temporal.PlainDateTime.from(
          {
            year: Number(utc[1]),
            month: Number(utc[2]),
            day: Number(utc[3]),
            hour: Number(utc[4]),
            minute: Number(utc[5]),
            second: Number(utc[6]),
          },
          { overflow: "reject" },
        )
          .toZonedDateTime("UTC")
          .toInstant();
      } else if (date) {
        // A date-only UNTIL means "up to and including that local day".
        const day = Temporal.PlainDate.from(
          { year: Number(date[1]), month: Number(date[2]), day: Number(date[3]) },
          { overflow: "reject" },
        );
        if (isValidTimeZone(timeZone)) {
          until = day.add({ days: 1 }).toZonedDateTime({ timeZone }).toInstant().subtract({ nanoseconds: 1 });
        }
      } else {
        issues.push({
          path: "rrule",
          message: "UNTIL must be a UTC date-time like 20261231T235959Z or a date like 20261231.",
        });
      }
    } catch {
      issues.push({ path: "rrule", message: `UNTIL is not a real date: ${untilValue}.` });
    }
  }
  if (countValue !== undefined && untilValue !== undefined) {
    issues.push({ path: "rrule", message: "Use COUNT or UNTIL to end the term, not both." });
  } else if (countValue === undefined && untilValue === undefined) {
    issues.push({
      path: "rrule",
      message: "A Balint group meets for a term: give COUNT (number of meetings) or UNTIL (last date).",
    });
  }

  const interval = values.get("INTERVAL");
  if (interval !== undefined && (!/^\d{1,3}$/.test(interval) || Number(interval) < 1)) {
    issues.push({ path: "rrule", message: "INTERVAL must be a whole number from 1 to 999." });
  }
  const byDay = values.get("BYDAY");
  if (byDay !== undefined) {
    for (const item of byDay.split(",")) {
      const m = /^([+-]?\d{1,2})?([A-Z]{2})$/.exec(item);
      if (!m || !WEEKDAYS.has(m[2] ?? "")) {
        issues.push({ path: "rrule", message: `BYDAY values must be weekdays like TU or 2WE; got "${item}".` });
      } else if (m[1] !== undefined) {
        const n = Math.abs(Number(m[1]));
        if (freq !== "MONTHLY" && freq !== "YEARLY") {
          issues.push({ path: "rrule", message: `BYDAY=${item}: a numbered weekday needs FREQ=MONTHLY or YEARLY.` });
        } else if (n < 1 || n > (freq === "MONTHLY" ? 5 : 53)) {
          issues.push({ path: "rrule", message: `BYDAY=${item}: the week number is out of range.` });
        }
      }
    }
  }
  const byMonthDay = values.get("BYMONTHDAY");
  if (byMonthDay !== undefined) intList(byMonthDay, "BYMONTHDAY", 1, 31, true, issues);
  const byYearDay = values.get("BYYEARDAY");
  if (byYearDay !== undefined) intList(byYearDay, "BYYEARDAY", 1, 366, true, issues);
  const byWeekNo = values.get("BYWEEKNO");
  if (byWeekNo !== undefined) intList(byWeekNo, "BYWEEKNO", 1, 53, true, issues);
  const byMonth = values.get("BYMONTH");
  if (byMonth !== undefined) intList(byMonth, "BYMONTH", 1, 12, false, issues);
  const bySetPos = values.get("BYSETPOS");
  if (bySetPos !== undefined) intList(bySetPos, "BYSETPOS", 1, 366, true, issues);
  const wkst = values.get("WKST");
  if (wkst !== undefined && !WEEKDAYS.has(wkst)) {
    issues.push({ path: "rrule", message: `WKST must be a weekday like MO; got "${wkst}".` });
  }

  if (issues.length > 0 || freq === undefined) return { issues };
  const parts: [string, string][] = [];
  for (const name of KNOWN_PARTS) {
    if (name === "FREQ" || name === "COUNT" || name === "UNTIL") continue;
    const value = values.get(name);
    if (value !== undefined) parts.push([name, value]);
  }
  const rule: ParsedRule = { freq, parts };
  if (count !== undefined) rule.count = count;
  if (until !== undefined) rule.until = until;
  return { rule, issues };
}

/** The RRULE value for a parsed rule, with the term ended by `end` (COUNT or a UTC UNTIL). */
export function formatRule(rule: ParsedRule, end: { count: number } | { until: Temporal.Instant }): string {
  const parts = [`FREQ=${rule.freq}`, ...rule.parts.map(([k, v]) => `${k}=${v}`)];
  if ("count" in end) {
    parts.push(`COUNT=${end.count}`);
  } else {
    const u = end.until.toZonedDateTimeISO("UTC");
    const p = (n: number, w = 2) => String(n).padStart(w, "0");
    parts.push(`UNTIL=${p(u.year, 4)}${p(u.month)}${p(u.day)}T${p(u.hour)}${p(u.minute)}${p(u.second)}Z`);
  }
  return parts.join(";");
}

// ---------------------------------------------------------------------------------------------
// Expansion

function formatFloating(local: Temporal.PlainDateTime): string {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(local.year, 4)}${p(local.month)}${p(local.day)}T${p(local.hour)}${p(local.minute)}${p(local.second)}`;
}

/**
 * The meetings the rule gives, in order, at most `limit` of them (the caller decides what to do
 * with more). Expects a valid rule, start and zone.
 */
export function expandRule(
  rule: ParsedRule,
  dtstart: Temporal.PlainDateTime,
  timeZone: string,
  limit: number = MAX_OCCURRENCES + 1,
): RuleOccurrence[] {
  // Expand on the wall clock: the local start placed in UTC, which has no DST changes, so no
  // generated local time is ever skipped or shifted by the library itself.
  const rruleString = formatRule(rule, { count: rule.count ?? limit });
  const expander = new RRuleTemporal({
    rruleString: `DTSTART;TZID=UTC:${formatFloating(dtstart)}\nRRULE:${rruleString}`,
    strict: true,
    temporal: Temporal,
    cache: false,
    // Outer periods (days, weeks, months or years) to try: enough for any term of at most
    // MAX_TERM_YEARS, so a rule that finds too few dates fails fast instead of searching on.
    maxIterations: (MAX_TERM_YEARS + 1) * 366,
  });
  const result: RuleOccurrence[] = [];
  const until = rule.until;
  expander.all((generated: Temporal.ZonedDateTime, i: number) => {
    if (i >= limit) return false;
    const local = generated.toPlainDateTime();
    const start = localToZoned(local, timeZone);
    // Local → instant never goes backwards, so the first start past UNTIL ends the term.
    if (until !== undefined && Temporal.Instant.compare(start.toInstant(), until) > 0) return false;
    result.push({
      index: i + 1,
      local,
      start,
      inGap: !start.toPlainDateTime().equals(local),
    });
    return true;
  });
  return result;
}

// ---------------------------------------------------------------------------------------------
// Validation

function checkDuration(value: unknown, path: string, issues: Issue[]): void {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    issues.push({ path, message: "Duration must be a whole number of minutes." });
  } else if (value < MIN_DURATION_MINUTES || value > MAX_DURATION_MINUTES) {
    issues.push({
      path,
      message: `Duration must be between ${MIN_DURATION_MINUTES} and ${MAX_DURATION_MINUTES} minutes; got ${value}.`,
    });
  }
}

function checkLink(value: unknown, path: string, issues: Issue[]): void {
  if (typeof value !== "string") {
    issues.push({ path, message: "The meeting link must be a URL." });
    return;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    issues.push({ path, message: "The meeting link must be a full URL starting with https://." });
    return;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    issues.push({ path, message: "The meeting link must be an http(s) URL." });
  }
}

interface Checked {
  issues: Issue[];
  rule?: ParsedRule;
  dtstart?: Temporal.PlainDateTime;
  series?: RuleOccurrence[];
}

function check(input: RecurrenceInput, exceptions: RecurrenceExceptions | undefined): Checked {
  const issues: Issue[] = [];
  const tzOk = isValidTimeZone(input.timeZone);
  if (!tzOk) {
    issues.push({
      path: "timeZone",
      message: `"${String(input.timeZone)}" is not a known IANA time zone (e.g. America/New_York).`,
    });
  }
  const dtstart = typeof input.dtstartLocal === "string" ? parseLocalDateTime(input.dtstartLocal) : null;
  if (!dtstart) {
    issues.push({
      path: "dtstartLocal",
      message: "The first meeting's start must be a real local date and time, YYYY-MM-DDTHH:mm.",
    });
  }
  checkDuration(input.durationMinutes, "durationMinutes", issues);
  if (input.firstDurationMinutes !== undefined) {
    checkDuration(input.firstDurationMinutes, "firstDurationMinutes", issues);
  }
  const parsed = parseRule(input.rrule, tzOk ? input.timeZone : "UTC");
  issues.push(...parsed.issues);
  const rule = parsed.rule;

  let series: RuleOccurrence[] | undefined;
  const first = dtstart && tzOk ? localToZoned(dtstart, input.timeZone) : undefined;
  if (dtstart && first && !first.toPlainDateTime().equals(dtstart)) {
    // Later meetings that land in a gap move forward by the gap (see the header), but the
    // series' own anchor must be a real time: calendar clients disagree on such a DTSTART.
    issues.push({
      path: "dtstartLocal",
      message: `${input.dtstartLocal} does not exist in ${input.timeZone}: the clocks go forward then. Choose another time for the first meeting.`,
    });
  }
  if (rule && dtstart && first) {
    if (rule.until !== undefined && Temporal.Instant.compare(rule.until, first.toInstant()) < 0) {
      issues.push({ path: "rrule", message: "UNTIL is before the first meeting: the term would end before it starts." });
    } else {
      try {
        series = expandRule(rule, dtstart, input.timeZone);
      } catch (error) {
        const message = (error as Error).message;
        issues.push({
          path: "rrule",
          message: /maximum iterations/i.test(message)
            ? `The rule's meetings do not fit in a term of at most ${MAX_TERM_YEARS} years.`
            : `The recurrence rule cannot be used: ${message}`,
        });
      }
    }
    if (series) {
      const firstGenerated = series[0];
      if (series.length === 0) {
        issues.push({ path: "rrule", message: "The rule produces no meetings." });
        series = undefined;
      } else if (series.length > MAX_OCCURRENCES) {
        issues.push({ path: "rrule", message: `A term may have at most ${MAX_OCCURRENCES} meetings; this rule has more.` });
        series = undefined;
      } else if (firstGenerated && !firstGenerated.local.equals(dtstart)) {
        issues.push({
          path: "dtstartLocal",
          message: `The first meeting must fall on a date the rule produces; the rule's first date is ${firstGenerated.local.toPlainDate().toString()}.`,
        });
        series = undefined;
      } else {
        const last = series.at(-1);
        if (last && Temporal.PlainDate.compare(last.local.toPlainDate(), dtstart.toPlainDate().add({ years: MAX_TERM_YEARS })) > 0) {
          issues.push({ path: "rrule", message: `A term may span at most ${MAX_TERM_YEARS} years.` });
          series = undefined;
        }
      }
    }
  }

  if (exceptions) checkExceptions(exceptions, series, issues);
  const out: Checked = { issues };
  if (rule) out.rule = rule;
  if (dtstart) out.dtstart = dtstart;
  if (series) out.series = series;
  return out;
}

function checkExceptions(exceptions: RecurrenceExceptions, series: RuleOccurrence[] | undefined, issues: Issue[]): void {
  const starts = series ? new Set(series.map((o) => o.start.epochMilliseconds)) : undefined;
  const seen = new Map<number, string>();
  const checkOriginal = (value: unknown, path: string) => {
    if (!isValidDate(value)) {
      issues.push({ path, message: "Must be the original start of a meeting, as a valid date-time." });
      return;
    }
    const ms = value.getTime();
    if (starts && !starts.has(ms)) {
      issues.push({ path, message: `${value.toISOString()} is not the start of a meeting in this series.` });
    }
    const earlier = seen.get(ms);
    if (earlier !== undefined) {
      issues.push({ path, message: `This meeting already has an exception at ${earlier}.` });
    } else {
      seen.set(ms, path);
    }
  };
  (exceptions.cancelled ?? []).forEach((d, i) => checkOriginal(d, `exceptions.cancelled[${i}]`));
  (exceptions.changed ?? []).forEach((c, i) => {
    const path = `exceptions.changed[${i}]`;
    checkOriginal(c.originalStart, `${path}.originalStart`);
    if (c.start !== undefined && !isValidDate(c.start)) {
      issues.push({ path: `${path}.start`, message: "The new start must be a valid date-time." });
    }
    if (c.durationMinutes !== undefined) checkDuration(c.durationMinutes, `${path}.durationMinutes`, issues);
    if (c.meetingLink !== undefined) checkLink(c.meetingLink, `${path}.meetingLink`, issues);
    if (c.start === undefined && c.durationMinutes === undefined && c.meetingLink === undefined) {
      issues.push({ path, message: "A change needs a new start, duration or meeting link." });
    }
  });
  (exceptions.pauses ?? []).forEach((p, i) => {
    const path = `exceptions.pauses[${i}]`;
    const start = typeof p.startDate === "string" ? parseLocalDate(p.startDate) : null;
    const end = typeof p.endDate === "string" ? parseLocalDate(p.endDate) : null;
    if (!start) issues.push({ path: `${path}.startDate`, message: "Must be a real date, YYYY-MM-DD." });
    if (!end) issues.push({ path: `${path}.endDate`, message: "Must be a real date, YYYY-MM-DD." });
    if (start && end && Temporal.PlainDate.compare(end, start) < 0) {
      issues.push({ path: `${path}.endDate`, message: "The pause ends before it starts." });
    }
  });
}

/**
 * Every problem with a series and its exceptions, each naming its field; empty when valid.
 * Backs the API's 400 responses.
 */
export function validateRecurrence(input: RecurrenceInput, exceptions?: RecurrenceExceptions): Issue[] {
  return check(input, exceptions).issues;
}

// ---------------------------------------------------------------------------------------------
// Occurrences

/** A series with its exceptions applied: what the calendar and the app show. */
export interface ResolvedMeeting {
  rule: RuleOccurrence;
  /** "paused" meetings are skipped: they are listed here for calendar export (EXDATE) only. */
  status: OccurrenceStatus | "paused";
  start: Temporal.ZonedDateTime;
  durationMinutes: number;
  meetingLink?: string;
  /** The first meeting that takes place, which gets `firstDurationMinutes`. */
  isFirstHeld: boolean;
}

export interface ResolvedSeries {
  rule: ParsedRule;
  dtstart: Temporal.PlainDateTime;
  meetings: ResolvedMeeting[];
}

/**
 * The whole term with exceptions applied, in rule order. Throws `RecurrenceError` on invalid input.
 *
 * Rules: a change wins over a pause (the leader moved that meeting on purpose); a cancelled
 * meeting inside a pause counts as paused; `firstDurationMinutes` goes to the first meeting that
 * takes place (not cancelled, not paused) unless a change gives that meeting its own duration.
 */
export function resolveSeries(input: RecurrenceInput, exceptions: RecurrenceExceptions = {}): ResolvedSeries {
  const checked = check(input, exceptions);
  if (checked.issues.length > 0 || !checked.series || !checked.rule || !checked.dtstart) {
    throw new RecurrenceError(checked.issues);
  }
  const cancelled = new Set((exceptions.cancelled ?? []).map((d) => d.getTime()));
  const changed = new Map((exceptions.changed ?? []).map((c) => [c.originalStart.getTime(), c]));
  const pauses = (exceptions.pauses ?? []).map((p) => ({
    start: Temporal.PlainDate.from(p.startDate),
    end: Temporal.PlainDate.from(p.endDate),
  }));
  const paused = (o: RuleOccurrence) => {
    const day = o.local.toPlainDate();
    return pauses.some((p) => Temporal.PlainDate.compare(day, p.start) >= 0 && Temporal.PlainDate.compare(day, p.end) <= 0);
  };

  let firstHeldSeen = false;
  const meetings = checked.series.map((o): ResolvedMeeting => {
    const ms = o.start.epochMilliseconds;
    const change = changed.get(ms);
    let status: ResolvedMeeting["status"];
    if (change) status = "rescheduled";
    else if (paused(o)) status = "paused";
    else if (cancelled.has(ms)) status = "cancelled";
    else status = "scheduled";
    const held = status === "scheduled" || status === "rescheduled";
    const isFirstHeld = held && !firstHeldSeen;
    if (held) firstHeldSeen = true;
    const baseDuration = isFirstHeld ? (input.firstDurationMinutes ?? input.durationMinutes) : input.durationMinutes;
    const meeting: ResolvedMeeting = {
      rule: o,
      status,
      start: change?.start ? toZoned(change.start, input.timeZone) : o.start,
      durationMinutes: change?.durationMinutes ?? baseDuration,
      isFirstHeld,
    };
    if (change?.meetingLink !== undefined) meeting.meetingLink = change.meetingLink;
    return meeting;
  });
  return { rule: checked.rule, dtstart: checked.dtstart, meetings };
}

export interface OccurrenceWindow {
  /** Inclusive lower bound on `start`. */
  from?: Date;
  /** Exclusive upper bound on `start`. */
  to?: Date;
}

/**
 * The meetings of a term whose start lies in `[from, to)`, sorted by start (then index).
 * Cancelled meetings are included with status "cancelled" at their original time; paused ones
 * are left out. Throws `RecurrenceError` on invalid input (see `validateRecurrence`).
 */
export function occurrences(
  input: RecurrenceInput,
  exceptions: RecurrenceExceptions = {},
  window: OccurrenceWindow = {},
): Occurrence[] {
  const { meetings } = resolveSeries(input, exceptions);
  const from = window.from?.getTime() ?? Number.NEGATIVE_INFINITY;
  const to = window.to?.getTime() ?? Number.POSITIVE_INFINITY;
  const result: Occurrence[] = [];
  for (const m of meetings) {
    if (m.status === "paused") continue;
    const startMs = m.start.epochMilliseconds;
    if (startMs < from || startMs >= to) continue;
    const occurrence: Occurrence = {
      originalStart: toDate(m.rule.start),
      start: new Date(startMs),
      end: new Date(startMs + m.durationMinutes * 60_000),
      status: m.status,
      index: m.rule.index,
    };
    if (m.meetingLink !== undefined) occurrence.meetingLink = m.meetingLink;
    result.push(occurrence);
  }
  return result.sort((a, b) => a.start.getTime() - b.start.getTime() || a.index - b.index);
}
