// The accreditation pages without JavaScript: server-rendered, plain form posts (enrol, evidence
// with an upload, coordinator install / verify). Needs the UI build:
// `flock /tmp/bc-build.lock npx react-router build`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { accreditationEvidence } from "./schema.ts";

type Person = Awaited<ReturnType<typeof signUp>>;
let app: TestApp;
let org: { id: string; slug: string };
let coordinator: Person;
let cand: Person;
const post = (path: string, cookie: string, body: URLSearchParams | FormData) => app.request(path, { method: "POST", cookie, body, redirect: "manual" });

beforeAll(async () => {
  app = await createTestApp({ ui: true });
  const made = await orgWithPerson(app, "coordinator");
  org = made.org;
  coordinator = made.person;
  cand = await signUp(app, { verified: true, name: "Cam Candidate" });
  await addMember(app, org.id, cand.id, "leader");
}, 60_000);
afterAll(async () => app?.close());

describe("accreditation pages", () => {
  it("lets a coordinator install the examples, a candidate enrol and add evidence with a file, and the coordinator verify it", async () => {
    let res = await post(`/o/${org.slug}/accreditation`, coordinator.cookie, new URLSearchParams({ intent: "examples" }));
    expect(res.status).toBe(200);
    const admin = await (await app.request(`/o/${org.slug}/accreditation`, { cookie: coordinator.cookie })).text();
    expect(admin).toContain("abs-leader");
    expect(admin).toContain("Example — check against the society");

    const mine = await (await app.request("/accreditation", { cookie: cand.cookie })).text();
    expect(mine).toContain("Balint group leader (ABS-like example)");
    const absAt = mine.indexOf("Balint group leader (ABS-like example)");
    const pathwayId = /name="pathwayId" value="([0-9a-f-]{36})"/.exec(mine.slice(absAt))![1]!;
    res = await post("/accreditation", cand.cookie, new URLSearchParams({ intent: "enrol", organisationId: org.id, pathwayId }));
    expect(res.status).toBe(200);
    const enrolled = await (await app.request("/accreditation", { cookie: cand.cookie })).text();
    expect(enrolled).toContain("Lead or co-lead at least monthly for two years");
    const candidateId = /name="candidateId" value="([0-9a-f-]{36})"/.exec(enrolled)![1]!;

    const form = new FormData();
    for (const [k, v] of Object.entries({ intent: "evidence", organisationId: org.id, candidateId, kind: "verified_item", requirementId: "agreement", description: "signed supervisor agreement", occurredOn: "2026-01-05" })) form.set(k, v);
    form.set("file", new Blob([new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x34, 0x0a, 0x00, 0xff])], { type: "application/pdf" }), "agreement.pdf");
    res = await post("/accreditation", cand.cookie, form);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("it counts once verified");
    const [row] = await app.services.kernel.db.select().from(accreditationEvidence).where(eq(accreditationEvidence.candidateId, candidateId));
    expect(row).toMatchObject({ status: "pending", fileType: "application/pdf" });

    const queue = await (await app.request(`/o/${org.slug}/accreditation`, { cookie: coordinator.cookie })).text();
    expect(queue).toContain("signed supervisor agreement");
    res = await post(`/o/${org.slug}/accreditation`, coordinator.cookie, new URLSearchParams({ intent: "decide", id: row!.id, decision: "verify" }));
    expect(res.status).toBe(200);
    const [after] = await app.services.kernel.db.select().from(accreditationEvidence).where(eq(accreditationEvidence.id, row!.id));
    expect(after!.status).toBe("verified");
  });

  it("shows an invalid definition as an error without saving, and keeps members out of the coordinator page", async () => {
    const admin = await (await app.request(`/o/${org.slug}/accreditation`, { cookie: coordinator.cookie })).text();
    const pathwayId = /name="id" value="([0-9a-f-]{36})"/.exec(admin)![1]!;
    const res = await post(`/o/${org.slug}/accreditation`, coordinator.cookie, new URLSearchParams({ intent: "draft", id: pathwayId, definition: "{ not json" }));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("not valid JSON");
    const member = await app.request(`/o/${org.slug}/accreditation`, { cookie: cand.cookie });
    expect(member.status).toBe(403);
  });
});
