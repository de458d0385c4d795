// Scoring rules as data, and the engine that applies them. Pure: no I/O.
//
// A ScoringRule says, per scale: which items (linkIds), which of them are reversed, whether the
// item values are summed or averaged, an optional linear transform (e.g. WHO-5 raw × 4), how many
// items must be answered for the scale to have a score, and whether a sum is prorated when some
// items are missing. Item values come from the Questionnaire: a choice answer is worth the
// ordinalValue of the chosen answerOption (see ./fhir.ts), an integer/decimal answer its value, a
// boolean 1/0. A reversed item is worth (min + max − value), min and max being the item's lowest
// and highest option values.
//
// Bands label a scale's score (from ≤ score, score ≤ upTo, score < below; any bound may be absent); the first
// matching band of a scale wins, so list them from the most specific. `distress` names the
// condition under which the person is shown support resources at once (e.g. WHO-5 ≤ 28): the
// resulting `distressFlag` is for the respondent's own screen only, never stored in a report and
// never sent to anyone.
//
// Usage:
//   const result = score(who5.questionnaire, who5.scoring, response);
//   result.scales[0].score  // 0–100, or null with a reason
//   result.distressFlag     // show support resources now
//
// Validate the response first (./validate.ts validateResponse): `score` trusts the answer types
// but still ignores answers that match no option.

import { answersByLinkId, matchOption, optionValue, type Questionnaire, type QuestionnaireItem, type QuestionnaireResponse, type ResponseAnswer, walkItems } from "./fhir.ts";

export type Severity = "ok" | "info" | "elevated" | "alert";

export interface ScaleRule {
  id: string;
  items: string[];
  reverse?: string[];
  method: "sum" | "mean";
  /** Applied after sum/mean: score × multiply + add. */
  transform?: { multiply?: number; add?: number };
  /** The fewest answered items that still give a score. Defaults to all items. */
  minAnswered?: number;
  /** For `sum` with missing items (≥ minAnswered): scale the sum up to all items (sum × items / answered). */
  prorate?: boolean;
  /** The lowest and highest possible score, for charts and histograms. */
  range: [number, number];
  /** Decimal places of the reported score. */
  decimals?: number;
}

export interface BandRule {
  scale: string;
  /** Inclusive lower bound. */
  from?: number;
  /** Inclusive upper bound. */
  upTo?: number;
  /** Exclusive upper bound (for mean scores with decimals). */
  below?: number;
  /** A message id in the slice's messages (e.g. "wellbeing.band.who5.poor"). */
  labelKey: string;
  severity: Severity;
}

export interface DistressRule {
  scale: string;
  atOrBelow?: number;
  atOrAbove?: number;
}

export interface ScoringRule {
  /** Canonical URL of the questionnaire this rule scores. */
  questionnaire: string;
  scales: ScaleRule[];
  bands: BandRule[];
  distress?: DistressRule;
}

export interface ScaleScore {
  id: string;
  /** The score, or null when too few items were answered. */
  score: number | null;
  answered: number;
  items: number;
  band: { labelKey: string; severity: Severity } | null;
}

export interface ScoreResult {
  scales: ScaleScore[];
  /** Every scale has a score. Only complete results enter program reports. */
  complete: boolean;
  /** For the respondent's own screen only; never reported. */
  distressFlag: boolean;
}

export class ScoringRuleError extends Error {}

function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

/** The numeric worth of one answer to one item, or undefined if it has none. */
export function answerValue(item: QuestionnaireItem, answer: ResponseAnswer): number | undefined {
  switch (item.type) {
    case "choice": {
      const opt = matchOption(item, answer);
      return opt ? optionValue(opt) : undefined;
    }
    case "integer":
      return typeof answer.valueInteger === "number" && Number.isInteger(answer.valueInteger) ? answer.valueInteger : undefined;
    case "decimal": {
      const v = answer.valueDecimal ?? answer.valueInteger;
      return typeof v === "number" && Number.isFinite(v) ? v : undefined;
    }
    case "boolean":
      return typeof answer.valueBoolean === "boolean" ? (answer.valueBoolean ? 1 : 0) : undefined;
    default:
      return undefined;
  }
}

function optionRange(item: QuestionnaireItem): [number, number] | null {
  const values = (item.answerOption ?? []).map(optionValue).filter((v): v is number => v !== undefined);
  if (!values.length) return null;
  return [Math.min(...values), Math.max(...values)];
}

/**
 * Checks a rule against its questionnaire: every item exists and can be scored, reversed items
 * belong to the scale and have an option range, bands and distress refer to known scales.
 * Returns human-readable problems with paths (empty when the rule is usable).
 */
