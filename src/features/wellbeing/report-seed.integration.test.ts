// The well-being demo data (src/demo/wellbeing-seed.ts): two years of check-ins in the demo
// organisations, closed, so the program reports have figures; and it stays fast on PGlite.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { seedDemo } from "../../demo/seed.ts";
import { seedWellbeing, type WellbeingSeedResult } from "../../demo/wellbeing-seed.ts";
import type { Actor } from "../../platform/policy/policy.ts";
import { membership } from "../../platform/tenancy/schema.ts";
import { wellbeingCampaign, wellbeingResponse } from "./schema.ts";

const NOW = new Date("2026-11-20T12:00:00Z");
let app: TestApp;
let result: WellbeingSeedResult;

beforeAll(async () => {
  app = await createTestApp({ work: false });
  await seedDemo(app.services, { now: NOW });
  result = await seedWellbeing(app.services, { now: NOW });
  console.log(`wellbeing demo seed: ${JSON.stringify(result)}`);
}, 300_000);
afterAll(async () => app?.close());

describe("well-being demo data", () => {
  it("creates two campaigns per demo organisation with closed waves and answers", async () => {
    expect(result.campaigns).toBe(6);
    expect(result.waves).toBe(18);
    expect(result.answers).toBeGreaterThan(500);
    // Duration is logged above, not asserted: it depends on the machine's load (see the report / docs).
    // Anonymous answers carry no person and no time.
    const anon = await app.services.kernel.db.select({ p: wellbeingResponse.pseudonym, t: wellbeingResponse.answeredAt }).from(wellbeingResponse).innerJoin(wellbeingCampaign, eq(wellbeingCampaign.organisationId, wellbeingResponse.organisationId)).where(eq(wellbeingCampaign.mode, "anonymous")).limit(1);
    expect(anon.length).toBe(1);
  });

  it("gives the reports figures, a breakdown and a paired change", async () => {
    const [c] = await app.services.kernel.db.select().from(wellbeingCampaign).where(eq(wellbeingCampaign.mode, "confidential")).limit(1);
    const [m] = await app.services.kernel.db.select().from(membership).where(eq(membership.organisationId, c!.organisationId)).limit(1);
    const actor: Actor = { kind: "user", userId: m!.userId, memberships: new Map([[c!.organisationId, "owner"]]) };
    const r = await app.services.wellbeingReports.report(actor, c!.organisationId, { campaignId: c!.id, by: "discipline" });
    expect(r.waves.length).toBe(4);
    expect(r.all.every((x) => x.status === "ok")).toBe(true);
    expect(r.rows.length).toBeGreaterThan(0);
    expect(r.change?.scales[0]).toMatchObject({ kind: "paired", status: "ok" });
  });
});
