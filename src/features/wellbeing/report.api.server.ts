// REST for program reports and the de-identified export (permission `wellbeing:report`).
import { OrgParams, createRoute, requireCtx, security, standardErrors, z, type Api } from "../../platform/http/api.server.ts";

const tags = ["Well-being reports"];
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const q = (description: string) => z.string().optional().openapi({ description });

const ReportQueryDoc = z.object({
  // Required, but checked by the service after authorisation (outsiders get 404, not a 400).
  campaignId: z.string().optional().openapi({ description: "Required: the campaign (UUID). A missing or malformed one is a 400 naming `campaignId`." }),
  instrumentId: q("An instrument of the campaign (default: its first)."),
  waves: q("Closed waves, comma-separated (default: every closed wave). A period is always whole waves."),
  group: q("Group ids (or `none`), comma-separated."),
  discipline: q("Disciplines (or `unspecified`), comma-separated."),
  cohort: q("Cohort labels, comma-separated."),
  by: q("Drill-down rows: none | group | discipline | cohort."),
});
const ExportQueryDoc = ReportQueryDoc.omit({ by: true }).extend({ format: q("csv (default) | fhir") });

const Figures = z.object({ scale: z.string(), n: z.number().int(), mean: z.number().nullable(), sd: z.number().nullable(), distribution: z.array(z.number().int()), bandShares: z.record(z.string(), z.number()) });
const Cell = z.union([z.object({ wave: z.string(), status: z.literal("ok"), respondents: z.number().int(), scales: z.array(Figures) }), z.object({ wave: z.string(), status: z.literal("suppressed") })]);
const Change = z.object({
  scale: z.string(),
  kind: z.enum(["paired", "unpaired"]),
  status: z.enum(["ok", "suppressed"]),
  n: z.number().int().optional(),
  nBefore: z.number().int().optional(),
  nAfter: z.number().int().optional(),
  meanBefore: z.number().optional(),
  meanAfter: z.number().optional(),
  diff: z.number().optional(),
  ciLow: z.number().optional(),
  ciHigh: z.number().optional(),
  effectSize: z.number().nullable().optional(),
});
const Report = z
  .object({
    campaign: z.object({ id: z.string(), name: z.string(), mode: z.enum(["anonymous", "confidential"]), cohortLabel: z.string() }),
    instrument: z.object({ id: z.string(), title: z.string(), scales: z.array(z.object({ id: z.string(), range: z.tuple([z.number(), z.number()]), binEdges: z.array(z.number()), bands: z.array(z.object({ labelKey: z.string(), severity: z.string() })) })) }),
    instruments: z.array(z.object({ id: z.string(), title: z.string() })),
    minCell: z.number().int(),
    closedWaves: z.array(z.object({ id: z.string(), seq: z.number().int(), label: z.string().nullable(), closesAt: z.string() })),
    waves: z.array(z.string()),
    filter: z.object({ group: z.array(z.string()).nullable(), discipline: z.array(z.string()).nullable(), cohort: z.array(z.string()).nullable() }),
    by: z.enum(["none", "group", "discipline", "cohort"]),
    labels: z.object({ group: z.record(z.string(), z.string()), discipline: z.array(z.string()), cohort: z.array(z.string()) }),
    all: z.array(Cell),
    rows: z.array(z.object({ value: z.string(), cells: z.array(Cell) })),
    change: z.object({ from: z.string(), to: z.string(), scales: z.array(Change) }).nullable(),
  })
  .openapi("WellbeingReport", {
    description:
      "Figures over whole frozen atoms of at least `minCell` respondents only (ADR 015). A cell below the threshold is `suppressed` with no count, and is left out of every total, drill-down and the `all` row, so no combination of reports isolates fewer than `minCell` people. Change: paired (confidential campaigns, the campaign's first and last wave) or Welch (otherwise).",
  });

export function registerWellbeingReportApi(api: Api): void {
  api.openapi(
    createRoute({ method: "get", path: "/orgs/{orgId}/wellbeing/reports/campaigns", tags, summary: "Campaigns that reports can cover", security, request: { params: OrgParams }, responses: { 200: json(z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), mode: z.enum(["anonymous", "confidential"]), closedWaves: z.number().int() })) }), "Campaigns"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.wellbeingReports.campaigns(ctx.actor, c.req.valid("param").orgId), 200);
    },
  );
  api.openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/wellbeing/reports",
      tags,
      summary: "A program report: respondents, mean, distribution, bands and change, by cohort, group, discipline and period",
      description: "400 names the query field at fault; a filter that would isolate fewer than the threshold is not an error: its figures are `suppressed`.",
      security,
      request: { params: OrgParams, query: ReportQueryDoc },
      responses: { 200: json(Report, "Report"), ...standardErrors },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.wellbeingReports.report(ctx.actor, c.req.valid("param").orgId, c.req.query()), 200);
    },
  );
  api.openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/wellbeing/reports/export",
      tags,
      summary: "De-identified export for researchers (CSV or FHIR Bundle)",
      description:
        "Only responses of visible atoms (≥ the threshold, remainder rule against deletions), no identifiers or pseudonyms (random ids valid in this export only; `participant` links a person's paired responses only where the paired report could use them), dates coarsened to the wave, free text left out, rows shuffled. Recorded in the audit log (`wellbeing.exported`).",
      security,
      request: { params: OrgParams, query: ExportQueryDoc },
      responses: { 200: { description: "CSV (text/csv) or a FHIR R4 Bundle (application/fhir+json)", content: { "text/csv": { schema: z.string() }, "application/fhir+json": { schema: z.any() } } }, ...standardErrors },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const out = await ctx.services.wellbeingExports.exportCampaign(ctx.actor, c.req.valid("param").orgId, c.req.query());
      return c.body(out.body, 200, {
        "Content-Type": out.format === "fhir" ? "application/fhir+json; charset=utf-8" : "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${out.filename}"`,
        "Cache-Control": "private, no-store",
      });
    },
  );
}
