import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, createOrganisation, signUp } from "../../../tests/support/factories.ts";
import { seedSupervisionAndReviews } from "../../demo/accreditation-review-seed.ts";
import { supervisionHistory } from "./supervision.service.server.ts";
import { accreditationCandidate, accreditationPathway, accreditationPathwayVersion } from "./schema.ts";
import { application, supervision } from "./supervision-schema.ts";

// The demo seed on a small stand-in for the Northlake society (the full demo is tested in src/demo).
let app: TestApp;
const NOW = new Date("2026-06-15T12:00:00Z");
const ids: Record<string, string> = {};

beforeAll(async () => {
  app = await createTestApp();
  const org = await createOrganisation(app, { slug: "northlake-balint-society", name: "Northlake" });
  const roles = { a_owner: "owner", b_coord: "coordinator", c_sup: "supervisor", d_sup: "supervisor", e_lead: "leader", f_lead: "leader", g_lead: "leader", h_lead: "leader" } as const;
  for (const [handle, role] of Object.entries(roles)) {
    const p = await signUp(app, { verified: true, email: `${handle}@example.org`, name: handle });
    await addMember(app, org.id, p.id, role);
    ids[handle] = p.id;
  }
  const db = app.services.kernel.db;
  const [pw] = await db.insert(accreditationPathway).values({ organisationId: org.id, key: "leader", name: "Leader" }).returning();
  const [v] = await db.insert(accreditationPathwayVersion).values({ pathwayId: pw!.id, organisationId: org.id, version: 1, status: "published", definition: { title: "Leader", requirements: [{ id: "att", kind: "sessions_attended", label: "Attended", minCount: 5 }] } }).returning();
  await db.insert(accreditationCandidate).values([
    { organisationId: org.id, pathwayId: pw!.id, pathwayVersionId: v!.id, userId: ids["e_lead"]!, enrolledAt: new Date("2025-01-01T00:00:00Z") },
    { organisationId: org.id, pathwayId: pw!.id, pathwayVersionId: v!.id, userId: ids["f_lead"]!, enrolledAt: new Date("2025-02-01T00:00:00Z") },
  ]);
}, 60_000);

afterAll(async () => {
  await app?.close();
});

describe("seedSupervisionAndReviews", () => {
  it("creates supervisions, meetings, reports and applications at different stages", async () => {
    const result = await seedSupervisionAndReviews(app.services, { now: NOW });
    expect(result).toMatchObject({ supervisors: 2, supervisions: 4, reports: 2, applications: 2 });
    const db = app.services.kernel.db;
    const statuses = (await db.select({ status: supervision.status }).from(supervision)).map((s) => s.status).sort();
    expect(statuses).toEqual(["active", "active", "proposed", "requested"]);
    const orgId = (await db.select({ o: supervision.organisationId }).from(supervision))[0]!.o;
    const history = await supervisionHistory(db, orgId, ids["e_lead"]!);
    expect(Object.values(history.meetingsPerYear).reduce((a, b) => a + b, 0)).toBe(12);
    expect(history.latestReport).not.toBeNull();
    const apps = (await db.select({ status: application.status, decision: application.decision }).from(application)).map((a) => `${a.status}:${a.decision}`).sort();
    expect(apps).toEqual(["decided:approve", "in_review:null"]);
    const [c] = await db.select().from(accreditationCandidate).where(eq(accreditationCandidate.userId, ids["e_lead"]!));
    expect(c!.status).toBe("accredited");
  });
});
