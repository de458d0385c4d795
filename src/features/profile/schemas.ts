import { z } from "zod";
import { LOCALES } from "../../platform/i18n/locales.ts";
import { timeZoneSchema } from "../setup/schemas.ts";
import { DISCIPLINES } from "./disciplines.ts";

export const ProfileInput = z.strictObject({
  name: z.string().trim().min(1, "Tell us your name.").max(120, "Use at most 120 characters."),
  pronouns: z.string().trim().max(40, "Use at most 40 characters.").nullable().default(null),
  disciplines: z.array(z.enum(DISCIPLINES)).max(DISCIPLINES.length).default([]),
  languages: z
    .array(z.string().trim().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "Use a language code such as en or es-MX."))
    .max(20, "Choose at most 20 languages.")
    .default([]),
  timeZone: timeZoneSchema,
  locale: z.enum(LOCALES).nullable().default(null),
});
export type ProfileInput = z.infer<typeof ProfileInput>;
