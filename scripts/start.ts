// `npm start`: build the UI if needed, run migrations, serve http://localhost:3000.
import { performance } from "node:perf_hooks";
import { configOrExit, describeDatabase, serve } from "./serve.ts";

const t0 = performance.now();
const config = configOrExit(process.env.NODE_ENV ? process.env : { ...process.env, NODE_ENV: "production" });
await serve(config);
const ms = Math.round(performance.now() - t0);
console.log(`Balint Commons is ready at ${config.appUrl} (${describeDatabase(config)}; started in ${ms} ms)`);
if (!config.smtpUrl) {
  console.log(
    config.devOutbox
      ? `SMTP_URL is not set: emails are kept at ${config.appUrl}/dev/outbox.`
      : "SMTP_URL is not set: emails are not sent; they are written to the log (see README, Configuration).",
  );
}
