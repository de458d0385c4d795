import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { accreditationCandidate, accreditationPathway, accreditationPathwayVersion } from "./schema.ts";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ ui: true });
}, 60_000);
afterAll(async () => app?.close());

const page = (path: string, cookie?: string) => app.request(path, { ...(cookie ? { cookie } : {}), redirect: "manual" });
const post = (path: string, fields: Record<string, string>, cookie?: string) =>
  app.request(path, { method: "POST", ...(cookie ? { cookie } : {}), body: new URLSearchParams(fields), headers: { "content-type": "application/x-www-form-urlencoded" }, redirect: "manual" });

it("verification page, the holder's page with listing control, and the public /leaders directory", async () => {
  const { org, person: coordinator } = await orgWithPerson(app, "coordinator");
  const holder = await signUp(app, { verified: true, name: "Dr Page Holder" });
  await addMember(app, org.id, holder.id, "leader");
  const db = app.services.kernel.db;
  const [pathway] = await db.insert(accreditationPathway).values({ organisationId: org.id, key: "leader", name: "Balint group leader" }).returning();
  const [version] = await db.insert(accreditationPathwayVersion).values({ pathwayId: pathway!.id, organisationId: org.id, version: 1, status: "published", definition: { title: "Balint group leader", requirements: [] } }).returning();
  const [candidate] = await db.insert(accreditationCandidate).values({ organisationId: org.id, pathwayId: pathway!.id, pathwayVersionId: version!.id, userId: holder.id }).returning();
  const res = await app.request(`/api/v1/orgs/${org.id}/candidates/${candidate!.id}/credentials`, {
    method: "POST",
    cookie: coordinator.cookie,
    json: { achievement: { name: "Accredited leader (page)", description: "Leads groups.", criteria: "Pathway met." }, validUntil: "2040-01-01" },
  });
  const issued = (await res.json()) as { id: string; jwt: string };

  // Public verification by link: valid, shows who and what.
  const byLink = await page(`/verify/credential/${issued.id}`);
  expect(byLink.status).toBe(200);
  const html = await byLink.text();
  expect(html).toContain('data-status="valid"');
  expect(html).toContain("Dr Page Holder");
  expect(html).toContain("Accredited leader (page)");
  expect((await page("/verify/credential/00000000-0000-4000-8000-000000000000")).status).toBe(404);

  // Pasted, without JavaScript: valid, then a tampered copy fails.
  const pasted = await post("/verify/credential", { credential: issued.jwt });
  expect(pasted.status).toBe(200);
  expect(await pasted.text()).toContain('data-status="valid"');
  const [h, p, s] = issued.jwt.split(".") as [string, string, string];
  const forged = JSON.parse(Buffer.from(p, "base64url").toString());
  forged.credentialSubject.identifier[0].identityHash = "Mallory";
  const bad = await post("/verify/credential", { credential: `${h}.${Buffer.from(JSON.stringify(forged)).toString("base64url")}.${s}` });
  expect(await bad.text()).toContain('data-status="tampered"');

  // Uploaded as the downloaded JSON file (multipart), without JavaScript.
  const download = await app.request(`/api/v1/credentials/${issued.id}/download?format=json`, { cookie: holder.cookie });
  const upload = new FormData();
  upload.set("credential", "");
  upload.set("file", new File([await download.text()], "credential.json", { type: "application/json" }));
  const uploaded = await app.request("/verify/credential", { method: "POST", body: upload, redirect: "manual" });
  expect(uploaded.status).toBe(200);
  expect(await uploaded.text()).toContain('data-status="valid"');

  // The holder's page: the credential and a listing form; publishing shows them on /leaders.
  const mine = await page("/account/credentials", holder.cookie);
  expect(mine.status).toBe(200);
  expect(await mine.text()).toContain(`/api/v1/credentials/${issued.id}/download?format=json`);
  expect((await page("/account/credentials")).status).toBe(302);
  const saved = await post("/account/credentials", { organisationId: org.id, intent: "save", displayName: "Dr Page Holder", languages: "en, es", region: "Cádiz", online: "on", published: "on" }, holder.cookie);
  expect(saved.status).toBe(200);
  const leaders = await page("/leaders?q=Page%20Holder&online=1");
  expect(leaders.status).toBe(200);
  const leadersHtml = await leaders.text();
  expect(leadersHtml).toContain("Dr Page Holder");
  expect(leadersHtml).toContain(`/verify/credential/${issued.id}`);
  expect(await (await page("/leaders?q=Page%20Holder&inPerson=1")).text()).not.toContain("Dr Page Holder");
  // A bad filter is a 400, not a 500.
  expect((await page("/leaders?language=%21%21")).status).toBe(400);
});

it("coordinators see the organisation's credentials and revoke one with a reason, without JavaScript; members cannot", async () => {
  const { org, person: coordinator } = await orgWithPerson(app, "coordinator");
  const holder = await signUp(app, { verified: true, name: "Dr Revoke Holder" });
  await addMember(app, org.id, holder.id, "leader");
  const db = app.services.kernel.db;
  const [pathway] = await db.insert(accreditationPathway).values({ organisationId: org.id, key: "leader", name: "Balint group leader" }).returning();
  const [version] = await db.insert(accreditationPathwayVersion).values({ pathwayId: pathway!.id, organisationId: org.id, version: 1, status: "published", definition: { title: "Balint group leader", requirements: [] } }).returning();
  const [candidate] = await db.insert(accreditationCandidate).values({ organisationId: org.id, pathwayId: pathway!.id, pathwayVersionId: version!.id, userId: holder.id }).returning();
  const res = await app.request(`/api/v1/orgs/${org.id}/candidates/${candidate!.id}/credentials`, {
    method: "POST",
    cookie: coordinator.cookie,
    json: { achievement: { name: "Accredited leader (admin)", description: "Leads groups.", criteria: "Pathway met." }, validUntil: "2040-01-01" },
  });
  const issued = (await res.json()) as { id: string };
  const list = await page(`/o/${org.slug}/accreditation/credentials`, coordinator.cookie);
  expect(list.status).toBe(200);
  const html = await list.text();
  expect(html).toContain("Dr Revoke Holder");
  expect(html).toContain("Accredited leader (admin)");
  // A reason outside the codes is refused and nothing changes.
  const bad = await post(`/o/${org.slug}/accreditation/credentials`, { id: issued.id, reason: "because I said so" }, coordinator.cookie);
  expect(bad.status).toBe(400);
  expect(await (await page(`/verify/credential/${issued.id}`)).text()).toContain('data-status="valid"');
  // A member of the organisation cannot see or revoke.
  const member = await signUp(app, { verified: true });
  await addMember(app, org.id, member.id, "member");
  expect([403, 404]).toContain((await page(`/o/${org.slug}/accreditation/credentials`, member.cookie)).status);
  expect([403, 404]).toContain((await post(`/o/${org.slug}/accreditation/credentials`, { id: issued.id, reason: "other" }, member.cookie)).status);
  const ok = await post(`/o/${org.slug}/accreditation/credentials`, { id: issued.id, reason: "issued_in_error" }, coordinator.cookie);
  expect(ok.status).toBe(200);
  expect(await ok.text()).toContain("The credential is revoked");
  expect(await (await page(`/verify/credential/${issued.id}`)).text()).toContain('data-status="revoked"');
});
