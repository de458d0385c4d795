import { eq } from "drizzle-orm";
import nodemailer from "nodemailer";
import type { Database } from "../db/client.server.ts";
import type { JobQueue } from "../jobs/jobs.server.ts";
import type { Logger } from "../logging/logger.server.ts";
import { mailMessage } from "./schema.ts";
import { renderMail, type MailContent } from "./templates.server.ts";

/** A file sent with an email (e.g. an .ics invitation). Kept in mail_message.meta until delivered. */
export interface MailAttachment {
  filename: string;
  contentType: string;
  content: string;
}

/** Where rendered mail goes: a real SMTP server, or the development outbox. */
export interface MailTransport {
  kind: "smtp" | "outbox";
  deliver(message: { from: string; to: string; subject: string; text: string; html: string; attachments?: MailAttachment[] }): Promise<{ messageId: string | null }>;
  close(): void;
}

export function smtpTransport(url: string): MailTransport {
  const transporter = nodemailer.createTransport(url);
  return {
    kind: "smtp",
    async deliver(message) {
      // nodemailer takes { filename, contentType, content } attachments as they are.
      const info = await transporter.sendMail(message);
      return { messageId: info.messageId ?? null };
    },
    close: () => transporter.close(),
  };
}

/**
 * No SMTP server configured: messages stay in the database (mail_message), readable at
 * /dev/outbox outside production, and are written to the log so an operator can relay them.
 */
export function outboxTransport(logger?: Logger): MailTransport {
  return {
    kind: "outbox",
    deliver: async (message) => {
      logger?.info({ mail: { to: message.to, subject: message.subject, text: message.text } }, "email kept in the outbox (SMTP_URL is not set)");
      return { messageId: null };
    },
    close: () => {},
  };
}

export interface Mailer {
  /** Renders and queues an email; it is delivered by the job queue with retries. */
  send(to: string, content: MailContent, meta?: { organisationId?: string | null; attachments?: MailAttachment[] }): Promise<string>;
  readonly transportKind: MailTransport["kind"];
}

export const MAIL_QUEUE = "mail.deliver";

export function createMailer(deps: { db: Database; jobs: JobQueue; transport: MailTransport; from: string; logger: Logger }): Mailer {
  const { db, jobs, transport, from, logger } = deps;

  jobs.define<{ messageId: string }>(MAIL_QUEUE, async ({ messageId }) => {
    const [row] = await db.select().from(mailMessage).where(eq(mailMessage.id, messageId));
    if (!row || row.status === "sent" || row.status === "outbox") return; // already done: never send twice
    try {
      const attachments = row.meta["attachments"] ? (JSON.parse(row.meta["attachments"]) as MailAttachment[]) : undefined;
      const result = await transport.deliver({ from, to: row.toAddress, subject: row.subject, text: row.textBody ?? "", html: row.htmlBody ?? "", ...(attachments ? { attachments } : {}) });
      const keepBody = transport.kind === "outbox";
      await db
        .update(mailMessage)
        .set({
          status: keepBody ? "outbox" : "sent",
          sentAt: new Date(),
          providerMessageId: result.messageId,
          error: null,
          // Bodies can hold sign-in links; once delivered they are not kept.
          ...(keepBody ? {} : { textBody: null, htmlBody: null }),
          ...(keepBody || !attachments ? {} : { meta: Object.fromEntries(Object.entries(row.meta).filter(([k]) => k !== "attachments")) }),
        })
        .where(eq(mailMessage.id, messageId));
      logger.info({ mailId: messageId, template: row.template, transport: transport.kind }, "mail delivered");
    } catch (error) {
      await db.update(mailMessage).set({ status: "failed", error: String((error as Error).message).slice(0, 300) }).where(eq(mailMessage.id, messageId));
      logger.warn({ mailId: messageId, err: error }, "mail delivery failed; will retry");
      throw error;
    }
  });

  return {
    transportKind: transport.kind,
    async send(to, content, meta = {}) {
      const rendered = renderMail(content);
      const [row] = await db
        .insert(mailMessage)
        .values({
          organisationId: meta.organisationId ?? null,
          template: content.template,
          toAddress: to,
          subject: rendered.subject,
          textBody: rendered.text,
          htmlBody: rendered.html,
          status: "queued",
          ...(meta.attachments?.length ? { meta: { attachments: JSON.stringify(meta.attachments) } } : {}),
        })
        .returning({ id: mailMessage.id });
      await jobs.enqueue(MAIL_QUEUE, { messageId: row!.id }, { singletonKey: row!.id });
      return row!.id;
    },
  };
}
