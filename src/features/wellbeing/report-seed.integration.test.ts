// The well-being demo data (src/demo/wellbeing-seed.ts): two years of check-ins in the demo
// organisations, closed, so the program reports have figures, and one check-in open now; and it
// stays fast on PGlite.
import { and, eq, inArray, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { DEMO_SHOWCASE, demoEmail, seedDemo } from "../../demo/seed.ts";
import { user } from "../../platform/auth/schema.ts";
import type { WellbeingSeedResult } from "../../demo/wellbeing-seed.ts";
import type { Actor } from "../../platform/policy/policy.ts";
import { membership } from "../../platform/tenancy/schema.ts";
import { wellbeingCampaign, wellbeingInvitation, wellbeingResponse, wellbeingWave } from "./schema.ts";

const NOW = new Date("2026-11-20T12:00:00Z");
let app: TestApp;
let result: WellbeingSeedResult;

beforeAll(async () => {
  app = await createTestApp({ work: false });
  // seedDemo seeds the well-being data once, among the rest; its figures are in the result.
  result = (await seedDemo(app.services, { now: NOW })).wellbeing!;
  console.log(`wellbeing demo seed: ${JSON.stringify(result)}`);
}, 300_000);
afterAll(async () => app?.close());

describe("well-being demo data", () => {
  it("creates two campaigns per demo organisation with closed waves and answers, and one open now", async () => {
    expect(result.campaigns).toBe(9);
    expect(result.waves).toBe(18);
    expect(result.answers).toBeGreaterThan(500);
    // Duration is logged above, not asserted: it depends on the machine's load (see the report / docs).
    // Anonymous answers carry no person and no time.
    const anon = await app.services.kernel.db.select({ p: wellbeingResponse.pseudonym, t: wellbeingResponse.answeredAt }).from(wellbeingResponse).innerJoin(wellbeingCampaign, eq(wellbeingCampaign.organisationId, wellbeingResponse.organisationId)).where(eq(wellbeingCampaign.mode, "anonymous")).limit(1);
    expect(anon.length).toBe(1);
  });

  it("gives the reports figures, a breakdown and a paired change", async () => {
    const [c] = await app.services.kernel.db.select().from(wellbeingCampaign).where(eq(wellbeingCampaign.name, "Well-being check-in")).limit(1);
    const [m] = await app.services.kernel.db.select().from(membership).where(eq(membership.organisationId, c!.organisationId)).limit(1);
    const actor: Actor = { kind: "user", userId: m!.userId, memberships: new Map([[c!.organisationId, "owner"]]) };
    const r = await app.services.wellbeingReports.report(actor, c!.organisationId, { campaignId: c!.id, by: "discipline" });
    expect(r.waves.length).toBe(4);
    expect(r.all.every((x) => x.status === "ok")).toBe(true);
    expect(r.rows.length).toBeGreaterThan(0);
    expect(r.change?.scales[0]).toMatchObject({ kind: "paired", status: "ok" });
  });

  it("leaves a check-in open now that the showcase people can still answer", async () => {
    const db = app.services.kernel.db;
    const open = await db.select({ wave: wellbeingWave, name: wellbeingCampaign.name }).from(wellbeingWave).innerJoin(wellbeingCampaign, eq(wellbeingCampaign.id, wellbeingWave.campaignId)).where(isNull(wellbeingWave.frozenAt));
    const current = open.filter((w) => w.wave.opensAt <= NOW && w.wave.closesAt > NOW);
    expect(current.map((w) => w.name).sort()).toEqual(["Cuestionario de invierno", "Winter check-in", "Winter check-in"]);
    const showcase = await db.select({ id: user.id }).from(user).where(inArray(user.email, DEMO_SHOWCASE.map((p) => demoEmail(p.handle))));
    const invitations = await db.select().from(wellbeingInvitation).where(and(inArray(wellbeingInvitation.waveId, current.map((w) => w.wave.id)), inArray(wellbeingInvitation.userId, showcase.map((p) => p.id))));
    expect(invitations.length).toBeGreaterThan(0);
    // Answered ones are confidential responses under a pseudonym; the showcase people have none in the open waves.
    const answered = await db.select({ n: wellbeingResponse.id }).from(wellbeingResponse).where(inArray(wellbeingResponse.waveId, current.map((w) => w.wave.id)));
    expect(answered.length).toBeGreaterThan(0);
    const forms = await Promise.all(invitations.map((inv) => app.services.wellbeing.formByToken({ kind: "anonymous", userId: null, memberships: new Map() }, app.services.wellbeing.tokenOf(inv.id, inv.tokenSalt), NOW)));
    for (const f of forms) expect(f.instruments.every((i) => !i.answered)).toBe(true);
  });
});
