import { sql } from "drizzle-orm";
import { check, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { user } from "../auth/schema.ts";

import { ROLE_NAMES } from "./roles.ts";

export const ROLES = ROLE_NAMES;
export type Role = (typeof ROLES)[number];

/** A tenant: a Balint society, a residency program, a hospital's well-being service. */
export const organisation = pgTable(
  "organisation",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    kind: text("kind", { enum: ["society", "residency", "hospital", "independent", "other"] }).notNull().default("society"),
    defaultLocale: text("default_locale").notNull().default("en"),
    timeZone: text("time_zone").notNull().default("UTC"),
    /** Settings as data: minimum report cell size, retention periods, support resources. */
    settings: jsonb("settings").$type<OrganisationSettings>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("organisation_slug_key").on(t.slug)],
);

export interface OrganisationSettings {
  /** Minimum number of respondents before any aggregate is shown (never below 5). */
  minimumCellSize?: number;
  /** Web address people can go to for support; shown next to distressing scores. */
  supportUrl?: string;
  contactEmail?: string;
  /** Days a leaders' debrief is kept before it is deleted for good (default 180). */
  debriefRetentionDays?: number;
}

export const membership = pgTable(
  "membership",
  {
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisation.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    role: text("role", { enum: ROLES }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.userId] }),
    index("membership_user_idx").on(t.userId),
    check("membership_role_check", sql`${t.role} in ('owner','admin','coordinator','supervisor','leader','member')`),
  ],
);

/** Single row written when first-run setup completes; its primary key makes setup happen once. */
export const installation = pgTable(
  "installation",
  {
    id: text("id").primaryKey().default("singleton"),
    organisationId: uuid("organisation_id").references(() => organisation.id, { onDelete: "set null" }),
    completedAt: timestamp("completed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("installation_singleton", sql`${t.id} = 'singleton'`)],
);
