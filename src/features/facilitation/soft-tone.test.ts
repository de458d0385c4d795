import { describe, expect, it } from "vitest";
import { applyCommand, newClock, viewClock, type MeetingClock } from "./meeting-clock.ts";
import { softToneDue, toneStepKey } from "./soft-tone.ts";

const MIN = 60_000;
const T0 = Date.UTC(2030, 0, 3, 19, 0);

function step(clock: MeetingClock, command: Parameters<typeof applyCommand>[1], at: number): MeetingClock {
  const r = applyCommand(clock, command, clock.version, at);
  if (!r.ok) throw new Error(r.message);
  return r.clock;
}

/**
 * What a device does: ticks every `tickMs` from `from` to `to` on `clock` (a function of time, for
 * commands in between) and records the instants at which it sounded the tone.
 */
function simulate(clockAt: (t: number) => MeetingClock, from: number, to: number, device: { offered: (t: number) => boolean; on: (t: number) => boolean }, tickMs = 250) {
  const tones: { at: number; key: string }[] = [];
  let lastToned: string | null = null;
  for (let t = from; t <= to; t += tickMs) {
    const clock = clockAt(t);
    const due = softToneDue({ offered: device.offered(t), on: device.on(t), view: viewClock(clock, t), stepKey: toneStepKey(clock), lastToned });
    if (due) {
      lastToned = due;
      tones.push({ at: t, key: due });
    }
  }
  return tones;
}

describe("softToneDue", () => {
  const base = { offered: true, on: true, view: { nearEnd: true }, stepKey: "0:6:false", lastToned: null };

  it("sounds when offered, switched on, at the cue, for a phase not yet toned", () => {
    expect(softToneDue(base)).toBe("0:6:false");
  });

  it("stays quiet when the group does not offer it, even on a device that switched it on (muted)", () => {
    expect(softToneDue({ ...base, offered: false })).toBeNull();
  });

  it("stays quiet until the device switches it on", () => {
    expect(softToneDue({ ...base, on: false })).toBeNull();
  });

  it("stays quiet before the cue and without a clock", () => {
    expect(softToneDue({ ...base, view: { nearEnd: false } })).toBeNull();
    expect(softToneDue({ ...base, view: null })).toBeNull();
    expect(softToneDue({ ...base, stepKey: null })).toBeNull();
  });

  it("sounds once per phase", () => {
    expect(softToneDue({ ...base, lastToned: "0:6:false" })).toBeNull();
    expect(softToneDue({ ...base, stepKey: "1:6:false", lastToned: "0:6:false" })).toBe("1:6:false");
  });
});

describe("toneStepKey", () => {
  it("names the phase by its index, the number of steps and whether the meeting ended", () => {
    const clock = newClock();
    expect(toneStepKey(null)).toBeNull();
    expect(toneStepKey(clock)).toBe(`0:${clock.steps.length}:false`);
    const more = step(clock, { type: "add_case" }, T0);
    expect(toneStepKey(more)).not.toBe(toneStepKey(clock));
    const ended = step(step(clock, { type: "start" }, T0), { type: "end" }, T0 + MIN);
    expect(toneStepKey(ended)?.endsWith(":true")).toBe(true);
  });
});

describe("the soft tone over a running meeting", () => {
  // Opening 5 min (cue from 4 min: its last fifth), presentation 10 min (cue from 8 min in).
  const started = step(newClock(), { type: "start" }, T0);
  const next = step(started, { type: "next" }, T0 + 6 * MIN);
  const clockAt = (t: number) => (t < T0 + 6 * MIN ? started : next);

  it("sounds once at each phase's cue, not on every tick nor in overtime", () => {
    const tones = simulate(clockAt, T0, T0 + 16 * MIN, { offered: () => true, on: () => true });
    expect(tones.map((x) => x.at - T0)).toEqual([4 * MIN, 6 * MIN + 8 * MIN]);
    expect(new Set(tones.map((x) => x.key)).size).toBe(2);
  });

  it("does not sound again when a phase that already chimed is extended", () => {
    const extended = step(started, { type: "extend", seconds: 300 }, T0 + 4 * MIN + 30_000);
    const at = (t: number) => (t < T0 + 4 * MIN + 30_000 ? started : extended);
    // After the extension the cue comes again at 9 min (1 min before the new end): no second tone.
    const tones = simulate(at, T0, T0 + 9 * MIN + 30_000, { offered: () => true, on: () => true });
    expect(tones).toHaveLength(1);
  });

  it("stays silent when muted by the group's setting, and on devices that did not switch it on", () => {
    expect(simulate(clockAt, T0, T0 + 16 * MIN, { offered: () => false, on: () => true })).toEqual([]);
    expect(simulate(clockAt, T0, T0 + 16 * MIN, { offered: () => true, on: () => false })).toEqual([]);
  });

  it("a device switched on during a phase's cue sounds then; muting mid-meeting silences the next cue", () => {
    const lateOn = simulate(clockAt, T0, T0 + 5 * MIN, { offered: () => true, on: (t) => t >= T0 + 4 * MIN + 30_000 });
    expect(lateOn.map((x) => x.at - T0)).toEqual([4 * MIN + 30_000]);
    const muted = simulate(clockAt, T0, T0 + 16 * MIN, { offered: (t) => t < T0 + 5 * MIN, on: () => true });
    expect(muted.map((x) => x.at - T0)).toEqual([4 * MIN]);
  });
});
