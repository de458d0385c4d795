// Privacy-safe program reports for well-being check-ins: pure functions, no I/O. ADR 015 explains
// the design; this header is the short version.
//
// THE GUARANTEE. With k = the minimum cell size (5 by default; an organisation may raise it, never
// lower it), no report, and no combination of any number of reports (differences, sums, a report
// minus the sum of others), reveals anything about fewer than k responses. It holds BY
// CONSTRUCTION, whatever sequence of queries someone runs:
//
// 1. Closed waves only. A check-in wave accepts answers from `opensAt` until `closesAt`; after
//    that answers are refused (`acceptsAnswers`). Reports read only closed waves.
// 2. Atoms. When a wave closes, its reportable responses are grouped into ATOMS: one per
//    combination of every filterable dimension (cohort, group, discipline) — the finest grain any
//    report can ask for. Each response belongs to exactly one atom: its dimension values are
//    snapshotted when it is submitted (a person in two groups is counted in one — the group the
//    invitation came through, see `primaryGroup`), never recomputed from today's memberships.
//    `freezeWave` computes each atom's sufficient statistics ({ n, sum, sumSq }, histogram and band
//    counts per scale) once; they are stored and never change — not when someone deletes their
//    data later, not when memberships change.
// 3. Visibility. An atom is visible when it has at least k respondents, with k = max(the threshold
//    in force when the wave closed, the organisation's threshold now). Thresholds only ever rise
//    for a closed wave, so visibility only ever shrinks.
// 4. Every figure is computed over the union of whole VISIBLE atoms matching the filter — including
//    totals and "all" rows, which are NOT the campaign's real totals. Invisible atoms are left out of
//    everything (the remainder rule by construction: nothing hidden can be recovered from a total).
//    So the respondents behind any report are a union of whole visible atoms, and the difference
//    between any two reports is again a union of whole visible atoms (≥ k each) or nothing.
//    Nothing reports how many responses were left out, and "no responses" and "too few responses"
//    look the same ("suppressed").
// 5. Paired change (confidential mode) uses PAIR ATOMS: per cell and pair of waves, the people who
//    answered both waves in that same cell (someone who changed group or discipline between waves is
//    not paired). A pair atom is visible only if it has ≥ k pairs AND, in both waves, the cell's
//    unpaired remainder (atom respondents − pairs) is 0 or ≥ k: otherwise subtracting the paired
//    figures from the unpaired ones would isolate a few non-returners or newcomers. Each wave
//    takes part in at most ONE pairing (`checkPairings`): pairings 1→2 and 2→3 (or 1→2 and 1→3)
//    would cut wave 2's atom into overlapping pair sets whose intersections can be tiny. So a
//    campaign pairs the start and end of a term, or its first and last wave once it has ended —
//    fixed once frozen, never re-paired as new waves arrive.
// 6. Free-text comments are shown only from atoms with ≥ max(10, k) respondents, in random order.
// 7. A "period" is a set of whole closed waves (one column of figures per wave), never a date range
//    that cuts through a wave.
//
// What this does NOT protect against (see ADR 015): k − 1 respondents of an atom colluding; an atom
// where everyone answered the same (a 5-person atom all in the lowest band says something about
// each of them); knowledge from outside the product (who is in a group, who attended); content of
// comments. Reports should show bands as shares, and k should be raised for very small programmes.
//
// Usage (in the service, later):
//   if (!acceptsAnswers(wave, now)) → 409
//   on close: atoms = freezeWave(wave, reportableResponses, spec, effectiveMinCell(org.setting), now) → store
//             pairs = freezePairs(startWave, endWave, startResponses, endResponses, spec, minCell, now, existingPairings) → store
//   report  = buildReport(storedAtoms, { waves, filter }, spec, org.setting)
//   change  = unpairedChangeReport(…) | pairedChangeReport(…)

import { type BandRule, bandFor, type ScoreResult, type ScoringRule } from "./scoring.ts";
import { addSums, binIndex, describe, EMPTY_SUMS, pairedChange, type PairedChange, type Sums, sums, type UnpairedChange, welchChange } from "./statistics.ts";

export const MIN_CELL_DEFAULT = 5;
export const MIN_CELL_MAX = 100;
export const COMMENT_MIN_CELL = 10;

