import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Append-only record of security- and privacy-relevant actions. A trigger (see the migration)
 * refuses UPDATE and DELETE. `details` holds identifiers and enumerated values only, never
 * free text a person wrote: the writer (audit.server.ts) enforces that shape.
 */
export const auditEvent = pgTable(
  "audit_event",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    // No foreign key: the log outlives what it mentions, and rows are never updated.
    organisationId: uuid("organisation_id"),
    actorUserId: text("actor_user_id"),
    actorKind: text("actor_kind", { enum: ["user", "token", "system"] }).notNull().default("user"),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    details: jsonb("details").$type<Record<string, string | number | boolean | null>>().notNull().default({}),
    ipAddress: text("ip_address"),
    requestId: text("request_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("audit_event_org_time_idx").on(t.organisationId, t.createdAt),
    index("audit_event_actor_idx").on(t.actorUserId),
    index("audit_event_action_idx").on(t.action),
  ],
);
