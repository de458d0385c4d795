// The accreditation demo seed: candidates at different stages, through the services.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, createOrganisation, signUp } from "../../../tests/support/factories.ts";
import { candidateCounts, seedAccreditation } from "../../demo/accreditation-seed.ts";

let app: TestApp;
afterAll(async () => app?.close());
beforeAll(async () => {
  app = await createTestApp();
});

it("seeds the examples and candidates at different stages", async () => {
  const org = await createOrganisation(app, { slug: "northlake-balint-society", name: "Northlake Balint Society" });
  const roles = ["owner", "coordinator", "supervisor", "leader", "leader", "leader", "member", "member"] as const;
  for (const role of roles) await addMember(app, org.id, (await signUp(app, { verified: true })).id, role);
  const r = await seedAccreditation(app.services, { now: new Date() });
  expect(r).toEqual({ pathways: 3, candidates: 5, evidence: 7 });
  expect(await candidateCounts(app.services, org.id)).toEqual({ active: 4, withdrawn: 1 });
}, 60_000);