export const REPORT_DIMENSIONS = ["cohort", "group", "discipline"] as const;
export type Dimension = (typeof REPORT_DIMENSIONS)[number];
/** The snapshot of a response's dimension values (use "none"/"unspecified" rather than leaving one out). */
export type Cell = Record<Dimension, string>;

/** The threshold an organisation gets: its own setting if higher than the default, never lower. */
export function effectiveMinCell(orgSetting: number | null | undefined): number {
  if (typeof orgSetting !== "number" || !Number.isFinite(orgSetting)) return MIN_CELL_DEFAULT;
  return Math.min(MIN_CELL_MAX, Math.max(MIN_CELL_DEFAULT, Math.floor(orgSetting)));
}

export function commentMinCell(minCell: number): number {
  return Math.max(COMMENT_MIN_CELL, minCell);
}

// --- waves ------------------------------------------------------------------------------------

export interface Wave {
  id: string;
  opensAt: Date;
  closesAt: Date;
}

/** Answers are accepted from opening until closing (exclusive); never after a wave has closed. */
export function acceptsAnswers(wave: Wave, now: Date): boolean {
  const t = now.getTime();
  return t >= wave.opensAt.getTime() && t < wave.closesAt.getTime();
}

export function isClosed(wave: Wave, now: Date): boolean {
  return now.getTime() >= wave.closesAt.getTime();
}

/** Which of a person's groups a response is attributed to: the earliest joined (ties: smallest id). One group, always. */
export function primaryGroup(memberships: readonly { groupId: string; joinedAt: Date }[]): string | null {
  if (!memberships.length) return null;
  return [...memberships].sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime() || (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0))[0]!.groupId;
}

// --- what gets frozen -------------------------------------------------------------------------

export interface ReportScaleSpec {
  id: string;
  /** Lower bounds of the histogram bins, ascending. */
  binEdges: number[];
  bands: BandRule[];
}

export interface ReportSpec {
  scales: ReportScaleSpec[];
}

/** The report spec of a scoring rule: ten equal bins over each scale's range, and its bands. */
export function reportSpecFor(rule: ScoringRule, bins = 10): ReportSpec {
  return {
    scales: rule.scales.map((s) => {
      const [lo, hi] = s.range;
      const width = (hi - lo) / bins;
      return { id: s.id, binEdges: Array.from({ length: bins }, (_, i) => lo + i * width), bands: rule.bands.filter((b) => b.scale === s.id) };
    }),
  };
}

export interface ReportableResponse {
  cell: Cell;
  /** Every scale's score: only complete results (ScoreResult.complete) are reportable. */
  scores: Record<string, number>;
  /** Confidential mode only: the pseudonym that pairs a person's responses across waves. Null in anonymous mode. */
  pseudonym: string | null;
  hasComment: boolean;
}

/** The reportable part of a scored response, or null when it cannot enter reports (incomplete). */
export function toReportable(result: ScoreResult, cell: Cell, pseudonym: string | null, hasComment: boolean): ReportableResponse | null {
  if (!result.complete) return null;
  return { cell, pseudonym, hasComment, scores: Object.fromEntries(result.scales.map((s) => [s.id, s.score!])) };
}

export interface ScaleAggregate {
  sums: Sums;
  bins: number[];
  /** Respondents per band label key. */
  bands: Record<string, number>;
}

export interface Atom {
  wave: string;
  cell: Cell;
  key: string;
  respondents: number;
  comments: number;
  scales: Record<string, ScaleAggregate>;
  /** The threshold in force when the wave closed. */
  minCellAtClose: number;
}

export interface PairAtom {
  waveFrom: string;
  waveTo: string;
  cell: Cell;
  key: string;
  pairs: number;
  /** Per scale: sums of before, after and (after − before). */
  scales: Record<string, { before: Sums; after: Sums; diff: Sums }>;
  minCellAtClose: number;
}

export function cellKey(cell: Cell): string {
  return REPORT_DIMENSIONS.map((d) => `${d}=${encodeURIComponent(cell[d])}`).join("&");
}

export function atomKey(wave: string, cell: Cell): string {
  return `${encodeURIComponent(wave)}/${cellKey(cell)}`;
}

export class WaveNotClosedError extends Error {}

function emptyScale(spec: ReportScaleSpec): ScaleAggregate {
  return { sums: { ...EMPTY_SUMS }, bins: spec.binEdges.map(() => 0), bands: Object.fromEntries(spec.bands.map((b) => [b.labelKey, 0])) };
}

