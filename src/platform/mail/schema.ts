import { index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Every email the app sends: its status, and (for the development outbox only) its body.
 * Bodies are kept only when no SMTP server is configured, so a developer can read them.
 */
export const mailMessage = pgTable(
  "mail_message",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id"),
    template: text("template").notNull(),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body"),
    htmlBody: text("html_body"),
    status: text("status", { enum: ["queued", "sent", "failed", "outbox"] }).notNull().default("queued"),
    error: text("error"),
    providerMessageId: text("provider_message_id"),
    meta: jsonb("meta").$type<Record<string, string>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [index("mail_message_created_idx").on(t.createdAt), index("mail_message_to_idx").on(t.toAddress)],
);
