// Input schemas of the groups slice, shared by the REST API and the UI (no server imports).
// Cross-field rules (format needs an address / a link, the schedule) are checked by the service
// after authorisation, with field paths, so that strangers learn nothing from a 400.
import { z } from "zod";
import { timeZoneSchema, slugSchema } from "../setup/schemas.ts";
import { CAPACITY_DEFAULT, CAPACITY_MAX, CAPACITY_MIN, TIMES_OF_DAY, WEEKDAY_CODES } from "./rules.ts";
import { GROUP_FORMATS, GROUP_VISIBILITIES, JOIN_POLICIES, LEADER_KINDS, WAITLIST_REORDER_REASONS } from "./constants.ts";

export { GROUP_FORMATS, GROUP_VISIBILITIES, JOIN_POLICIES, LEADER_KINDS, WAITLIST_REORDER_REASONS };
export const REQUEST_NOTE_MAX = 280;

const BCP47 = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;
export const languageTagSchema = z
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

export const disciplineSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z][a-z0-9_-]{1,39}$/, "Use a short code in lowercase letters, e.g. residents, nursing, family_medicine.");

const optionalText = (max: number) => z.string().trim().max(max, `Use at most ${max} characters.`);
const httpUrl = z
  .string()
  .trim()
  .max(500, "Use at most 500 characters.")
  .pipe(z.url({ protocol: /^https?$/, message: "Enter a full web address starting with https://." }));

export const ScheduleInput = z.strictObject({
  /** RFC 5545 RRULE, with COUNT or UNTIL for the term, e.g. FREQ=MONTHLY;BYDAY=2WE;COUNT=8. */
  rrule: z.string().trim().min(1, "Enter a recurrence rule.").max(500, "Use at most 500 characters."),
  /** The first meeting's local start in the group's time zone, YYYY-MM-DDTHH:mm. */
  dtstartLocal: z.string().trim().min(1, "Enter the first meeting's date and time.").max(25),
  durationMinutes: z.number({ message: "Enter a number of minutes." }).int("Use whole minutes."),
  firstDurationMinutes: z.number({ message: "Enter a number of minutes." }).int("Use whole minutes.").nullable().optional(),
});
export type ScheduleInput = z.infer<typeof ScheduleInput>;

export const LeaderInput = z.strictObject({
  userId: z.string().min(1).max(100),
  kind: z.enum(LEADER_KINDS, { message: "Choose leader or co_leader." }),
});

const groupFields = {
  name: z.string().trim().min(2, "Use at least 2 characters.").max(120, "Use at most 120 characters."),
  slug: slugSchema.optional(),
  description: optionalText(2000).default(""),
  format: z.enum(GROUP_FORMATS, { message: "Choose in_person, online or hybrid." }),
  address: optionalText(300).nullable().optional(),
  meetingLink: httpUrl.nullable().optional(),
  disciplines: z.array(disciplineSchema).max(10, "Choose at most 10.").default([]),
  languages: z.array(languageTagSchema).min(1, "Choose at least one language.").max(5, "Choose at most 5."),
  timeZone: timeZoneSchema,
  schedule: ScheduleInput,
  capacity: z
    .number({ message: "Enter a number." })
    .int("Use a whole number.")
    .min(CAPACITY_MIN, `A Balint group needs at least ${CAPACITY_MIN} places.`)
    .max(CAPACITY_MAX, `Use at most ${CAPACITY_MAX} places: larger groups lose the trust that makes them work.`)
    .default(CAPACITY_DEFAULT),
  ceCredit: optionalText(300).nullable().optional(),
  visibility: z.enum(GROUP_VISIBILITIES, { message: "Choose listed, unlisted or private." }).default("listed"),
  joinPolicy: z.enum(JOIN_POLICIES, { message: "Choose request or invitation." }).default("request"),
};

export const CreateGroupInput = z.strictObject({
  ...groupFields,
  leaders: z.array(LeaderInput).min(1, "A group needs at least one leader.").max(3, "Use at most 3 leaders."),
});
export type CreateGroupInput = z.infer<typeof CreateGroupInput>;

