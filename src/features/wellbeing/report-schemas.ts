// zod input of program reports and de-identified exports (query strings: lists are comma-separated).
// Every value is a short code (group id or "none", discipline, cohort label); unknown fields → 400.
import { z } from "zod";

const uuid = z.uuid({ message: "must be an id (UUID)" });
const code = z.string().regex(/^[A-Za-z0-9_-]{1,60}$/, { message: "must be a short code" });
const list = (item: z.ZodType<string, string>, max: number) =>
  z
    .string()
    .max(4000)
    .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(item).max(max, { message: `at most ${max} values` }));

export const REPORT_BREAKDOWNS = ["none", "group", "discipline", "cohort"] as const;

export const ReportQueryInput = z
  .object({
    campaignId: uuid,
    /** Default: the campaign's first instrument. */
    instrumentId: uuid.optional(),
    /** Closed waves of the campaign (the "period"), comma-separated. Default: every closed wave. */
    waves: list(uuid, 60).optional(),
    group: list(code, 100).optional(),
    discipline: list(code, 50).optional(),
    cohort: list(code, 50).optional(),
    /** Drill-down rows by one dimension. */
    by: z.enum(REPORT_BREAKDOWNS, { message: `must be one of ${REPORT_BREAKDOWNS.join(", ")}` }).default("none"),
  })
  .strict();
export type ReportQueryInput = z.input<typeof ReportQueryInput>;

export const EXPORT_FORMATS = ["csv", "fhir"] as const;

export const ExportQueryInput = ReportQueryInput.omit({ by: true }).extend({ format: z.enum(EXPORT_FORMATS, { message: "must be csv or fhir" }).default("csv") }).strict();
export type ExportQueryInput = z.input<typeof ExportQueryInput>;
