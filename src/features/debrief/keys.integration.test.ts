// Master-key rotation with real restarts of the app on the same database (ADR 014, procedure):
// start with K1 → write a debrief → restart with "K2,K1" → rewrap every data key → restart with
// only K2 → the debrief still reads; an instance with only K1 can no longer open it (cleanly).
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { masterKeyId } from "../../platform/crypto/envelope.server.ts";
import { createLogger } from "../../platform/logging/logger.server.ts";
import { startApp, type RunningApp } from "../../server.ts";
import { organisationDataKey } from "./schema.ts";

const K1 = randomBytes(32);
const K2 = randomBytes(32);
const DAY = 86_400_000;
const base = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() - 5, 19, 0, 0));
const TEXT = "The group stayed with the silence after the presentation.";

let first: TestApp;
let current: RunningApp | null = null;
let lena: Awaited<ReturnType<typeof signUp>>;
let path: string;
let orgId: string;

async function restart(keys: Buffer[]): Promise<RunningApp> {
  if (current) await current.stop();
  else await first.stop();
  current = await startApp({ ...first.config, encryptionKeys: keys }, { database: first.services.kernel.database, listen: false, ui: false, work: false, logger: createLogger("silent") });
  return current;
}

const read = async (running: RunningApp) => {
  const res = await running.app.request(new URL(path, "http://localhost:3000").toString(), { headers: { cookie: lena.cookie, origin: "http://localhost:3000" } });
  return { status: res.status, body: (await res.json()) as { debrief: { text: string | null; unreadable: boolean } } };
};

beforeAll(async () => {
  first = await createTestApp({ env: { ENCRYPTION_KEYS: K1.toString("base64") } });
  const { org, person: owner } = await orgWithPerson(first, "owner");
  orgId = org.id;
  lena = await signUp(first, { verified: true, name: "Lena Leader" });
  await addMember(first, org.id, lena.id, "leader");
  const res = await first.request(`/api/v1/orgs/${org.id}/groups`, {
    method: "POST",
    cookie: owner.cookie,
    json: {
      name: "Rotation group",
      description: "A standing Balint group.",
      format: "online",
      meetingLink: "https://meet.example.org/rotation",
      languages: ["en"],
      timeZone: "UTC",
      schedule: { rrule: "FREQ=DAILY;COUNT=10", dtstartLocal: base.toISOString().slice(0, 16), durationMinutes: 90 },
      capacity: 10,
      leaders: [{ userId: lena.id, kind: "leader" }],
    },
  });
  expect(res.status).toBe(201);
  const groupId = ((await res.json()) as { id: string }).id;
  path = `/api/v1/orgs/${org.id}/groups/${groupId}/meetings/${encodeURIComponent(new Date(base.getTime() + DAY).toISOString())}/debrief`;
});
afterAll(async () => {
  if (current) await current.stop();
  await first?.close();
});

describe("master-key rotation", () => {
  it("rewraps every data key under the new master key and keeps every debrief readable", async () => {
    const saved = await first.request(path, { method: "PUT", cookie: lena.cookie, json: { text: TEXT, revision: 0 } });
    expect(saved.status).toBe(200);
    const db = first.services.kernel.db;
    const keyRows = () => db.select().from(organisationDataKey).where(eq(organisationDataKey.organisationId, orgId));
    expect((await keyRows()).map((r) => r.masterKeyId)).toEqual([masterKeyId(K1)]);

    // Step 1: the new key first, the old one still known. Nothing rewrapped yet; still readable.
    const both = await restart([K2, K1]);
    expect((await read(both)).body.debrief.text).toBe(TEXT);
    const result = await both.services.debrief.rewrapAll();
    expect(result).toEqual({ checked: 1, rewrapped: 1 });
    const [row] = await keyRows();
    expect(row!.masterKeyId).toBe(masterKeyId(K2));
    expect(row!.rewrappedAt).not.toBeNull();
    expect(row!.wrapped).toContain(masterKeyId(K2));
    // Idempotent.
    expect(await both.services.debrief.rewrapAll()).toEqual({ checked: 0, rewrapped: 0 });

    // Step 2: only the new key.
    const onlyNew = await restart([K2]);
    const after = await read(onlyNew);
    expect(after.status).toBe(200);
    expect(after.body.debrief).toMatchObject({ text: TEXT, unreadable: false });

    // An instance left with only the old key cannot open it, and says so without details.
    const onlyOld = await restart([K1]);
    const stale = await read(onlyOld);
    expect(stale.status).toBe(200);
    expect(stale.body.debrief).toMatchObject({ text: null, unreadable: true });
  });
});
