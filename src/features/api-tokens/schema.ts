import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { user } from "../../platform/auth/schema.ts";
import { organisation } from "../../platform/tenancy/schema.ts";

/** A personal API token: belongs to one person, works in one organisation, for a set of permissions. */
export const apiToken = pgTable(
  "api_token",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisation.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** First characters of the token, shown so a person can tell their tokens apart. */
    prefix: text("prefix").notNull(),
    tokenHash: text("token_hash").notNull(),
    permissions: jsonb("permissions").$type<string[]>().notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("api_token_hash_key").on(t.tokenHash), index("api_token_user_idx").on(t.userId)],
);
