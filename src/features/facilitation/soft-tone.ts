// The companion's soft tone: a quiet chime when the current phase reaches its gentle cue
// (`view.nearEnd`, see meeting-clock.ts). Pure rules; the component plays it (Web Audio).
//
// - The group's settings OFFER it (`settings.softSound`, leaders and coordinators); each device
//   then switches it on for itself (off until switched on: browsers need a gesture for sound).
//   Turning the offer off mutes every device at once, even one that had switched it on.
// - At most one tone per phase: a phase is the clock's step index, with the number of steps and
//   whether the meeting ended (so an added case or the end counts as new). Extending a phase that
//   already chimed does not chime again; going back to a phase does.
import type { ClockView, MeetingClock } from "./meeting-clock.ts";

/** Which phase a tone belongs to, or null without a clock. */
export function toneStepKey(clock: Pick<MeetingClock, "index" | "steps" | "status"> | null): string | null {
  return clock ? `${clock.index}:${clock.steps.length}:${clock.status === "ended"}` : null;
}

export interface SoftToneInput {
  /** The group's setting (`settings.softSound`). */
  offered: boolean;
  /** This device's switch. */
  on: boolean;
  view: Pick<ClockView, "nearEnd"> | null;
  stepKey: string | null;
  /** The phase the last tone sounded for (null: none yet). */
  lastToned: string | null;
}

/** The phase to sound the tone for now, or null when it should stay quiet. */
export function softToneDue(input: SoftToneInput): string | null {
  if (!input.offered || !input.on || !input.view?.nearEnd || input.stepKey === null) return null;
  return input.stepKey === input.lastToned ? null : input.stepKey;
}
