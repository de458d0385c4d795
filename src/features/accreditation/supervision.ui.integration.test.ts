// The supervision, committee and application pages without JavaScript: server-rendered, plain forms.
// Needs the UI build: `flock /tmp/bc-build.lock npx react-router build`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { accreditationCandidate, accreditationPathway, accreditationPathwayVersion } from "./schema.ts";
import { application, supervision } from "./supervision-schema.ts";

type Person = Awaited<ReturnType<typeof signUp>>;
let app: TestApp;
let org: { id: string; slug: string };
let owner: Person;
let sara: Person;
let cam: Person;
let bea: Person;
let candidacyId: string;

const post = (path: string, cookie: string, fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
  return app.request(path, { method: "POST", cookie, headers: { "content-type": "application/x-www-form-urlencoded" }, body, redirect: "manual" });
};

beforeAll(async () => {
  app = await createTestApp({ ui: true });
  const made = await orgWithPerson(app, "owner");
  org = made.org;
  owner = made.person;
  sara = await signUp(app, { verified: true, name: "Sara Super" });
  cam = await signUp(app, { verified: true, name: "Cam Candidate" });
  bea = await signUp(app, { verified: true, name: "Bea Member" });
  await addMember(app, org.id, sara.id, "supervisor");
  await addMember(app, org.id, cam.id, "leader");
  await addMember(app, org.id, bea.id, "member");
  const db = app.services.kernel.db;
  const [pw] = await db.insert(accreditationPathway).values({ organisationId: org.id, key: "leader", name: "Balint group leader" }).returning();
  const [v] = await db.insert(accreditationPathwayVersion).values({ pathwayId: pw!.id, organisationId: org.id, version: 1, status: "published", definition: { title: "Leader", requirements: [{ id: "att", kind: "sessions_attended", label: "Attended", minCount: 5 }] } }).returning();
  const [c] = await db.insert(accreditationCandidate).values({ organisationId: org.id, pathwayId: pw!.id, pathwayVersionId: v!.id, userId: cam.id }).returning();
  candidacyId = c!.id;
}, 120_000);
afterAll(async () => app?.close());

describe("supervision page", () => {
  it("lets a supervisor join the list and a candidate ask them", async () => {
    const page = await app.request(`/accreditation/supervision?org=${org.slug}`, { cookie: sara.cookie });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Join the supervisors list");
    const bad = await post(`/accreditation/supervision?org=${org.slug}`, sara.cookie, { orgId: org.id, intent: "optIn", capacity: "-3", languages: "en", mode: "online" });
    expect(bad.status).toBe(400);
    expect((await post(`/accreditation/supervision?org=${org.slug}`, sara.cookie, { orgId: org.id, intent: "optIn", capacity: "2", languages: "en, es", feeText: "USD 900 a year", mode: "both" })).status).toBe(200);
    const member = await (await app.request(`/accreditation/supervision?org=${org.slug}`, { cookie: bea.cookie })).text();
    expect(member).not.toContain("Join the supervisors list");
    expect(member).toContain("Sara Super");
    expect(member).toContain("USD 900 a year");
    expect((await post(`/accreditation/supervision?org=${org.slug}`, cam.cookie, { orgId: org.id, intent: "ask", supervisorUserId: sara.id })).status).toBe(200);
    const rows = await app.services.kernel.db.select().from(supervision).where(eq(supervision.candidateUserId, cam.id));
    expect(rows.map((r) => r.status)).toEqual(["requested"]);
    const saraPage = await (await app.request(`/accreditation/supervision?org=${org.slug}`, { cookie: sara.cookie })).text();
    expect(saraPage).toContain("Propose the agreement");
    expect(saraPage).toContain("1 request");
  });
});

describe("application and committee pages", () => {
  it("requires an explanation, then shows the application; the committee page is for its members", async () => {
    const path = `/o/${org.slug}/accreditation/applications`;
    const form = await (await app.request(path, { cookie: cam.cookie })).text();
    expect(form).toContain("Balint group leader");
    const missing = await post(path, cam.cookie, { intent: "apply", candidateId: candidacyId, explanation: "" });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain("explain why you apply now");
    const ok = await post(path, cam.cookie, { intent: "apply", candidateId: candidacyId, explanation: "My last intensive is booked for the spring." });
    expect(ok.status).toBe(302);
    const [row] = await app.services.kernel.db.select().from(application).where(eq(application.candidateUserId, cam.id));
    expect(ok.headers.get("location")).toBe(`${path}/${row!.id}`);
    expect((await app.request(`${path}/${row!.id}`, { cookie: cam.cookie })).status).toBe(200);
    expect((await app.request(`${path}/${row!.id}`, { cookie: bea.cookie })).status).toBe(404);

    const reviews = `/o/${org.slug}/accreditation/reviews`;
    expect((await app.request(reviews, { cookie: bea.cookie })).status).toBe(403);
    await app.services.accreditationReviews.setCommitteeMember({ kind: "user", userId: owner.id, memberships: new Map([[org.id, "owner"]]) }, org.id, { userId: sara.id, role: "chair" });
    const queue = await app.request(reviews, { cookie: sara.cookie });
    expect(queue.status).toBe(200);
    expect(await queue.text()).toContain("Cam Candidate");
    expect((await post(reviews, sara.cookie, { intent: "assign", id: row!.id, reviewerUserIds: sara.id })).status).toBe(200);
    expect((await post(reviews, sara.cookie, { intent: "decide", id: row!.id, decision: "approve", reasons: "Fine." })).status).toBe(409);
    expect((await post(reviews, sara.cookie, { intent: "recommend", id: row!.id, recommendation: "more_needed", comments: "One more intensive first." })).status).toBe(200);
    expect((await post(reviews, sara.cookie, { intent: "decide", id: row!.id, decision: "more_needed", reasons: "Complete the spring intensive first." })).status).toBe(200);
    const decided = await (await app.request(`${path}/${row!.id}`, { cookie: cam.cookie })).text();
    expect(decided).toContain("Complete the spring intensive first.");
    expect(decided).not.toContain("One more intensive first."); // reviewers' comments stay with the committee
  });
});
