import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { apiToken } from "./schema.ts";

// Pages of the tokens and audit-log slices, server-rendered, without JavaScript.
// Needs the UI build: `flock /tmp/bc-build.lock node scripts/ensure-build.ts`.
describe("API tokens and audit log pages", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ ui: true });
  });
  afterAll(async () => app?.close());

  const post = (path: string, cookie: string, fields: [string, string][]) =>
    app.request(path, { method: "POST", cookie, headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields), redirect: "manual" });

  it("creates a token through the form, shows it once, lists it, and revokes it", async () => {
    const { org, person } = await orgWithPerson(app, "coordinator");
    const empty = await (await app.request("/account/tokens", { cookie: person.cookie })).text();
    expect(empty).toContain("You have no API tokens");
    // Only what a coordinator may grant is offered.
    expect(empty).toContain('value="members:invite"');
    expect(empty).not.toContain('value="audit:read"');

    const refused = await post("/account/tokens", person.cookie, [["intent", "create"], ["name", "Too much"], ["organisationId", org.id], ["permissions", "audit:read"], ["expiresInDays", "30"]]);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('href="#field-permissions"');

    const created = await post("/account/tokens", person.cookie, [["intent", "create"], ["name", "Attendance script"], ["organisationId", org.id], ["permissions", "members:read"], ["expiresInDays", "30"]]);
    expect(created.status).toBe(200);
    const html = await created.text();
    const token = /value="(bc_pat_[A-Za-z0-9_-]{43})"/.exec(html)?.[1];
    expect(token).toBeDefined();
    expect((await app.request(`/api/v1/orgs/${org.id}/members`, { token })).status).toBe(200);

    const again = await (await app.request("/account/tokens", { cookie: person.cookie })).text();
    expect(again).toContain("Attendance script");
    expect(again).toContain(token!.slice(0, 12));
    expect(again).not.toContain(token!);

    const [row] = await app.services.kernel.db.select({ id: apiToken.id }).from(apiToken).where(eq(apiToken.userId, person.id));
    const revoked = await post("/account/tokens", person.cookie, [["intent", "revoke"], ["tokenId", row!.id]]);
    expect(revoked.status).toBe(200);
    expect((await app.request(`/api/v1/orgs/${org.id}/members`, { token })).status).toBe(401);
  });

  it("shows the audit log to owners, a calm refusal to members, and 404 to outsiders", async () => {
    const { org, person } = await orgWithPerson(app, "owner");
    const member = await signUp(app, { verified: true });
    await addMember(app, org.id, member.id, "member");
    const outsider = await orgWithPerson(app, "owner");
    await app.request("/api/v1/tokens", { method: "POST", cookie: person.cookie, json: { name: "x", organisationId: org.id, permissions: ["audit:read"] } });

    const owner = await app.request(`/o/${org.slug}/audit`, { cookie: person.cookie });
    expect(owner.status).toBe(200);
    const html = await owner.text();
    expect(html).toContain("Created an API token");
    expect(html).toContain(`/api/v1/orgs/${org.id}/audit-events/export`);

    const es = await (await app.request(`/o/${org.slug}/audit`, { cookie: person.cookie, headers: { "accept-language": "es" } })).text();
    expect(es).toContain("Creó un token de API");

    const asMember = await app.request(`/o/${org.slug}/audit`, { cookie: member.cookie });
    expect(asMember.status).toBe(200);
    const memberHtml = await asMember.text();
    expect(memberHtml).toContain("Only owners and administrators can read the audit log");
    expect(memberHtml).not.toContain("Created an API token");

    expect((await app.request(`/o/${org.slug}/audit`, { cookie: outsider.person.cookie })).status).toBe(404);
    const anonymous = await app.request(`/o/${org.slug}/audit`, { redirect: "manual" });
    expect(anonymous.status).toBe(302);
  });
});
