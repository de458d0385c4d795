import { bigint, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Periodic jobs' slots that have been claimed (see periodic.server.ts): the primary key makes
 * "one run per slot" hold however many app instances run, restart or retry.
 */
export const jobSlot = pgTable(
  "job_slot",
  {
    name: text("name").notNull(),
    slot: bigint("slot", { mode: "number" }).notNull(),
    claimedAt: timestamp("claimed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.name, t.slot] })],
);
