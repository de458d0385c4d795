// RFC 5545 calendar text for Balint group meetings: a person's subscription feed and a single
// meeting's .ics download. Pure: no I/O. Written with `ical-generator`; see
// docs/decisions/011-recurrence-and-calendar-libraries.md.
//
// Shape of a series in the feed:
// - ONE master VEVENT: DTSTART;TZID=<group zone> at the first meeting's local time, DTEND after
//   the regular duration, the group's RRULE with the term ended by UNTIL (the end of the last
//   meeting's local day, in UTC, so every client ends the term on the same meeting), and EXDATE
//   for every meeting that
//   will not take place (cancelled or paused). Cancelled meetings are REMOVED, not shown as
//   STATUS:CANCELLED overrides: EXDATE is the RFC's own way to take an instance out of a set and
//   every client honours it, while cancelled overrides are shown, hidden or struck through
//   depending on the client.
// - One VEVENT with the same UID and a RECURRENCE-ID per changed meeting (moved, other duration,
//   own link), and for the first meeting when it is longer or shorter than the rest.
// - A meeting whose local time falls in a spring-forward gap: RFC 5545 §3.3.10 both says such
//   instances are ignored and that they are read like an explicit DATE-TIME (§3.3.5: moved
//   forward by the gap). `schedule.ts` moves them forward, as libical, ical.js and the big
//   calendar services do. The feed also writes such a meeting as an explicit override VEVENT
//   (RECURRENCE-ID = its real start), so a client that drops the generated instance still has a
//   VEVENT for it; how such a client shows an override it did not generate varies (see the ADR).
// - A meeting that spans a DST change gets an override with its real end: clients add the
//   master's length on the local wall clock, which would make it an hour longer or shorter.
// - A VTIMEZONE per zone, computed from the same time-zone data the schedule used (Temporal /
//   ICU), with one observance per real transition over the span of the events.
//
// - SEQUENCE: the master carries the series' count of changes; an override carries its meeting's
//   count, never below the master's (a client may take an override with a lower SEQUENCE than its
//   master for an outdated copy); a single meeting's .ics carries its meeting's count. DTSTAMP and
//   LAST-MODIFIED are the series' latest change. The caller derives all three from a history that
//   only grows, so taking a change back (restoring a cancelled meeting) raises them too and clients
//   replace the copy they hold instead of keeping it. A change to the whole series (the group's
//   time, schedule, name, place…: `seriesChanges`) raises the master and every meeting's count.
//
// Privacy: SUMMARY is the group's name + "Balint group"; LOCATION is the venue or the meeting
// link; URL is the meeting link. No description, no attendees, no organiser, no case content.

import { createHash } from "node:crypto";
import ical, {
  escape,
  ICalEventStatus,
  type ICalCalendar,
  type ICalTemporalZonedDateTimeStub,
} from "ical-generator";
import { Temporal } from "temporal-polyfill";
import {
  formatRule,
  localToZoned,
  resolveSeries,
  toZoned,
  type RecurrenceExceptions,
  type RecurrenceInput,
  type ResolvedMeeting,
} from "./schedule.ts";

export interface CalendarSeries {
  /** Stable id of the series (e.g. the group's id); the UID is derived from it. */
  id: string;
  groupName: string;
  recurrence: RecurrenceInput;
  exceptions?: RecurrenceExceptions;
  /** The online meeting link (URL and, without a venue, LOCATION). */
  meetingLink?: string;
  /** A venue for in-person groups (LOCATION). */
  venue?: string;
  /**
   * When the series or its exceptions last changed: DTSTAMP and LAST-MODIFIED (keeps the ETag
   * stable). Must never go back, also when a change is taken back (restore, resume).
   */
  lastModified: Date;
  /** SEQUENCE of the series (the master VEVENT): grows with every change to the series. Default 0. */
  sequence?: number;
  /**
   * SEQUENCE per meeting, by its original start (ISO 8601, as `Date.toISOString()`): grows with
   * every change to that meeting (cancel, move, own link, restore); a missing meeting is 0. Used
   * for the meeting's override (never below the series' SEQUENCE) and its single .ics. Without
   * it, both use `sequence`.
   */
  instanceSequences?: Record<string, number>;
  /**
   * Changes to the whole series that alter every meeting as a calendar shows it (its schedule,
   * time, duration, time zone, name, place or link): counted in `sequence` by the caller, and
   * added here to every meeting's own count (`instanceSequences`), so each override and each
   * single .ics also rises. Default 0.
   */
  seriesChanges?: number;
}