/**
 * Groups a closed wave's reportable responses into atoms with their sufficient statistics. Call
 * once when the wave closes and store the result; refuses an open wave.
 */
export function freezeWave(wave: Wave, responses: readonly ReportableResponse[], spec: ReportSpec, minCell: number, now: Date): Atom[] {
  if (!isClosed(wave, now)) throw new WaveNotClosedError(`wave ${wave.id} is still open`);
  const atoms = new Map<string, Atom>();
  const rule: ScoringRule = { questionnaire: "", scales: [], bands: spec.scales.flatMap((s) => s.bands) };
  for (const r of responses) {
    const key = atomKey(wave.id, r.cell);
    let atom = atoms.get(key);
    if (!atom) {
      atom = { wave: wave.id, cell: { ...r.cell }, key, respondents: 0, comments: 0, scales: Object.fromEntries(spec.scales.map((s) => [s.id, emptyScale(s)])), minCellAtClose: effectiveMinCell(minCell) };
      atoms.set(key, atom);
    }
    atom.respondents += 1;
    if (r.hasComment) atom.comments += 1;
    for (const s of spec.scales) {
      const v = r.scores[s.id];
      if (typeof v !== "number") throw new Error(`response without a score for ${s.id}: only complete responses are reportable`);
      const agg = atom.scales[s.id]!;
      agg.sums = addSums(agg.sums, sums([v]));
      agg.bins[binIndex(v, s.binEdges)]! += 1;
      const band = bandFor(rule, s.id, v);
      if (band) agg.bands[band.labelKey] = (agg.bands[band.labelKey] ?? 0) + 1;
    }
  }
  return [...atoms.values()];
}

export interface Pairing {
  from: string;
  to: string;
}

/**
 * Problems with a set of pairings (empty = fine): a pairing needs two different waves, and no wave
 * may appear in two pairings. The service stores pairings with that uniqueness as a constraint.
 */
export function checkPairings(pairings: readonly Pairing[]): string[] {
  const problems: string[] = [];
  const used = new Map<string, number>();
  pairings.forEach((p, i) => {
    if (p.from === p.to) problems.push(`pairings[${i}]: a pairing needs two different waves`);
    for (const w of new Set([p.from, p.to])) {
      if (used.has(w)) problems.push(`pairings[${i}]: wave ${w} is already paired in pairings[${used.get(w)}]`);
      else used.set(w, i);
    }
  });
  return problems;
}

/**
 * Pair atoms for two closed waves of a confidential campaign: people (by pseudonym) who answered
 * both waves in the same cell. Responses without a pseudonym (anonymous mode) never pair.
 */
export function freezePairs(from: Wave, to: Wave, fromResponses: readonly ReportableResponse[], toResponses: readonly ReportableResponse[], spec: ReportSpec, minCell: number, now: Date, existing: readonly Pairing[] = []): PairAtom[] {
  if (!isClosed(from, now) || !isClosed(to, now)) throw new WaveNotClosedError("both waves must be closed");
  const problems = checkPairings([...existing, { from: from.id, to: to.id }]);
  if (problems.length) throw new Error(`refusing to pair: ${problems.join("; ")}`);
  const before = new Map<string, ReportableResponse>();
  for (const r of fromResponses) if (r.pseudonym) before.set(r.pseudonym, r);
  const atoms = new Map<string, PairAtom>();
  const seen = new Set<string>();
  for (const r of toResponses) {
    if (!r.pseudonym || seen.has(r.pseudonym)) continue;
    seen.add(r.pseudonym);
    const b = before.get(r.pseudonym);
    if (!b || cellKey(b.cell) !== cellKey(r.cell)) continue;
    const key = `${encodeURIComponent(from.id)}>${encodeURIComponent(to.id)}/${cellKey(r.cell)}`;
    let atom = atoms.get(key);
    if (!atom) {
      atom = { waveFrom: from.id, waveTo: to.id, cell: { ...r.cell }, key, pairs: 0, scales: Object.fromEntries(spec.scales.map((s) => [s.id, { before: { ...EMPTY_SUMS }, after: { ...EMPTY_SUMS }, diff: { ...EMPTY_SUMS } }])), minCellAtClose: effectiveMinCell(minCell) };
      atoms.set(key, atom);
    }
    atom.pairs += 1;
    for (const s of spec.scales) {
      const x = b.scores[s.id]!;
      const y = r.scores[s.id]!;
      const agg = atom.scales[s.id]!;
      agg.before = addSums(agg.before, sums([x]));
      agg.after = addSums(agg.after, sums([y]));
      agg.diff = addSums(agg.diff, sums([y - x]));
    }
  }
  return [...atoms.values()];
}

