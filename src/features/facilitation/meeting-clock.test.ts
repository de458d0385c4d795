import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyCommand,
  CLOCK_COMMANDS,
  type ClockCommand,
  DEFAULT_PHASE_MINUTES,
  estimateClockOffset,
  isMeetingClock,
  MAX_CASES,
  type MeetingClock,
  newClock,
  phaseMinutesIssues,
  presenterSuggestions,
  viewClock,
} from "./meeting-clock.ts";

const T0 = Date.UTC(2026, 10, 26, 18, 0, 0);
const MIN = 60_000;

function run(clock: MeetingClock, command: ClockCommand, now: number): MeetingClock {
  const result = applyCommand(clock, command, clock.version, now);
  if (!result.ok) throw new Error(`${command.type} refused: ${result.message}`);
  return result.clock;
}

describe("the meeting clock", () => {
  it("starts in the opening with the default timings, one case", () => {
    const clock = newClock();
    expect(clock.steps.map((s) => `${s.phase}${s.caseNumber ?? ""}`)).toEqual(["opening", "presentation1", "questions1", "pushback1", "return1", "closing"]);
    expect(clock.steps.find((s) => s.phase === "pushback")!.plannedSeconds).toBe(30 * 60);
    const view = viewClock(clock, T0);
    expect(view).toMatchObject({ status: "ready", phase: "opening", remainingMs: 5 * MIN, overtime: false, nearEnd: false, cases: 1 });
  });

  it("counts down while running and holds still while paused", () => {
    let clock = run(newClock(), { type: "start" }, T0);
    expect(viewClock(clock, T0 + 2 * MIN).remainingMs).toBe(3 * MIN);
    clock = run(clock, { type: "pause" }, T0 + 2 * MIN);
    // Ten minutes of pause change nothing.
    expect(viewClock(clock, T0 + 12 * MIN).remainingMs).toBe(3 * MIN);
    clock = run(clock, { type: "resume" }, T0 + 12 * MIN);
    expect(viewClock(clock, T0 + 13 * MIN).remainingMs).toBe(2 * MIN);
  });

  it("shows the gentle cue in the last minute of a five-minute phase, then overtime, never stopping by itself", () => {
    const clock = run(newClock(), { type: "start" }, T0);
    expect(viewClock(clock, T0 + 3 * MIN + 1).nearEnd).toBe(false);
    expect(viewClock(clock, T0 + 4 * MIN + 1).nearEnd).toBe(true);
    const over = viewClock(clock, T0 + 6 * MIN);
    expect(over).toMatchObject({ nearEnd: false, overtime: true, status: "running", phase: "opening" });
    expect(over.remainingMs).toBe(-1 * MIN);
  });

  it("a ten-minute phase cues two minutes before its end; a short one at its last fifth", () => {
    let ten = run(newClock(), { type: "start" }, T0);
    ten = run(ten, { type: "next" }, T0);
    expect(viewClock(ten, T0 + 8 * MIN - 1).nearEnd).toBe(false);
    expect(viewClock(ten, T0 + 8 * MIN + 1).nearEnd).toBe(true);
    const minutes = { ...DEFAULT_PHASE_MINUTES, opening: 2 };
    const clock = run(newClock(minutes), { type: "start" }, T0);
    expect(viewClock(clock, T0 + 90_000).nearEnd).toBe(false);
    expect(viewClock(clock, T0 + 100_000).nearEnd).toBe(true);
  });

  it("extends the current phase without losing time already spent", () => {
    let clock = run(newClock(), { type: "start" }, T0);
    clock = run(clock, { type: "extend", seconds: 300 }, T0 + 4 * MIN);
    expect(viewClock(clock, T0 + 4 * MIN).remainingMs).toBe(6 * MIN);
    expect(viewClock(clock, T0 + 5 * MIN).elapsedMs).toBe(5 * MIN);
  });

  it("refuses extensions that are too small, too large or past the total limit", () => {
    const clock = run(newClock(), { type: "start" }, T0);
    for (const seconds of [0, 59, 901, 1.5, -60, Number.NaN]) {
      const r = applyCommand(clock, { type: "extend", seconds }, clock.version, T0);
      expect(r.ok, String(seconds)).toBe(false);
      if (!r.ok) expect(r.code).toBe("invalid");
    }
    let c = clock;
    for (let i = 0; i < 8; i++) c = run(c, { type: "extend", seconds: 900 }, T0);
    const refused = applyCommand(c, { type: "extend", seconds: 60 }, c.version, T0);
    expect(refused).toMatchObject({ ok: false, code: "not_allowed" });
  });

  it("skips ahead and goes back, each step starting at zero, keeping pause", () => {
    let clock = run(newClock(), { type: "start" }, T0);
    clock = run(clock, { type: "next" }, T0 + 4 * MIN);
    expect(viewClock(clock, T0 + 5 * MIN)).toMatchObject({ phase: "presentation", caseNumber: 1, elapsedMs: 1 * MIN });
    clock = run(clock, { type: "pause" }, T0 + 5 * MIN);
    clock = run(clock, { type: "next" }, T0 + 6 * MIN);
    expect(viewClock(clock, T0 + 9 * MIN)).toMatchObject({ status: "paused", phase: "questions", elapsedMs: 0 });
    clock = run(clock, { type: "back" }, T0 + 9 * MIN);
    expect(viewClock(clock, T0 + 9 * MIN)).toMatchObject({ phase: "presentation", elapsedMs: 0 });
  });

  it("refuses commands out of order, with nothing changed", () => {
    const ready = newClock();
    for (const type of ["pause", "resume", "next", "back", "extend"] as const) {
      const command = (type === "extend" ? { type, seconds: 60 } : { type }) as ClockCommand;
      expect(applyCommand(ready, command, 0, T0)).toMatchObject({ ok: false, code: "not_allowed" });
    }
    const running = run(ready, { type: "start" }, T0);
    expect(applyCommand(running, { type: "start" }, running.version, T0)).toMatchObject({ ok: false, code: "not_allowed" });
    expect(applyCommand(running, { type: "resume" }, running.version, T0)).toMatchObject({ ok: false, code: "not_allowed" });
    expect(applyCommand(running, { type: "back" }, running.version, T0)).toMatchObject({ ok: false, code: "not_allowed" });
    let atEnd = running;
    while (atEnd.index < atEnd.steps.length - 1) atEnd = run(atEnd, { type: "next" }, T0);
    expect(applyCommand(atEnd, { type: "next" }, atEnd.version, T0)).toMatchObject({ ok: false, code: "not_allowed" });
    const ended = run(atEnd, { type: "end" }, T0 + 90 * MIN);
    for (const type of CLOCK_COMMANDS) {
      const command = (type === "extend" ? { type, seconds: 60 } : { type }) as ClockCommand;
      expect(applyCommand(ended, command, ended.version, T0 + 91 * MIN)).toMatchObject({ ok: false, code: "not_allowed" });
    }
  });

  it("refuses a command made on an old version (two co-leaders at once): the first wins", () => {
    const clock = run(newClock(), { type: "start" }, T0);
    const seen = clock.version;
    const first = applyCommand(clock, { type: "next" }, seen, T0 + MIN);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const second = applyCommand(first.clock, { type: "next" }, seen, T0 + MIN);
    expect(second).toMatchObject({ ok: false, code: "stale" });
    expect(viewClock(first.clock, T0 + MIN).phase).toBe("presentation");
  });

  it("adds a second case before closing, or moves to it when closing has begun", () => {
    let clock = run(newClock(), { type: "start" }, T0);
    clock = run(clock, { type: "add_case" }, T0);
    expect(clock.steps.map((s) => `${s.phase}${s.caseNumber ?? ""}`)).toEqual([
      "opening",
      "presentation1",
      "questions1",
      "pushback1",
      "return1",
      "presentation2",
      "questions2",
      "pushback2",
      "return2",
      "closing",
    ]);
    expect(viewClock(clock, T0).phase).toBe("opening");
    while (clock.steps[clock.index]!.phase !== "closing") clock = run(clock, { type: "next" }, T0 + 50 * MIN);
    clock = run(clock, { type: "add_case" }, T0 + 60 * MIN);
    expect(viewClock(clock, T0 + 61 * MIN)).toMatchObject({ phase: "presentation", caseNumber: 3, elapsedMs: MIN, cases: 3 });
    expect(applyCommand(clock, { type: "add_case" }, clock.version, T0)).toMatchObject({ ok: false, code: "not_allowed" });
    expect(MAX_CASES).toBe(3);
  });

  it("ends from any phase, keeping when it started and ended", () => {
    let clock = run(newClock(), { type: "start" }, T0);
    clock = run(clock, { type: "next" }, T0 + 5 * MIN);
    clock = run(clock, { type: "end" }, T0 + 20 * MIN);
    expect(clock).toMatchObject({ status: "ended", startedAt: T0, endedAt: T0 + 20 * MIN, runningSince: null });
    expect(viewClock(clock, T0 + 99 * MIN).elapsedMs).toBe(15 * MIN);
  });

  it("uses a group's own timings", () => {
    const minutes = { opening: 3, presentation: 15, questions: 5, pushback: 40, return: 10, closing: 5 };
    const clock = newClock(minutes);
    expect(clock.steps.map((s) => s.plannedSeconds / 60)).toEqual([3, 15, 5, 40, 10, 5]);
    expect(phaseMinutesIssues(minutes)).toEqual([]);
    expect(phaseMinutesIssues({ ...minutes, pushback: 0, closing: 91, opening: 2.5 }).map((i) => i.path)).toEqual(["opening", "pushback", "closing"]);
    expect(phaseMinutesIssues({}).length).toBe(6);
  });

  it("devices with wrong clocks show the same remaining time once they correct by the offset", () => {
    const clock = run(newClock(), { type: "start" }, T0);
    const serverNow = T0 + 2 * MIN;
    // One device is 7 minutes fast, the other 3 minutes slow; deliveries take 40–400 ms.
    for (const skew of [7 * MIN, -3 * MIN, 0]) {
      const samples = [40, 400, 90].map((delay) => ({ serverNow, receivedAt: serverNow + skew + delay }));
      const offset = estimateClockOffset(samples);
      const deviceNow = serverNow + skew + 1000;
      const shown = viewClock(clock, deviceNow + offset).remainingMs;
      expect(Math.abs(shown - viewClock(clock, serverNow + 1000).remainingMs)).toBeLessThanOrEqual(400);
    }
    expect(estimateClockOffset([])).toBe(0);
    expect(estimateClockOffset([{ serverNow: 10, receivedAt: 4 }, { serverNow: 10, receivedAt: 6 }])).toBe(5);
  });

  it("keeps its invariants under any sequence of commands (property)", () => {
    const command = fc.oneof(
      fc.constantFrom<ClockCommand>({ type: "start" }, { type: "pause" }, { type: "resume" }, { type: "next" }, { type: "back" }, { type: "add_case" }, { type: "end" }),
      fc.integer({ min: 0, max: 1000 }).map((seconds): ClockCommand => ({ type: "extend", seconds })),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(command, fc.integer({ min: 0, max: 10 * MIN }), fc.boolean()), { maxLength: 40 }), (steps) => {
        let clock = newClock();
        let now = T0;
        for (const [cmd, wait, staleAttempt] of steps) {
          now += wait;
          const before = clock;
          const result = applyCommand(clock, cmd, staleAttempt ? clock.version - 1 : clock.version, now);
          if (staleAttempt) {
            expect(result.ok).toBe(false);
            continue;
          }
          if (!result.ok) {
            expect(clock).toBe(before);
            continue;
          }
          expect(result.clock.version).toBe(before.version + 1);
          clock = result.clock;
          expect(isMeetingClock(clock)).toBe(true);
          expect(clock.steps[0]!.phase).toBe("opening");
          expect(clock.steps.at(-1)!.phase).toBe("closing");
          expect(clock.index).toBeGreaterThanOrEqual(0);
          expect(clock.index).toBeLessThan(clock.steps.length);
          expect(clock.runningSince !== null).toBe(clock.status === "running");
          const view = viewClock(clock, now);
          expect(view.elapsedMs).toBeGreaterThanOrEqual(0);
          expect(view.cases).toBeLessThanOrEqual(MAX_CASES);
        }
      }),
    );
  });

  it("recognises stored clocks and rejects junk", () => {
    expect(isMeetingClock(newClock())).toBe(true);
    expect(isMeetingClock(null)).toBe(false);
    expect(isMeetingClock({ ...newClock(), status: "flying" })).toBe(false);
    expect(isMeetingClock({ ...newClock(), index: 99 })).toBe(false);
    expect(isMeetingClock({ ...newClock(), steps: [{ phase: "case notes", plannedSeconds: 1, extendedSeconds: 0 }] })).toBe(false);
  });
});

describe("presenter suggestions", () => {
  const members = [{ userId: "ana" }, { userId: "ben" }, { userId: "cy" }, { userId: "dee" }];
  it("puts people who never presented first, then those who presented longest ago", () => {
    const last = new Map([
      ["ana", Date.UTC(2026, 9, 1)],
      ["ben", Date.UTC(2026, 5, 1)],
    ]);
    expect(presenterSuggestions(members, last).map((m) => m.userId)).toEqual(["cy", "dee", "ben", "ana"]);
    expect(presenterSuggestions(members, last)[2]!.lastPresentedAt).toBe(Date.UTC(2026, 5, 1));
  });
  it("keeps the roster order when nobody has presented", () => {
    expect(presenterSuggestions(members, new Map()).map((m) => m.userId)).toEqual(["ana", "ben", "cy", "dee"]);
  });
});
