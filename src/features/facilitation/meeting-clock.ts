// The meeting clock: the phases of one Balint meeting as a pure state machine (no I/O, no Date.now).
//
// A meeting is a list of steps: opening, then for each case presentation → clarifying questions →
// pushback → presenter returns, then closing. Leaders start, pause, resume, extend, skip ahead, go
// back, add a second case and end. The server is the only clock that counts: every command is
// applied with the server's `now`, and the state holds server times, so devices whose clocks are
// wrong still agree (they correct by the offset they see in `serverNow`; see `estimateClockOffset`).
//
// Commands carry the version the device saw (`expectedVersion`): when two co-leaders press at once,
// the first wins and the second gets a "stale" refusal with the current state, instead of both
// applying (which would, say, skip two phases). Nothing here holds anything about a case.

export const PHASES = ["opening", "presentation", "questions", "pushback", "return", "closing"] as const;
export type Phase = (typeof PHASES)[number];
export const CASE_PHASES = ["presentation", "questions", "pushback", "return"] as const satisfies readonly Phase[];

/** Typical timings from the domain primer (minutes); each group may set its own. */
export const DEFAULT_PHASE_MINUTES: Readonly<Record<Phase, number>> = {
  opening: 5,
  presentation: 10,
  questions: 10,
  pushback: 30,
  return: 5,
  closing: 10,
};
export const PHASE_MINUTES_MIN = 1;
export const PHASE_MINUTES_MAX = 90;
export const MAX_CASES = 3;
/** Extending a phase: between one minute and fifteen at a time; at most two hours in all per step. */
export const EXTEND_SECONDS_MIN = 60;
export const EXTEND_SECONDS_MAX = 900;
export const EXTEND_TOTAL_MAX_SECONDS = 7200;
/** The gentle cue starts this long before a phase's planned end (or at 20% of a short phase). */
export const NEAR_END_SECONDS = 120;

export interface ClockStep {
  phase: Phase;
  /** 1, 2… for case phases; null for opening and closing. */
  caseNumber: number | null;
  plannedSeconds: number;
  extendedSeconds: number;
}

export type ClockStatus = "ready" | "running" | "paused" | "ended";

export interface MeetingClock {
  version: number;
  status: ClockStatus;
  steps: ClockStep[];
  /** The current step. */
  index: number;
  /** Milliseconds spent in the current step before `runningSince`. */
  elapsedMs: number;
  /** Server time (epoch ms) the current running stretch began; null unless running. */
  runningSince: number | null;
  startedAt: number | null;
  endedAt: number | null;
}

export type ClockCommand =
  | { type: "start" }
  | { type: "pause" }
  | { type: "resume" }
  | { type: "extend"; seconds: number }
  | { type: "next" }
  | { type: "back" }
  | { type: "add_case" }
  | { type: "end" };

export const CLOCK_COMMANDS = ["start", "pause", "resume", "extend", "next", "back", "add_case", "end"] as const satisfies readonly ClockCommand["type"][];

export type ClockResult = { ok: true; clock: MeetingClock } | { ok: false; code: "stale" | "not_allowed" | "invalid"; message: string };

export type PhaseMinutes = Record<Phase, number>;

/** Checks a group's own timings; returns the field paths that are wrong (empty when fine). */
export function phaseMinutesIssues(minutes: Partial<Record<string, unknown>>): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  for (const phase of PHASES) {
    const v = minutes[phase];
    if (typeof v !== "number" || !Number.isInteger(v) || v < PHASE_MINUTES_MIN || v > PHASE_MINUTES_MAX) {
      issues.push({ path: phase, message: `must be a whole number of minutes from ${PHASE_MINUTES_MIN} to ${PHASE_MINUTES_MAX}` });
    }
  }
  return issues;
}

function caseSteps(caseNumber: number, minutes: PhaseMinutes): ClockStep[] {
  return CASE_PHASES.map((phase) => ({ phase, caseNumber, plannedSeconds: minutes[phase] * 60, extendedSeconds: 0 }));
}

/** A fresh clock for one case. */
export function newClock(minutes: PhaseMinutes = DEFAULT_PHASE_MINUTES): MeetingClock {
  return {
    version: 0,
    status: "ready",
    steps: [
      { phase: "opening", caseNumber: null, plannedSeconds: minutes.opening * 60, extendedSeconds: 0 },
      ...caseSteps(1, minutes),
      { phase: "closing", caseNumber: null, plannedSeconds: minutes.closing * 60, extendedSeconds: 0 },
    ],
    index: 0,
    elapsedMs: 0,
    runningSince: null,
    startedAt: null,
    endedAt: null,
  };
}

