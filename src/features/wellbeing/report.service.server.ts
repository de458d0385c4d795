// Program reports over well-being check-ins (issue 5 "For the program"; ADR 015 and 017).
//
// Every figure comes from the FROZEN ATOMS of closed waves (`services.wellbeing.campaignAtoms`),
// through report-privacy.ts: `buildReport` (respondents, mean, SD, distribution, band shares over
// the union of whole VISIBLE atoms), `unpairedChangeReport` (anonymous mode: Welch),
// `pairAtomVisible` + the paired interval (confidential mode, the campaign's one pairing). Nothing
// here reads raw responses. Consequences, by construction:
// - a cell below k (max(5, the organisation's setting, the threshold at close)) is never shown and
//   never counted in any total, drill-down or "all" row; it looks exactly like "no responses";
// - any two reports differ by a union of whole visible atoms (≥ k each) or by nothing, whatever
//   the filters — so no sequence of queries isolates fewer than k people;
// - a filter that isolates too few is not an error: the figure is "suppressed" (calm, no count).
// Free text: the built-in instruments have no text items and responses keep no comments
// (`hasComment` is false at freeze), so there is nothing to show; `commentAtoms` is the gate if
// that changes.
//
// Caching (ADR 019 §7, report-cache.ts): a finished report — after suppression, never before — is
// kept in a bounded in-process LRU keyed on (organisation, parsed query, VERSION). The version is a
// digest of every input a report is computed from, read in one indexed query per request
// (`currentVersion`): the organisation's effective minimum cell size, the campaign's name / mode /
// cohort label, its instruments (id, title, scoring), its frozen waves (id, seq, label, closesAt,
// frozenAt, threshold at close) and its pairings. Frozen atoms and pair atoms are written in the
// freezing transaction with `frozenAt` and never change afterwards (not even when a respondent
// deletes their data: ADR 015), so the frozen waves determine them. A computed report is stored
// under the version of the inputs IT read (`versionOf`), so a wave freezing or a threshold changing
// mid-computation can never leave a report under a key it does not belong to. Group names (the
// `labels.group` map) are read fresh for every request and are not part of the cached value.
// Identical concurrent requests share one computation (single-flight).
import { and, asc, eq, sql } from "drizzle-orm";
import { AppError } from "../../platform/http/errors.ts";
import type { Kernel } from "../../platform/kernel.server.ts";
import { authorize, type Actor } from "../../platform/policy/policy.ts";
import { organisation } from "../../platform/tenancy/schema.ts";
import { balintGroup } from "../groups/schema.ts";
import { DISCIPLINES } from "../profile/disciplines.ts";
import { type Atom, atomKey, atomThreshold, buildReport, cellKey, type Dimension, effectiveMinCell, matches, pairAtomVisible, type PairAtom, type ReportFilter, unpairedChangeReport } from "./report-privacy.ts";
import { type ComputedCache, createLruCache, deepFreeze, digest, reportCacheKey } from "./report-cache.ts";
import { ReportQueryInput } from "./report-schemas.ts";
import { wellbeingCampaign, wellbeingWave } from "./schema.ts";
import type { ScoringRule } from "./scoring.ts";
import { parseInput, type CampaignAtoms, type WellbeingService } from "./service.server.ts";
import { addSums, EMPTY_SUMS, pairedChange, type Sums } from "./statistics.ts";

export interface ReportScaleFigures {
  scale: string;
  n: number;
  mean: number | null;
  sd: number | null;
  distribution: number[];
  bandShares: Record<string, number>;
}

export type ReportCell = { wave: string; status: "ok"; respondents: number; scales: ReportScaleFigures[] } | { wave: string; status: "suppressed" };

export interface ReportChange {
  scale: string;
  kind: "paired" | "unpaired";
  status: "ok" | "suppressed";
  /** Paired: pairs; unpaired: respondents before and after. */
  n?: number;
  nBefore?: number;
  nAfter?: number;
  meanBefore?: number;
  meanAfter?: number;
  diff?: number;
  ciLow?: number;
  ciHigh?: number;
  /** Cohen's dz (paired) or d (unpaired, pooled SD). */
  effectSize?: number | null;
}

