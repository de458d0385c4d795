import type { AppConfig } from "./config.server.ts";
import { openDatabase, type Database, type DatabaseHandle } from "./db/client.server.ts";
import { createJobQueue, type JobQueue } from "./jobs/jobs.server.ts";
import { createLogger, type Logger } from "./logging/logger.server.ts";
import { createMailer, outboxTransport, smtpTransport, type Mailer, type MailTransport } from "./mail/mailer.server.ts";
import { createAuth, type Auth } from "./auth/auth.server.ts";
import { createLiveBus, type LiveBus } from "./live/live.server.ts";

/** What every slice may depend on: config, logger, database, job queue, mail and auth. */
export interface Kernel {
  config: AppConfig;
  logger: Logger;
  database: DatabaseHandle;
  db: Database;
  jobs: JobQueue;
  mailer: Mailer;
  auth: Auth;
  /** Change notices across app instances (in memory on PGlite, LISTEN/NOTIFY on PostgreSQL). */
  live: LiveBus;
}

export interface KernelOptions {
  logger?: Logger;
  /** Use an existing database handle (tests) instead of opening one from config. */
  database?: DatabaseHandle;
  transport?: MailTransport;
  jobPollingIntervalSeconds?: number;
}

export async function createKernel(config: AppConfig, options: KernelOptions = {}): Promise<Kernel> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const database =
    options.database ??
    (await openDatabase(config.database.kind === "pglite" ? { kind: "pglite", dir: config.database.dir } : config.database));
  const jobs = createJobQueue(database, logger, { pollingIntervalSeconds: options.jobPollingIntervalSeconds ?? 1 });
  const transport = options.transport ?? (config.smtpUrl ? smtpTransport(config.smtpUrl) : outboxTransport(logger));
  const mailer = createMailer({ db: database.db, jobs, transport, from: config.mailFrom, logger });
  const auth = createAuth({ config, db: database.db, mailer });
  const live = createLiveBus(database, logger);
  return { config, logger, database, db: database.db, jobs, mailer, auth, live };
}
