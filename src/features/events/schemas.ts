// Input schemas of the events slice, shared by the REST API and the UI (no server imports).
// Cross-field rules (days inside the event, answers against the questions, tier eligibility)
// are checked by the service after authorisation, with field paths.
import { z } from "zod";
import { emailSchema, slugSchema, timeZoneSchema } from "../setup/schemas.ts";
import { languageTagSchema } from "../groups/schemas.ts";
import {
  ANSWER_MAX,
  ATTENDEE_ROLES,
  DISCIPLINES,
  EVENT_FORMATS,
  EVENT_KINDS,
  EXPERIENCE_LEVELS,
  FACULTY_ROLES,
  QUESTION_KINDS,
  SESSION_KINDS,
  TIER_ELIGIBILITIES,
  TRAINEE_STAGES,
  WAITLIST_REORDER_REASONS,
} from "./constants.ts";

const text = (max: number, min = 0) => {
  const s = z.string().trim().max(max, `Use at most ${max} characters.`);
  return min > 0 ? s.min(min, min === 1 ? "This is required." : `Use at least ${min} characters.`) : s;
};
const httpUrl = z
  .string()
  .trim()
  .max(500, "Use at most 500 characters.")
  .pipe(z.url({ protocol: /^https?$/, message: "Enter a full web address starting with https://." }));
const isoInstant = z.iso.datetime({ offset: true, message: "Use an ISO 8601 date and time with a time zone, e.g. 2026-03-01T09:00:00Z." });
const localDate = z.iso.date({ message: "Use a date like 2026-04-16." });
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use a time like 09:30.");
const enumOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { message: `Choose one of ${values.join(", ")}.` });

export const SessionInput = z.strictObject({
  kind: enumOf(SESSION_KINDS),
  title: text(120, 1),
  /** Local times in the event's time zone. */
  start: hhmm,
  end: hhmm,
});

export const DayInput = z.strictObject({
  date: localDate,
  label: text(80).optional(),
  sessions: z.array(SessionInput).max(20, "At most 20 sessions a day.").default([]),
});

export const TierInput = z.strictObject({
  id: z.uuid().optional(),
  name: text(80, 1),
  amountMinor: z.number({ message: "Enter the price in minor units (cents)." }).int("Use a whole number of minor units.").min(0).max(100_000_000),
  currency: z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, "Use a three-letter currency code such as USD."),
  eligibility: enumOf(TIER_ELIGIBILITIES),
  traineeDisciplines: z.array(enumOf(DISCIPLINES)).max(DISCIPLINES.length).default([]),
  discountLabel: text(80).optional(),
});

export const QuestionInput = z.strictObject({
  id: z.uuid().optional(),
  kind: enumOf(QUESTION_KINDS),
  label: text(160, 1),
  options: z.array(text(80, 1)).max(20).default([]),
  required: z.boolean().default(false),
});

export const FacultyInput = z.strictObject({ userId: z.string().min(1).max(100), role: enumOf(FACULTY_ROLES) });

const eventFields = {
  kind: enumOf(EVENT_KINDS),
  slug: slugSchema,
  title: text(160, 2),
  description: text(4000).default(""),
  language: languageTagSchema,
  timeZone: timeZoneSchema,
  format: enumOf(EVENT_FORMATS),
  venue: text(300).nullable().optional(),
  onlineLink: httpUrl.nullable().optional(),
  ceStatement: text(600).nullable().optional(),
  ceHours: z.number().min(0).max(200).multipleOf(0.25, "Use quarter hours.").nullable().optional(),
  capacity: z.number({ message: "Enter a capacity." }).int("Use a whole number.").min(1, "Use 1 or more.").max(5000),
  registrationOpensAt: isoInstant.nullable().optional(),
  registrationClosesAt: isoInstant.nullable().optional(),
  days: z.array(DayInput).max(31, "At most 31 days.").default([]),
  tiers: z.array(TierInput).max(20).default([]),
  questions: z.array(QuestionInput).max(30).default([]),
  faculty: z.array(FacultyInput).max(100).default([]),
};

export const CreateEventInput = z.strictObject(eventFields);
export type CreateEventInput = z.infer<typeof CreateEventInput>;

