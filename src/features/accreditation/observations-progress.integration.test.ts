// Faculty observations at events count toward accreditation (issue 6 → issue 7): a pathway with a
// `faculty_observations` requirement counts the candidate's observations in the candidate's
// organisation (from the events slice's observationsOf), with and without a competency threshold;
// observations in another organisation do not count. Runs on PGlite and on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { event } from "../events/schema.ts";
import { eventObservation, eventObservationRating } from "../events/observation-schema.ts";

type Person = Awaited<ReturnType<typeof signUp>>;
let app: TestApp;
let orgId: string;
let otherOrgId: string;
let coordinator: Person;
let cand: Person;
let candidateId: string;

const api = (path: string) => `/api/v1/orgs/${orgId}/accreditation${path}`;
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

async function intensive(org: string, slug: string) {
  const [ev] = await app.services.kernel.db
    .insert(event)
    .values({ organisationId: org, kind: "intensive", slug, title: `Intensive ${slug}`, language: "en", timeZone: "UTC", format: "in_person", venue: "Hall", capacity: 20, ceHours: 8, status: "published" })
    .returning();
  return ev!.id;
}
async function observe(org: string, eventId: string, ratings: Record<string, number>, observedOn = yesterday) {
  const [o] = await app.services.kernel.db.insert(eventObservation).values({ organisationId: org, eventId, leaderUserId: cand.id, observedOn, narrative: "Kept the frame." }).returning();
  await app.services.kernel.db.insert(eventObservationRating).values(Object.entries(ratings).map(([competency, level]) => ({ observationId: o!.id, competency, level })));
}
async function requirements() {
  const res = await app.request(api(`/candidates/${candidateId}`), { cookie: cand.cookie });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { evaluation: { requirements: { id: string; done: number; required: number; met: boolean }[] } };
  return Object.fromEntries(body.evaluation.requirements.map((r) => [r.id, [r.done, r.required, r.met]]));
}

beforeAll(async () => {
  app = await createTestApp();
  const a = await orgWithPerson(app, "owner");
  orgId = a.org.id;
  otherOrgId = (await orgWithPerson(app, "owner")).org.id;
  coordinator = await signUp(app, { verified: true, name: "Coco Coordinator" });
  await addMember(app, orgId, coordinator.id, "coordinator");
  cand = await signUp(app, { verified: true, name: "Lena Leader" });
  await addMember(app, orgId, cand.id, "leader");
  const definition = {
    title: "Observed leader (test)",
    requirements: [
      { id: "observed", kind: "faculty_observations", label: "Observed twice by faculty", minCount: 2 },
      { id: "observed-well", kind: "faculty_observations", label: "Observed at level 3+ on safety and group process", minCount: 1, competencies: ["safety", "group_process"], minLevel: 3 },
    ],
  };
  const bad = await app.request(api("/pathways"), { method: "POST", cookie: coordinator.cookie, json: { key: "observed-bad", name: "Bad", definition: { ...definition, requirements: [{ ...definition.requirements[1], minLevel: 5 }] } } });
  expect(bad.status).toBe(400);
  expect(JSON.stringify(await bad.json())).toContain("definition.requirements.0.minLevel");
  const res = await app.request(api("/pathways"), { method: "POST", cookie: coordinator.cookie, json: { key: "observed", name: "Observed leader", definition } });
  expect(res.status).toBe(201);
  const created = (await res.json()) as { id: string; versionId: string };
  expect((await app.request(api(`/pathways/${created.id}/versions/${created.versionId}/publish`), { method: "POST", cookie: coordinator.cookie })).status).toBe(200);
  const enrolled = await app.request(api("/candidates"), { method: "POST", cookie: cand.cookie, json: { pathwayId: created.id } });
  expect(enrolled.status).toBe(201);
  candidateId = ((await enrolled.json()) as { id: string }).id;
}, 60_000);
afterAll(async () => app?.close());

describe("faculty observations in accreditation progress", () => {
  it("counts observations in the organisation, with the competency threshold where given", async () => {
    expect(await requirements()).toEqual({ observed: [0, 2, false], "observed-well": [0, 1, false] });
    const ev = await intensive(orgId, "obs-one");
    await observe(orgId, ev, { safety: 4, group_process: 2 });
    expect(await requirements()).toEqual({ observed: [1, 2, false], "observed-well": [0, 1, false] });
    // Another organisation's observation does not count here.
    await observe(otherOrgId, await intensive(otherOrgId, "obs-elsewhere"), { safety: 4, group_process: 4 });
    expect(await requirements()).toEqual({ observed: [1, 2, false], "observed-well": [0, 1, false] });
    await observe(orgId, ev, { safety: 3, group_process: 3, boundaries: 1 });
    expect(await requirements()).toEqual({ observed: [2, 2, true], "observed-well": [1, 1, true] });
  });
});
