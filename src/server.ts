// First: @hono/zod-openapi adds `.openapi()` to zod schemas, and zod 4 gives each schema its
// methods when it is created, so this must run before any slice's schemas.ts is evaluated.
// oxlint-disable-next-line import/no-unassigned-import -- imported for its side effect
import "@hono/zod-openapi";
import { serve, type ServerType } from "@hono/node-server";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "react-router";
import type { AppConfig } from "./platform/config.server.ts";
import { createHttpApp } from "./platform/http/app.server.ts";
import { createKernel, type KernelOptions } from "./platform/kernel.server.ts";
import { createServices, type AppServices } from "./platform/services.server.ts";

export const ROOT_DIR = path.resolve(import.meta.dirname, "..");
export const BUILD_DIR = path.join(ROOT_DIR, "build");

export async function loadUiBuild(buildDir = BUILD_DIR): Promise<ServerBuild> {
  return (await import(pathToFileURL(path.join(buildDir, "server", "index.js")).href)) as ServerBuild;
}

export interface RunningApp {
  services: AppServices;
  app: ReturnType<typeof createHttpApp>;
  server: ServerType | null;
  url: string;
  stop(): Promise<void>;
}

/**
 * Boots Balint Commons: database (migrations run), job queue, services, HTTP. With
 * `listen: false` it returns the app for in-process requests (tests, benchmarks).
 */
export async function startApp(
  config: AppConfig,
  options: KernelOptions & { listen?: boolean; ui?: boolean; work?: boolean } = {},
): Promise<RunningApp> {
  const kernel = await createKernel(config, options);
  await kernel.database.migrate();
  const services = createServices(kernel);
  await kernel.jobs.start({ work: options.work ?? config.jobsWorker });
  // Plans session reminders (safe on every instance: each planning slot is claimed in the database).
  if (options.work ?? config.jobsWorker) await services.sessions.startReminderScheduler();
  // Deletes expired debriefs daily (safe on every instance: the DELETE skips rows another holds).
  if (options.work ?? config.jobsWorker) await services.debrief.startExpiryScheduler();
  // Closes feedback bins and purges nullifiers daily (a chain deduplicated per day, ADR 013).
  if (options.work ?? config.jobsWorker) await services.feedback.startScheduler();
  // Opens, reminds and closes well-being check-in waves hourly (deduplicated per hour across instances).
  if (options.work ?? config.jobsWorker) await services.wellbeing.startScheduler();
  // Sweeps expired event waitlist offers hourly (a safety net for the per-offer jobs).
  if (options.work ?? config.jobsWorker) await services.events.startScheduler();
  // Credential expiry reminders, daily (deduplicated per day across instances).
  if (options.work ?? config.jobsWorker) await services.credentials.startScheduler();
  // Supervisor report reminders, daily (each email claimed once in the database).
  if (options.work ?? config.jobsWorker) await services.supervision.startScheduler();
  const uiBuild = options.ui === false ? null : await loadUiBuild();
  const app = createHttpApp(services, { uiBuild, clientDir: path.join(BUILD_DIR, "client") });

  let server: ServerType | null = null;
  let url = config.appUrl;
  if (options.listen !== false) {
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
        url = config.appUrl;
        kernel.logger.debug({ port: info.port }, "listening");
        resolve(s);
      });
    });
  }
  let stopped = false;
  return {
    services,
    app,
    server,
    url,
    async stop() {
      if (stopped) return;
      stopped = true;
      // The live bus first: it ends open event streams, which would otherwise hold the server open.
      await kernel.live.close();
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      await kernel.jobs.stop();
      if (!options.database) await kernel.database.close();
    },
  };
}
