import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/**
 * Configuration, validated once at boot. Every environment variable the app reads is here;
 * README.md lists them. Nothing else in the code reads process.env.
 */
const booleanish = z
  .enum(["1", "0", "true", "false", "yes", "no"])
  .transform((v) => v === "1" || v === "true" || v === "yes");

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  /** Public URL people use to reach the app; used in emails and for passkeys. */
  APP_URL: z.url().optional(),
  /** Embedded database directory (PGlite) and generated secrets live here. */
  DATA_DIR: z.string().default("./data"),
  /** When set, use this PostgreSQL server instead of the embedded database. */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL").optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** Secret for signing sessions and tokens. Generated into DATA_DIR when absent. */
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** Master key(s) for field encryption, base64 of 32 bytes; comma-separated, newest first. */
  ENCRYPTION_KEYS: z.string().optional(),
  /** smtp://user:pass@host:port or smtps://...; without it mail goes to the development outbox. */
  SMTP_URL: z.string().regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL").optional(),
  MAIL_FROM: z.string().default("Balint Commons <no-reply@balint-commons.local>"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Run background workers in this process (turn off for web-only instances). */
  JOBS_WORKER: booleanish.default(true),
  /** Trust X-Forwarded-* from a reverse proxy (for client IPs and HTTPS detection). */
  TRUST_PROXY: booleanish.default(false),
  /** Maximum request body in bytes. */
  BODY_LIMIT: z.coerce.number().int().min(1024).default(1_048_576),
  /** Auth rate limit: requests per window per IP for sensitive endpoints. */
  AUTH_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  AUTH_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
  /** Show the development outbox even in production (never do this with real users). */
  DEV_OUTBOX: booleanish.optional(),
  /** Payment webhook secrets, "provider:secret" pairs separated by commas (events slice). */
  PAYMENT_WEBHOOK_SECRETS: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{1,31}:[^,:\s]{16,}(,[a-z][a-z0-9_-]{1,31}:[^,:\s]{16,})*$/, "use provider:secret pairs (secret at least 16 characters), separated by commas")
    .optional(),
});

export type Env = z.infer<typeof EnvSchema>;

export interface AppConfig {
  env: Env["NODE_ENV"];
  isProduction: boolean;
  port: number;
  host: string;
  appUrl: string;
  dataDir: string;
  database: { kind: "pglite"; dir: string } | { kind: "postgres"; url: string; poolSize: number };
  authSecret: string;
  encryptionKeys: Buffer[];
  smtpUrl: string | undefined;
  mailFrom: string;
  logLevel: Env["LOG_LEVEL"];
  jobsWorker: boolean;
  trustProxy: boolean;
  bodyLimit: number;
  authRateLimit: { max: number; windowSeconds: number };
  devOutbox: boolean;
  /** Payment provider name → webhook HMAC secret (PAYMENT_WEBHOOK_SECRETS). */
  paymentWebhookSecrets: ReadonlyMap<string, string>;
}

export class ConfigError extends Error {
  readonly issues: string[];
  constructor(issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join("\n")}`);
    this.name = "ConfigError";
    this.issues = issues;
  }
}

/** Reads a secret from DATA_DIR, creating it on first run so `npm start` needs no setup. */
function persistedSecret(dataDir: string, name: string, make: () => string): string {
  const file = path.join(dataDir, "secrets", name);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const value = make();
  writeFileSync(file, value + "\n", { mode: 0o600 });
  return value;
}

export function loadConfig(source: Record<string, string | undefined> = process.env): AppConfig {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const authSecret = e.AUTH_SECRET ?? persistedSecret(dataDir, "auth-secret", () => randomBytes(32).toString("base64url"));
  const keyText = e.ENCRYPTION_KEYS ?? persistedSecret(dataDir, "encryption-key", () => randomBytes(32).toString("base64"));
  const encryptionKeys = keyText.split(",").map((k) => Buffer.from(k.trim(), "base64"));
  if (encryptionKeys.some((k) => k.length !== 32)) {
    throw new ConfigError(["ENCRYPTION_KEYS: each key must be base64 of exactly 32 bytes"]);
  }
  const appUrl = (e.APP_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, "");
  return {
    env: e.NODE_ENV,
    isProduction: e.NODE_ENV === "production",
    port: e.PORT,
    host: e.HOST,
    appUrl,
    dataDir,
    database: e.DATABASE_URL
      ? { kind: "postgres", url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE }
      : { kind: "pglite", dir: path.join(dataDir, "pglite") },
    authSecret,
    encryptionKeys,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    logLevel: e.LOG_LEVEL,
    jobsWorker: e.JOBS_WORKER,
    trustProxy: e.TRUST_PROXY,
    bodyLimit: e.BODY_LIMIT,
    authRateLimit: { max: e.AUTH_RATE_LIMIT, windowSeconds: e.AUTH_RATE_WINDOW_SECONDS },
    devOutbox: e.DEV_OUTBOX ?? (e.NODE_ENV !== "production" && !e.SMTP_URL),
    paymentWebhookSecrets: new Map(
      (e.PAYMENT_WEBHOOK_SECRETS ?? "")
        .split(",")
        .filter(Boolean)
        .map((pair) => [pair.slice(0, pair.indexOf(":")), pair.slice(pair.indexOf(":") + 1)] as [string, string]),
    ),
  };
}
