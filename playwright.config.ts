import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

// End-to-end tests: the production server on a fresh, empty data directory (so the first spec
// sees a brand-new installation), driven through Debian's Chromium. Emails are read from the
// development outbox at /dev/outbox.
// E2E_PORT lets two engineers (or helpers) run the suite side by side on one machine.
const PORT = Number(process.env.E2E_PORT ?? 3200);
const BASE_URL = `http://localhost:${PORT}`;
const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

// The config is evaluated by the runner and again by each worker; keep one directory per run.
process.env.BC_E2E_DATA_DIR ??= mkdtempSync(path.join(os.tmpdir(), "bc-e2e-"));
const dataDir = process.env.BC_E2E_DATA_DIR;

const chromium = {
  ...devices["Desktop Chrome"],
  launchOptions: { executablePath, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] },
};

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results/playwright",
  // Specs share one installation (setup runs once): run them in order, one at a time.
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 60_000,
  // A hung server or browser must not hold CI for long: the whole run normally takes 3–5 minutes.
  globalTimeout: 15 * 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json", { outputFile: "test-results/reports/playwright.json" }]],
  use: {
    baseURL: BASE_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    locale: "en-GB",
    timezoneId: "Europe/London",
  },
  // The installation is set up once, by setup.spec.ts; every other spec runs after it.
  projects: [
    { name: "setup", testMatch: /setup\.spec\.ts$/, use: { ...chromium } },
    { name: "chromium", testIgnore: /setup\.spec\.ts$/, dependencies: ["setup"], use: { ...chromium } },
  ],
  webServer: {
    command: "node scripts/start.ts",
    url: `${BASE_URL}/healthz`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      DATA_DIR: dataDir,
      PORT: String(PORT),
      APP_URL: BASE_URL,
      NODE_ENV: "production",
      DEV_OUTBOX: "1",
      AUTH_RATE_LIMIT: "1000",
      LOG_LEVEL: "warn",
    },
  },
});
