// `npm run demo`: Balint Commons with demo data. Uses ./data-demo (override with DATA_DIR),
// seeds it once when it is empty, then serves it like `npm start` and prints how to sign in.
// The development outbox (/dev/outbox) is on unless DEV_OUTBOX=0: every address is fake.
import { performance } from "node:perf_hooks";
import { configOrExit, describeDatabase, serve } from "./serve.ts";

const t0 = performance.now();
const config = configOrExit({
  ...process.env,
  NODE_ENV: process.env.NODE_ENV || "production",
  DATA_DIR: process.env.DATA_DIR || "./data-demo",
  DEV_OUTBOX: process.env.DEV_OUTBOX || "1",
});
const running = await serve(config);
const { DEMO_PASSWORD, DEMO_PEOPLE, DEMO_SHOWCASE, DEMO_ORGANISATIONS, demoEmail, seedDemo } = await import("../src/demo/seed.ts");

const seeded = await seedDemo(running.services);
if (seeded.seeded) {
  console.log(`Seeded the demo: ${seeded.organisations} organisations, ${seeded.people} people, ${seeded.groups} Balint groups, ${seeded.auditEvents} audit events.`);
} else {
  console.log(`Using the existing data in ${config.dataDir} (delete it to start the demo afresh).`);
}

const ms = Math.round(performance.now() - t0);
console.log(`\nBalint Commons demo is ready at ${config.appUrl} (${describeDatabase(config)}; started in ${ms} ms)\n`);
console.log(`Every demo account uses the password: ${DEMO_PASSWORD}\n`);
const width = Math.max(...DEMO_SHOWCASE.map((s) => s.label.length));
for (const { label, handle } of DEMO_SHOWCASE) console.log(`  ${label.padEnd(width)}  ${demoEmail(handle)}`);
console.log(`\n  …and ${DEMO_PEOPLE.length - DEMO_SHOWCASE.length} more people in ${DEMO_ORGANISATIONS.map((o) => o.name).join(", ")}.`);
if (seeded.apiToken) {
  console.log(`\n  API token for ${demoEmail(seeded.apiToken.handle)} (shown once):\n    ${seeded.apiToken.token}`);
  console.log(`    curl -H "Authorization: Bearer ${seeded.apiToken.token}" ${config.appUrl}/api/v1/me`);
}
if (config.devOutbox) console.log(`\n  Emails the demo sends appear at ${config.appUrl}/dev/outbox`);
console.log("");
