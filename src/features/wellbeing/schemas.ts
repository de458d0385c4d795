// zod input schemas of the well-being slice, shared by the REST API and the forms. All strict:
// an unknown field (case text smuggled into a payload) is refused with a 400 naming it.
import { z } from "zod";
import { DISCIPLINES } from "../profile/disciplines.ts";

const uuid = z.uuid({ message: "must be an id (UUID)" });
const dateTime = z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time" });

export const ImportInstrumentInput = z
  .object({
    /** A FHIR R4 Questionnaire (validated by validateQuestionnaire; errors name FHIR paths). */
    questionnaire: z.record(z.string(), z.unknown(), { message: "must be a FHIR R4 Questionnaire (a JSON object)" }),
    /** Its scoring rule (validated by checkRule against the questionnaire). */
    scoring: z.record(z.string(), z.unknown(), { message: "must be a scoring rule (a JSON object)" }),
  })
  .strict();
export type ImportInstrumentInput = z.infer<typeof ImportInstrumentInput>;

export const CohortInput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("groups"), groupIds: z.array(uuid).min(1, { message: "choose at least one group" }).max(50) }).strict(),
  z.object({ kind: z.literal("discipline"), discipline: z.enum(DISCIPLINES, { message: `must be one of ${DISCIPLINES.join(", ")}` }) }).strict(),
  z.object({ kind: z.literal("organisation") }).strict(),
]);

export const ScheduleInput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("once"), opensAt: dateTime }).strict(),
  /** Start of the term: opens at `opensAt`; end: opens when the chosen groups' last meeting ends. */
  z.object({ kind: z.literal("term"), opensAt: dateTime }).strict(),
  z.object({ kind: z.literal("every"), opensAt: dateTime, everyMonths: z.number().int().min(1).max(24), until: dateTime }).strict(),
]);

export const CreateCampaignInput = z
  .object({
    name: z.string().trim().min(1, { message: "is required" }).max(120, { message: "must be at most 120 characters" }),
    mode: z.enum(["anonymous", "confidential"], { message: "must be anonymous or confidential" }),
    instrumentIds: z.array(uuid).min(1, { message: "choose at least one instrument" }).max(5),
    cohort: CohortInput,
    /** The value of the report dimension "cohort" (a short code, e.g. "residents-2027"). */
    cohortLabel: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { message: "must be a short code: lower-case letters, digits and hyphens" }).optional(),
    schedule: ScheduleInput,
    windowDays: z.number().int().min(1).max(90).default(14),
    reminderDaysBefore: z.number().int().min(0).max(90).default(3),
  })
  .strict();
export type CreateCampaignInput = z.infer<typeof CreateCampaignInput>;

export const UpdateWaveInput = z.object({ opensAt: dateTime.optional(), closesAt: dateTime.optional() }).strict();
export type UpdateWaveInput = z.infer<typeof UpdateWaveInput>;

const AnswerValue = z.union([z.string().max(2000), z.number().finite(), z.boolean()]);

export const AnswerInput = z
  .object({
    instrumentId: uuid,
    /** A FHIR R4 QuestionnaireResponse (validated against the instrument; status must be "completed"). */
    response: z.record(z.string(), z.unknown(), { message: "must be a FHIR R4 QuestionnaireResponse (a JSON object)" }),
  })
  .strict();
export type AnswerInput = z.infer<typeof AnswerInput>;

export const DraftInput = z
  .object({
    instrumentId: uuid,
    /** linkId → value (a choice's code, a number, a boolean or text). */
    answers: z.record(z.string().max(100), AnswerValue).refine((r) => Object.keys(r).length <= 500, { message: "too many answers" }),
  })
  .strict();
export type DraftInput = z.infer<typeof DraftInput>;