// --- queries ----------------------------------------------------------------------------------

/** A filter: for each dimension, the values to include (absent = all). An empty list matches nothing. */
export type ReportFilter = Partial<Record<Dimension, readonly string[]>>;

export class ReportQueryError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

/** Refuses unknown dimensions (a 400 naming the field, never a silent "all"). */
export function checkFilter(filter: unknown): ReportFilter {
  if (typeof filter !== "object" || filter === null || Array.isArray(filter)) throw new ReportQueryError("filter", "filter must be an object");
  for (const [k, v] of Object.entries(filter)) {
    if (!(REPORT_DIMENSIONS as readonly string[]).includes(k)) throw new ReportQueryError(`filter.${k}`, `unknown dimension "${k}"`);
    if (v !== undefined && !(Array.isArray(v) && v.every((x) => typeof x === "string"))) throw new ReportQueryError(`filter.${k}`, "must be a list of values");
  }
  return filter as ReportFilter;
}

export function matches(cell: Cell, filter: ReportFilter): boolean {
  return REPORT_DIMENSIONS.every((d) => filter[d] === undefined || filter[d]!.includes(cell[d]));
}

export function atomThreshold(atom: Pick<Atom, "minCellAtClose">, orgSetting: number | null | undefined): number {
  return Math.max(effectiveMinCell(atom.minCellAtClose), effectiveMinCell(orgSetting));
}

export function atomVisible(atom: Atom, orgSetting: number | null | undefined): boolean {
  return atom.respondents >= atomThreshold(atom, orgSetting);
}

/** The visible atoms of one wave that a filter selects. Every figure is computed from exactly these. */
export function visibleAtoms(atoms: readonly Atom[], wave: string, filter: ReportFilter, orgSetting: number | null | undefined): Atom[] {
  return atoms.filter((a) => a.wave === wave && matches(a.cell, filter) && atomVisible(a, orgSetting));
}

export interface ScaleFigures {
  scale: string;
  n: number;
  mean: number;
  sd: number;
  /** Counts per histogram bin (lower bounds in the spec). */
  distribution: number[];
  /** Share (0–1) of respondents per band label key. */
  bandShares: Record<string, number>;
}

export type WaveFigures =
  | {
      wave: string;
      status: "ok";
      respondents: number;
      scales: ScaleFigures[];
      /** Atom keys behind the figures: for audit and tests; do not send to the browser. */
      basis: string[];
    }
  | { wave: string; status: "suppressed"; reason: "not-enough-responses" };

function round(x: number, d: number): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}

/** Figures over a set of atoms, which must all be visible (checked). */
export function figuresOver(used: readonly Atom[], spec: ReportSpec, orgSetting: number | null | undefined): ScaleFigures[] {
  for (const a of used) if (!atomVisible(a, orgSetting)) throw new Error("refusing to compute a figure from an atom below the minimum cell size");
  return spec.scales.map((s) => {
    let total: Sums = { ...EMPTY_SUMS };
    const bins = s.binEdges.map(() => 0);
    const bands: Record<string, number> = Object.fromEntries(s.bands.map((b) => [b.labelKey, 0]));
    for (const a of used) {
      const agg = a.scales[s.id]!;
      total = addSums(total, agg.sums);
      agg.bins.forEach((c, i) => (bins[i]! += c));
      for (const [k, c] of Object.entries(agg.bands)) bands[k] = (bands[k] ?? 0) + c;
    }
    const d = describe(total);
    return {
      scale: s.id,
      n: d.n,
      mean: round(d.mean, 1),
      sd: Number.isNaN(d.sd) ? Number.NaN : round(d.sd, 1),
      distribution: bins,
      bandShares: Object.fromEntries(Object.entries(bands).map(([k, c]) => [k, d.n ? round(c / d.n, 3) : 0])),
    };
  });
}

export interface ReportQuery {
  waves: readonly string[];
  filter: ReportFilter;
}

