import { sql } from "drizzle-orm";
import { boolean, check, customType, date, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { user } from "../../platform/auth/schema.ts";
import { organisation } from "../../platform/tenancy/schema.ts";
import { LIBRARY_KINDS, LIBRARY_VISIBILITIES } from "./constants.ts";

// The learning library. Items are public reference material (titles, authors, summaries, links):
// never case content. The only personal text is a reader's optional reflection in the reading
// log, which is stored sealed with the organisation's data key (ADR 014) and shown to nobody else.

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

export const libraryItem = pgTable(
  "library_item",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisation.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: LIBRARY_KINDS }).notNull(),
    title: text("title").notNull(),
    authors: text("authors").array().notNull().default(sql`'{}'::text[]`),
    year: integer("year"),
    /** BCP 47, canonicalised (e.g. "en", "es-AR"). */
    language: text("language").notNull(),
    summary: text("summary").notNull().default(""),
    /** https only (checked here and in the zod schema). */
    url: text("url").notNull(),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    audiences: text("audiences").array().notNull().default(sql`'{}'::text[]`),
    visibility: text("visibility", { enum: LIBRARY_VISIBILITIES }).notNull().default("members"),
    estimatedMinutes: integer("estimated_minutes"),
    ceEligible: boolean("ce_eligible").notNull().default(false),
    /** Authors and tags as plain words, written by the service, for the full-text index. */
    indexText: text("index_text").notNull().default(""),
    search: tsvector("search").generatedAlwaysAs(sql`to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || coalesce(summary, '') || ' ' || coalesce(index_text, ''))`),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    createdByUserId: text("created_by_user_id").references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("library_item_org_idx").on(t.organisationId, t.title),
    index("library_item_public_idx").on(t.title, t.id).where(sql`${t.visibility} = 'public' and ${t.archivedAt} is null`),
    index("library_item_search_gin").using("gin", t.search),
    index("library_item_tags_gin").using("gin", t.tags),
    index("library_item_audiences_gin").using("gin", t.audiences),
    check("library_item_kind_check", sql`${t.kind} in ('reading','video','recording','guide','link')`),
    check("library_item_visibility_check", sql`${t.visibility} in ('public','members')`),
    check("library_item_url_https", sql`${t.url} like 'https://%'`),
    check("library_item_minutes_check", sql`${t.estimatedMinutes} is null or ${t.estimatedMinutes} between 1 and 6000`),
    check("library_item_year_check", sql`${t.year} is null or ${t.year} between 1800 and 2200`),
  ],
);

/**
 * A reader's record that they read or watched an item. `organisation_id` is the organisation
 * whose data key seals the reflection: the item's organisation when the reader belongs to it,
 * else the reader's own (oldest) organisation. Only the reader ever sees the row.
 */
export const libraryLogEntry = pgTable(
  "library_log_entry",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisation.id, { onDelete: "cascade" }),
    itemId: uuid("item_id")
      .notNull()
      .references(() => libraryItem.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    readOn: date("read_on", { mode: "string" }).notNull(),
    minutes: integer("minutes").notNull(),
    /** seal(organisation data key, reflection, libraryReflectionAad(orgId, id)); null when none. */
    reflectionSealed: text("reflection_sealed"),
    keyVersion: integer("key_version"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("library_log_entry_user_idx").on(t.userId, t.readOn),
    index("library_log_entry_item_idx").on(t.itemId),
    check("library_log_entry_minutes_check", sql`${t.minutes} between 1 and 6000`),
  ],
);
