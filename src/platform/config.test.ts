import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.server.ts";

describe("loadConfig", () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const d = mkdtempSync(path.join(os.tmpdir(), "bc-config-"));
    dirs.push(d);
    return d;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("defaults to the embedded database in DATA_DIR and generates persistent secrets", () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir });
    expect(first.database).toEqual({ kind: "pglite", dir: path.join(dir, "pglite") });
    expect(first.port).toBe(3000);
    expect(first.appUrl).toBe("http://localhost:3000");
    expect(first.authSecret.length).toBeGreaterThanOrEqual(32);
    expect(first.encryptionKeys[0]!.length).toBe(32);
    const second = loadConfig({ DATA_DIR: dir });
    expect(second.authSecret).toBe(first.authSecret);
    expect(readFileSync(path.join(dir, "secrets", "auth-secret"), "utf8").trim()).toBe(first.authSecret);
  });

  it("uses PostgreSQL when DATABASE_URL is set", () => {
    const config = loadConfig({ DATA_DIR: dataDir(), DATABASE_URL: "postgres://u:p@db:5432/bc", DATABASE_POOL_SIZE: "4" });
    expect(config.database).toEqual({ kind: "postgres", url: "postgres://u:p@db:5432/bc", poolSize: 4 });
  });

  it("names every invalid variable", () => {
    try {
      loadConfig({ DATA_DIR: dataDir(), PORT: "seventy", DATABASE_URL: "mysql://x", SMTP_URL: "http://mail", AUTH_SECRET: "short" });
      expect.unreachable("should have thrown");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const issues = (error as ConfigError).issues.join("\n");
      for (const name of ["PORT", "DATABASE_URL", "SMTP_URL", "AUTH_SECRET"]) expect(issues).toContain(name);
    }
  });

  it("rejects encryption keys that are not 32 bytes", () => {
    expect(() => loadConfig({ DATA_DIR: dataDir(), ENCRYPTION_KEYS: Buffer.alloc(16).toString("base64") })).toThrow(/ENCRYPTION_KEYS/);
  });

  it("shows the development outbox only outside production without SMTP, unless forced", () => {
    expect(loadConfig({ DATA_DIR: dataDir(), NODE_ENV: "development" }).devOutbox).toBe(true);
    expect(loadConfig({ DATA_DIR: dataDir(), NODE_ENV: "production" }).devOutbox).toBe(false);
    expect(loadConfig({ DATA_DIR: dataDir(), NODE_ENV: "development", SMTP_URL: "smtp://localhost:25" }).devOutbox).toBe(false);
    expect(loadConfig({ DATA_DIR: dataDir(), NODE_ENV: "production", DEV_OUTBOX: "1" }).devOutbox).toBe(true);
  });
});