/** PATCH: only the fields sent change. Leaders of the group may change only description and meetingLink. */
export const UpdateGroupInput = z.strictObject({
  name: groupFields.name.optional(),
  description: optionalText(2000).optional(),
  format: groupFields.format.optional(),
  address: groupFields.address,
  meetingLink: groupFields.meetingLink,
  disciplines: z.array(disciplineSchema).max(10, "Choose at most 10.").optional(),
  languages: z.array(languageTagSchema).min(1, "Choose at least one language.").max(5, "Choose at most 5.").optional(),
  timeZone: timeZoneSchema.optional(),
  schedule: ScheduleInput.optional(),
  capacity: z
    .number({ message: "Enter a number." })
    .int("Use a whole number.")
    .min(CAPACITY_MIN, `A Balint group needs at least ${CAPACITY_MIN} places.`)
    .max(CAPACITY_MAX, `Use at most ${CAPACITY_MAX} places.`)
    .optional(),
  ceCredit: groupFields.ceCredit,
  visibility: z.enum(GROUP_VISIBILITIES, { message: "Choose listed, unlisted or private." }).optional(),
  joinPolicy: z.enum(JOIN_POLICIES, { message: "Choose request or invitation." }).optional(),
  leaders: z.array(LeaderInput).min(1, "A group needs at least one leader.").max(3, "Use at most 3 leaders.").optional(),
});
export type UpdateGroupInput = z.infer<typeof UpdateGroupInput>;

/** Fields the group's own leaders (without coordinator rights) may change. */
export const LEADER_EDITABLE_FIELDS = ["description", "meetingLink"] as const;

export const PAGE_SIZE_DEFAULT = 20;
export const PAGE_SIZE_MAX = 100;
const page = z.coerce.number({ message: "Use a page number (1 or more)." }).int("Use a whole number.").min(1, "Use 1 or more.").max(100_000).default(1);
const pageSize = z.coerce.number({ message: "Use a number." }).int("Use a whole number.").min(1, "Use 1 or more.").max(PAGE_SIZE_MAX, `Use at most ${PAGE_SIZE_MAX}.`).default(PAGE_SIZE_DEFAULT);
const flag = z.union([z.boolean(), z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1")], { message: "Use true or false." });

export const DirectoryQuery = z.strictObject({
  q: z.string().trim().max(100, "Use at most 100 characters.").optional(),
  format: z.enum(GROUP_FORMATS, { message: "Choose in_person, online or hybrid." }).optional(),
  language: z.string().trim().regex(BCP47, "Use a BCP 47 language tag such as en or pt-BR.").optional(),
  discipline: disciplineSchema.optional(),
  weekday: z.enum(WEEKDAY_CODES, { message: `Choose one of ${WEEKDAY_CODES.join(", ")}.` }).optional(),
  timeOfDay: z.enum(TIMES_OF_DAY, { message: "Choose morning, afternoon or evening." }).optional(),
  openSeats: flag.optional(),
  organisationSlug: z.string().trim().toLowerCase().max(48).optional(),
  /** The viewer's IANA time zone for weekday and timeOfDay (defaults to the signed-in person's). */
  timeZone: timeZoneSchema.optional(),
  page,
  pageSize,
});
export type DirectoryQuery = z.input<typeof DirectoryQuery>;

export const GroupListQuery = z.strictObject({
  includeArchived: flag.optional(),
  page,
  pageSize,
});

export const JoinRequestInput = z.strictObject({
  /** Shown to the group's leaders only. Please no case content. */
  note: z.string().trim().max(REQUEST_NOTE_MAX, `Use at most ${REQUEST_NOTE_MAX} characters.`).optional(),
});

export const DecisionInput = z.strictObject({
  decision: z.enum(["approve", "decline"], { message: "Choose approve or decline." }),
});

export const ReorderInput = z.strictObject({
  position: z.number({ message: "Enter a position." }).int("Use a whole number.").min(1, "Use 1 or more."),
  reason: z.enum(WAITLIST_REORDER_REASONS, { message: `Choose one of ${WAITLIST_REORDER_REASONS.join(", ")}.` }),
  note: z.string().trim().max(200, "Use at most 200 characters.").optional(),
});

export const NewTermInput = z.strictObject({
  sameMembers: z.literal(true, { message: "Only sameMembers: true is supported: the current members continue." }),
  schedule: ScheduleInput,
});
