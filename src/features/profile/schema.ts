import { jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { user } from "../../platform/auth/schema.ts";
import type { Discipline } from "./disciplines.ts";

export { DISCIPLINES, type Discipline } from "./disciplines.ts";

/** What a person tells us about themselves; one row per user. */
export const profile = pgTable("profile", {
  userId: text("user_id")
    .primaryKey()
    .references(() => user.id, { onDelete: "cascade" }),
  pronouns: text("pronouns"),
  disciplines: jsonb("disciplines").$type<Discipline[]>().notNull().default([]),
  /** BCP 47 language tags the person can take part in a group in. */
  languages: jsonb("languages").$type<string[]>().notNull().default([]),
  /** IANA time zone, e.g. America/New_York. */
  timeZone: text("time_zone").notNull().default("UTC"),
  /** Preferred UI language; null means follow the browser. */
  locale: text("locale"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
