import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "../../src/platform/db/client.server.ts";
import { createJobQueue, type JobQueue } from "../../src/platform/jobs/jobs.server.ts";
import { createLogger } from "../../src/platform/logging/logger.server.ts";
import { freshDatabase } from "../support/test-app.ts";

// The durable job queue (pg-boss) under its two promises: every job runs exactly once, and a
// job that throws is retried later with backoff. On PGlite one instance is all there can be;
// on PostgreSQL (TEST_DB=postgres) two app instances with separate connection pools compete
// for the same jobs. Both describe blocks are always listed; the one that does not apply to
// the current database is reported as skipped by name.
const onPostgres = process.env.TEST_DB === "postgres";
const logger = createLogger("silent");
const QUEUE = "test.record";

interface Handled {
  job_id: string;
  worker: string;
  n: number;
  retry_count: number;
  at: Date | string;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => {});
});

async function handledRows(handle: DatabaseHandle): Promise<Handled[]> {
  const result = await handle.db.execute(sql`select job_id, worker, n, retry_count, at from job_handled order by at`);
  return ((result as unknown as { rows?: Handled[] }).rows ?? (result as unknown as Handled[])) as Handled[];
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A queue whose handler records each run in job_handled; `failOnce` payloads throw on their first run. */
function recordingQueue(handle: DatabaseHandle, worker: string): JobQueue {
  const jobs = createJobQueue(handle, logger, { pollingIntervalSeconds: 0.5 });
  jobs.define<{ n: number; failOnce?: boolean }>(QUEUE, async (data, meta) => {
    await handle.db.execute(sql`insert into job_handled (job_id, worker, n, retry_count) values (${meta.id}, ${worker}, ${data.n}, ${meta.retryCount})`);
    if (data.failOnce && meta.retryCount === 0) throw new Error("first attempt fails on purpose");
    await new Promise((r) => setTimeout(r, 10));
  });
  return jobs;
}

async function createTable(handle: DatabaseHandle) {
  await handle.db.execute(sql`create table job_handled (job_id text not null, worker text not null, n int not null, retry_count int not null, at timestamptz not null default clock_timestamp())`);
}

async function expectRetriedWithBackoff(handle: DatabaseHandle, jobs: JobQueue) {
  const id = await jobs.enqueue(QUEUE, { n: -1, failOnce: true }, { retryLimit: 3 });
  expect(id).toBeTruthy();
  const runs = async () => (await handledRows(handle)).filter((r) => r.n === -1);
  await waitFor(async () => (await runs()).length >= 2, 45_000, "the retry of the failing job");
  const attempts = await runs();
  expect(attempts.map((r) => r.job_id)).toEqual([id, id]);
  expect(attempts.map((r) => r.retry_count)).toEqual([0, 1]);
  // pg-boss schedules the retry no earlier than retryDelay (5 s) × backoff factor (≥ 1).
  const gapMs = new Date(attempts[1]!.at).getTime() - new Date(attempts[0]!.at).getTime();
  expect(gapMs).toBeGreaterThanOrEqual(4_500);
}

describe.skipIf(onPostgres)("job queue on PGlite (single instance)", () => {
  it("runs each of 20 jobs exactly once, and retries a failing job with backoff", async () => {
    const db = await freshDatabase();
    cleanups.push(() => db.dispose());
    await createTable(db.handle);
    const jobs = recordingQueue(db.handle, "only");
    await jobs.start({ work: true });
    cleanups.unshift(() => jobs.stop());

    const ids = await Promise.all(Array.from({ length: 20 }, (_, n) => jobs.enqueue(QUEUE, { n })));
    expect(new Set(ids).size).toBe(20);
    await waitFor(async () => (await handledRows(db.handle)).length >= 20, 90_000, "20 jobs");
    await new Promise((r) => setTimeout(r, 1500));
    const rows = await handledRows(db.handle);
    expect(rows.length).toBe(20);
    expect(new Set(rows.map((r) => r.job_id)).size).toBe(20);
    expect(rows.map((r) => r.n).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, n) => n));

    await expectRetriedWithBackoff(db.handle, jobs);
  }, 180_000);
});

describe.skipIf(!onPostgres)("job queue on PostgreSQL (two instances, one database)", () => {
  it("hands each of 200 jobs to exactly one of two competing workers, and retries with backoff", async () => {
    const db = await freshDatabase();
    cleanups.push(() => db.dispose());
    await createTable(db.handle);
    // A second instance: its own connection pool (and pg-boss's own pool) on the same database.
    const other = await openDatabase({ kind: "postgres", url: db.url!, poolSize: 4 });
    cleanups.push(() => other.close());
    const a = recordingQueue(db.handle, "a");
    const b = recordingQueue(other, "b");
    await a.start({ work: true });
    await b.start({ work: true });
    cleanups.unshift(() => a.stop(), () => b.stop());

    // Half the jobs are enqueued through each instance.
    const ids = await Promise.all(Array.from({ length: 200 }, (_, n) => (n % 2 ? b : a).enqueue(QUEUE, { n })));
    expect(new Set(ids).size).toBe(200);
    // The queue takes one job per worker per polling interval (batchSize 1, no burst mode), so
    // 200 jobs take about 200 × 0.5 s / 2 workers.
    await waitFor(async () => (await handledRows(db.handle)).length >= 200, 150_000, "200 jobs");
    // Give a duplicate delivery, if there were one, time to show up.
    await new Promise((r) => setTimeout(r, 1500));
    const rows = await handledRows(db.handle);
    expect(rows.length).toBe(200);
    expect(new Set(rows.map((r) => r.job_id)).size).toBe(200);
    expect(rows.map((r) => r.n).sort((x, y) => x - y)).toEqual(Array.from({ length: 200 }, (_, n) => n));
    const byWorker = { a: rows.filter((r) => r.worker === "a").length, b: rows.filter((r) => r.worker === "b").length };
    expect(byWorker.a + byWorker.b).toBe(200);
    // Both instances took part (200 jobs take far longer than one polling interval).
    expect(byWorker.a).toBeGreaterThan(0);
    expect(byWorker.b).toBeGreaterThan(0);

    await expectRetriedWithBackoff(db.handle, a);
  }, 240_000);
});
