import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { inject } from "vitest";
import { loadConfig, type AppConfig } from "../../src/platform/config.server.ts";
import { openDatabase, type DatabaseHandle } from "../../src/platform/db/client.server.ts";
import { createLogger } from "../../src/platform/logging/logger.server.ts";
import type { MailTransport } from "../../src/platform/mail/mailer.server.ts";
import { startApp, type RunningApp } from "../../src/server.ts";

export const TEST_ORIGIN = "http://localhost:3000";

export interface CapturedMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** A mail transport that keeps what it is given, for assertions. */
export function captureTransport(): MailTransport & { sent: CapturedMail[] } {
  const sent: CapturedMail[] = [];
  return { kind: "smtp", sent, deliver: async (m) => (sent.push(m), { messageId: `test-${sent.length}` }), close: () => {} };
}

/** A fresh, migrated database: a copy of the PGlite template, or a new PostgreSQL database. */
export async function freshDatabase(): Promise<{ handle: DatabaseHandle; url?: string; dispose(): Promise<void> }> {
  if (process.env.TEST_DB === "postgres") {
    const adminUrl = process.env.TEST_DATABASE_URL!;
    const name = `bc_test_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    // From the migrated template (global-setup). Two files may copy it at once; PostgreSQL refuses
    // a copy only while someone is connected to the template, which nobody is after setup.
    await admin.query(`create database ${name} template ${inject("postgresTemplate")}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const handle = await openDatabase({ kind: "postgres", url: url.toString(), poolSize: 8 });
    await handle.migrate();
    return {
      handle,
      url: url.toString(),
      async dispose() {
        await handle.close().catch(() => {});
        const c = new pg.Client({ connectionString: adminUrl });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      },
    };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "bc-test-"));
  cpSync(inject("pgliteTemplateDir"), path.join(dir, "pglite"), { recursive: true });
  const handle = await openDatabase({ kind: "pglite", dir: path.join(dir, "pglite") });
  return {
    handle,
    async dispose() {
      await handle.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TestApp extends RunningApp {
  config: AppConfig;
  mail: ReturnType<typeof captureTransport>;
  /** In-process request with the browser's Origin header (for the CSRF check). */
  request(pathname: string, init?: RequestInit & { json?: unknown; cookie?: string; token?: string }): Promise<Response>;
  /** Waits until a mail to `to` whose subject matches arrives (delivered by the job queue). */
  waitForMail(to: string, subject?: RegExp, timeoutMs?: number): Promise<CapturedMail>;
  close(): Promise<void>;
}

export async function createTestApp(
  options: {
    env?: Record<string, string>;
    ui?: boolean;
    /** "config": use the transport the config implies (SMTP_URL or outbox) instead of capturing mail. */
    mailTransport?: "capture" | "config";
    /** Run job workers in this instance (default true). */
    work?: boolean;
  } = {},
): Promise<TestApp> {
  const db = await freshDatabase();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "bc-data-"));
  const config = loadConfig({
    NODE_ENV: "test",
    DATA_DIR: dataDir,
    APP_URL: TEST_ORIGIN,
    AUTH_RATE_LIMIT: "1000",
    LOG_LEVEL: "silent",
    ...(db.url ? { DATABASE_URL: db.url } : {}),
    ...options.env,
  });
  const mail = captureTransport();
  const running = await startApp(config, {
    database: db.handle,
    ...(options.mailTransport === "config" ? {} : { transport: mail }),
    listen: false,
    work: options.work ?? true,
    ui: options.ui ?? false,
    logger: createLogger("silent"),
    jobPollingIntervalSeconds: 0.5,
  });
  return {
    ...running,
    config,
    mail,
    async request(pathname, init = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has("origin")) headers.set("origin", TEST_ORIGIN);
      if (init.cookie) headers.set("cookie", init.cookie);
      if (init.token) headers.set("authorization", `Bearer ${init.token}`);
      let body = init.body;
      if (init.json !== undefined) {
        headers.set("content-type", "application/json");
        body = JSON.stringify(init.json);
      }
      return running.app.request(new URL(pathname, TEST_ORIGIN).toString(), { ...init, headers, body });
    },
    async waitForMail(to, subject, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = mail.sent.find((m) => m.to === to && (!subject || subject.test(m.subject)));
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no mail to ${to}${subject ? ` matching ${subject}` : ""} within ${timeoutMs} ms (got: ${mail.sent.map((m) => `${m.to}: ${m.subject}`).join("; ")})`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async close() {
      await running.stop();
      await db.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The `name=value` pairs of a response's Set-Cookie headers, as a Cookie header. */
export function cookiesFrom(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .filter((c) => c && !c.endsWith("="))
    .join("; ");
}
