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
import { asc, eq, sql } from "drizzle-orm";
import { AppError } from "../../platform/http/errors.ts";
import type { Kernel } from "../../platform/kernel.server.ts";
import { authorize, type Actor } from "../../platform/policy/policy.ts";
import { organisation } from "../../platform/tenancy/schema.ts";
import { balintGroup } from "../groups/schema.ts";
import { DISCIPLINES } from "../profile/disciplines.ts";
import { type Atom, atomKey, atomThreshold, buildReport, cellKey, type Dimension, effectiveMinCell, matches, pairAtomVisible, type PairAtom, type ReportFilter, unpairedChangeReport } from "./report-privacy.ts";
import { ReportQueryInput } from "./report-schemas.ts";
import { wellbeingCampaign, wellbeingWave } from "./schema.ts";
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

export function createWellbeingReportService(kernel: Kernel, wellbeing: WellbeingService) {
  const { db } = kernel;

  async function orgSetting(orgId: string): Promise<number | undefined> {
    const [org] = await db.select({ settings: organisation.settings }).from(organisation).where(eq(organisation.id, orgId));
    return org?.settings?.minimumCellSize;
  }

  async function groupLabels(orgId: string): Promise<Record<string, string>> {
    const rows = await db.select({ id: balintGroup.id, name: balintGroup.name }).from(balintGroup).where(eq(balintGroup.organisationId, orgId)).orderBy(asc(balintGroup.name));
    return Object.fromEntries(rows.map((r) => [r.id, r.name]));
  }

  /** Resolves the campaign, instrument and closed waves of a query (400 naming the field, 404 outside the organisation). */
  async function resolve(actor: Actor, orgId: string, input: { campaignId: string; instrumentId?: string | undefined; waves?: string[] | undefined }) {
    authorize(actor, "wellbeing:report", { organisationId: orgId });
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
      authorize(actor, "wellbeing:report", { organisationId: orgId });
      const input = parseInput(ReportQueryInput, raw);
      const { ca, instrument, closed, waves, setting, minCell, atoms } = await resolve(actor, orgId, input);
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

      return {
        campaign: { id: ca.campaign.id, name: ca.campaign.name, mode: ca.campaign.mode, cohortLabel: ca.campaign.cohortLabel },
        instrument: { id: instrument.id, title: instrument.title, scales: spec.scales.map((s) => ({ id: s.id, range: instrument.scoring.scales.find((x) => x.id === s.id)!.range, binEdges: s.binEdges, bands: s.bands.map((b) => ({ labelKey: b.labelKey, severity: b.severity })) })) },
        instruments: ca.instruments.map((i) => ({ id: i.id, title: i.title })),
        minCell,
        closedWaves: closed.map((w) => ({ id: w.id, seq: w.seq, label: w.label, closesAt: w.closesAt })),
        waves: waveIds,
        filter: { group: input.group ?? null, discipline: input.discipline ?? null, cohort: input.cohort ?? null },
        by: input.by as WellbeingReport["by"],
        labels: { group: await groupLabels(orgId), discipline: [...DISCIPLINES, "unspecified"], cohort: [ca.campaign.cohortLabel] },
        all,
        rows,
        change,
      };
    },

    /** Group names of the organisation (cohort choosers and report labels). */
    async groupNames(actor: Actor, orgId: string): Promise<Record<string, string>> {
      authorize(actor, "organisation:read", { organisationId: orgId });
      return groupLabels(orgId);
    },

    /** For the export (export.service.server.ts): the same resolution and visibility. */
    resolve,
  };
}

export type WellbeingReportService = ReturnType<typeof createWellbeingReportService>;
export type { CampaignAtoms };
export { atomThreshold, cellKey };
