// Input schemas of the learning library, shared by the REST API and the UI (no server imports).
import { z } from "zod";
import { LIBRARY_AUDIENCES, LIBRARY_KINDS, LIBRARY_VISIBILITIES, MINUTES_MAX, REFLECTION_MAX, SUMMARY_MAX, TAGS_MAX } from "./constants.ts";

export { LIBRARY_AUDIENCES, LIBRARY_KINDS, LIBRARY_VISIBILITIES };

const BCP47 = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;
export const libraryLanguage = z
  .string()
  .trim()
  .regex(BCP47, "Use a BCP 47 language tag such as en, es or pt-BR.")
  .transform((tag) => {
    try {
      return Intl.getCanonicalLocales(tag)[0] ?? tag;
    } catch {
      return tag;
    }
  });

export const tagSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[\p{Ll}\p{N}][\p{Ll}\p{N}_-]{0,39}$/u, "Use a short topic tag in lowercase letters, digits, - or _, e.g. leadership, countertransference.");

/** https only: external material opens in a new context with rel="noopener noreferrer". */
export const httpsUrl = z
  .string()
  .trim()
  .max(500, "Use at most 500 characters.")
  .pipe(z.url({ protocol: /^https$/, message: "Enter a full web address starting with https://." }));

const kind = z.enum(LIBRARY_KINDS, { message: `Choose one of ${LIBRARY_KINDS.join(", ")}.` });
const audience = z.enum(LIBRARY_AUDIENCES, { message: `Choose from ${LIBRARY_AUDIENCES.join(", ")}.` });

const itemFields = {
  kind,
  title: z.string().trim().min(1, "Enter a title.").max(300, "Use at most 300 characters."),
  authors: z.array(z.string().trim().min(1, "Enter a name.").max(120, "Use at most 120 characters."), { message: "Give a list of authors." }).max(20, "List at most 20 authors."),
  year: z.number({ message: "Enter a year." }).int("Use a whole year.").min(1800, "Use a year from 1800.").max(2200, "Use a year up to 2200.").nullable(),
  language: libraryLanguage,
  summary: z.string().trim().max(SUMMARY_MAX, `Use at most ${SUMMARY_MAX} characters.`),
  url: httpsUrl,
  tags: z.array(tagSchema, { message: "Give a list of topic tags." }).max(TAGS_MAX, `Use at most ${TAGS_MAX} tags.`),
  audiences: z.array(audience, { message: "Give a list of audiences." }).max(LIBRARY_AUDIENCES.length),
  visibility: z.enum(LIBRARY_VISIBILITIES, { message: "Choose public or members." }),
  estimatedMinutes: z.number({ message: "Enter minutes." }).int("Use whole minutes.").min(1, "Use 1 minute or more.").max(MINUTES_MAX, `Use at most ${MINUTES_MAX} minutes.`).nullable(),
  ceEligible: z.boolean({ message: "Choose true or false." }),
};

export const CreateItemInput = z.strictObject({
  ...itemFields,
  authors: itemFields.authors.default([]),
  year: itemFields.year.optional(),
  summary: itemFields.summary.default(""),
  tags: itemFields.tags.default([]),
  audiences: itemFields.audiences.default([]),
  visibility: itemFields.visibility.default("members"),
  estimatedMinutes: itemFields.estimatedMinutes.optional(),
  ceEligible: itemFields.ceEligible.default(false),
});
export type CreateItemInput = z.input<typeof CreateItemInput>;

/** The API body: every field optional (checked at the boundary). */
export const UpdateItemFields = z.strictObject({
  ...(Object.fromEntries(Object.entries(itemFields).map(([k, v]) => [k, v.optional()])) as { [K in keyof typeof itemFields]: z.ZodOptional<(typeof itemFields)[K]> }),
  archived: z.boolean({ message: "Choose true or false." }).optional(),
});
/** The service's input: at least one field (checked after authorisation, so strangers get 404). */
export const UpdateItemInput = UpdateItemFields.refine((v) => Object.keys(v).length > 0, { message: "Send at least one field to change." });
export type UpdateItemInput = z.input<typeof UpdateItemInput>;

const page = z.coerce.number({ message: "Use a page number." }).int("Use a whole page number.").min(1, "Use page 1 or more.").max(1000, "Use a page up to 1000.").default(1);
const pageSize = z.coerce.number({ message: "Use a page size." }).int("Use a whole number.").min(1, "Use 1 or more.").max(100, "Use at most 100.").default(20);

export const SearchQuery = z.strictObject({
  q: z.string().trim().max(100, "Use at most 100 characters.").optional(),
  kind: kind.optional(),
  language: libraryLanguage.optional(),
  tag: tagSchema.optional(),
  audience: audience.optional(),
  organisationSlug: z.string().trim().toLowerCase().max(48, "Use at most 48 characters.").optional(),
  page,
  pageSize,
});
export type SearchQuery = z.input<typeof SearchQuery>;

export const OrgItemsQuery = SearchQuery.omit({ organisationSlug: true }).extend({
  includeArchived: z.enum(["true", "false"], { message: "Use true or false." }).optional(),
});

const isoDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date as YYYY-MM-DD.")
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, "Use a real calendar date.");

export const LogEntryInput = z.strictObject({
  itemId: z.uuid({ message: "Choose an item of the library." }),
  readOn: isoDate,
  minutes: z.number({ message: "Enter the minutes you spent." }).int("Use whole minutes.").min(1, "Use 1 minute or more.").max(MINUTES_MAX, `Use at most ${MINUTES_MAX} minutes.`),
  /** Private; sealed at rest; never case content. */
  reflection: z.string().trim().max(REFLECTION_MAX, `Use at most ${REFLECTION_MAX} characters.`).optional(),
  /** Save even though the identifier check found something that looks like a name, date, number… */
  acknowledgeFindings: z.boolean({ message: "Use true or false." }).optional(),
});
export type LogEntryInput = z.input<typeof LogEntryInput>;

export const ExportQuery = z.strictObject({
  includeReflections: z.enum(["true", "false"], { message: "Use true or false." }).optional(),
});
