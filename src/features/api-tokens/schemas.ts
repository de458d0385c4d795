import { z } from "zod";
import { PERMISSIONS } from "../../platform/policy/permissions.ts";

/** Token format: `bc_pat_` followed by 32 random bytes in base64url (43 characters). */
export const TOKEN_PREFIX = "bc_pat_";
export const TOKEN_PATTERN = /^bc_pat_[A-Za-z0-9_-]{43}$/;
/** How many leading characters of a token are kept (and shown) to tell tokens apart. */
export const TOKEN_PREFIX_LENGTH = 12;
export const MAX_EXPIRY_DAYS = 365;

export const CreateTokenInput = z.strictObject({
  name: z.string().trim().min(1, "Give the token a name.").max(80, "Use at most 80 characters."),
  organisationId: z.uuid({ message: "Choose an organisation." }),
  permissions: z
    .array(z.enum(PERMISSIONS, { message: "Unknown permission." }))
    .min(1, "Choose at least one permission.")
    .max(PERMISSIONS.length),
  expiresInDays: z
    .number({ message: "Use a whole number of days." })
    .int("Use a whole number of days.")
    .min(1, "Choose between 1 and 365 days.")
    .max(MAX_EXPIRY_DAYS, "Choose between 1 and 365 days.")
    .nullable()
    .default(null),
});
export type CreateTokenInput = z.infer<typeof CreateTokenInput>;

/** Expiry choices offered in the UI (days; null = never). */
export const EXPIRY_CHOICES = [7, 30, 90, 365, null] as const;
