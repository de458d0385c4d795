// `npm test`: every check the project has, in order, stopping at the first failure.
//   1. typecheck (react-router typegen + tsc)      4. integration tests on PostgreSQL
//   2. lint (oxlint --deny-warnings)               5. UI build
//   3. vitest: unit + integration on PGlite        6. Playwright end-to-end tests in Chromium
// Prints the time each step took and ends with one line: "N passed, N failed".
// Under CI=true a missing PostgreSQL (TEST_DATABASE_URL) or Chromium is a failure, not a skip.
//
// Local use:  node scripts/test.ts --only=typecheck,lint      (steps: typecheck, lint, vitest,
//             node scripts/test.ts --only=vitest -- src/x      postgres, build, e2e; arguments
//                                                               after -- go to vitest/playwright)
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";

const ROOT = path.resolve(import.meta.dirname, "..");
const REPORT_DIR = path.join(ROOT, "test-results", "reports");
const BIN = (name: string) => path.join(ROOT, "node_modules", ".bin", name);
const CI = process.env.CI === "true" || process.env.CI === "1";

const argv = process.argv.slice(2);
const dashdash = argv.indexOf("--");
const passthrough = dashdash >= 0 ? argv.slice(dashdash + 1) : [];
const only = (argv.find((a) => a.startsWith("--only="))?.slice("--only=".length) ?? "").split(",").filter(Boolean);
if (CI && (only.length > 0 || passthrough.length > 0)) {
  console.error("CI runs every step on every test: --only and -- filters are refused when CI=true.");
  process.exit(2);
}

interface Step {
  key: string;
  name: string;
  run(): Promise<StepOutcome>;
}
type StepOutcome = { ok: true; skipped?: string } | { ok: false; reason: string };

const totals = { passed: 0, failed: 0 };
const timings: Array<{ name: string; seconds: number; result: string }> = [];

function run(command: string, args: string[], env: Record<string, string | undefined> = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: "inherit", env: { ...process.env, ...env } });
    child.on("error", (error) => {
      console.error(`Could not start ${command}: ${error.message}`);
      resolve(127);
    });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

const failed = (reason: string): StepOutcome => ({ ok: false, reason });

/** Adds what a vitest JSON report counted; returns the counts (null when there is no report). */
function countVitest(file: string): { passed: number; failed: number } | null {
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, "utf8")) as { numPassedTests?: number; numFailedTests?: number; numTotalTests?: number };
  const counts = { passed: report.numPassedTests ?? 0, failed: report.numFailedTests ?? 0 };
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  return counts;
}

/** Adds what Playwright's JSON reporter counted (flaky tests passed on retry: counted as passed). */
function countPlaywright(file: string): { passed: number; failed: number } | null {
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, "utf8")) as { stats?: { expected?: number; unexpected?: number; flaky?: number } };
  const counts = { passed: (report.stats?.expected ?? 0) + (report.stats?.flaky ?? 0), failed: report.stats?.unexpected ?? 0 };
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  return counts;
}

async function vitestStep(label: string, args: string[], env: Record<string, string>, reportName: string): Promise<StepOutcome> {
  const report = path.join(REPORT_DIR, reportName);
  rmSync(report, { force: true });
  const code = await run(BIN("vitest"), ["run", ...args, "--reporter=default", "--reporter=json", `--outputFile.json=${report}`], env);
  const counts = countVitest(report);
  if (!counts) return failed(`${label}: vitest wrote no report (exit code ${code})`);
  if (counts.failed > 0) return failed(`${label}: ${counts.failed} test(s) failed`);
  if (code !== 0) return failed(`${label}: vitest exited with code ${code} (an error outside the tests, e.g. a file that does not load): see the output above`);
  return { ok: true };
}

function chromiumPath(): string | null {
  const candidate = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
  return existsSync(candidate) ? candidate : null;
}