export interface WellbeingReport {
  campaign: { id: string; name: string; mode: "anonymous" | "confidential"; cohortLabel: string };
  instrument: { id: string; title: string; scales: { id: string; range: [number, number]; binEdges: number[]; bands: { labelKey: string; severity: string }[] }[] };
  instruments: { id: string; title: string }[];
  /** The threshold in force for this report (max of 5, the organisation's setting and every selected wave's threshold at close). */
  minCell: number;
  closedWaves: { id: string; seq: number; label: string | null; closesAt: string }[];
  waves: string[];
  filter: { group: string[] | null; discipline: string[] | null; cohort: string[] | null };
  by: "none" | Dimension;
  /** Labels for values of the dimensions (group ids → names). */
  labels: { group: Record<string, string>; discipline: string[]; cohort: string[] };
  all: ReportCell[];
  rows: { value: string; cells: ReportCell[] }[];
  change: { from: string; to: string; scales: ReportChange[] } | null;
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
const r2 = (x: number) => Math.round(x * 100) / 100;

type ReportQuery = ReturnType<typeof ReportQueryInput.parse>;

/** What the cache holds: a finished report without the organisation's group names (read fresh per request). */
type CachedReport = Omit<WellbeingReport, "labels"> & { labels: Omit<WellbeingReport["labels"], "group"> };

/**
 * Everything a report is computed from besides the frozen atoms (which the frozen waves determine),
 * in a canonical form. `currentVersion` reads it from the database; `versionOf` derives it from
 * what a computation actually used. Both must produce the same digest for the same state.
 */
interface VersionParts {
  organisationId: string;
  campaignId: string;
  /** effectiveMinCell(organisation setting): the only way the setting enters a report. */
  minCell: number;
  campaign: [name: string, mode: string, cohortLabel: string];
  /** In campaign position order. */
  instruments: [id: string, title: string, scoring: ScoringRule][];
  /** Frozen waves by seq: id, seq, label, closesAt (ms), frozenAt (ms), threshold at close. */
  waves: [string, number, string | null, number, number, number | null][];
  /** Pairings by id: id, from, to, threshold at close. */
  pairings: [string, string, string, number][];
}

const byFirst = <T extends [string, ...unknown[]]>(xs: T[]) => xs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
const versionDigest = (p: VersionParts) => digest(p);

/** The version of the inputs a computation used (setting as read, campaign atoms as loaded). */
function versionOf(organisationId: string, setting: number | undefined, ca: CampaignAtoms): string {
  return versionDigest({
    organisationId,
    campaignId: ca.campaign.id,
    minCell: effectiveMinCell(setting),
    campaign: [ca.campaign.name, ca.campaign.mode, ca.campaign.cohortLabel],
    instruments: ca.instruments.map((i) => [i.id, i.title, i.scoring]),
    waves: ca.waves
      .filter((w) => w.frozenAt)
      .sort((a, b) => a.seq - b.seq)
      .map((w) => [w.id, w.seq, w.label, Date.parse(w.closesAt), Date.parse(w.frozenAt!), w.minCellAtClose]),
    pairings: byFirst(ca.pairings.map((p): [string, string, string, number] => [p.id, p.waveFrom, p.waveTo, p.minCellAtClose])),
  });
}

export interface WellbeingReportServiceOptions {
  /** The report cache; `null` computes every report (the reference the tests compare with). */
  cache?: ComputedCache<CachedReport> | null;
}

/** Entries weigh their number of cells (roughly 0.5 KB each in memory): 60,000 ≈ 30 MB, e.g. 15 drill-downs of 2,000 groups × 2 waves. */
export const REPORT_CACHE_DEFAULTS = { maxEntries: 500, maxWeight: 60_000, ttlMs: 15 * 60_000 };

function weighReport(r: CachedReport): number {
  return 1 + r.all.length + r.rows.reduce((n, row) => n + row.cells.length, 0) + (r.change?.scales.length ?? 0);
}

export function createWellbeingReportCache(options: Partial<typeof REPORT_CACHE_DEFAULTS> = {}): ComputedCache<CachedReport> {
  return createLruCache<CachedReport>({ ...REPORT_CACHE_DEFAULTS, ...options, weigh: weighReport });
}

export function createWellbeingReportService(kernel: Kernel, wellbeing: WellbeingService, options: WellbeingReportServiceOptions = {}) {
  const { db } = kernel;
  const cache = options.cache === undefined ? createWellbeingReportCache() : options.cache;

  async function orgSetting(orgId: string): Promise<number | undefined> {
    const [org] = await db.select({ settings: organisation.settings }).from(organisation).where(eq(organisation.id, orgId));
    return org?.settings?.minimumCellSize;
  }

  async function groupLabels(orgId: string): Promise<Record<string, string>> {
    const rows = await db.select({ id: balintGroup.id, name: balintGroup.name }).from(balintGroup).where(eq(balintGroup.organisationId, orgId)).orderBy(asc(balintGroup.name));
    return Object.fromEntries(rows.map((r) => [r.id, r.name]));
  }

  /**
   * The version of a campaign's report inputs now, in one query (campaign by primary key, its waves
   * by the (campaign, seq) index, instruments by the (campaign, instrument) key, pairings of the
   * campaign). Null when the campaign is not this organisation's (the computation then answers 404).
   */
  async function currentVersion(orgId: string, campaignId: string): Promise<string | null> {
    const [row] = await db
      .select({
        name: wellbeingCampaign.name,
        mode: wellbeingCampaign.mode,
        cohortLabel: wellbeingCampaign.cohortLabel,
        setting: sql<unknown>`${organisation.settings} -> 'minimumCellSize'`,
        waves: sql<[string, number, string | null, string, string, number | null][] | null>`(select json_agg(json_build_array(w.id, w.seq, w.label, w.closes_at, w.frozen_at, w.min_cell_at_close)) from wellbeing_wave w where w.campaign_id = ${wellbeingCampaign.id} and w.frozen_at is not null)`,
        instruments: sql<[string, string, ScoringRule, number][] | null>`(select json_agg(json_build_array(i.id, i.title, i.scoring, ci.position)) from wellbeing_campaign_instrument ci join wellbeing_instrument i on i.id = ci.instrument_id where ci.campaign_id = ${wellbeingCampaign.id})`,
        pairings: sql<[string, string, string, number][] | null>`(select json_agg(json_build_array(p.id, p.wave_from, p.wave_to, p.min_cell_at_close)) from wellbeing_pairing p where p.campaign_id = ${wellbeingCampaign.id})`,
      })
      .from(wellbeingCampaign)
      .innerJoin(organisation, eq(organisation.id, wellbeingCampaign.organisationId))
      .where(and(eq(wellbeingCampaign.id, campaignId), eq(wellbeingCampaign.organisationId, orgId)));
    if (!row) return null;
    const setting = row.setting;
    return versionDigest({
      organisationId: orgId,
      campaignId,
      minCell: effectiveMinCell(typeof setting === "number" ? setting : undefined),
      campaign: [row.name, row.mode, row.cohortLabel],
      instruments: (row.instruments ?? []).sort((a, b) => a[3] - b[3]).map(([id, title, scoring]) => [id, title, scoring]),
      waves: (row.waves ?? []).sort((a, b) => a[1] - b[1]).map(([id, seq, label, closesAt, frozenAt, minCellAtClose]) => [id, seq, label, Date.parse(closesAt), Date.parse(frozenAt), minCellAtClose]),
      pairings: byFirst(row.pairings ?? []),
    });
  }

  /** Resolves the campaign, instrument and closed waves of a query (400 naming the field, 404 outside the organisation). No authorisation: callers authorise first. */
  async function resolveFor(orgId: string, input: { campaignId: string; instrumentId?: string | undefined; waves?: string[] | undefined }) {
    const setting = await orgSetting(orgId);
    // Atoms below the organisation's k are never visible: not even loaded (large programmes).
    const ca = await wellbeing.campaignAtoms(orgId, input.campaignId, new Date(), { instrumentId: input.instrumentId ?? "first", waveIds: input.waves, minRespondents: effectiveMinCell(setting), withoutInvitationCounts: true });
    const instrument = input.instrumentId ? ca.instruments.find((i) => i.id === input.instrumentId) : ca.instruments[0];
    if (!instrument) throw new AppError("validation_failed", "Invalid instrumentId: not an instrument of this campaign.", [{ path: "instrumentId", message: "not an instrument of this campaign" }]);
    const closed = ca.waves.filter((w) => w.frozenAt).sort((a, b) => a.seq - b.seq);
    let waves = closed;
    if (input.waves) {
      input.waves.forEach((id, i) => {
        if (!closed.some((w) => w.id === id)) throw new AppError("validation_failed", `Invalid waves.${i}: not a closed check-in of this campaign.`, [{ path: `waves.${i}`, message: "not a closed check-in of this campaign (reports show closed check-ins only)" }]);
      });
      waves = closed.filter((w) => input.waves!.includes(w.id));
    }
    const minCell = Math.max(effectiveMinCell(setting), ...waves.map((w) => effectiveMinCell(w.minCellAtClose)));
    return { ca, instrument, closed, waves, setting, minCell, atoms: ca.atoms[instrument.id] ?? [] };
  }

  /** Resolves the campaign, instrument and closed waves of a query (400 naming the field, 404 outside the organisation). */
  async function resolve(actor: Actor, orgId: string, input: { campaignId: string; instrumentId?: string | undefined; waves?: string[] | undefined }) {
    authorize(actor, "wellbeing:report", { organisationId: orgId });
    return resolveFor(orgId, input);
  }

  function toCell(f: ReturnType<typeof buildReport>[number]): ReportCell {
    if (f.status !== "ok") return { wave: f.wave, status: "suppressed" };
    return { wave: f.wave, status: "ok", respondents: f.respondents, scales: f.scales.map((s) => ({ scale: s.scale, n: s.n, mean: finite(s.mean), sd: finite(s.sd), distribution: s.distribution, bandShares: s.bandShares })) };
  }

  /** Paired change over the campaign's pairing: pair atoms visible by `pairAtomVisible` (≥ k pairs, remainders 0 or ≥ k). */
  function paired(pairAtoms: readonly PairAtom[], byKey: Map<string, Atom>, from: string, to: string, filter: ReportFilter, scale: string, setting: number | undefined): ReportChange {
    let before: Sums = { ...EMPTY_SUMS };
    let after: Sums = { ...EMPTY_SUMS };
    let diff: Sums = { ...EMPTY_SUMS };
    let used = 0;
    for (const p of pairAtoms) {
      if (p.waveFrom !== from || p.waveTo !== to || !matches(p.cell, filter)) continue;
      const pair = [byKey.get(atomKey(from, p.cell)), byKey.get(atomKey(to, p.cell))].filter((a): a is Atom => !!a);
      if (!pairAtomVisible(p, pair, setting)) continue;
      const s = p.scales[scale]!;
      before = addSums(before, s.before);
      after = addSums(after, s.after);
      diff = addSums(diff, s.diff);
      used += 1;
    }
    const change = used ? pairedChange(diff) : null;
    if (!change) return { scale, kind: "paired", status: "suppressed" };
    return { scale, kind: "paired", status: "ok", n: change.n, meanBefore: r2(before.sum / before.n), meanAfter: r2(after.sum / after.n), diff: r2(change.meanDiff), ciLow: r2(change.ciLow), ciHigh: r2(change.ciHigh), effectSize: finite(r2(change.dz)) };
  }

  /** Computes a report (every figure after suppression) and the version of the inputs it read. */
  async function compute(orgId: string, input: ReportQuery): Promise<{ report: CachedReport; version: string }> {
    const { ca, instrument, closed, waves, setting, minCell, atoms } = await resolveFor(orgId, input);
    const filter: ReportFilter = {
      ...(input.group ? { group: input.group } : {}),
      ...(input.discipline ? { discipline: input.discipline } : {}),
      ...(input.cohort ? { cohort: input.cohort } : {}),
    };
    const waveIds = waves.map((w) => w.id);
    const byWave = new Map<string, Atom[]>(waveIds.map((w) => [w, []]));
    for (const a of atoms) byWave.get(a.wave)?.push(a);
    const spec = instrument.spec;
    const column = (w: string, f: ReportFilter, subset?: Atom[]) => toCell(buildReport(subset ?? byWave.get(w)!, { waves: [w], filter: f }, spec, setting)[0]!);
    const all = waveIds.map((w) => column(w, filter));

    // Drill-down: one row per value of `by` found among VISIBLE atoms (values of hidden atoms are never listed).
    const rows: WellbeingReport["rows"] = [];
    if (input.by !== "none") {
      const dim = input.by as Dimension;
      const groups = new Map<string, Map<string, Atom[]>>();
      for (const w of waveIds) {
        for (const a of byWave.get(w)!) {
          if (!matches(a.cell, filter)) continue;
          const v = a.cell[dim];
          let m = groups.get(v);
          if (!m) groups.set(v, (m = new Map()));
          let list = m.get(w);
          if (!list) m.set(w, (list = []));
          list.push(a);
        }
      }
      for (const [value, perWave] of [...groups].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
        const cells = waveIds.map((w) => column(w, { ...filter, [dim]: [value] }, perWave.get(w) ?? []));
        if (cells.some((c) => c.status === "ok")) rows.push({ value, cells });
      }
    }

    // Change from the first to the last selected wave.
    let change: WellbeingReport["change"] = null;
    if (waveIds.length >= 2) {
      const from = waveIds[0]!;
      const to = waveIds[waveIds.length - 1]!;
      const pairing = ca.campaign.mode === "confidential" ? ca.pairings.find((p) => p.waveFrom === from && p.waveTo === to) : undefined;
      const byKey = new Map<string, Atom>();
      for (const a of [...byWave.get(from)!, ...byWave.get(to)!]) byKey.set(a.key, a);
      const two = [...byWave.get(from)!, ...byWave.get(to)!];
      change = {
        from,
        to,
        scales: spec.scales.map((s): ReportChange => {
          if (pairing) return paired(pairing.pairAtoms[instrument.id] ?? [], byKey, from, to, filter, s.id, setting);
          const u = unpairedChangeReport(two, from, to, filter, s.id, setting);
          if (u.status !== "ok") return { scale: s.id, kind: "unpaired", status: "suppressed" };
          const c = u.change;
          return { scale: s.id, kind: "unpaired", status: "ok", nBefore: c.nBefore, nAfter: c.nAfter, diff: r2(c.diff), ciLow: r2(c.ciLow), ciHigh: r2(c.ciHigh), effectSize: finite(r2(c.d)) };
        }),
      };
    }

    const report: CachedReport = {
      campaign: { id: ca.campaign.id, name: ca.campaign.name, mode: ca.campaign.mode, cohortLabel: ca.campaign.cohortLabel },
      instrument: { id: instrument.id, title: instrument.title, scales: spec.scales.map((s) => ({ id: s.id, range: instrument.scoring.scales.find((x) => x.id === s.id)!.range, binEdges: s.binEdges, bands: s.bands.map((b) => ({ labelKey: b.labelKey, severity: b.severity })) })) },
      instruments: ca.instruments.map((i) => ({ id: i.id, title: i.title })),
      minCell,
      closedWaves: closed.map((w) => ({ id: w.id, seq: w.seq, label: w.label, closesAt: w.closesAt })),
      waves: waveIds,
      filter: { group: input.group ?? null, discipline: input.discipline ?? null, cohort: input.cohort ?? null },
      by: input.by as WellbeingReport["by"],
      labels: { discipline: [...DISCIPLINES, "unspecified"], cohort: [ca.campaign.cohortLabel] },
      all,
      rows,
      change,
    };
    return { report, version: versionOf(orgId, setting, ca) };
  }

  /** The report as served: the (possibly shared, frozen) figures with the organisation's current group names. */
  function withGroupLabels(r: CachedReport, group: Record<string, string>): WellbeingReport {
    return { campaign: r.campaign, instrument: r.instrument, instruments: r.instruments, minCell: r.minCell, closedWaves: r.closedWaves, waves: r.waves, filter: r.filter, by: r.by, labels: { group, discipline: r.labels.discipline, cohort: r.labels.cohort }, all: r.all, rows: r.rows, change: r.change };
  }

  /** Computes and stores under the version of what it read (never under a version it did not see). */
  async function computeAndStore(c: ComputedCache<CachedReport>, orgId: string, input: ReportQuery) {
    const out = await compute(orgId, input);
    c.set(reportCacheKey(orgId, input, out.version), deepFreeze(out.report));
    return out;
  }

  return {
    /** Campaigns with their closed waves and instruments (for the report's filters). */
    async campaigns(actor: Actor, orgId: string): Promise<{ items: { id: string; name: string; mode: "anonymous" | "confidential"; closedWaves: number }[] }> {
      authorize(actor, "wellbeing:report", { organisationId: orgId });
      const rows = await db
        .select({ id: wellbeingCampaign.id, name: wellbeingCampaign.name, mode: wellbeingCampaign.mode, closed: sql<number>`count(${wellbeingWave.id}) filter (where ${wellbeingWave.frozenAt} is not null)::int` })
        .from(wellbeingCampaign)
        .leftJoin(wellbeingWave, eq(wellbeingWave.campaignId, wellbeingCampaign.id))
        .where(eq(wellbeingCampaign.organisationId, orgId))
        .groupBy(wellbeingCampaign.id)
        .orderBy(asc(wellbeingCampaign.createdAt));
      return { items: rows.map((r) => ({ id: r.id, name: r.name, mode: r.mode, closedWaves: Number(r.closed) })) };
    },

    async report(actor: Actor, orgId: string, raw: unknown): Promise<WellbeingReport> {
      // Who may ask comes first: an outsider learns nothing, not even that the query was malformed.
      // Every caller is authorised here, before any cache is consulted.
      authorize(actor, "wellbeing:report", { organisationId: orgId });
      const input = parseInput(ReportQueryInput, raw);
      if (!cache) {
        const { report } = await compute(orgId, input);
        return withGroupLabels(report, await groupLabels(orgId));
      }
      const [version, group] = await Promise.all([currentVersion(orgId, input.campaignId), groupLabels(orgId)]);
      // Not this organisation's campaign: compute, which answers 404 exactly as without a cache.
      if (version === null) return withGroupLabels((await compute(orgId, input)).report, group);
      const key = reportCacheKey(orgId, input, version);
      const hit = cache.get(key);
      if (hit) return withGroupLabels(hit, group);
      let out = await cache.flight(key, () => computeAndStore(cache, orgId, input));
      // The inputs changed while it ran (a wave froze, the threshold moved): not the version this
      // request read, so it is not served from the shared computation; compute once more, as
      // without a cache.
      if (out.version !== version) out = await computeAndStore(cache, orgId, input);
      return withGroupLabels(out.report, group);
    },

    /** Group names of the organisation (cohort choosers and report labels). */
    async groupNames(actor: Actor, orgId: string): Promise<Record<string, string>> {
      authorize(actor, "organisation:read", { organisationId: orgId });
      return groupLabels(orgId);
    },

    /** For the export (export.service.server.ts): the same resolution and visibility. Never cached. */
    resolve,

    /** The report cache's counters (tests, diagnostics); null when caching is off. */
    cacheStats: () => cache?.stats() ?? null,
  };
}

export type WellbeingReportService = ReturnType<typeof createWellbeingReportService>;
export type { CampaignAtoms };
export { atomThreshold, cellKey };
