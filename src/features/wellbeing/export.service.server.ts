// De-identified export of a campaign's answers for researchers (issue 5), CSV or a FHIR R4 Bundle
// of QuestionnaireResponses. Same protections as the reports:
// - only closed waves, only responses of VISIBLE atoms (≥ k, the report's threshold) that match the
//   filter, and only when the rows still stored for that atom are ≥ k and the atom's missing rows
//   (people who deleted their data since) are 0 or ≥ k — the remainder rule, so an export compared
//   with a report never isolates fewer than k;
// - no identifiers: no user, invitation or response id, no pseudonym. Each row gets a fresh random
//   id. In confidential mode a `participant` id (random, valid in THIS export only) links a person's
//   two responses of the campaign's pairing when that pair atom is visible (pairAtomVisible: ≥ k
//   pairs, remainders 0 or ≥ k) — exactly what the paired report may use; every other row stands
//   alone, so participation patterns across waves cannot single anyone out;
// - dates coarsened to the wave (its closing date, no time); rows shuffled;
// - answers: linkIds and coded/numeric/boolean values only (free text never leaves); cells: cohort label, group id (or "none"),
//   discipline;
// - CSV through the audit-log writer (formula-safe, RFC 4180);
// - audited: who, which campaign, format, instrument, waves, filter (counts and a digest), rows.
import { createHash, randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { recordAudit } from "../../platform/audit/audit.server.ts";
import type { Kernel } from "../../platform/kernel.server.ts";
import { authorize, type Actor } from "../../platform/policy/policy.ts";
import { toCsv } from "../audit-log/csv.ts";
import { answersByLinkId, type QuestionnaireResponse, type ResponseAnswer, type ResponseItem } from "./fhir.ts";
import { type Atom, atomKey, atomThreshold, atomVisible, cellKey, matches, pairAtomVisible, type ReportFilter } from "./report-privacy.ts";
import { ExportQueryInput } from "./report-schemas.ts";
import type { WellbeingReportService } from "./report.service.server.ts";
import { wellbeingResponse } from "./schema.ts";
import { parseInput } from "./service.server.ts";

export const EXPORT_CELL_EXTENSION = "https://balint-commons.org/fhir/StructureDefinition/wellbeing-report-cell";

export interface ExportRow {
  id: string;
  participant: string | null;
  wave: number;
  waveClosed: string;
  cohort: string;
  group: string;
  discipline: string;
  scores: Record<string, number | null>;
  response: QuestionnaireResponse;
}

export interface WellbeingExport {
  format: "csv" | "fhir";
  filename: string;
  rows: number;
  body: string;
}

function shuffle<T>(xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

const flatAnswer = (a: ResponseAnswer | undefined): string | number | null =>
  a === undefined ? null : (a.valueCoding?.code ?? a.valueInteger ?? a.valueDecimal ?? (a.valueBoolean === undefined ? null : String(a.valueBoolean)));

/** Coded, numeric and boolean answers only: free text (valueString) never leaves in an export. */
function withoutText(items: readonly ResponseItem[] | undefined): ResponseItem[] {
  return (items ?? []).flatMap((it) => {
    const answer = (it.answer ?? []).filter((a) => a.valueString === undefined);
    const item = withoutText(it.item);
    if (!answer.length && !item.length) return [];
    return [{ linkId: it.linkId, ...(answer.length ? { answer } : {}), ...(item.length ? { item } : {}) }];
  });
}

export function createWellbeingExportService(kernel: Kernel, reports: WellbeingReportService) {
  const { db } = kernel;

  return {
    async exportCampaign(actor: Actor, orgId: string, raw: unknown): Promise<WellbeingExport> {
      authorize(actor, "wellbeing:report", { organisationId: orgId });
      const input = parseInput(ExportQueryInput, raw);
      const { ca, instrument, waves, setting, atoms } = await reports.resolve(actor, orgId, input);
      const filter: ReportFilter = { ...(input.group ? { group: input.group } : {}), ...(input.discipline ? { discipline: input.discipline } : {}), ...(input.cohort ? { cohort: input.cohort } : {}) };
      const waveById = new Map(waves.map((w) => [w.id, w]));
      const visible = new Map<string, Atom>();
      for (const a of atoms) if (waveById.has(a.wave) && matches(a.cell, filter) && atomVisible(a, setting)) visible.set(a.key, a);

      const stored = waves.length
        ? await db
            .select({ waveId: wellbeingResponse.waveId, response: wellbeingResponse.response, scores: wellbeingResponse.scores, cellCohort: wellbeingResponse.cellCohort, cellGroup: wellbeingResponse.cellGroup, cellDiscipline: wellbeingResponse.cellDiscipline, pseudonym: wellbeingResponse.pseudonym })
            .from(wellbeingResponse)
            .where(and(eq(wellbeingResponse.organisationId, orgId), inArray(wellbeingResponse.waveId, waves.map((w) => w.id)), eq(wellbeingResponse.instrumentId, instrument.id), eq(wellbeingResponse.complete, true)))
        : [];
      const scaleIds = instrument.spec.scales.map((s) => s.id);
      const byAtom = new Map<string, typeof stored>();
      for (const r of stored) {
        if (scaleIds.some((s) => typeof r.scores[s] !== "number")) continue;
        const key = atomKey(r.waveId, { cohort: r.cellCohort, group: r.cellGroup, discipline: r.cellDiscipline });
        if (!visible.has(key)) continue;
        let list = byAtom.get(key);
        if (!list) byAtom.set(key, (list = []));
        list.push(r);
      }
      // Remainder rule against the frozen totals: rows ≥ k, and rows missing since (deleted) 0 or ≥ k.
      const kept: typeof stored = [];
      for (const [key, rows] of byAtom) {
        const atom = visible.get(key)!;
        const k = atomThreshold(atom, setting);
        const missing = atom.respondents - rows.length;
        if (rows.length >= k && (missing === 0 || missing >= k)) kept.push(...rows);
      }

      // Participant ids: only across the campaign's pairing, only in visible pair atoms, only for this export.
      const participant = new Map<string, string>();
      const pairing = ca.campaign.mode === "confidential" ? ca.pairings.find((p) => waveById.has(p.waveFrom) && waveById.has(p.waveTo)) : undefined;
      if (pairing) {
        const atomByKey = new Map(atoms.map((a) => [a.key, a]));
        const pairCells = new Set(
          (pairing.pairAtoms[instrument.id] ?? [])
            .filter((p) => matches(p.cell, filter) && pairAtomVisible(p, [atomByKey.get(atomKey(p.waveFrom, p.cell)), atomByKey.get(atomKey(p.waveTo, p.cell))].filter((a): a is Atom => !!a), setting))
            .map((p) => cellKey(p.cell)),
        );
        const seen = new Map<string, { waves: Set<string>; cells: Set<string> }>();
        for (const r of kept) {
          if (!r.pseudonym || (r.waveId !== pairing.waveFrom && r.waveId !== pairing.waveTo)) continue;
          const e = seen.get(r.pseudonym) ?? { waves: new Set(), cells: new Set() };
          e.waves.add(r.waveId);
          e.cells.add(cellKey({ cohort: r.cellCohort, group: r.cellGroup, discipline: r.cellDiscipline }));
          seen.set(r.pseudonym, e);
        }
        for (const [pseudonym, e] of seen) if (e.waves.size === 2 && e.cells.size === 1 && pairCells.has([...e.cells][0]!)) participant.set(pseudonym, randomUUID());
      }

      const canonical = ca.campaign.instruments.find((i) => i.id === instrument.id);
      const questionnaire = canonical ? (canonical.version ? `${canonical.url}|${canonical.version}` : canonical.url) : "";
      const rows: ExportRow[] = shuffle(
        kept.map((r): ExportRow => {
          const w = waveById.get(r.waveId)!;
          return {
            id: randomUUID(),
            participant: r.pseudonym && (r.waveId === pairing?.waveFrom || r.waveId === pairing?.waveTo) ? (participant.get(r.pseudonym) ?? null) : null,
            wave: w.seq,
            waveClosed: w.closesAt.slice(0, 10),
            cohort: r.cellCohort,
            group: r.cellGroup,
            discipline: r.cellDiscipline,
            scores: Object.fromEntries(scaleIds.map((s) => [s, r.scores[s] ?? null])),
            response: { resourceType: "QuestionnaireResponse" as const, questionnaire, status: "completed", item: withoutText(r.response.item) },
          };
        }),
      ).sort((a, b) => a.wave - b.wave);

      const format = input.format ?? "csv";
      const stamp = new Date().toISOString().slice(0, 10);
      let body: string;
      if (format === "fhir") {
        body = JSON.stringify({
          resourceType: "Bundle",
          type: "collection",
          timestamp: new Date().toISOString(),
          entry: rows.map((r) => ({
            resource: {
              ...r.response,
              id: r.id,
              authored: r.waveClosed,
              extension: [
                { url: EXPORT_CELL_EXTENSION, extension: [{ url: "wave", valueInteger: r.wave }, { url: "cohort", valueString: r.cohort }, { url: "group", valueString: r.group }, { url: "discipline", valueString: r.discipline }, ...(r.participant ? [{ url: "participant", valueString: r.participant }] : [])] },
              ],
            },
          })),
        });
      } else {
        const linkIds: string[] = [...new Set(instrument.scoring.scales.flatMap((s) => s.items))];
        for (const r of rows) for (const id of answersByLinkId(r.response).keys()) if (!linkIds.includes(id)) linkIds.push(id);
        const header = ["export_id", "participant", "wave", "wave_closed", "cohort", "group", "discipline", "instrument", ...scaleIds.map((s) => `score_${s}`), ...linkIds.map((l) => `item_${l}`)];
        body = toCsv(
          header,
          rows.map((r) => {
            const answers = answersByLinkId(r.response);
            return [r.id, r.participant, r.wave, r.waveClosed, r.cohort, r.group, r.discipline, instrument.title, ...scaleIds.map((s) => r.scores[s] ?? null), ...linkIds.map((l) => flatAnswer(answers.get(l)))];
          }),
        );
      }
      const digest = createHash("sha256").update(JSON.stringify({ f: filter, w: waves.map((w) => w.id) })).digest("hex").slice(0, 16);
      await recordAudit(db, {
        organisationId: orgId,
        actor,
        action: "wellbeing.exported",
        targetType: "wellbeing_campaign",
        targetId: ca.campaign.id,
        details: { format, instrument: instrument.id, waves: waves.length, groups: filter.group?.length ?? null, disciplines: filter.discipline?.length ?? null, cohorts: filter.cohort?.length ?? null, filter: digest, rows: rows.length },
      });
      return { format, filename: `wellbeing-${stamp}.${format === "fhir" ? "fhir.json" : "csv"}`, rows: rows.length, body };
    },
  };
}

export type WellbeingExportService = ReturnType<typeof createWellbeingExportService>;
