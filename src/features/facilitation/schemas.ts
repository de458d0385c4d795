import { z } from "zod";
import { ATTENDANCE_STATUSES } from "../sessions/constants.ts";
import { CLOCK_COMMANDS, EXTEND_SECONDS_MAX, EXTEND_SECONDS_MIN, MAX_CASES, PHASE_MINUTES_MAX, PHASE_MINUTES_MIN } from "./meeting-clock.ts";

// Every body is strict: an unknown field (say, case notes smuggled into a command) is a 400 that
// names the field, and nothing is stored. There is no field anywhere for case content.

export const GROUND_RULES_MAX = 2000;

const version = z.number({ message: "must be the version you saw (a whole number)" }).int().min(0).max(1_000_000);

export const CommandInput = z.strictObject({
  type: z.enum(CLOCK_COMMANDS, { message: `must be one of ${CLOCK_COMMANDS.join(", ")}` }),
  expectedVersion: version,
  /** Only for `extend`: seconds to add (default five minutes). */
  seconds: z.number().int().min(EXTEND_SECONDS_MIN).max(EXTEND_SECONDS_MAX).optional(),
});
export type CommandInput = z.infer<typeof CommandInput>;

export const PresenterInput = z.strictObject({
  caseNumber: z.number().int().min(1).max(MAX_CASES),
  /** The member who presents; null clears the record for this case. */
  userId: z.string().min(1).max(100).nullable(),
});
export type PresenterInput = z.infer<typeof PresenterInput>;

export const TapInput = z.strictObject({
  userId: z.string().min(1).max(100),
  status: z.enum(ATTENDANCE_STATUSES),
});
export type TapInput = z.infer<typeof TapInput>;

export const EndInput = z.strictObject({
  expectedVersion: version.optional(),
});
export type EndInput = z.infer<typeof EndInput>;

const minutes = z.number().int().min(PHASE_MINUTES_MIN).max(PHASE_MINUTES_MAX);
export const SettingsInput = z.strictObject({
  phaseMinutes: z
    .strictObject({ opening: minutes, presentation: minutes, questions: minutes, pushback: minutes, return: minutes, closing: minutes })
    .optional(),
  /** The group's own ground rules card; null or "" = the standard card. */
  groundRules: z.string().max(GROUND_RULES_MAX).nullable().optional(),
  softSound: z.boolean().optional(),
});
export type SettingsInput = z.infer<typeof SettingsInput>;

/** zod issues with each unknown key named as its own field (zod reports them on the parent object). */
export function expandUnknownKeys(issues: ReadonlyArray<{ code?: string; path: PropertyKey[]; message: string; keys?: readonly string[] }>): { path: PropertyKey[]; message: string }[] {
  return issues.flatMap((i) => (i.code === "unrecognized_keys" && i.keys?.length ? i.keys.map((k) => ({ path: [...i.path, k], message: "is not a known field" })) : [{ path: i.path, message: i.message }]));
}