const steps: Step[] = [
  {
    key: "typecheck",
    name: "typecheck",
    async run() {
      if ((await run(BIN("react-router"), ["typegen"])) !== 0) return failed("react-router typegen failed");
      if ((await run(BIN("tsc"), ["-p", "tsconfig.json"])) !== 0) return failed("TypeScript reported errors (see above)");
      return { ok: true };
    },
  },
  {
    key: "lint",
    name: "lint",
    async run() {
      const code = await run(BIN("oxlint"), ["--deny-warnings", "src", "scripts", "tests", "bench"]);
      return code === 0 ? { ok: true } : failed("oxlint reported problems (see above)");
    },
  },
  {
    key: "vitest",
    name: "unit + integration (PGlite)",
    run: () => vitestStep("vitest", passthrough, { TEST_DB: "" }, "vitest-pglite.json"),
  },
  {
    key: "postgres",
    name: "integration (PostgreSQL)",
    async run() {
      if (!process.env.TEST_DATABASE_URL) {
        if (CI) return failed("CI=true but TEST_DATABASE_URL is not set: the PostgreSQL run is required in CI");
        return { ok: true, skipped: "TEST_DATABASE_URL is not set" };
      }
      return vitestStep("vitest on PostgreSQL", ["--project", "integration", ...passthrough], { TEST_DB: "postgres" }, "vitest-postgres.json");
    },
  },
  {
    key: "build",
    name: "UI build",
    async run() {
      const code = await run(process.execPath, [path.join(ROOT, "scripts", "ensure-build.ts")]);
      return code === 0 ? { ok: true } : failed("the UI build failed");
    },
  },
  {
    key: "e2e",
    name: "end-to-end (Playwright, Chromium)",
    async run() {
      const browser = chromiumPath();
      if (!browser) {
        const why = `no Chromium at ${process.env.CHROMIUM_PATH || "/usr/bin/chromium"} (set CHROMIUM_PATH)`;
        if (CI) return failed(`CI=true and ${why}`);
        return { ok: true, skipped: why };
      }
      const report = path.join(REPORT_DIR, "playwright.json");
      rmSync(report, { force: true });
      const code = await run(BIN("playwright"), ["test", ...passthrough], { CHROMIUM_PATH: browser, PLAYWRIGHT_JSON_OUTPUT_FILE: report });
      const counts = countPlaywright(report);
      if (!counts) return failed(`Playwright wrote no report (exit code ${code})`);
      if (counts.failed > 0) return failed(`${counts.failed} end-to-end test(s) failed`);
      if (code !== 0) return failed(`Playwright exited with code ${code} before or after the tests (the server did not start, or a setup error): see the output above`);
      if (counts.passed === 0) return failed("Playwright ran no tests");
      return { ok: true };
    },
  },
];

const unknown = only.filter((k) => !steps.some((s) => s.key === k));
if (unknown.length > 0) {
  console.error(`Unknown step(s): ${unknown.join(", ")}. Steps: ${steps.map((s) => s.key).join(", ")}.`);
  process.exit(2);
}
const selected = only.length > 0 ? steps.filter((s) => only.includes(s.key)) : steps;

mkdirSync(REPORT_DIR, { recursive: true });
const started = performance.now();
let failure: string | null = null;
for (const step of selected) {
  console.log(`\n━━ ${step.name} ━━`);
  const t0 = performance.now();
  let outcome: StepOutcome;
  try {
    outcome = await step.run();
  } catch (error) {
    outcome = failed(`${step.name} crashed: ${(error as Error).message}`);
  }
  const seconds = (performance.now() - t0) / 1000;
  const result = outcome.ok ? (outcome.skipped ? `skipped (${outcome.skipped})` : "ok") : "FAILED";
  timings.push({ name: step.name, seconds, result });
  console.log(`── ${step.name}: ${result} in ${seconds.toFixed(1)} s`);
  if (!outcome.ok) {
    failure = `${step.name}: ${outcome.reason}`;
    break;
  }
}

console.log("\nSteps:");
for (const t of timings) console.log(`  ${t.name.padEnd(36)} ${t.seconds.toFixed(1).padStart(7)} s  ${t.result}`);
for (const s of selected.slice(timings.length)) console.log(`  ${s.name.padEnd(36)}       –    not run`);
console.log(`  ${"total".padEnd(36)} ${((performance.now() - started) / 1000).toFixed(1).padStart(7)} s`);
if (failure) console.error(`\nStopped at the first failure — ${failure}`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed`);
process.exit(failure ? 1 : 0);