/** One column of figures per requested wave (closed waves only: atoms exist only for them). */
export function buildReport(atoms: readonly Atom[], query: ReportQuery, spec: ReportSpec, orgSetting: number | null | undefined): WaveFigures[] {
  const filter = checkFilter(query.filter);
  return query.waves.map((wave): WaveFigures => {
    const used = visibleAtoms(atoms, wave, filter, orgSetting);
    if (!used.length) return { wave, status: "suppressed", reason: "not-enough-responses" };
    return { wave, status: "ok", respondents: used.reduce((n, a) => n + a.respondents, 0), scales: figuresOver(used, spec, orgSetting), basis: used.map((a) => a.key) };
  });
}

/** Keys of the atoms whose comments may be shown for a filter (≥ max(10, k) respondents each). Show them shuffled. */
export function commentAtoms(atoms: readonly Atom[], wave: string, filter: ReportFilter, orgSetting: number | null | undefined): string[] {
  const f = checkFilter(filter);
  return atoms.filter((a) => a.wave === wave && matches(a.cell, f) && a.respondents >= commentMinCell(atomThreshold(a, orgSetting)) && a.comments > 0).map((a) => a.key);
}

export type ChangeFigures<T> = { status: "ok"; change: T; basis: string[] } | { status: "suppressed"; reason: "not-enough-responses" };

/** Anonymous mode: Welch's interval between two waves' visible unions. */
export function unpairedChangeReport(atoms: readonly Atom[], from: string, to: string, filter: ReportFilter, scale: string, orgSetting: number | null | undefined): ChangeFigures<UnpairedChange> {
  const f = checkFilter(filter);
  const a = visibleAtoms(atoms, from, f, orgSetting);
  const b = visibleAtoms(atoms, to, f, orgSetting);
  const total = (xs: Atom[]) => xs.reduce((acc, x) => addSums(acc, x.scales[scale]!.sums), { ...EMPTY_SUMS });
  const change = a.length && b.length ? welchChange(total(a), total(b)) : null;
  if (!change) return { status: "suppressed", reason: "not-enough-responses" };
  return { status: "ok", change, basis: [...a, ...b].map((x) => x.key) };
}

/** Whether a pair atom may be used: ≥ k pairs, both cell atoms visible, and each wave's unpaired remainder 0 or ≥ k. */
export function pairAtomVisible(pair: PairAtom, atoms: readonly Atom[], orgSetting: number | null | undefined): boolean {
  const a = atoms.find((x) => x.key === atomKey(pair.waveFrom, pair.cell));
  const b = atoms.find((x) => x.key === atomKey(pair.waveTo, pair.cell));
  if (!a || !b || !atomVisible(a, orgSetting) || !atomVisible(b, orgSetting)) return false;
  const k = Math.max(atomThreshold(pair, orgSetting), atomThreshold(a, orgSetting), atomThreshold(b, orgSetting));
  const restA = a.respondents - pair.pairs;
  const restB = b.respondents - pair.pairs;
  return pair.pairs >= k && (restA === 0 || restA >= k) && (restB === 0 || restB >= k);
}

export interface PairedFigures extends PairedChange {
  meanBefore: number;
  meanAfter: number;
}

/** Confidential mode: paired change over the visible pair atoms a filter selects. */
export function pairedChangeReport(pairAtoms: readonly PairAtom[], atoms: readonly Atom[], from: string, to: string, filter: ReportFilter, scale: string, orgSetting: number | null | undefined): ChangeFigures<PairedFigures> {
  const f = checkFilter(filter);
  const used = pairAtoms.filter((p) => p.waveFrom === from && p.waveTo === to && matches(p.cell, f) && pairAtomVisible(p, atoms, orgSetting));
  let before: Sums = { ...EMPTY_SUMS };
  let after: Sums = { ...EMPTY_SUMS };
  let diff: Sums = { ...EMPTY_SUMS };
  for (const p of used) {
    const s = p.scales[scale]!;
    before = addSums(before, s.before);
    after = addSums(after, s.after);
    diff = addSums(diff, s.diff);
  }
  const change = used.length ? pairedChange(diff) : null;
  if (!change) return { status: "suppressed", reason: "not-enough-responses" };
  return { status: "ok", change: { ...change, meanBefore: before.sum / before.n, meanAfter: after.sum / after.n }, basis: used.map((p) => p.key) };
}