export interface CalendarInput {
  /** The feed's name (NAME / X-WR-CALNAME), e.g. "Balint groups". */
  name: string;
  /** How often clients should re-fetch (REFRESH-INTERVAL, X-PUBLISHED-TTL). */
  refreshIntervalMinutes: number;
  events: CalendarSeries[];
  /** Right-hand side of UIDs; defaults to "balint-commons". */
  uidDomain?: string;
}

export interface SingleEventInput {
  series: CalendarSeries;
  /** The meeting's `originalStart` (as given by `occurrences`). */
  originalStart: Date;
  uidDomain?: string;
}

const PRODID = { company: "Balint Commons", product: "Balint Commons", language: "EN" };
const DEFAULT_UID_DOMAIN = "balint-commons";

// ---------------------------------------------------------------------------------------------
// Small formatters

const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, "0");

function formatLocal(local: Temporal.PlainDateTime): string {
  return `${pad(local.year, 4)}${pad(local.month)}${pad(local.day)}T${pad(local.hour)}${pad(local.minute)}${pad(local.second)}`;
}

function formatUtc(instant: Temporal.Instant): string {
  return `${formatLocal(instant.toZonedDateTimeISO("UTC").toPlainDateTime())}Z`;
}

function formatOffset(offsetNs: number): string {
  const sign = offsetNs < 0 ? "-" : "+";
  const total = Math.abs(Math.round(offsetNs / 1e9));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${sign}${pad(h)}${pad(m)}${s ? pad(s) : ""}`;
}

/** UID-safe token: UIDs are not escaped by the writer, so keep them to a plain alphabet. */
function uidToken(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]/g, (c) => `_${c.codePointAt(0)?.toString(16) ?? ""}`);
}

function seriesUid(series: CalendarSeries, domain: string): string {
  return `balint-group-${uidToken(series.id)}@${uidToken(domain)}`;
}

/**
 * A link for URI-valued properties. The writer applies TEXT escaping (backslashes) to URL, which
 * URI values do not have, so "," and ";" are percent-encoded instead; line breaks cannot occur.
 */
function uriValue(link: string): string {
  return new URL(link).href.replace(/,/g, "%2C").replace(/;/g, "%3B");
}

function summaryFor(series: CalendarSeries): string {
  return `${series.groupName.trim()} – Balint group`;
}

function isUtc(timeZone: string): boolean {
  return timeZone === "UTC";
}

// ---------------------------------------------------------------------------------------------
// VTIMEZONE

interface ZoneSpan {
  from: Temporal.Instant;
  to: Temporal.Instant;
}

function offsetAt(timeZone: string, instant: Temporal.Instant): number {
  return instant.toZonedDateTimeISO(timeZone).offsetNanoseconds;
}

/** Daylight time when the offset is above the year's standard (smallest of Jan/Jul) offset. */
function isDaylight(timeZone: string, instant: Temporal.Instant, offsetNs: number): boolean {
  const year = instant.toZonedDateTimeISO(timeZone).year;
  const jan = Temporal.ZonedDateTime.from({ year, month: 1, day: 1, timeZone }).offsetNanoseconds;
  const jul = Temporal.ZonedDateTime.from({ year, month: 7, day: 1, timeZone }).offsetNanoseconds;
  return offsetNs > Math.min(jan, jul);
}

function zoneAbbreviation(timeZone: string, instant: Temporal.Instant): string | undefined {
  const part = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "short" })
    .formatToParts(new Date(instant.epochMilliseconds))
    .find((p) => p.type === "timeZoneName");
  return part?.value;
}

/**
 * A VTIMEZONE for `timeZone` valid over `span`: one observance per transition in the span, and one
 * for the offset in force at its start. Built from the runtime's tz data, the same data
 * `schedule.ts` used, so a client converts every DTSTART to the instant the app shows.
 */
export function buildVTimezone(timeZone: string, span: ZoneSpan): string {
  const lines = ["BEGIN:VTIMEZONE", `TZID:${timeZone}`, `X-LIC-LOCATION:${timeZone}`];
  const observance = (at: Temporal.Instant, fromNs: number, toNs: number) => {
    const kind = isDaylight(timeZone, at, toNs) ? "DAYLIGHT" : "STANDARD";
    // DTSTART of an observance is the local time of the change, read with the offset before it.
    const local = at.add({ nanoseconds: fromNs }).toZonedDateTimeISO("UTC").toPlainDateTime();
    lines.push(
      `BEGIN:${kind}`,
      `DTSTART:${formatLocal(local)}`,
      `TZOFFSETFROM:${formatOffset(fromNs)}`,
      `TZOFFSETTO:${formatOffset(toNs)}`,
    );
    const name = zoneAbbreviation(timeZone, at);
    if (name) lines.push(`TZNAME:${escape(name, false)}`);
    lines.push(`END:${kind}`);
  };

  const startZoned = span.from.toZonedDateTimeISO(timeZone);
  const previous = startZoned.getTimeZoneTransition("previous");
  if (previous) {
    const at = previous.toInstant();
    observance(at, offsetAt(timeZone, at.subtract({ nanoseconds: 1 })), previous.offsetNanoseconds);
  } else {
    const ns = startZoned.offsetNanoseconds;
    lines.push("BEGIN:STANDARD", "DTSTART:16010101T000000", `TZOFFSETFROM:${formatOffset(ns)}`, `TZOFFSETTO:${formatOffset(ns)}`, "END:STANDARD");
  }
  let cursor = startZoned;
  for (let guard = 0; guard < 1000; guard++) {
    const next = cursor.getTimeZoneTransition("next");
    if (!next || Temporal.Instant.compare(next.toInstant(), span.to) > 0) break;
    const at = next.toInstant();
    observance(at, offsetAt(timeZone, at.subtract({ nanoseconds: 1 })), next.offsetNanoseconds);
    cursor = next;
  }
  lines.push("END:VTIMEZONE");
  return lines.join("\r\n");
}

// ---------------------------------------------------------------------------------------------
// Events

interface Prepared {
  series: CalendarSeries;
  uid: string;
  timeZone: string;
  meetings: ResolvedMeeting[];
  rrule: string;
  span: ZoneSpan;
}

/**
 * UNTIL for the feed: the end of the last meeting's local day. The term then ends on the same
 * meeting in every client, whether it drops, moves forward or moves back a meeting at a DST
 * change (a COUNT would shift by one in a client that drops one), and the next date the rule
 * would give is always on a later day.
 */
function termEnd(last: ResolvedMeeting, timeZone: string): Temporal.Instant {
  return last.rule.local
    .toPlainDate()
    .add({ days: 1 })
    .toZonedDateTime({ timeZone })
    .toInstant()
    .subtract({ seconds: 1 });
}

function prepare(series: CalendarSeries, domain: string): Prepared {
  const resolved = resolveSeries(series.recurrence, series.exceptions);
  const { meetings } = resolved;
  const first = meetings[0];
  const last = meetings.at(-1);
  if (!first || !last) throw new Error("A series without meetings cannot be exported.");
  let from = first.rule.start.toInstant();
  let to = last.rule.start.toInstant();
  for (const m of meetings) {
    const start = m.start.toInstant();
    const end = start.add({ minutes: m.durationMinutes });
    if (Temporal.Instant.compare(start, from) < 0) from = start;
    if (Temporal.Instant.compare(end, to) > 0) to = end;
  }
  return {
    series,
    uid: seriesUid(series, domain),
    timeZone: series.recurrence.timeZone,
    meetings,
    rrule: formatRule(resolved.rule, { until: termEnd(last, series.recurrence.timeZone) }),
    span: { from: from.subtract({ hours: 24 }), to: to.add({ hours: 24 }) },
  };
}

function exdateValue(m: ResolvedMeeting, timeZone: string): string {
  return isUtc(timeZone) ? formatUtc(m.rule.start.toInstant()) : formatLocal(m.rule.local);
}

/**
 * A local wall-clock value for DTSTART-like properties that the writer prints as it is, even a
 * time that does not exist in the zone. EXDATE and RECURRENCE-ID must repeat the local value the
 * RRULE generates: each client then maps both through the same local→UTC rule and they match,
 * whatever that rule is (ical.js, for one, reads a gap time with the offset after the gap).
 */
function wallClock(local: Temporal.PlainDateTime, timeZone: string): ICalTemporalZonedDateTimeStub {
  const stub: ICalTemporalZonedDateTimeStub = {
    year: local.year,
    month: local.month,
    day: local.day,
    hour: local.hour,
    minute: local.minute,
    second: local.second,
    timeZoneId: timeZone,
    toPlainDateTime: () => local,
    withTimeZone: () => stub,
    toInstant: () => localToZoned(local, timeZone).toInstant(),
    toJSON: () => `${local.toString()}[${timeZone}]`,
    toString: () => `${local.toString()}[${timeZone}]`,
  };
  return stub;
}

/**
 * SEQUENCE of one meeting (by its original start): its own count plus the changes to the whole
 * series when the caller gave the counts, else the series'.
 */
function meetingSequence(series: CalendarSeries, originalStart: Date): number {
  if (series.instanceSequences) return (series.instanceSequences[originalStart.toISOString()] ?? 0) + (series.seriesChanges ?? 0);
  return series.sequence ?? 0;
}

function locationFields(series: CalendarSeries, link: string | undefined): { location?: string; url?: string } {
  const out: { location?: string; url?: string } = {};
  const meetingLink = link ?? series.meetingLink;
  if (meetingLink) out.url = uriValue(meetingLink);
  if (series.venue) out.location = series.venue;
  else if (meetingLink) out.location = meetingLink;
  return out;
}

function zonedEventTimes(start: Temporal.ZonedDateTime, minutes: number, timeZone: string) {
  // ical-generator formats Temporal.ZonedDateTime in the event's zone (TZID) or in UTC; native
  // Dates would be formatted in the server process's local zone, which we never want.
  const zone = isUtc(timeZone) ? "UTC" : timeZone;
  return { start: start.withTimeZone(zone), end: start.add({ minutes }).withTimeZone(zone) };
}

/**
 * True when a DST change falls inside the meeting: clients add the master's length on the local
 * wall clock (ical.js does), which would make it an hour longer or shorter, so the override
 * states the real end. Only when that end, written as a local time, reads back as the real end
 * by RFC 5545 §3.3.5; an end inside a repeated hour cannot be written unambiguously with a TZID
 * and is left to the master's exact length (see the ADR's limits).
 */
function spansTransition(m: ResolvedMeeting): boolean {
  const end = m.start.add({ minutes: m.durationMinutes });
  if (end.offsetNanoseconds === m.start.offsetNanoseconds) return false;
  return localToZoned(end.toPlainDateTime(), end.timeZoneId).epochNanoseconds === end.epochNanoseconds;
}

function addSeries(cal: ICalCalendar, p: Prepared): void {
  const { series, timeZone, meetings, uid } = p;
  const first = meetings[0];
  if (!first) return;
  const common = {
    id: uid,
    summary: summaryFor(series),
    stamp: series.lastModified,
    lastModified: series.lastModified,
    sequence: series.sequence ?? 0,
    timezone: isUtc(timeZone) ? null : timeZone,
  };

  const excluded = meetings.filter((m) => m.status === "cancelled" || m.status === "paused");
  const tzParam = isUtc(timeZone) ? "" : `;TZID=${timeZone}`;
  const repeating = [`RRULE:${p.rrule}`];
  if (excluded.length > 0) {
    repeating.push(`EXDATE${tzParam}:${excluded.map((m) => exdateValue(m, timeZone)).join(",")}`);
  }

  // The master: the rule's first meeting at the regular length; instances inherit that length.
  cal.createEvent({
    ...common,
    // (the first meeting's local time always exists: validateRecurrence refuses a DST-gap start)
    ...zonedEventTimes(first.rule.start, series.recurrence.durationMinutes, timeZone),
    ...locationFields(series, undefined),
    repeating: repeating.join("\n"),
  });

  for (const m of meetings) {
    if (m.status === "cancelled" || m.status === "paused") continue;
    const differs =
      m.status === "rescheduled" ||
      m.durationMinutes !== series.recurrence.durationMinutes ||
      // see the header: a meeting moved out of a DST gap is carried explicitly
      m.rule.inGap ||
      spansTransition(m);
    if (!differs) continue;
    cal.createEvent({
      ...common,
      sequence: Math.max(common.sequence, meetingSequence(series, new Date(m.rule.start.epochMilliseconds))),
      ...zonedEventTimes(m.start, m.durationMinutes, timeZone),
      ...locationFields(series, m.meetingLink),
      recurrenceId: isUtc(timeZone) ? m.rule.start.withTimeZone("UTC") : wallClock(m.rule.local, timeZone),
    });
  }
}

function newCalendar(name: string | undefined, spans: Map<string, ZoneSpan>): ICalCalendar {
  const cal = ical({ prodId: PRODID });
  // ical-generator writes NAME and X-WR-CALNAME without escaping them: escape here (RFC 5545 TEXT).
  if (name !== undefined) cal.name(escape(name, false));
  cal.timezone({
    name: null,
    generator: (tz: string) => {
      const span = spans.get(tz);
      return span ? buildVTimezone(tz, span) : null;
    },
  });
  return cal;
}

function widen(spans: Map<string, ZoneSpan>, timeZone: string, span: ZoneSpan): void {
  if (isUtc(timeZone)) return;
  const current = spans.get(timeZone);
  if (!current) {
    spans.set(timeZone, span);
    return;
  }
  spans.set(timeZone, {
    from: Temporal.Instant.compare(span.from, current.from) < 0 ? span.from : current.from,
    to: Temporal.Instant.compare(span.to, current.to) > 0 ? span.to : current.to,
  });
}

/**
 * A subscription feed: every series as one recurring VEVENT plus overrides, a VTIMEZONE per zone,
 * NAME/X-WR-CALNAME and REFRESH-INTERVAL. Throws `RecurrenceError` for an invalid series.
 */
export function buildCalendar(input: CalendarInput): string {
  if (!Number.isInteger(input.refreshIntervalMinutes) || input.refreshIntervalMinutes < 1) {
    throw new RangeError("refreshIntervalMinutes must be a whole number of minutes, at least 1.");
  }
  const domain = input.uidDomain ?? DEFAULT_UID_DOMAIN;
  const prepared = input.events.map((s) => prepare(s, domain));
  const spans = new Map<string, ZoneSpan>();
  for (const p of prepared) widen(spans, p.timeZone, p.span);
  const cal = newCalendar(input.name, spans);
  cal.ttl(input.refreshIntervalMinutes * 60);
  for (const p of prepared) addSeries(cal, p);
  return cal.toString();
}

/**
 * One meeting as a standalone .ics (a download for "add to my calendar"). Its UID is its own,
 * derived from the series and the meeting's original start, so importing it next to a
 * subscription never replaces the series. A cancelled meeting is exported with STATUS:CANCELLED.
 */
export function buildSingleEvent(input: SingleEventInput): string {
  const domain = input.uidDomain ?? DEFAULT_UID_DOMAIN;
  const p = prepare(input.series, domain);
  const meeting = p.meetings.find((m) => m.rule.start.epochMilliseconds === input.originalStart.getTime());
  if (!meeting) throw new RangeError("originalStart is not a meeting of this series.");
  if (meeting.status === "paused") throw new RangeError("This meeting falls in a pause and does not take place.");
  const span = {
    from: meeting.start.toInstant().subtract({ hours: 24 }),
    to: meeting.start.toInstant().add({ hours: 24, minutes: meeting.durationMinutes }),
  };
  const spans = new Map<string, ZoneSpan>();
  widen(spans, p.timeZone, span);
  const cal = newCalendar(undefined, spans);
  const original = toZoned(input.originalStart, "UTC");
  cal.createEvent({
    id: `balint-meeting-${uidToken(input.series.id)}-${formatUtc(original.toInstant())}@${uidToken(domain)}`,
    summary: summaryFor(input.series),
    stamp: input.series.lastModified,
    lastModified: input.series.lastModified,
    sequence: meetingSequence(input.series, input.originalStart),
    timezone: isUtc(p.timeZone) ? null : p.timeZone,
    ...zonedEventTimes(meeting.start, meeting.durationMinutes, p.timeZone),
    ...locationFields(input.series, meeting.meetingLink),
    ...(meeting.status === "cancelled" ? { status: ICalEventStatus.CANCELLED } : {}),
  });
  return cal.toString();
}

/** A strong ETag for a calendar body (quoted, from SHA-256). */
export function etagFor(calendarText: string): string {
  return `"${createHash("sha256").update(calendarText, "utf8").digest("base64url")}"`;
}