/** Milliseconds spent in the current step at server time `now`. */
export function elapsedInStep(clock: MeetingClock, now: number): number {
  if (clock.status !== "running" || clock.runningSince === null) return clock.elapsedMs;
  return clock.elapsedMs + Math.max(0, now - clock.runningSince);
}

function refuse(code: "not_allowed" | "invalid", message: string): ClockResult {
  return { ok: false, code, message };
}

/** Moves to step `index`, keeping the running/paused state; the time in the new step starts at zero. */
function moveTo(clock: MeetingClock, index: number, now: number): MeetingClock {
  return { ...clock, index, elapsedMs: 0, runningSince: clock.status === "running" ? now : null };
}

/**
 * Applies one command at server time `now`. `expectedVersion` is the version the device saw;
 * a different one means someone else acted first.
 */
export function applyCommand(clock: MeetingClock, command: ClockCommand, expectedVersion: number, now: number, minutes: PhaseMinutes = DEFAULT_PHASE_MINUTES): ClockResult {
  if (expectedVersion !== clock.version) return { ok: false, code: "stale", message: "Another leader changed the meeting first; this is the current state." };
  if (clock.status === "ended") return refuse("not_allowed", "The meeting has ended.");
  const next = (c: MeetingClock): ClockResult => ({ ok: true, clock: { ...c, version: clock.version + 1 } });
  const last = clock.steps.length - 1;
  switch (command.type) {
    case "start":
      if (clock.status !== "ready") return refuse("not_allowed", "The meeting has already started.");
      return next({ ...clock, status: "running", runningSince: now, startedAt: now, elapsedMs: 0 });
    case "pause":
      if (clock.status !== "running") return refuse("not_allowed", "Only a running meeting can be paused.");
      return next({ ...clock, status: "paused", elapsedMs: elapsedInStep(clock, now), runningSince: null });
    case "resume":
      if (clock.status !== "paused") return refuse("not_allowed", "Only a paused meeting can be resumed.");
      return next({ ...clock, status: "running", runningSince: now });
    case "extend": {
      if (clock.status === "ready") return refuse("not_allowed", "Start the meeting before extending a phase.");
      if (!Number.isInteger(command.seconds) || command.seconds < EXTEND_SECONDS_MIN || command.seconds > EXTEND_SECONDS_MAX) {
        return refuse("invalid", `seconds must be a whole number from ${EXTEND_SECONDS_MIN} to ${EXTEND_SECONDS_MAX}`);
      }
      const step = clock.steps[clock.index]!;
      if (step.extendedSeconds + command.seconds > EXTEND_TOTAL_MAX_SECONDS) return refuse("not_allowed", "This phase has been extended as far as it can be.");
      const steps = clock.steps.map((s, i) => (i === clock.index ? { ...s, extendedSeconds: s.extendedSeconds + command.seconds } : s));
      return next({ ...clock, steps, ...(clock.status === "running" ? { elapsedMs: elapsedInStep(clock, now), runningSince: now } : {}) });
    }
    case "next":
      if (clock.status === "ready") return refuse("not_allowed", "Start the meeting first.");
      if (clock.index >= last) return refuse("not_allowed", "This is the last phase: end the meeting instead.");
      return next(moveTo(clock, clock.index + 1, now));
    case "back":
      if (clock.status === "ready") return refuse("not_allowed", "Start the meeting first.");
      if (clock.index === 0) return refuse("not_allowed", "This is the first phase.");
      return next(moveTo(clock, clock.index - 1, now));
    case "add_case": {
      const cases = Math.max(0, ...clock.steps.map((s) => s.caseNumber ?? 0));
      if (cases >= MAX_CASES) return refuse("not_allowed", `A meeting can hold at most ${MAX_CASES} cases.`);
      // The new case goes before closing. When closing has already begun, the meeting moves to it.
      const closingAt = clock.steps.findIndex((s) => s.phase === "closing");
      const steps = [...clock.steps.slice(0, closingAt), ...caseSteps(cases + 1, minutes), ...clock.steps.slice(closingAt)];
      const inClosing = clock.index >= closingAt;
      const moved = { ...clock, steps };
      return next(inClosing && clock.status !== "ready" ? moveTo(moved, closingAt, now) : moved);
    }
    case "end":
      return next({ ...clock, status: "ended", elapsedMs: elapsedInStep(clock, now), runningSince: null, endedAt: now, startedAt: clock.startedAt ?? now });
  }
}

