import { z } from "zod";
import { LOCALES, isTimeZone } from "../../platform/i18n/locales.ts";

export const ORGANISATION_KINDS = ["society", "residency", "hospital", "independent", "other"] as const;

export const slugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(2, "Use at least 2 characters.")
  .max(48, "Use at most 48 characters.")
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Use lowercase letters, digits and single hyphens.");

export const timeZoneSchema = z.string().trim().refine(isTimeZone, "Unknown time zone; use an IANA name such as Europe/London.");

export const emailSchema = z.string().trim().toLowerCase().max(254, "That address is too long.").pipe(z.email("Enter a valid email address."));

/** First-run setup: the first organisation and its owner's account, created together. */
export const SetupInput = z.strictObject({
  organisationName: z.string().trim().min(2, "Use at least 2 characters.").max(120, "Use at most 120 characters."),
  organisationSlug: slugSchema.optional(),
  organisationKind: z.enum(ORGANISATION_KINDS).default("society"),
  timeZone: timeZoneSchema.default("UTC"),
  ownerName: z.string().trim().min(1, "Tell us your name.").max(120, "Use at most 120 characters."),
  ownerEmail: emailSchema,
  ownerPassword: z.string().min(1, "Choose a password.").max(128, "Use at most 128 characters."),
  locale: z.enum(LOCALES).default("en"),
});
export type SetupInput = z.infer<typeof SetupInput>;

export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/, "");
  return slug.length >= 2 ? slug : `org-${slug || "x"}`;
}
