import { sql } from "drizzle-orm";
import { PgBoss, fromDrizzle, fromPglite, type DrizzleTransactionLike } from "pg-boss";
import type { DatabaseHandle, Executor } from "../db/client.server.ts";
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
  /**
   * Enqueue a job; returns its id (null when deduplicated by singletonKey). With `tx` the job is
   * written in that Drizzle transaction (transactional outbox): it exists if and only if the
   * transaction commits. Only for queues defined before `start()`.
   */
  enqueue<T extends object>(name: string, data: T, options?: { startAfter?: Date; singletonKey?: string; retryLimit?: number; tx?: Executor }): Promise<string | null>;
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
  /** Queues created at start: pg-boss has them cached, so a send inside a transaction reads nothing outside it. */
  const created = new Set<string>();
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 1;

  return {
    define(name, handler) {
      definitions.set(name, { name, handler: handler as Definition["handler"] });
    },
    async enqueue(name, data, opts = {}) {
      if (!started) throw new Error(`job queue not started (enqueue ${name})`);
      // A cache miss would look the queue up on another connection: on PGlite (one connection) that
      // waits for the open transaction, for ever.
      if (opts.tx && !created.has(name)) throw new Error(`enqueue ${name} in a transaction: the queue must be defined before start()`);
      return boss.send(name, data, {
        retryLimit: opts.retryLimit ?? 5,
        retryDelay: 5,
        retryBackoff: true,
        ...(opts.startAfter ? { startAfter: opts.startAfter } : {}),
        ...(opts.singletonKey ? { singletonKey: opts.singletonKey } : {}),
        // Both drivers' execute() resolve to { rows } (the app's Database type leaves the result generic).
        ...(opts.tx ? { db: fromDrizzle(opts.tx as unknown as DrizzleTransactionLike, sql) } : {}),
      });
    },
    async start({ work }) {
      await boss.start();
      for (const def of definitions.values()) {
        await boss.createQueue(def.name).then(
          () => created.add(def.name),
          () => {},
        );
      }
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