export interface ClockView {
  status: ClockStatus;
  phase: Phase;
  caseNumber: number | null;
  stepNumber: number;
  stepCount: number;
  elapsedMs: number;
  /** Planned length including extensions. */
  plannedMs: number;
  /** Negative once the phase runs over. */
  remainingMs: number;
  /** Within the last two minutes (or last fifth of a short phase): show the gentle cue. */
  nearEnd: boolean;
  overtime: boolean;
  /** How many cases this meeting holds. */
  cases: number;
}

/** What a device shows at server time `now`. */
export function viewClock(clock: MeetingClock, now: number): ClockView {
  const step = clock.steps[clock.index]!;
  const elapsedMs = elapsedInStep(clock, now);
  const plannedMs = (step.plannedSeconds + step.extendedSeconds) * 1000;
  const remainingMs = plannedMs - elapsedMs;
  const cueMs = Math.min(NEAR_END_SECONDS * 1000, plannedMs / 5);
  return {
    status: clock.status,
    phase: step.phase,
    caseNumber: step.caseNumber,
    stepNumber: clock.index + 1,
    stepCount: clock.steps.length,
    elapsedMs,
    plannedMs,
    remainingMs,
    nearEnd: clock.status !== "ready" && clock.status !== "ended" && remainingMs > 0 && remainingMs <= cueMs,
    overtime: clock.status !== "ready" && remainingMs <= 0,
    cases: Math.max(0, ...clock.steps.map((s) => s.caseNumber ?? 0)),
  };
}

/**
 * A device's estimate of (server clock − device clock) from samples taken when state arrived:
 * each sample is the server's `serverNow` and the device's own time on receipt. The median resists
 * one slow delivery; network delay makes the estimate a little low, never by more than the delay.
 */
export function estimateClockOffset(samples: readonly { serverNow: number; receivedAt: number }[]): number {
  if (!samples.length) return 0;
  const offsets = samples.map((s) => s.serverNow - s.receivedAt).sort((a, b) => a - b);
  const mid = Math.floor(offsets.length / 2);
  return offsets.length % 2 ? offsets[mid]! : Math.round((offsets[mid - 1]! + offsets[mid]!) / 2);
}

/** Checks a stored clock (JSON from the database or the wire) has the shape this module writes. */
export function isMeetingClock(value: unknown): value is MeetingClock {
  if (!value || typeof value !== "object") return false;
  const c = value as Partial<MeetingClock>;
  return (
    typeof c.version === "number" &&
    (c.status === "ready" || c.status === "running" || c.status === "paused" || c.status === "ended") &&
    Array.isArray(c.steps) &&
    c.steps.length >= 3 &&
    c.steps.every((s) => PHASES.includes(s.phase) && typeof s.plannedSeconds === "number" && typeof s.extendedSeconds === "number") &&
    typeof c.index === "number" &&
    c.index >= 0 &&
    c.index < c.steps.length &&
    typeof c.elapsedMs === "number"
  );
}

/** Seconds actually spent, per step, once a meeting has ended (for the leading-time credit). */
export function meetingDurationMs(clock: MeetingClock): number | null {
  if (clock.startedAt === null || clock.endedAt === null) return null;
  return Math.max(0, clock.endedAt - clock.startedAt);
}

/**
 * Who might present today, for the leaders' eyes only: members who have never presented first,
 * then those who presented longest ago. Volunteers always come first in the room; this only makes
 * sure nobody is overlooked. Ties keep the roster's order (by name).
 */
export function presenterSuggestions<M extends { userId: string }>(members: readonly M[], lastPresented: ReadonlyMap<string, number>): (M & { lastPresentedAt: number | null })[] {
  return members
    .map((m, order) => ({ ...m, lastPresentedAt: lastPresented.get(m.userId) ?? null, order }))
    .sort((a, b) => {
      if (a.lastPresentedAt === null && b.lastPresentedAt !== null) return -1;
      if (b.lastPresentedAt === null && a.lastPresentedAt !== null) return 1;
      if (a.lastPresentedAt !== null && b.lastPresentedAt !== null && a.lastPresentedAt !== b.lastPresentedAt) return a.lastPresentedAt - b.lastPresentedAt;
      return a.order - b.order;
    })
    .map(({ order: _order, ...rest }) => rest as M & { lastPresentedAt: number | null });
}
