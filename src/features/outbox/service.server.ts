import { count, desc, eq } from "drizzle-orm";
import { notFound } from "../../platform/http/errors.ts";
import type { Kernel } from "../../platform/kernel.server.ts";
import { mailMessage } from "../../platform/mail/schema.ts";

export const OUTBOX_PAGE_SIZE = 25;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface OutboxSummary {
  id: string;
  createdAt: Date;
  toAddress: string;
  subject: string;
  status: "queued" | "sent" | "failed" | "outbox";
  template: string;
}

export interface OutboxMessage extends OutboxSummary {
  sentAt: Date | null;
  textBody: string | null;
  htmlBody: string | null;
  error: string | null;
}

/**
 * The development outbox: every email the app wrote, readable in the browser when no SMTP
 * server is configured. Exists only while `config.devOutbox` is on; otherwise everything is 404.
 */
export function createOutboxService(kernel: Kernel) {
  const { db, config } = kernel;

  function ensureEnabled(): void {
    if (!config.devOutbox) throw notFound("The development outbox");
  }

  return {
    enabled(): boolean {
      return config.devOutbox;
    },

    async list(page = 1): Promise<{ items: OutboxSummary[]; page: number; pageSize: number; total: number }> {
      ensureEnabled();
      const safePage = Number.isInteger(page) && page >= 1 ? page : 1;
      const [items, [totals]] = await Promise.all([
        db
          .select({
            id: mailMessage.id,
            createdAt: mailMessage.createdAt,
            toAddress: mailMessage.toAddress,
            subject: mailMessage.subject,
            status: mailMessage.status,
            template: mailMessage.template,
          })
          .from(mailMessage)
          .orderBy(desc(mailMessage.createdAt), desc(mailMessage.id))
          .limit(OUTBOX_PAGE_SIZE)
          .offset((safePage - 1) * OUTBOX_PAGE_SIZE),
        db.select({ n: count() }).from(mailMessage),
      ]);
      return { items, page: safePage, pageSize: OUTBOX_PAGE_SIZE, total: totals?.n ?? 0 };
    },

    async get(id: string): Promise<OutboxMessage> {
      ensureEnabled();
      if (!UUID.test(id)) throw notFound("That message");
      const [row] = await db
        .select({
          id: mailMessage.id,
          createdAt: mailMessage.createdAt,
          sentAt: mailMessage.sentAt,
          toAddress: mailMessage.toAddress,
          subject: mailMessage.subject,
          status: mailMessage.status,
          template: mailMessage.template,
          textBody: mailMessage.textBody,
          htmlBody: mailMessage.htmlBody,
          error: mailMessage.error,
        })
        .from(mailMessage)
        .where(eq(mailMessage.id, id));
      if (!row) throw notFound("That message");
      return row;
    },
  };
}
