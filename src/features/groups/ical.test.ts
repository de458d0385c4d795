// The feed is checked with ical.js, a parser and recurrence expander independent of the writer
// (ical-generator) and of the expander behind schedule.ts (rrule-temporal).
import fc from "fast-check";
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { buildCalendar, buildSingleEvent, etagFor, type CalendarSeries } from "./ical.ts";
import { occurrences, validateRecurrence, type RecurrenceInput } from "./schedule.ts";

interface Expanded {
  start: string;
  end: string;
  status: string | null;
  url: string | null;
  recurrenceId: string;
}

function parse(text: string): ICAL.Component {
  const vcal = new ICAL.Component(ICAL.parse(text));
  for (const vtz of vcal.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(vtz);
  return vcal;
}

/** Every instance ical.js computes for each UID: RRULE, EXDATE and RECURRENCE-ID overrides applied. */
function expand(text: string): Map<string, Expanded[]> {
  const vcal = parse(text);
  const byUid = new Map<string, ICAL.Component[]>();
  for (const c of vcal.getAllSubcomponents("vevent")) {
    const uid = String(c.getFirstPropertyValue("uid"));
    byUid.set(uid, [...(byUid.get(uid) ?? []), c]);
  }
  const out = new Map<string, Expanded[]>();
  for (const [uid, comps] of byUid) {
    const masterComp = comps.find((c) => !c.hasProperty("recurrence-id"));
    if (!masterComp) throw new Error(`no master for ${uid}`);
    const master = new ICAL.Event(masterComp);
    for (const c of comps) if (c !== masterComp) master.relateException(c);
    const list: Expanded[] = [];
    if (master.isRecurring()) {
      const it = master.iterator();
      for (let next = it.next(); next; next = it.next()) {
        const d = master.getOccurrenceDetails(next);
        list.push({
          start: d.startDate.toJSDate().toISOString(),
          end: d.endDate.toJSDate().toISOString(),
          status: (d.item.component.getFirstPropertyValue("status") as string | null) ?? null,
          url: (d.item.component.getFirstPropertyValue("url") as string | null) ?? null,
          recurrenceId: d.recurrenceId.toJSDate().toISOString(),
        });
        if (list.length > 1000) throw new Error("runaway");
      }
    } else {
      list.push({
        start: master.startDate.toJSDate().toISOString(),
        end: master.endDate.toJSDate().toISOString(),
        status: (masterComp.getFirstPropertyValue("status") as string | null) ?? null,
        url: (masterComp.getFirstPropertyValue("url") as string | null) ?? null,
        recurrenceId: master.startDate.toJSDate().toISOString(),
      });
    }
    out.set(uid, list);
  }
  return out;
}

function held(input: RecurrenceInput, exceptions: CalendarSeries["exceptions"] = {}) {
  return occurrences(input, exceptions)
    .filter((o) => o.status !== "cancelled")
    .map((o) => ({ start: o.start.toISOString(), end: o.end.toISOString() }));
}

function only<T>(map: Map<string, T>): T {
  expect(map.size).toBe(1);
  return [...map.values()][0]!;
}

const LAST_MODIFIED = new Date("2026-01-15T10:00:00Z");

function group(recurrence: Partial<RecurrenceInput>, more: Partial<CalendarSeries> = {}): CalendarSeries {
  return {
    id: "grp_123",
    groupName: "Residents",
    meetingLink: "https://meet.example/balint-residents",
    lastModified: LAST_MODIFIED,
    recurrence: {
      rrule: "FREQ=WEEKLY;BYDAY=TU;COUNT=8",
      dtstartLocal: "2026-03-03T19:00",
      timeZone: "America/New_York",
      durationMinutes: 60,
      ...recurrence,
    },
    ...more,
  };
}

const feed = (...events: CalendarSeries[]) => buildCalendar({ name: "My Balint groups", refreshIntervalMinutes: 60, events });
const sorted = <T extends { start: string }>(list: T[]) => [...list].sort((a, b) => a.start.localeCompare(b.start));

describe("the recurrence in the feed expands to the same meetings as schedule.ts", () => {
  const cases: [string, Partial<RecurrenceInput>][] = [
    ["New York weekly across spring-forward", { rrule: "FREQ=WEEKLY;BYDAY=TU;COUNT=8", dtstartLocal: "2026-02-24T19:00" }],
    ["New York weekly across fall-back", { rrule: "FREQ=WEEKLY;BYDAY=TH;COUNT=6", dtstartLocal: "2026-10-15T12:30" }],
    [
      "London monthly 2nd Wednesday across both changes, UNTIL",
      { rrule: "FREQ=MONTHLY;BYDAY=2WE;UNTIL=20261231", dtstartLocal: "2026-01-14T19:00", timeZone: "Europe/London" },
    ],
    [
      "Sydney monthly across both changes",
      { rrule: "FREQ=MONTHLY;BYMONTHDAY=15;COUNT=10", dtstartLocal: "2026-02-15T18:30", timeZone: "Australia/Sydney" },
    ],
    [
      "ABS online: 8 monthly, first 90 minutes",
      { rrule: "FREQ=MONTHLY;BYDAY=1TH;COUNT=8", dtstartLocal: "2026-01-01T20:00", firstDurationMinutes: 90 },
    ],
    ["a group in UTC", { rrule: "FREQ=WEEKLY;BYDAY=MO;COUNT=4", dtstartLocal: "2026-03-02T12:00", timeZone: "UTC" }],
    ["a meeting in the spring-forward gap", { rrule: "FREQ=WEEKLY;BYDAY=SU;COUNT=4", dtstartLocal: "2026-03-01T02:30" }],
    [
      "a late meeting that spans the spring-forward change (22:30 for 4 hours)",
      { rrule: "FREQ=WEEKLY;BYDAY=SA;COUNT=3", dtstartLocal: "2026-02-28T22:30", durationMinutes: 240 },
    ],
    [
      "a late meeting that spans the fall-back change (23:30 for 4 hours, London)",
      { rrule: "FREQ=WEEKLY;BYDAY=SA;COUNT=3", dtstartLocal: "2026-10-17T23:30", timeZone: "Europe/London", durationMinutes: 240 },
    ],
    [
      "Sydney gap (4 October 02:30)",
      { rrule: "FREQ=WEEKLY;BYDAY=SU;COUNT=3", dtstartLocal: "2026-09-27T02:30", timeZone: "Australia/Sydney" },
    ],
  ];
  it.each(cases)("%s", (_name, recurrence) => {
    const g = group(recurrence);
    const expanded = only(expand(feed(g)));
    expect(sorted(expanded).map(({ start, end }) => ({ start, end }))).toEqual(held(g.recurrence));
  });

  it("honours EXDATE for cancelled and paused meetings and RECURRENCE-ID for changed ones", () => {
    const g = group({ firstDurationMinutes: 90 });
    const all = occurrences(g.recurrence);
    const at = (i: number) => all[i - 1]!.originalStart;
    g.exceptions = {
      cancelled: [at(1), at(6)],
      changed: [
        { originalStart: at(3), start: new Date("2026-03-19T22:00:00Z"), durationMinutes: 120 },
        { originalStart: at(4), meetingLink: "https://meet.example/other-room" },
      ],
      pauses: [{ startDate: "2026-04-13", endDate: "2026-04-19" }], // meeting 7, 14 April
    };
    const text = feed(g);
    const expanded = sorted(only(expand(text)));
    expect(expanded.map(({ start, end }) => ({ start, end }))).toEqual(held(g.recurrence, g.exceptions));
    // cancelled and paused meetings are absent, not shown
    const starts = expanded.map((e) => e.start);
    for (const i of [1, 6, 7]) expect(starts).not.toContain(at(i).toISOString());
    // the moved meeting keeps its identity
    expect(expanded.find((e) => e.start === "2026-03-19T22:00:00.000Z")?.recurrenceId).toBe(at(3).toISOString());
    expect(expanded.find((e) => e.recurrenceId === at(4).toISOString())?.url).toBe("https://meet.example/other-room");
    // 90 minutes go to meeting 2, the first that takes place
    const second = expanded.find((e) => e.recurrenceId === at(2).toISOString())!;
    expect(new Date(second.end).getTime() - new Date(second.start).getTime()).toBe(90 * 60_000);
    expect(text.replace(/\r\n /g, "")).toMatch(/EXDATE;TZID=America\/New_York:20260303T190000,20260407T190000,20260414T190000\r\n/);
  });

  it("keeps several groups in several zones apart, each with its own VTIMEZONE", () => {
    const a = group({}, { id: "a" });
    const b = group({ timeZone: "Europe/London", dtstartLocal: "2026-03-03T19:00" }, { id: "b", groupName: "GPs" });
    const text = feed(a, b);
    const expanded = expand(text);
    expect([...expanded.keys()].sort()).toEqual(["balint-group-a@balint-commons", "balint-group-b@balint-commons"]);
    expect(expanded.get("balint-group-a@balint-commons")!.map(({ start, end }) => ({ start, end }))).toEqual(held(a.recurrence));
    expect(expanded.get("balint-group-b@balint-commons")!.map(({ start, end }) => ({ start, end }))).toEqual(held(b.recurrence));
    expect(text.match(/^BEGIN:VTIMEZONE\r$/gm)).toHaveLength(2);
  });

  it("agrees with schedule.ts for random weekly series (05:00–22:30 starts, up to 4 hours, no repeated local times)", () => {
    fc.assert(
      fc.property(randomWeekly(), (input) => {
        fc.pre(validateRecurrence(input).length === 0);
        // the documented ical.js difference: it reads a repeated local time as the later one
        fc.pre(!held(input).some((o) => isRepeated(new Date(o.start), input.timeZone) || isRepeated(new Date(o.end), input.timeZone)));
        const expanded = only(expand(feed(group(input))));
        expect(sorted(expanded).map(({ start, end }) => ({ start, end }))).toEqual(held(input));
      }),
      { numRuns: Number(process.env.ICAL_RUNS ?? 60) },
    );
  }, 60_000);

  it("known client difference: ical.js reads a repeated fall-back hour as the later one", () => {
    // schedule.ts follows RFC 5545 §3.3.5 (the first of the two); this is in the ADR's limits.
    const g = group({ rrule: "FREQ=WEEKLY;BYDAY=SU;COUNT=2", dtstartLocal: "2026-10-25T01:30" });
    const ours = held(g.recurrence).map((o) => o.start);
    const theirs = only(expand(feed(g))).map((o) => o.start);
    expect(ours).toEqual(["2026-10-25T05:30:00.000Z", "2026-11-01T05:30:00.000Z"]);
    expect(theirs).toEqual(["2026-10-25T05:30:00.000Z", "2026-11-01T06:30:00.000Z"]);
  });
});

// Independent of the code under test: offsets through Intl.
function offsetMinutes(date: Date, timeZone: string): number {
  const name =
    new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" }).formatToParts(date).find((p) => p.type === "timeZoneName")
      ?.value ?? "GMT";
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** True when the local time of `date` also happens at another instant (a fall-back repeat). */
function isRepeated(date: Date, timeZone: string): boolean {
  const own = offsetMinutes(date, timeZone);
  for (const hours of [-3, 3]) {
    const other = offsetMinutes(new Date(date.getTime() + hours * 3_600_000), timeZone);
    if (other === own) continue;
    const twin = new Date(date.getTime() + (own - other) * 60_000);
    if (offsetMinutes(twin, timeZone) === other) return true;
  }
  return false;
}

const ZONES = ["America/New_York", "Europe/London", "Australia/Sydney", "Europe/Berlin", "Pacific/Auckland", "Asia/Kolkata"];
const DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
function randomWeekly() {
  return fc
    .record({
      timeZone: fc.constantFrom(...ZONES),
      day: fc.date({ min: new Date("2025-01-01T00:00:00Z"), max: new Date("2028-12-31T00:00:00Z"), noInvalidDate: true }),
      hour: fc.integer({ min: 5, max: 22 }),
      minute: fc.constantFrom(0, 30),
      extraDays: fc.subarray(DAYS),
      count: fc.integer({ min: 1, max: 40 }),
      duration: fc.integer({ min: 30, max: 240 }),
    })
    .map((r): RecurrenceInput => {
      const weekday = DAYS[(r.day.getUTCDay() + 6) % 7]!;
      const byDay = [...new Set([weekday, ...r.extraDays])].join(",");
      return {
        rrule: `FREQ=WEEKLY;BYDAY=${byDay};COUNT=${r.count}`,
        dtstartLocal: `${r.day.toISOString().slice(0, 10)}T${String(r.hour).padStart(2, "0")}:${String(r.minute).padStart(2, "0")}`,
        timeZone: r.timeZone,
        durationMinutes: r.duration,
      };
    });
}

describe("calendar properties", () => {
  it("resolves every TZID to a VTIMEZONE in the file", () => {
    const text = feed(group({ timeZone: "Australia/Sydney", dtstartLocal: "2026-03-03T19:00" }));
    const vcal = parse(text);
    const zones = vcal.getAllSubcomponents("vtimezone").map((z) => String(z.getFirstPropertyValue("tzid")));
    expect(zones).toEqual(["Australia/Sydney"]);
    const tzids = new Set([...text.matchAll(/;TZID=([^:;]+)/g)].map((m) => m[1]));
    expect([...tzids]).toEqual(["Australia/Sydney"]);
    const event = new ICAL.Event(vcal.getFirstSubcomponent("vevent")!);
    expect(event.startDate.zone?.tzid).toBe("Australia/Sydney");
    expect(event.startDate.isDate).toBe(false);
  });

  it("has NAME, X-WR-CALNAME, REFRESH-INTERVAL and a DTSTAMP on every event", () => {
    const text = buildCalendar({ name: "My groups", refreshIntervalMinutes: 90, events: [group({})] });
    const vcal = parse(text);
    expect(text).toContain("\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H30M\r\n");
    expect(vcal.getFirstPropertyValue("x-wr-calname")).toBe("My groups");
    expect(vcal.getFirstPropertyValue("name")).toBe("My groups");
    for (const e of vcal.getAllSubcomponents("vevent")) {
      expect(String(e.getFirstPropertyValue("dtstamp"))).toBe("2026-01-15T10:00:00Z");
    }
    expect(() => buildCalendar({ name: "x", refreshIntervalMinutes: 0, events: [] })).toThrow(/refreshIntervalMinutes/);
  });

  it("folds every line at 75 octets, with CRLF line ends", () => {
    const name = "Groupe de médecins généralistes — réflexion sur la relation médecin-patient ✨ ".repeat(3);
    const text = feed(group({}, { groupName: name, venue: "Salle 3, Bâtiment B; entrée rue de l'Hôpital ".repeat(3) }));
    expect(text.endsWith("END:VCALENDAR")).toBe(true);
    expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    const lines = text.split("\r\n");
    expect(lines.some((l) => l.startsWith(" "))).toBe(true); // something was folded
    for (const line of lines) expect(Buffer.byteLength(line, "utf8")).toBeLessThanOrEqual(75);
    const vcal = parse(text);
    expect(vcal.getFirstSubcomponent("vevent")!.getFirstPropertyValue("summary")).toBe(`${name.trim()} – Balint group`);
  });

  it("round-trips commas, semicolons, backslashes and new lines", () => {
    const groupName = 'Nurses, "night shift"; ward 7 \\ east\nsecond line';
    const venue = "Room 2, Level 3; Main St\\Annex\nRing the bell";
    const name = "Balint, groups; mine\nBEGIN:VEVENT";
    const text = buildCalendar({ name, refreshIntervalMinutes: 60, events: [group({}, { groupName, venue })] });
    const vcal = parse(text);
    const event = vcal.getFirstSubcomponent("vevent")!;
    expect(event.getFirstPropertyValue("summary")).toBe(`${groupName} – Balint group`);
    expect(event.getFirstPropertyValue("location")).toBe(venue);
    // ical.js knows neither NAME (RFC 7986) nor X-WR-CALNAME and keeps them raw: decode TEXT here
    const unescapeText = (raw: unknown) => String(raw).replace(/\\([\\;,nN])/g, (_m, c: string) => (c === "n" || c === "N" ? "\n" : c));
    expect(vcal.getFirstPropertyValue("name")).toBe("Balint\\, groups\\; mine\\nBEGIN:VEVENT");
    expect(unescapeText(vcal.getFirstPropertyValue("name"))).toBe(name);
    expect(unescapeText(vcal.getFirstPropertyValue("x-wr-calname"))).toBe(name);
    // nothing injected: one master, no extra components
    expect(vcal.getAllSubcomponents("vevent")).toHaveLength(1);
  });

  it("puts a meeting link with , and ; in URL as a valid URI", () => {
    const text = feed(group({}, { meetingLink: "https://meet.example/j/123?pwd=a,b;c" }));
    const event = parse(text).getFirstSubcomponent("vevent")!;
    expect(event.getFirstPropertyValue("url")).toBe("https://meet.example/j/123?pwd=a%2Cb%3Bc");
    expect(event.getFirstPropertyValue("location")).toBe("https://meet.example/j/123?pwd=a,b;c");
  });

  it("carries no member names, case content or descriptions: only the allowed properties", () => {
    const g = group({ firstDurationMinutes: 90 });
    const all = occurrences(g.recurrence);
    g.exceptions = { cancelled: [all[4]!.originalStart], changed: [{ originalStart: all[2]!.originalStart, durationMinutes: 90 }] };
    const allowed = new Set([
      "uid",
      "sequence",
      "dtstamp",
      "dtstart",
      "dtend",
      "rrule",
      "exdate",
      "recurrence-id",
      "summary",
      "location",
      "url",
      "last-modified",
    ]);
    for (const e of parse(feed(g)).getAllSubcomponents("vevent")) {
      for (const p of e.getAllProperties()) expect(allowed).toContain(p.name);
      expect(e.getFirstPropertyValue("summary")).toBe("Residents – Balint group");
    }
  });

  it("gives stable UIDs and ETags, which change when the series changes", () => {
    const g = group({});
    const first = feed(g);
    expect(feed(group({}))).toBe(first);
    expect(etagFor(first)).toBe(etagFor(feed(group({}))));
    expect(etagFor(first)).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    const changed = feed(
      group({}, { exceptions: { cancelled: [occurrences(g.recurrence)[1]!.originalStart] }, lastModified: new Date("2026-02-01T00:00:00Z") }),
    );
    expect(etagFor(changed)).not.toBe(etagFor(first));
    const uids = new Set([...first.matchAll(/^UID:(.*)\r$/gm)].map((m) => m[1]));
    expect([...uids]).toEqual(["balint-group-grp_123@balint-commons"]);
    expect(buildCalendar({ name: "x", refreshIntervalMinutes: 60, uidDomain: "example.org", events: [group({}, { id: "a b/c" })] })).toContain(
      "UID:balint-group-a_20b_2fc@example.org\r\n",
    );
  });

  it("refuses an invalid series", () => {
    expect(() => feed(group({ rrule: "FREQ=MINUTELY;COUNT=5" }))).toThrow(/FREQ=MINUTELY is not allowed/);
  });

  it("writes SEQUENCE per series and per meeting: an override never below its master, a single meeting its own", () => {
    const g = group({});
    const all = occurrences(g.recurrence);
    const later = (i: number) => ({ originalStart: all[i]!.originalStart, start: new Date(all[i]!.start.getTime() + 3_600_000) });
    g.exceptions = { changed: [later(2), later(3)] };
    const sequenceOf = (c: ICAL.Component) => new ICAL.Event(c).sequence;
    const byRecurrence = (text: string) =>
      new Map(parse(text).getAllSubcomponents("vevent").map((c) => [c.hasProperty("recurrence-id") ? (c.getFirstPropertyValue("recurrence-id") as ICAL.Time).toJSDate().toISOString() : "master", sequenceOf(c)]));

    // Without per-meeting values everything carries the series' SEQUENCE (0 by default).
    expect([...byRecurrence(feed(g)).values()]).toEqual([0, 0, 0]);
    g.sequence = 5;
    g.instanceSequences = { [all[2]!.originalStart.toISOString()]: 7, [all[3]!.originalStart.toISOString()]: 2 };
    const seqs = byRecurrence(feed(g));
    expect(seqs.get("master")).toBe(5);
    expect(seqs.get(all[2]!.originalStart.toISOString())).toBe(7);
    expect(seqs.get(all[3]!.originalStart.toISOString())).toBe(5); // not below the master
    // ical.js gives each meeting the SEQUENCE of the component it comes from.
    const master = new ICAL.Event(parse(feed(g)).getAllSubcomponents("vevent").find((c) => !c.hasProperty("recurrence-id"))!);
    for (const c of parse(feed(g)).getAllSubcomponents("vevent")) if (c.hasProperty("recurrence-id")) master.relateException(c);
    const perMeeting = new Map<string, number>();
    const it = master.iterator();
    for (let next = it.next(); next; next = it.next()) {
      const d = master.getOccurrenceDetails(next);
      perMeeting.set(d.recurrenceId.toJSDate().toISOString(), d.item.sequence);
    }
    expect([0, 2, 3].map((i) => perMeeting.get(all[i]!.originalStart.toISOString()))).toEqual([5, 7, 5]);

    // A single meeting's .ics has its own UID: its own count of changes, 0 when it never changed.
    const single = (i: number, series: CalendarSeries = g) => sequenceOf(parse(buildSingleEvent({ series, originalStart: all[i]!.originalStart })).getFirstSubcomponent("vevent")!);
    expect([single(2), single(3), single(0)]).toEqual([7, 2, 0]);
    expect(single(0, { ...g, instanceSequences: undefined })).toBe(5);
    // A different SEQUENCE is a different body, so a different ETag.
    expect(etagFor(feed({ ...g, sequence: 6 }))).not.toBe(etagFor(feed(g)));
  });
});

describe("buildSingleEvent", () => {
  const g = group({ firstDurationMinutes: 90 });
  const all = occurrences(g.recurrence);
  g.exceptions = {
    cancelled: [all[5]!.originalStart],
    changed: [{ originalStart: all[2]!.originalStart, start: new Date("2026-03-19T22:00:00Z"), meetingLink: "https://meet.example/moved" }],
    pauses: [{ startDate: "2026-04-21", endDate: "2026-04-21" }],
  };
  const now = occurrences(g.recurrence, g.exceptions);

  it("exports one meeting, as the app shows it, with its own UID", () => {
    for (const index of [1, 2, 3]) {
      const o = now.find((x) => x.index === index)!;
      const text = buildSingleEvent({ series: g, originalStart: o.originalStart });
      const vcal = parse(text);
      const events = vcal.getAllSubcomponents("vevent");
      expect(events).toHaveLength(1);
      expect(events[0]!.hasProperty("rrule")).toBe(false);
      expect(events[0]!.hasProperty("recurrence-id")).toBe(false);
      const [e] = only(expand(text));
      expect({ start: e!.start, end: e!.end }).toEqual({ start: o.start.toISOString(), end: o.end.toISOString() });
      expect(String(events[0]!.getFirstPropertyValue("uid"))).not.toBe("balint-group-grp_123@balint-commons");
      expect(vcal.getAllSubcomponents("vtimezone")).toHaveLength(1);
      if (index === 3) expect(e!.url).toBe("https://meet.example/moved");
    }
  });

  it("marks a cancelled meeting STATUS:CANCELLED and refuses paused or unknown ones", () => {
    const [e] = only(expand(buildSingleEvent({ series: g, originalStart: all[5]!.originalStart })));
    expect(e!.status).toBe("CANCELLED");
    expect(() => buildSingleEvent({ series: g, originalStart: all[7]!.originalStart })).toThrow(/pause/);
    expect(() => buildSingleEvent({ series: g, originalStart: new Date("2026-03-04T01:00:00Z") })).toThrow(/not a meeting/);
  });
});