export function checkRule(q: Questionnaire, rule: ScoringRule): string[] {
  const problems: string[] = [];
  const byId = new Map<string, QuestionnaireItem>();
  for (const { item } of walkItems(q.item)) byId.set(item.linkId, item);
  const scaleIds = new Set<string>();
  rule.scales.forEach((s, si) => {
    if (scaleIds.has(s.id)) problems.push(`scales[${si}].id: duplicate scale "${s.id}"`);
    scaleIds.add(s.id);
    if (!s.items.length) problems.push(`scales[${si}].items: a scale needs at least one item`);
    s.items.forEach((linkId, ii) => {
      const item = byId.get(linkId);
      if (!item) problems.push(`scales[${si}].items[${ii}]: no item "${linkId}"`);
      else if (!["choice", "integer", "decimal", "boolean"].includes(item.type)) problems.push(`scales[${si}].items[${ii}]: item "${linkId}" of type ${item.type} cannot be scored`);
      else if (item.type === "choice" && item.answerOption?.some((o) => optionValue(o) === undefined)) problems.push(`scales[${si}].items[${ii}]: item "${linkId}" has an answerOption without an ordinalValue`);
    });
    (s.reverse ?? []).forEach((linkId, ri) => {
      if (!s.items.includes(linkId)) problems.push(`scales[${si}].reverse[${ri}]: "${linkId}" is not an item of the scale`);
      const item = byId.get(linkId);
      if (item && !optionRange(item)) problems.push(`scales[${si}].reverse[${ri}]: "${linkId}" has no answer options to reverse`);
    });
    const min = s.minAnswered ?? s.items.length;
    if (!Number.isInteger(min) || min < 1 || min > s.items.length) problems.push(`scales[${si}].minAnswered: must be between 1 and ${s.items.length}`);
    if (!(s.range[0] < s.range[1])) problems.push(`scales[${si}].range: the lowest score must be below the highest`);
  });
  rule.bands.forEach((b, bi) => {
    if (!scaleIds.has(b.scale)) problems.push(`bands[${bi}].scale: no scale "${b.scale}"`);
    if (b.from !== undefined && b.upTo !== undefined && b.from > b.upTo) problems.push(`bands[${bi}]: from is above upTo`);
  });
  if (rule.distress && !scaleIds.has(rule.distress.scale)) problems.push(`distress.scale: no scale "${rule.distress.scale}"`);
  return problems;
}

export function bandFor(rule: ScoringRule, scale: string, value: number): BandRule | undefined {
  return rule.bands.find((b) => b.scale === scale && (b.from === undefined || value >= b.from) && (b.upTo === undefined || value <= b.upTo) && (b.below === undefined || value < b.below));
}

/** Scores one response. Throws ScoringRuleError if the rule does not fit the questionnaire (a programming or import error). */
export function score(q: Questionnaire, rule: ScoringRule, response: QuestionnaireResponse): ScoreResult {
  const problems = checkRule(q, rule);
  if (problems.length) throw new ScoringRuleError(`scoring rule does not fit the questionnaire: ${problems.join("; ")}`);
  const byId = new Map<string, QuestionnaireItem>();
  for (const { item } of walkItems(q.item)) byId.set(item.linkId, item);
  const answers = answersByLinkId(response);

  const scales = rule.scales.map((s): ScaleScore => {
    const reverse = new Set(s.reverse ?? []);
    const values: number[] = [];
    for (const linkId of s.items) {
      const item = byId.get(linkId)!;
      const a = answers.get(linkId);
      if (!a) continue;
      let v = answerValue(item, a);
      if (v === undefined) continue;
      if (reverse.has(linkId)) {
        const [lo, hi] = optionRange(item)!;
        v = lo + hi - v;
      }
      values.push(v);
    }
    const minAnswered = s.minAnswered ?? s.items.length;
    let value: number | null = null;
    if (values.length >= minAnswered) {
      const sum = values.reduce((acc, v) => acc + v, 0);
      let raw = s.method === "mean" ? sum / values.length : s.prorate ? (sum * s.items.length) / values.length : sum;
      raw = raw * (s.transform?.multiply ?? 1) + (s.transform?.add ?? 0);
      value = round(raw, s.decimals ?? 2);
    }
    const band = value === null ? undefined : bandFor(rule, s.id, value);
    return { id: s.id, score: value, answered: values.length, items: s.items.length, band: band ? { labelKey: band.labelKey, severity: band.severity } : null };
  });

  let distressFlag = false;
  if (rule.distress) {
    const d = rule.distress;
    const v = scales.find((s) => s.id === d.scale)?.score;
    if (typeof v === "number") distressFlag = (d.atOrBelow !== undefined && v <= d.atOrBelow) || (d.atOrAbove !== undefined && v >= d.atOrAbove);
  }
  return { scales, complete: scales.every((s) => s.score !== null), distressFlag };
}
