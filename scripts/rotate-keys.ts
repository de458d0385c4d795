// Key rotation for the encrypted debriefs (ADR 014). Uses the same configuration as `npm start`
// (DATABASE_URL or DATA_DIR, ENCRYPTION_KEYS newest first). With the embedded database, stop the
// app first (PGlite is single-process).
//
//   node scripts/rotate-keys.ts status
//       data keys per master key id, and which configured key is newest
//   node scripts/rotate-keys.ts rewrap
//       master-key rotation: re-wrap every organisation data key under the first key of
//       ENCRYPTION_KEYS (run after moving the new key first; then remove the old key)
//   node scripts/rotate-keys.ts rotate-data-key <organisationId> | --all
//       data-key rotation: a new data key version for the organisation(s), every debrief re-sealed
// Prints ids and counts only — never keys or text.
import { createKernel } from "../src/platform/kernel.server.ts";
import { masterKeyId } from "../src/platform/crypto/envelope.server.ts";
import { createLogger } from "../src/platform/logging/logger.server.ts";
import { organisation } from "../src/platform/tenancy/schema.ts";
import { dataKeysByMasterKey } from "../src/features/debrief/keys.server.ts";
import { createDebriefService } from "../src/features/debrief/service.server.ts";
import { configOrExit } from "./serve.ts";

const USAGE = "Usage: node scripts/rotate-keys.ts status | rewrap | rotate-data-key <organisationId>|--all";
const [command, arg] = process.argv.slice(2);
if (!command || !["status", "rewrap", "rotate-data-key"].includes(command) || (command === "rotate-data-key" && !arg)) {
  console.error(USAGE);
  process.exit(2);
}

const config = configOrExit(process.env.NODE_ENV ? process.env : { ...process.env, NODE_ENV: "production" });
const kernel = await createKernel(config, { logger: createLogger("warn") });
let code = 0;
try {
  await kernel.database.migrate();
  const debrief = createDebriefService(kernel);
  const configured = config.encryptionKeys.map((k) => masterKeyId(k));
  if (command === "status") {
    console.log(`Configured master keys (newest first): ${configured.join(", ")}`);
    for (const r of await dataKeysByMasterKey(kernel.db)) {
      const note = r.masterKeyId === configured[0] ? "newest" : configured.includes(r.masterKeyId) ? "older, run rewrap" : "NOT CONFIGURED: these cannot be opened";
      console.log(`  ${r.masterKeyId}: ${r.count} data key(s) (${note})`);
    }
  } else if (command === "rewrap") {
    const { checked, rewrapped } = await debrief.rewrapAll();
    console.log(`Re-wrapped ${rewrapped} of ${checked} data key(s) under ${configured[0]}.`);
    const left = (await dataKeysByMasterKey(kernel.db)).filter((r) => r.masterKeyId !== configured[0]);
    if (left.length) {
      console.error(`Still under other master keys: ${left.map((r) => `${r.masterKeyId} (${r.count})`).join(", ")}`);
      code = 1;
    } else console.log("Every data key is under the newest master key: older keys may now be removed from ENCRYPTION_KEYS.");
  } else {
    const ids = arg === "--all" ? (await kernel.db.select({ id: organisation.id }).from(organisation)).map((o) => o.id) : [arg!];
    for (const id of ids) {
      const { version, resealed } = await debrief.rotateOrganisationKey(id);
      console.log(`Organisation ${id}: data key version ${version} active, ${resealed} debrief(s) re-sealed.`);
    }
  }
} catch (error) {
  console.error(`Key rotation failed: ${(error as Error).message}`);
  code = 1;
} finally {
  await kernel.database.close();
}
process.exit(code);
