import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  MAX_OCCURRENCES,
  RecurrenceError,
  localToInstant,
  occurrences,
  validateRecurrence,
  type RecurrenceInput,
} from "./schedule.ts";

// Independent of the code under test: wall-clock and offset through Intl, not Temporal.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = formatters.get(key);
  if (!f) {
    f = make();
    formatters.set(key, f);
  }
  return f;
}

function wallClock(date: Date, timeZone: string): string {
  const f = formatter(`wall ${timeZone}`, () =>
    new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }),
  );
  const parts = Object.fromEntries(f.formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

function offsetMinutes(date: Date, timeZone: string): number {
  const f = formatter(`offset ${timeZone}`, () => new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" }));
  const name = f.formatToParts(date).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!m) return 0;
  return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

const iso = (d: Date) => d.toISOString().replace(".000Z", "Z");

function series(overrides: Partial<RecurrenceInput> = {}): RecurrenceInput {
  return {
    rrule: "FREQ=WEEKLY;BYDAY=TU;COUNT=8",
    dtstartLocal: "2026-03-03T19:00",
    timeZone: "America/New_York",
    durationMinutes: 60,
    ...overrides,
  };
}

describe("weekly and monthly series across daylight-saving changes", () => {
  it("keeps 19:00 local in New York across the spring-forward change (8 March 2026)", () => {
    const result = occurrences(series({ rrule: "FREQ=WEEKLY;BYDAY=TU;COUNT=4" }));
    expect(result.map((o) => iso(o.start))).toEqual([
      "2026-03-04T00:00:00Z", // EST, UTC-5
      "2026-03-10T23:00:00Z", // EDT, UTC-4
      "2026-03-17T23:00:00Z",
      "2026-03-24T23:00:00Z",
    ]);
    expect(result.map((o) => wallClock(o.start, "America/New_York").slice(11))).toEqual(["19:00", "19:00", "19:00", "19:00"]);
    expect(result.map((o) => o.index)).toEqual([1, 2, 3, 4]);
  });

  it("keeps 19:00 local in New York across the fall-back change (1 November 2026)", () => {
    const result = occurrences(series({ rrule: "FREQ=WEEKLY;BYDAY=TU;COUNT=3", dtstartLocal: "2026-10-27T19:00" }));
    expect(result.map((o) => iso(o.start))).toEqual([
      "2026-10-27T23:00:00Z",
      "2026-11-04T00:00:00Z",
      "2026-11-11T00:00:00Z",
    ]);
  });

  it("runs a monthly second-Wednesday series in London through both changes", () => {
    const result = occurrences(
      series({ rrule: "FREQ=MONTHLY;BYDAY=2WE;UNTIL=20261231", dtstartLocal: "2026-01-14T19:00", timeZone: "Europe/London" }),
    );
    expect(result.map((o) => iso(o.start))).toEqual([
      "2026-01-14T19:00:00Z",
      "2026-02-11T19:00:00Z",
      "2026-03-11T19:00:00Z",
      "2026-04-08T18:00:00Z", // BST from 29 March
      "2026-05-13T18:00:00Z",
      "2026-06-10T18:00:00Z",
      "2026-07-08T18:00:00Z",
      "2026-08-12T18:00:00Z",
      "2026-09-09T18:00:00Z",
      "2026-10-14T18:00:00Z",
      "2026-11-11T19:00:00Z", // GMT from 25 October
      "2026-12-09T19:00:00Z",
    ]);
  });

  it("follows Sydney's southern-hemisphere changes in both directions", () => {
    const autumn = occurrences(
      series({ rrule: "FREQ=WEEKLY;BYDAY=MO;COUNT=3", dtstartLocal: "2026-03-30T18:30", timeZone: "Australia/Sydney" }),
    );
    // AEDT (UTC+11) until 5 April 2026, then AEST (UTC+10)
    expect(autumn.map((o) => iso(o.start))).toEqual(["2026-03-30T07:30:00Z", "2026-04-06T08:30:00Z", "2026-04-13T08:30:00Z"]);
    const spring = occurrences(
      series({ rrule: "FREQ=MONTHLY;BYMONTHDAY=15;COUNT=3", dtstartLocal: "2026-09-15T18:30", timeZone: "Australia/Sydney" }),
    );
    // AEDT again from 4 October 2026
    expect(spring.map((o) => iso(o.start))).toEqual(["2026-09-15T08:30:00Z", "2026-10-15T07:30:00Z", "2026-11-15T07:30:00Z"]);
  });

  it("gives the first meeting its own length (ABS online: 8 monthly meetings, 90 then 60 minutes)", () => {
    const result = occurrences(
      series({ rrule: "FREQ=MONTHLY;BYDAY=1TH;COUNT=8", dtstartLocal: "2026-01-01T20:00", firstDurationMinutes: 90 }),
    );
    expect(result).toHaveLength(8);
    const minutes = result.map((o) => (o.end.getTime() - o.start.getTime()) / 60_000);
    expect(minutes).toEqual([90, 60, 60, 60, 60, 60, 60, 60]);
  });
});

describe("local times that do not exist or happen twice", () => {
  it("moves a meeting in the spring-forward gap forward by the gap (02:30 → 03:30 EDT)", () => {
    const result = occurrences(series({ rrule: "FREQ=WEEKLY;BYDAY=SU;COUNT=3", dtstartLocal: "2026-03-01T02:30" }));
    expect(result.map((o) => iso(o.start))).toEqual([
      "2026-03-01T07:30:00Z", // 02:30 EST
      "2026-03-08T07:30:00Z", // 02:30 does not exist: 03:30 EDT
      "2026-03-15T06:30:00Z", // 02:30 EDT
    ]);
    expect(wallClock(result[1]!.start, "America/New_York")).toBe("2026-03-08T03:30");
    expect(result[1]!.end.getTime() - result[1]!.start.getTime()).toBe(60 * 60_000);
  });

  it("applies the same rule in London (01:30 on 29 March) and Sydney (02:30 on 4 October)", () => {
    const london = occurrences(
      series({ rrule: "FREQ=WEEKLY;BYDAY=SU;COUNT=2", dtstartLocal: "2026-03-22T01:30", timeZone: "Europe/London" }),
    );
    expect(wallClock(london[1]!.start, "Europe/London")).toBe("2026-03-29T02:30");
    const sydney = occurrences(
      series({ rrule: "FREQ=WEEKLY;BYDAY=SU;COUNT=2", dtstartLocal: "2026-09-27T02:30", timeZone: "Australia/Sydney" }),
    );
    expect(wallClock(sydney[1]!.start, "Australia/Sydney")).toBe("2026-10-04T03:30");
  });

  it("reads a repeated fall-back time as the first of the two (EDT, not EST)", () => {
    const result = occurrences(series({ rrule: "FREQ=WEEKLY;BYDAY=SU;COUNT=2", dtstartLocal: "2026-10-25T01:30" }));
    expect(iso(result[1]!.start)).toBe("2026-11-01T05:30:00Z"); // 01:30 EDT, UTC-4
    expect(localToInstant("2026-11-01T01:30", "America/New_York").toISOString()).toBe("2026-11-01T05:30:00.000Z");
  });

  it("refuses a first meeting whose local time does not exist", () => {
    const issues = validateRecurrence(series({ rrule: "FREQ=WEEKLY;BYDAY=SU;COUNT=3", dtstartLocal: "2026-03-08T02:30" }));
    expect(issues).toEqual([{ path: "dtstartLocal", message: expect.stringMatching(/does not exist in America\/New_York/) }]);
  });
});

describe("exceptions", () => {
  const base = series({ rrule: "FREQ=WEEKLY;BYDAY=TU;COUNT=6" });
  const all = occurrences(base);
  const at = (i: number) => all[i - 1]!.originalStart;

  it("keeps a cancelled meeting in the list, marked, at its original time and number", () => {
    const result = occurrences(base, { cancelled: [at(3)] });
    expect(result).toHaveLength(6);
    const third = result.find((o) => o.index === 3)!;
    expect(third.status).toBe("cancelled");
    expect(third.start).toEqual(at(3));
    expect(result.filter((o) => o.status === "scheduled").map((o) => o.index)).toEqual([1, 2, 4, 5, 6]);
  });

  it("moves a rescheduled meeting, with its own length and link, and sorts by the new start", () => {
    const newStart = new Date("2026-03-26T00:30:00Z"); // after meeting 4 (Tue 24 March 19:00 EDT)
    const result = occurrences(base, {
      changed: [{ originalStart: at(2), start: newStart, durationMinutes: 120, meetingLink: "https://meet.example/x" }],
    });
    const moved = result.find((o) => o.index === 2)!;
    expect(moved).toMatchObject({ status: "rescheduled", start: newStart, meetingLink: "https://meet.example/x" });
    expect(moved.originalStart).toEqual(at(2));
    expect(moved.end.getTime() - moved.start.getTime()).toBe(120 * 60_000);
    expect(result.map((o) => o.index)).toEqual([1, 3, 4, 2, 5, 6]);
  });

  it("skips meetings in a pause without changing the rule or the numbering", () => {
    // meetings 3 and 4 are on 17 and 24 March
    const result = occurrences(base, { pauses: [{ startDate: "2026-03-17", endDate: "2026-03-24" }] });
    expect(result.map((o) => o.index)).toEqual([1, 2, 5, 6]);
    expect(result.map((o) => o.start)).toEqual([at(1), at(2), at(5), at(6)]);
  });

  it("gives the longer first-meeting length to the first meeting that takes place", () => {
    const input = { ...base, firstDurationMinutes: 90 };
    const result = occurrences(input, { cancelled: [at(1)], pauses: [{ startDate: "2026-03-10", endDate: "2026-03-10" }] });
    const length = (o: { start: Date; end: Date }) => (o.end.getTime() - o.start.getTime()) / 60_000;
    expect(result.map((o) => [o.index, length(o)])).toEqual([
      [1, 60],
      [3, 90],
      [4, 60],
      [5, 60],
      [6, 60],
    ]);
  });

  it("lets a deliberate change win over a pause", () => {
    const result = occurrences(base, {
      pauses: [{ startDate: "2026-03-01", endDate: "2026-03-30" }], // meetings 1–4; 5 is on 31 March
      changed: [{ originalStart: at(2), meetingLink: "https://meet.example/y" }],
    });
    expect(result.map((o) => [o.index, o.status])).toEqual([
      [2, "rescheduled"],
      [5, "scheduled"],
      [6, "scheduled"],
    ]);
  });
});

describe("windowing and limits", () => {
  const base = series({ rrule: "FREQ=WEEKLY;BYDAY=TU;COUNT=8" });
  const all = occurrences(base);

  it("returns meetings whose start is in [from, to)", () => {
    const result = occurrences(base, {}, { from: all[2]!.start, to: all[5]!.start });
    expect(result.map((o) => o.index)).toEqual([3, 4, 5]);
    expect(occurrences(base, {}, { from: new Date(all[7]!.start.getTime() + 1) })).toEqual([]);
  });

  it("windows a moved meeting by its new start", () => {
    const moved = new Date("2026-06-01T12:00:00Z");
    const result = occurrences(
      base,
      { changed: [{ originalStart: all[0]!.originalStart, start: moved }] },
      { from: new Date("2026-05-01T00:00:00Z") },
    );
    expect(result.map((o) => o.index)).toEqual([1]);
  });

  it("accepts exactly the cap and refuses one more", () => {
    expect(validateRecurrence(series({ rrule: `FREQ=DAILY;COUNT=${MAX_OCCURRENCES}` }))).toEqual([]);
    expect(occurrences(series({ rrule: `FREQ=DAILY;COUNT=${MAX_OCCURRENCES}` }))).toHaveLength(MAX_OCCURRENCES);
    expect(validateRecurrence(series({ rrule: `FREQ=DAILY;COUNT=${MAX_OCCURRENCES + 1}` }))).toEqual([
      { path: "rrule", message: `COUNT must be at most ${MAX_OCCURRENCES} meetings in a term.` },
    ]);
  });

  it("refuses an UNTIL term with more meetings than the cap, and sub-daily rules", () => {
    expect(validateRecurrence(series({ rrule: "FREQ=DAILY;UNTIL=20291231T000000Z" }))).toEqual([
      { path: "rrule", message: `A term may have at most ${MAX_OCCURRENCES} meetings; this rule has more.` },
    ]);
    expect(() => occurrences(series({ rrule: "FREQ=MINUTELY;COUNT=10" }))).toThrow(RecurrenceError);
    try {
      occurrences(series({ rrule: "FREQ=MINUTELY;COUNT=10" }));
    } catch (error) {
      expect((error as RecurrenceError).issues).toEqual([
        { path: "rrule", message: "FREQ=MINUTELY is not allowed: a group meets at most once a day." },
      ]);
    }
  });
});

describe("validateRecurrence", () => {
  it("accepts a valid series with valid exceptions", () => {
    const input = series();
    const [first, second] = occurrences(input);
    expect(
      validateRecurrence(input, {
        cancelled: [first!.originalStart],
        changed: [{ originalStart: second!.originalStart, durationMinutes: 90 }],
        pauses: [{ startDate: "2026-07-01", endDate: "2026-08-31" }],
      }),
    ).toEqual([]);
  });

  const cases: [string, Partial<RecurrenceInput>, string, RegExp][] = [
    ["empty rule", { rrule: "" }, "rrule", /recurrence rule is required/],
    ["garbage rule", { rrule: "every tuesday" }, "rrule", /not a NAME=VALUE rule part/],
    ["unknown part", { rrule: "FREQ=WEEKLY;COUNT=3;FOO=1" }, "rrule", /FOO is not a supported rule part/],
    ["duplicate part", { rrule: "FREQ=WEEKLY;COUNT=3;COUNT=4" }, "rrule", /COUNT appears more than once/],
    ["missing FREQ", { rrule: "COUNT=3" }, "rrule", /FREQ is required/],
    ["unknown FREQ", { rrule: "FREQ=FORTNIGHTLY;COUNT=3" }, "rrule", /FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY/],
    ["hourly", { rrule: "FREQ=HOURLY;COUNT=3" }, "rrule", /FREQ=HOURLY is not allowed/],
    ["secondly", { rrule: "FREQ=SECONDLY;COUNT=3" }, "rrule", /FREQ=SECONDLY is not allowed/],
    ["BYHOUR", { rrule: "FREQ=DAILY;BYHOUR=9,10;COUNT=3" }, "rrule", /BYHOUR is not allowed/],
    ["BYMINUTE", { rrule: "FREQ=DAILY;BYMINUTE=0;COUNT=3" }, "rrule", /BYMINUTE is not allowed/],
    ["no term end", { rrule: "FREQ=WEEKLY;BYDAY=TU" }, "rrule", /give COUNT \(number of meetings\) or UNTIL/],
    ["COUNT and UNTIL", { rrule: "FREQ=WEEKLY;COUNT=3;UNTIL=20261231T000000Z" }, "rrule", /COUNT or UNTIL .* not both/],
    ["COUNT zero", { rrule: "FREQ=WEEKLY;COUNT=0" }, "rrule", /COUNT must be a whole number/],
    ["bad UNTIL", { rrule: "FREQ=WEEKLY;UNTIL=2026-12-31" }, "rrule", /UNTIL must be a UTC date-time/],
    ["impossible UNTIL", { rrule: "FREQ=WEEKLY;UNTIL=20260231" }, "rrule", /UNTIL is not a real date/],
    ["UNTIL before start", { rrule: "FREQ=WEEKLY;UNTIL=20260101T000000Z" }, "rrule", /UNTIL is before the first meeting/],
    ["INTERVAL zero", { rrule: "FREQ=WEEKLY;INTERVAL=0;COUNT=3" }, "rrule", /INTERVAL must be a whole number/],
    ["bad BYDAY", { rrule: "FREQ=WEEKLY;BYDAY=XX;COUNT=3" }, "rrule", /BYDAY values must be weekdays/],
    ["numbered BYDAY in weekly", { rrule: "FREQ=WEEKLY;BYDAY=2TU;COUNT=3" }, "rrule", /needs FREQ=MONTHLY or YEARLY/],
    ["BYDAY week out of range", { rrule: "FREQ=MONTHLY;BYDAY=6TU;COUNT=3" }, "rrule", /week number is out of range/],
    ["BYMONTHDAY out of range", { rrule: "FREQ=MONTHLY;BYMONTHDAY=40;COUNT=3" }, "rrule", /BYMONTHDAY values must be 1 to 31/],
    ["BYMONTH out of range", { rrule: "FREQ=YEARLY;BYMONTH=13;COUNT=3" }, "rrule", /BYMONTH values must be 1 to 12/],
    ["bad WKST", { rrule: "FREQ=WEEKLY;WKST=XY;COUNT=3" }, "rrule", /WKST must be a weekday/],
    ["line break", { rrule: "FREQ=WEEKLY;COUNT=3\nEXDATE:20260101" }, "rrule", /without line breaks/],
    ["term too long", { rrule: "FREQ=YEARLY;COUNT=12", dtstartLocal: "2026-03-03T19:00" }, "rrule", /at most 10 years/],
    ["no meetings", { rrule: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=3" }, "rrule", /do not fit in a term of at most 10 years/],
    ["too few in ten years", { rrule: "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;COUNT=4" }, "rrule", /do not fit in a term of at most 10 years|at most 10 years/],
    ["unknown zone", { timeZone: "Mars/Olympus_Mons" }, "timeZone", /not a known IANA time zone/],
    ["offset instead of zone", { timeZone: "+05:00" }, "timeZone", /not a known IANA time zone/],
    ["bad start", { dtstartLocal: "2026-03-03 19:00" }, "dtstartLocal", /YYYY-MM-DDTHH:mm/],
    ["impossible start", { dtstartLocal: "2026-02-30T19:00" }, "dtstartLocal", /real local date and time/],
    ["start off the rule", { dtstartLocal: "2026-03-02T19:00" }, "dtstartLocal", /rule's first date is 2026-03-03/],
    ["too short", { durationMinutes: 20 }, "durationMinutes", /between 30 and 240 minutes; got 20/],
    ["too long", { durationMinutes: 241 }, "durationMinutes", /between 30 and 240 minutes; got 241/],
    ["fractional", { durationMinutes: 60.5 }, "durationMinutes", /whole number of minutes/],
    ["first too long", { firstDurationMinutes: 300 }, "firstDurationMinutes", /between 30 and 240/],
  ];
  it.each(cases)("%s", (_name, overrides, path, message) => {
    const issues = validateRecurrence(series(overrides));
    expect(issues.length).toBeGreaterThan(0);
    expect(issues).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it("names the exception fields that are wrong", () => {
    const input = series();
    const [first] = occurrences(input);
    const issues = validateRecurrence(input, {
      cancelled: [new Date("2026-03-04T01:00:00Z"), new Date("nope")],
      changed: [
        { originalStart: first!.originalStart, durationMinutes: 10, meetingLink: "zoom meeting 123" },
        { originalStart: first!.originalStart, start: new Date("x") },
        { originalStart: occurrences(input)[1]!.originalStart },
      ],
      pauses: [
        { startDate: "2026-08-31", endDate: "2026-07-01" },
        { startDate: "2026-02-30", endDate: "soon" },
      ],
    });
    const byPath = (p: string) => issues.filter((i) => i.path === p).map((i) => i.message);
    expect(byPath("exceptions.cancelled[0]")).toEqual([expect.stringMatching(/not the start of a meeting in this series/)]);
    expect(byPath("exceptions.cancelled[1]")).toEqual([expect.stringMatching(/valid date-time/)]);
    expect(byPath("exceptions.changed[0].durationMinutes")).toEqual([expect.stringMatching(/between 30 and 240/)]);
    expect(byPath("exceptions.changed[0].meetingLink")).toEqual([expect.stringMatching(/full URL/)]);
    expect(byPath("exceptions.changed[1].originalStart")).toEqual([expect.stringMatching(/already has an exception/)]);
    expect(byPath("exceptions.changed[1].start")).toEqual([expect.stringMatching(/valid date-time/)]);
    expect(byPath("exceptions.changed[2]")).toEqual([expect.stringMatching(/needs a new start, duration or meeting link/)]);
    expect(byPath("exceptions.pauses[0].endDate")).toEqual(["The pause ends before it starts."]);
    expect(byPath("exceptions.pauses[1].startDate")).toEqual([expect.stringMatching(/real date/)]);
    expect(byPath("exceptions.pauses[1].endDate")).toEqual([expect.stringMatching(/real date/)]);
  });

  it("refuses a meeting that is both cancelled and changed", () => {
    const input = series();
    const [first] = occurrences(input);
    expect(
      validateRecurrence(input, { cancelled: [first!.originalStart], changed: [{ originalStart: first!.originalStart, durationMinutes: 90 }] }),
    ).toEqual([{ path: "exceptions.changed[0].originalStart", message: expect.stringMatching(/already has an exception at exceptions.cancelled\[0\]/) }]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const ZONES = [
  "America/New_York",
  "Europe/London",
  "Australia/Sydney",
  "Europe/Berlin",
  "America/Santiago",
  "Australia/Lord_Howe", // 30-minute DST shift
  "Asia/Kolkata", // no DST
  "Pacific/Auckland",
] as const;
const DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;

/** Random valid weekly series: BYDAY always includes the first meeting's weekday. */
function weeklySeries(hours: { min: number; max: number } = { min: 0, max: 23 }) {
  return fc
    .record({
      timeZone: fc.constantFrom(...ZONES),
      day: fc.date({ min: new Date("2025-01-01T00:00:00Z"), max: new Date("2028-12-31T00:00:00Z"), noInvalidDate: true }),
      hour: fc.integer(hours),
      minute: fc.constantFrom(0, 15, 30, 45),
      extraDays: fc.subarray([...DAYS]),
      interval: fc.integer({ min: 1, max: 3 }),
      count: fc.integer({ min: 1, max: 60 }),
      duration: fc.integer({ min: 30, max: 240 }),
    })
    .map((r) => {
      const date = r.day.toISOString().slice(0, 10);
      const weekday = DAYS[(r.day.getUTCDay() + 6) % 7]!;
      const byDay = [...new Set([weekday, ...r.extraDays])];
      const time = `${String(r.hour).padStart(2, "0")}:${String(r.minute).padStart(2, "0")}`;
      const input: RecurrenceInput = {
        rrule: `FREQ=WEEKLY;INTERVAL=${r.interval};BYDAY=${byDay.join(",")};COUNT=${r.count}`,
        dtstartLocal: `${date}T${time}`,
        timeZone: r.timeZone,
        durationMinutes: r.duration,
      };
      return { input, byDay, time, count: r.count };
    });
}

describe("properties of weekly series", () => {
  it("keep the series' local time (or the gap-shifted one), strictly increase, and respect COUNT and BYDAY", () => {
    fc.assert(
      fc.property(weeklySeries(), ({ input, byDay, time, count }) => {
        const issues = validateRecurrence(input);
        // the only way a generated series is invalid: its first local time falls in a DST gap
        fc.pre(issues.length === 0);
        const result = occurrences(input);
        expect(result).toHaveLength(count);
        const [h, m] = time.split(":").map(Number) as [number, number];
        for (const [i, o] of result.entries()) {
          expect(o.index).toBe(i + 1);
          expect(o.status).toBe("scheduled");
          expect(o.end.getTime() - o.start.getTime()).toBe(input.durationMinutes * 60_000);
          const local = wallClock(o.start, input.timeZone);
          const weekday = new Date(`${local.slice(0, 10)}T00:00:00Z`).getUTCDay();
          expect(byDay).toContain(DAYS[(weekday + 6) % 7]);
          if (local.slice(11) !== time) {
            // Only in a spring-forward gap: moved forward by exactly the gap.
            const gap = offsetMinutes(o.start, input.timeZone) - offsetMinutes(new Date(o.start.getTime() - 86_400_000), input.timeZone);
            expect(gap).toBeGreaterThan(0);
            const expected = (h * 60 + m + gap) % 1440;
            const [lh, lm] = local.slice(11).split(":").map(Number) as [number, number];
            expect(lh * 60 + lm).toBe(expected);
          }
          if (i > 0) expect(o.start.getTime()).toBeGreaterThan(result[i - 1]!.start.getTime());
        }
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it("cancelling any subset keeps every meeting, marks exactly that subset, and keeps the order", () => {
    fc.assert(
      fc.property(weeklySeries(), fc.array(fc.nat(), { maxLength: 10 }), ({ input }, picks) => {
        fc.pre(validateRecurrence(input).length === 0);
        const all = occurrences(input);
        const cancelled = [...new Set(picks.map((p) => p % all.length))];
        const result = occurrences(input, { cancelled: cancelled.map((i) => all[i]!.originalStart) });
        expect(result.map((o) => o.start)).toEqual(all.map((o) => o.start));
        expect(result.filter((o) => o.status === "cancelled").map((o) => o.index).sort((a, b) => a - b)).toEqual(
          cancelled.map((i) => i + 1).sort((a, b) => a - b),
        );
      }),
      { numRuns: 100 },
    );
  }, 60_000);
});
