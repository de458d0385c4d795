import { PgBoss, fromPglite } from "pg-boss";
import type { DatabaseHandle } from "../db/client.server.ts";
import type { Logger } from "../logging/logger.server.ts";

/**
 * The durable job queue: a small interface over pg-boss, which keeps jobs in the database
 * (schema `pgboss`) on PGlite and on PostgreSQL alike. pg-boss fetches with
 * `FOR UPDATE SKIP LOCKED`, so when several app instances share one PostgreSQL each job is
 * handed to exactly one worker.
 */
export interface JobQueue {
  /** Register the handler for a queue. Retries with exponential backoff on throw. */
  define<T extends object>(name: string, handler: (data: T, meta: { id: string; retryCount: number }) => Promise<void>): void;
  /** Enqueue a job; returns its id (null when deduplicated by singletonKey). */
  enqueue<T extends object>(name: string, data: T, options?: { startAfter?: Date; singletonKey?: string; retryLimit?: number }): Promise<string | null>;
  start(options: { work: boolean }): Promise<void>;
  stop(): Promise<void>;
}

interface Definition {
  name: string;
  handler: (data: object, meta: { id: string; retryCount: number }) => Promise<void>;
}

export function createJobQueue(handle: DatabaseHandle, logger: Logger, options: { pollingIntervalSeconds?: number } = {}): JobQueue {
  const definitions = new Map<string, Definition>();
  const boss =
    handle.kind === "pglite"
      ? new PgBoss({ db: fromPglite(handle.pglite!), backend: "pglite", schedule: false, supervise: true })
      : new PgBoss({ connectionString: handle.url!, max: 4, schedule: false, supervise: true, application_name: "balint-commons-jobs" });
  boss.on("error", (error: unknown) => logger.error({ err: error }, "job queue error"));
  let started = false;
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 1;

  return {
    define(name, handler) {
      definitions.set(name, { name, handler: handler as Definition["handler"] });
    },
    async enqueue(name, data, opts = {}) {
      if (!started) throw new Error(`job queue not started (enqueue ${name})`);
      return boss.send(name, data, {
        retryLimit: opts.retryLimit ?? 5,
        retryDelay: 5,
        retryBackoff: true,
        ...(opts.startAfter ? { startAfter: opts.startAfter } : {}),
        ...(opts.singletonKey ? { singletonKey: opts.singletonKey } : {}),
      });
    },
    async start({ work }) {
      await boss.start();
      for (const def of definitions.values()) await boss.createQueue(def.name).catch(() => {});
      started = true;
      if (!work) return;
      for (const def of definitions.values()) {
        // Up to 10 jobs a fetch, fetched again at once while batches come back full (burst), each
        // job succeeding or failing on its own: a failure retries only that job.
        await boss.work<object, unknown, { pollingIntervalSeconds: number; batchSize: number; burstWhenBatchFull: true; perJobResults: true }>(
          def.name,
          { pollingIntervalSeconds, batchSize: 10, burstWhenBatchFull: true, perJobResults: true },
          async (batch) => {
            const results = [];
            for (const job of batch) {
              try {
                await def.handler(job.data, { id: job.id, retryCount: (job as { retryCount?: number }).retryCount ?? 0 });
                results.push({ id: job.id, status: "completed" as const });
              } catch (error) {
                results.push({ id: job.id, status: "failed" as const, output: { message: String((error as Error)?.message ?? error).slice(0, 500) } });
              }
            }
            return results;
          },
        );
      }
    },
    async stop() {
      if (!started) return;
      started = false;
      await boss.stop({ graceful: true, timeout: 5000, close: handle.kind !== "pglite" });
    },
  };
}

