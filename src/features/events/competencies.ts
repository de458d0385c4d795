// The competencies faculty observe in leaders in training (issue 6). ONE list per organisation,
// shared with the supervisor reports of the accreditation slice: the organisation's list lives in
// accreditation_supervision_settings.competencies ([{ key, label }]), and its defaults in
// src/features/accreditation/supervision.ts (boundaries, safety, protecting the presenter, group
// process, confidentiality — ../shared/DOMAIN.md section 3). Read-only here. Pure, no I/O.
import { DEFAULT_COMPETENCIES as SUPERVISION_DEFAULTS } from "../accreditation/supervision.ts";

export interface Competency {
  key: string;
  label: string;
}

export const DEFAULT_COMPETENCIES: ReadonlyArray<Competency> = SUPERVISION_DEFAULTS;

/** Observation levels, 1–4 (labels in observation-messages.ts: events.observation.level.<n>). */
export const OBSERVATION_LEVELS = [1, 2, 3, 4] as const;
export type ObservationLevel = (typeof OBSERVATION_LEVELS)[number];

export const COMPETENCY_MAX = 60;

/** The organisation's list (its supervision settings) when set and non-empty, else the defaults. */
export function competencyList(own: ReadonlyArray<Competency> | null | undefined): Competency[] {
  const list = (own ?? []).filter((c) => typeof c?.key === "string" && c.key.length > 0 && c.key.length <= COMPETENCY_MAX);
  return (list.length ? list : DEFAULT_COMPETENCIES).map((c) => ({ key: c.key, label: c.label || c.key }));
}

/** Whether a competency key is one of the built-in defaults (then the UI has a translated label). */
export function isDefaultCompetency(key: string): boolean {
  return DEFAULT_COMPETENCIES.some((c) => c.key === key);
}
