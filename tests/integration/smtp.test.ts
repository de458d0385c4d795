import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mailMessage } from "../../src/platform/mail/schema.ts";
import { STRONG_PASSWORD, uniqueEmail } from "../support/factories.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

interface Received {
  envelopeFrom: string;
  envelopeTo: string[];
  raw: string;
}

/** Undoes quoted-printable soft line breaks and escapes, enough to read links in a body. */
function decodeQuotedPrintable(text: string): string {
  return text.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

function header(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? "";
  const unfolded = head.replace(/\r?\n[ \t]+/g, " ");
  return new RegExp(`^${name}:\\s*(.*)$`, "im").exec(unfolded)?.[1]?.trim();
}

describe("mail over real SMTP", () => {
  const received: Received[] = [];
  let server: SMTPServer;
  let port = 0;
  let app: TestApp;

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["AUTH", "STARTTLS"],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          received.push({
            envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString("utf8"),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    port = (server.server.address() as AddressInfo).port;
    app = await createTestApp({ mailTransport: "config", env: { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: "Balint Commons <no-reply@balint.test>" } });
  });

  afterAll(async () => {
    await app?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("delivers the sign-up verification email to the SMTP server and keeps no body afterwards", async () => {
    expect(app.services.kernel.mailer.transportKind).toBe("smtp");
    const email = uniqueEmail("smtp");
    const res = await app.request("/api/auth/sign-up/email", { method: "POST", json: { email, password: STRONG_PASSWORD, name: "Iris Tanaka" } });
    expect(res.status).toBe(200);

    const deadline = Date.now() + 20_000;
    while (!received.some((m) => m.envelopeTo.includes(email)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const mail = received.find((m) => m.envelopeTo.includes(email));
    expect(mail, "the SMTP server received the message").toBeDefined();
    expect(mail!.envelopeFrom).toBe("no-reply@balint.test");
    expect(header(mail!.raw, "To")).toContain(email);
    expect(header(mail!.raw, "Subject")).toBe("Confirm your email address");
    const body = decodeQuotedPrintable(mail!.raw);
    expect(body).toMatch(/http:\/\/localhost:3000\/api\/auth\/verify-email\?token=[\w.-]+/);
    expect(body).toContain("Hello Iris Tanaka,");
    expect(mail!.raw).toMatch(/Content-Type: text\/html/i);

    // The job marks the row sent and drops the bodies (they held a sign-in link).
    let row: typeof mailMessage.$inferSelect | undefined;
    while (Date.now() < deadline) {
      [row] = await app.services.kernel.db.select().from(mailMessage).where(eq(mailMessage.toAddress, email));
      if (row?.status === "sent") break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(row).toMatchObject({ status: "sent", textBody: null, htmlBody: null, template: "verifyEmail", error: null });
    expect(row!.sentAt).toBeInstanceOf(Date);
    expect(row!.providerMessageId).toBeTruthy();
  });

  it("keeps the message queued for retry (status failed) while the server is unreachable", async () => {
    const broken = await createTestApp({ mailTransport: "config", env: { SMTP_URL: "smtp://127.0.0.1:1" } });
    try {
      const email = uniqueEmail("unreachable");
      await broken.services.kernel.mailer.send(email, { template: "verifyEmail", locale: "en", recipientName: "N", actionUrl: "http://localhost:3000/x" });
      const deadline = Date.now() + 20_000;
      let row: typeof mailMessage.$inferSelect | undefined;
      while (Date.now() < deadline) {
        [row] = await broken.services.kernel.db.select().from(mailMessage).where(eq(mailMessage.toAddress, email));
        if (row?.status === "failed") break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(row?.status).toBe("failed");
      expect(row?.error).toMatch(/ECONNREFUSED|connect/i);
      // The body is kept so that the retry can still send it.
      expect(row?.textBody).toContain("http://localhost:3000/x");
    } finally {
      await broken.close();
    }
  });
});