/** Every field optional; days / tiers / questions / faculty replace the current ones when given. */
export const UpdateEventInput = z.strictObject({
  kind: eventFields.kind.optional(),
  slug: eventFields.slug.optional(),
  title: eventFields.title.optional(),
  description: text(4000).optional(),
  language: eventFields.language.optional(),
  timeZone: eventFields.timeZone.optional(),
  format: eventFields.format.optional(),
  venue: eventFields.venue,
  onlineLink: eventFields.onlineLink,
  ceStatement: eventFields.ceStatement,
  ceHours: eventFields.ceHours,
  capacity: eventFields.capacity.optional(),
  registrationOpensAt: eventFields.registrationOpensAt,
  registrationClosesAt: eventFields.registrationClosesAt,
  days: z.array(DayInput).max(31).optional(),
  tiers: z.array(TierInput).max(20).optional(),
  questions: z.array(QuestionInput).max(30).optional(),
  faculty: z.array(FacultyInput).max(100).optional(),
});
export type UpdateEventInput = z.infer<typeof UpdateEventInput>;

export const CreatePackageInput = z.strictObject({
  slug: slugSchema,
  title: text(160, 2),
  description: text(2000).default(""),
  eventIds: z.array(z.uuid({ message: "must be an event id (UUID)" })).min(2, "A package holds at least two events.").max(12),
  registrationClosesAt: isoInstant.nullable().optional(),
  tiers: z.array(TierInput).min(1, "Add at least one price tier.").max(20),
  questions: z.array(QuestionInput).max(30).default([]),
});
export type CreatePackageInput = z.infer<typeof CreatePackageInput>;

/** Every field optional; events / tiers / questions replace the current ones when given. */
export const UpdatePackageInput = z.strictObject({
  title: text(160, 2).optional(),
  description: text(2000).optional(),
  status: z.enum(["draft", "published"], { message: "Choose draft or published." }).optional(),
  eventIds: z.array(z.uuid({ message: "must be an event id (UUID)" })).min(2, "A package holds at least two events.").max(12).optional(),
  registrationClosesAt: isoInstant.nullable().optional(),
  tiers: z.array(TierInput).min(1, "Add at least one price tier.").max(20).optional(),
  questions: z.array(QuestionInput).max(30).optional(),
});
export type UpdatePackageInput = z.infer<typeof UpdatePackageInput>;

export const TraineeDeclaration = z.strictObject({
  stage: enumOf(TRAINEE_STAGES),
  discipline: enumOf(DISCIPLINES),
  /** The trainee confirms the declaration is true (the organiser may ask for proof). */
  confirm: z.literal(true, { message: "Confirm that you are in training." }),
});

export const RegisterInput = z.strictObject({
  tierId: z.uuid({ message: "Choose a price tier." }),
  role: z.enum(["participant", "leader_in_training"], { message: "Choose participant or leader_in_training." }).default("participant"),
  /** questionId → answer (≤ 200 characters; never case content). */
  answers: z.record(z.string(), z.string().trim().max(ANSWER_MAX, `Use at most ${ANSWER_MAX} characters.`)).default({}),
  trainee: TraineeDeclaration.optional(),
  discipline: enumOf(DISCIPLINES).optional(),
  experience: enumOf(EXPERIENCE_LEVELS).optional(),
  affiliation: text(120).optional(),
  /** Colleagues' emails the registrant would rather not share a small group with. */
  keepApart: z.array(emailSchema).max(5, "Name at most 5 colleagues.").default([]),
});
export type RegisterInput = z.infer<typeof RegisterInput>;

export const ReorderInput = z.strictObject({
  position: z.number({ message: "Enter a position." }).int("Use a whole number.").min(1, "Use 1 or more."),
  reason: enumOf(WAITLIST_REORDER_REASONS),
});

export const PaymentInput = z.strictObject({
  status: z.enum(["paid", "refunded", "waived", "unpaid"], { message: "Choose paid, refunded, waived or unpaid." }),
  reference: z.string().trim().max(120, "Use at most 120 characters.").regex(/^[\w .:/#-]*$/, "Use letters, digits and . : / # - only.").optional(),
});

export const RoleInput = z.strictObject({ role: enumOf(ATTENDEE_ROLES) });

/** The body of a signed payment webhook (provider-neutral). */
export const PaymentWebhookBody = z.object({
  id: z.string().min(1).max(200),
  type: z.enum(["payment.succeeded", "payment.refunded"]),
  registrationId: z.uuid(),
  amountMinor: z.number().int().min(0),
  currency: z.string().regex(/^[A-Z]{3}$/),
  reference: z.string().max(120).optional(),
});
export type PaymentWebhookBody = z.infer<typeof PaymentWebhookBody>;

export { ATTENDEE_ROLES, DISCIPLINES, EVENT_FORMATS, EVENT_KINDS, EXPERIENCE_LEVELS, QUESTION_KINDS, SESSION_KINDS, TIER_ELIGIBILITIES, TRAINEE_STAGES, WAITLIST_REORDER_REASONS };
