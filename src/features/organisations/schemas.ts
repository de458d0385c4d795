import { z } from "zod";
import { LOCALES } from "../../platform/i18n/locales.ts";
import { ROLE_NAMES } from "../../platform/tenancy/roles.ts";
import { emailSchema, timeZoneSchema } from "../setup/schemas.ts";
import { DEBRIEF_RETENTION_DAYS_MAX, DEBRIEF_RETENTION_DAYS_MIN } from "../debrief/constants.ts";

/**
 * The smallest minimum cell size an organisation may choose. Aggregate well-being results are
 * shown only for groups with at least this many respondents; 5 is the common floor in the field
 * (see docs/DOMAIN.md §6). Organisations may raise it, never lower it.
 */
export const MINIMUM_CELL_SIZE_FLOOR = 5;
export const MINIMUM_CELL_SIZE_MAX = 100;

export const roleSchema = z.enum(ROLE_NAMES, { message: `Choose one of: ${ROLE_NAMES.join(", ")}.` });

const httpsUrl = z
  .string()
  .trim()
  .max(500, "Use at most 500 characters.")
  .pipe(z.url({ protocol: /^https$/, message: "Enter a web address that starts with https://." }));

/** Organisation settings as stored in `organisation.settings`. */
export const OrganisationSettingsInput = z.strictObject({
  minimumCellSize: z
    .number({ message: "Enter a whole number." })
    .int("Enter a whole number.")
    .min(MINIMUM_CELL_SIZE_FLOOR, `Use ${MINIMUM_CELL_SIZE_FLOOR} or more: smaller groups could be identified.`)
    .max(MINIMUM_CELL_SIZE_MAX, `Use at most ${MINIMUM_CELL_SIZE_MAX}.`)
    .optional(),
  /** null clears it. */
  supportUrl: httpsUrl.nullable().optional(),
  /** null clears it. */
  contactEmail: emailSchema.nullable().optional(),
  /** Days a leaders' debrief is kept before it is deleted for good (default 180). */
  debriefRetentionDays: z
    .number({ message: "Enter a whole number of days." })
    .int("Enter a whole number of days.")
    .min(DEBRIEF_RETENTION_DAYS_MIN, `Use at least ${DEBRIEF_RETENTION_DAYS_MIN} days.`)
    .max(DEBRIEF_RETENTION_DAYS_MAX, `Use at most ${DEBRIEF_RETENTION_DAYS_MAX} days.`)
    .optional(),
});

/** PATCH /orgs/{orgId}: every field optional; only the fields sent change. */
export const UpdateOrganisationInput = z.strictObject({
  name: z.string().trim().min(2, "Use at least 2 characters.").max(120, "Use at most 120 characters.").optional(),
  defaultLocale: z.enum(LOCALES, { message: `Choose one of: ${LOCALES.join(", ")}.` }).optional(),
  timeZone: timeZoneSchema.optional(),
  settings: OrganisationSettingsInput.optional(),
});
export type UpdateOrganisationInput = z.infer<typeof UpdateOrganisationInput>;

export const InviteInput = z.strictObject({
  email: emailSchema,
  role: roleSchema,
});
export type InviteInput = z.infer<typeof InviteInput>;

export const ChangeRoleInput = z.strictObject({ role: roleSchema });

export const PAGE_SIZE_DEFAULT = 25;
export const PAGE_SIZE_MAX = 100;

export const PageQuery = {
  page: z.coerce.number({ message: "Use a page number (1 or more)." }).int("Use a whole number.").min(1, "Use 1 or more.").max(100_000).default(1),
  pageSize: z.coerce.number({ message: "Use a number." }).int("Use a whole number.").min(1, "Use 1 or more.").max(PAGE_SIZE_MAX, `Use at most ${PAGE_SIZE_MAX}.`).default(PAGE_SIZE_DEFAULT),
};

export const MemberQuery = z.object({
  q: z.string().trim().max(120, "Use at most 120 characters.").optional(),
  role: roleSchema.optional(),
  ...PageQuery,
});
export type MemberQuery = z.input<typeof MemberQuery>;

export const INVITATION_STATUSES = ["pending", "accepted", "revoked", "all"] as const;
export const InvitationQuery = z.object({
  status: z.enum(INVITATION_STATUSES, { message: `Choose one of: ${INVITATION_STATUSES.join(", ")}.` }).default("pending"),
  ...PageQuery,
});
export type InvitationQuery = z.input<typeof InvitationQuery>;

/** Invitation tokens are 32 random bytes, base64url without padding. */
export const INVITATION_TOKEN = /^[A-Za-z0-9_-]{43}$/;
