import { and, eq, lt } from "drizzle-orm";
import type { Database } from "../db/client.server.ts";
import type { Logger } from "../logging/logger.server.ts";
import type { JobQueue } from "./jobs.server.ts";
import { jobSlot } from "./schema.ts";

/**
 * A job that runs once per period (e.g. daily) across every app instance, on the durable queue.
 *
 * Time is cut into slots of `periodMs`; slot n runs at n·period + offset. The job for a slot first
 * claims it in `job_slot` (primary key: name + slot): the one that wins runs and queues the next
 * slot; any other (a second instance, a restart, a duplicate) stops there. `start()` queues the
 * current and the next slot, so a chain broken by a crash is picked up at the next start, and
 * starting many times never multiplies runs. A run that throws gives its claim back, so the
 * queue's retry can claim it again.
 */
export interface PeriodicJob {
  start(now?: Date): Promise<void>;
  /** Runs one slot now if it was not claimed yet (tests; returns whether it ran). */
  runSlot(slot: number, now?: Date): Promise<boolean>;
}

export function definePeriodicJob(
  deps: { jobs: JobQueue; db: Database; logger: Logger },
  options: { name: string; periodMs: number; offsetMs?: number; retryLimit?: number; run: (now: Date) => Promise<void> },
): PeriodicJob {
  const { jobs, db, logger } = deps;
  const { name, periodMs } = options;
  const offsetMs = options.offsetMs ?? 0;
  const slotOf = (at: Date) => Math.floor((at.getTime() - offsetMs) / periodMs);
  const startOf = (slot: number) => new Date(slot * periodMs + offsetMs);

  async function enqueue(slot: number) {
    await jobs.enqueue(name, { slot }, { startAfter: startOf(slot), retryLimit: options.retryLimit ?? 3 });
  }

  async function runSlot(slot: number, now = new Date()): Promise<boolean> {
    const claimed = await db.insert(jobSlot).values({ name, slot }).onConflictDoNothing().returning();
    if (claimed.length === 0) return false;
    try {
      await options.run(now);
    } catch (error) {
      await db.delete(jobSlot).where(and(eq(jobSlot.name, name), eq(jobSlot.slot, slot)));
      throw error;
    }
    // Claims older than a few periods are no longer needed to deduplicate anything.
    await db.delete(jobSlot).where(and(eq(jobSlot.name, name), lt(jobSlot.slot, slot - 10)));
    return true;
  }

  jobs.define<{ slot: number }>(name, async (data) => {
    const ran = await runSlot(data.slot);
    if (!ran) return;
    logger.debug({ job: name, slot: data.slot }, "periodic job ran");
    await enqueue(data.slot + 1);
  });

  return {
    async start(now = new Date()) {
      const slot = slotOf(now);
      await enqueue(slot);
      await enqueue(slot + 1);
    },
    runSlot,
  };
}
