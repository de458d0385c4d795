import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, createOrganisation, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { auditEvent } from "../../platform/audit/schema.ts";
import { membership } from "../../platform/tenancy/schema.ts";
import { apiToken } from "./schema.ts";
import { hashToken } from "./service.server.ts";

interface Created {
  token: string;
  apiToken: { id: string; prefix: string; permissions: string[]; expiresAt: string | null; organisationId: string };
}
interface ErrorShape {
  error: { code: string; message: string; fields?: { path: string; message: string }[] };
}

describe("personal API tokens", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => app?.close());

  async function createToken(cookie: string, body: Record<string, unknown>) {
    return app.request("/api/v1/tokens", { method: "POST", cookie, json: body });
  }

  it("creates a token, shows it once, and stores only its hash and prefix", async () => {
    const { org, person } = await orgWithPerson(app, "admin");
    const res = await createToken(person.cookie, { name: "Reporting script", organisationId: org.id, permissions: ["members:read", "audit:read"], expiresInDays: 30 });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Created;
    expect(body.token).toMatch(/^bc_pat_[A-Za-z0-9_-]{43}$/);
    expect(body.apiToken.prefix).toBe(body.token.slice(0, 12));
    const expires = Date.parse(body.apiToken.expiresAt!);
    expect(Math.abs(expires - (Date.now() + 30 * 86_400_000))).toBeLessThan(5 * 60_000);

    const [row] = await app.services.kernel.db.select().from(apiToken).where(eq(apiToken.id, body.apiToken.id));
    expect(row!.tokenHash).toBe(hashToken(body.token));
    expect(JSON.stringify(row)).not.toContain(body.token);

    const list = await app.request("/api/v1/tokens", { cookie: person.cookie });
    expect(list.status).toBe(200);
    const listed = await list.text();
    expect(listed).toContain(body.apiToken.id);
    expect(listed).not.toContain(body.token);
    expect(listed).not.toContain(row!.tokenHash);
    expect(listed).not.toMatch(/tokenHash/);

    // The token works for what it was given.
    const audit = await app.request(`/api/v1/orgs/${org.id}/audit-events`, { token: body.token });
    expect(audit.status).toBe(200);
    const events = (await audit.json()) as { items: { action: string; targetId: string; details: Record<string, unknown> }[] };
    const created = events.items.find((e) => e.action === "api_token.created");
    expect(created?.targetId).toBe(body.apiToken.id);
    expect(JSON.stringify(events)).not.toContain(body.token);
  });

  it("refuses permissions beyond the person's role, naming `permissions`", async () => {
    const { org, person } = await orgWithPerson(app, "coordinator");
    const res = await createToken(person.cookie, { name: "Too much", organisationId: org.id, permissions: ["members:read", "audit:read"] });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorShape;
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.fields!.map((f) => f.path)).toEqual(["permissions"]);
    expect(await app.services.kernel.db.select().from(apiToken).where(eq(apiToken.userId, person.id))).toHaveLength(0);
  });

  it("validates the input and names each field", async () => {
    const { org, person } = await orgWithPerson(app, "owner");
    const res = await createToken(person.cookie, { name: "", organisationId: org.id, permissions: ["nonsense:do"], expiresInDays: 400 });
    expect(res.status).toBe(400);
    const paths = ((await res.json()) as ErrorShape).error.fields!.map((f) => f.path.split(".")[0]).sort();
    expect(paths).toEqual(["expiresInDays", "name", "permissions"]);
    const zero = await createToken(person.cookie, { name: "x", organisationId: org.id, permissions: ["organisation:read"], expiresInDays: 0 });
    expect(zero.status).toBe(400);
    const never = await createToken(person.cookie, { name: "x", organisationId: org.id, permissions: ["organisation:read"], expiresInDays: null });
    expect(never.status).toBe(201);
    expect(((await never.json()) as Created).apiToken.expiresAt).toBeNull();
  });

  it("will not create a token for an organisation the person is not in", async () => {
    const { person } = await orgWithPerson(app, "owner");
    const other = await createOrganisation(app);
    const res = await createToken(person.cookie, { name: "x", organisationId: other.id, permissions: ["organisation:read"] });
    expect(res.status).toBe(404);
  });

  it("stops working once expired", async () => {
    const { org, person } = await orgWithPerson(app, "owner");
    const { token, apiToken: t } = (await (await createToken(person.cookie, { name: "Short", organisationId: org.id, permissions: ["audit:read"], expiresInDays: 1 })).json()) as Created;
    expect((await app.request(`/api/v1/orgs/${org.id}/audit-events`, { token })).status).toBe(200);
    await app.services.kernel.db.update(apiToken).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiToken.id, t.id));
    const res = await app.request(`/api/v1/orgs/${org.id}/audit-events`, { token });
    expect(res.status).toBe(401);
    expect(((await res.json()) as ErrorShape).error.code).toBe("unauthenticated");
  });

  it("revokes only the person's own tokens and audits it", async () => {
    const { org, person } = await orgWithPerson(app, "owner");
    const stranger = await orgWithPerson(app, "owner");
    const { token, apiToken: t } = (await (await createToken(person.cookie, { name: "Mine", organisationId: org.id, permissions: ["organisation:read", "audit:read"] })).json()) as Created;

    const theirs = await app.request(`/api/v1/tokens/${t.id}`, { method: "DELETE", cookie: stranger.person.cookie });
    expect(theirs.status).toBe(404);
    expect((await app.request(`/api/v1/orgs/${org.id}/audit-events`, { token })).status).toBe(200);

    const mine = await app.request(`/api/v1/tokens/${t.id}`, { method: "DELETE", cookie: person.cookie });
    expect(mine.status).toBe(204);
    expect((await app.request(`/api/v1/orgs/${org.id}/audit-events`, { token })).status).toBe(401);
    const revoked = await app.services.kernel.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, "api_token.revoked"), eq(auditEvent.targetId, t.id)));
    expect(revoked).toHaveLength(1);
    expect(revoked[0]!.organisationId).toBe(org.id);
    expect(JSON.stringify(revoked[0]!.details)).not.toContain(token);
    expect((await app.request(`/api/v1/tokens/not-a-uuid`, { method: "DELETE", cookie: person.cookie })).status).toBe(404);
  });

  it("takes a demotion into account at once: effective permissions shrink", async () => {
    const { org, person } = await orgWithPerson(app, "admin");
    const { token } = (await (await createToken(person.cookie, { name: "Admin script", organisationId: org.id, permissions: ["organisation:read", "audit:read"] })).json()) as Created;
    expect((await app.request(`/api/v1/orgs/${org.id}/audit-events`, { token })).status).toBe(200);
    await app.services.kernel.db.update(membership).set({ role: "member" }).where(and(eq(membership.organisationId, org.id), eq(membership.userId, person.id)));
    const res = await app.request(`/api/v1/orgs/${org.id}/audit-events`, { token });
    expect(res.status).toBe(403);
    // Promotion back restores it; the token never grants more than the role.
    await app.services.kernel.db.update(membership).set({ role: "owner" }).where(and(eq(membership.organisationId, org.id), eq(membership.userId, person.id)));
    expect((await app.request(`/api/v1/orgs/${org.id}/audit-events`, { token })).status).toBe(200);
  });

  it("a removed member's token stops working", async () => {
    const { org, person } = await orgWithPerson(app, "owner");
    const { token } = (await (await createToken(person.cookie, { name: "x", organisationId: org.id, permissions: ["audit:read"] })).json()) as Created;
    await app.services.kernel.db.delete(membership).where(and(eq(membership.organisationId, org.id), eq(membership.userId, person.id)));
    const res = await app.request(`/api/v1/orgs/${org.id}/audit-events`, { token });
    expect(res.status).toBe(401);
  });

  it("a token cannot list, create or revoke tokens", async () => {
    const { org, person } = await orgWithPerson(app, "owner");
    const { token, apiToken: t } = (await (await createToken(person.cookie, { name: "x", organisationId: org.id, permissions: ["organisation:read"] })).json()) as Created;
    const create = await app.request("/api/v1/tokens", { method: "POST", token, json: { name: "child", organisationId: org.id, permissions: ["organisation:read"] } });
    expect(create.status).toBe(403);
    expect(((await create.json()) as ErrorShape).error.code).toBe("forbidden");
    expect((await app.request("/api/v1/tokens", { token })).status).toBe(403);
    expect((await app.request(`/api/v1/tokens/${t.id}`, { method: "DELETE", token })).status).toBe(403);
    expect(await app.services.kernel.db.select().from(apiToken).where(eq(apiToken.userId, person.id))).toHaveLength(1);
  });

  it("answers a malformed or unknown Authorization header with 401 in the shared shape, even with a valid cookie", async () => {
    const { org, person } = await orgWithPerson(app, "owner");
    for (const header of ["Bearer", "Basic dXNlcjpwYXNz", "Bearer bc_pat_short", "Bearer bc_pat_" + "A".repeat(43), "token abc", ""]) {
      const res = await app.request(`/api/v1/orgs/${org.id}/audit-events`, { cookie: person.cookie, headers: { authorization: header } });
      expect(res.status, `Authorization: ${header}`).toBe(401);
      const body = (await res.json()) as ErrorShape;
      expect(body.error.code).toBe("unauthenticated");
      expect(typeof body.error.message).toBe("string");
    }
  });

  it("records last use at most once a minute", async () => {
    const { org, person } = await orgWithPerson(app, "owner");
    const { token, apiToken: t } = (await (await createToken(person.cookie, { name: "x", organisationId: org.id, permissions: ["audit:read"] })).json()) as Created;
    const read = async () => (await app.services.kernel.db.select({ at: apiToken.lastUsedAt }).from(apiToken).where(eq(apiToken.id, t.id)))[0]!.at;
    expect(await read()).toBeNull();
    await app.request(`/api/v1/orgs/${org.id}/audit-events`, { token });
    const first = await read();
    expect(first).toBeInstanceOf(Date);
    await app.request(`/api/v1/orgs/${org.id}/audit-events`, { token });
    expect((await read())!.getTime()).toBe(first!.getTime());
    const old = new Date(Date.now() - 2 * 60_000);
    await app.services.kernel.db.update(apiToken).set({ lastUsedAt: old }).where(eq(apiToken.id, t.id));
    await app.request(`/api/v1/orgs/${org.id}/audit-events`, { token });
    expect((await read())!.getTime()).toBeGreaterThan(old.getTime());
  });

  it("a token is scoped to its organisation even when its person belongs to others", async () => {
    const { org, person } = await orgWithPerson(app, "owner");
    const second = await createOrganisation(app);
    await addMember(app, second.id, person.id, "owner");
    const { token } = (await (await createToken(person.cookie, { name: "x", organisationId: org.id, permissions: ["audit:read"] })).json()) as Created;
    expect((await app.request(`/api/v1/orgs/${second.id}/audit-events`, { cookie: person.cookie })).status).toBe(200);
    expect((await app.request(`/api/v1/orgs/${second.id}/audit-events`, { token })).status).toBe(404);
  });

  it("a new person with no organisation gets an empty list", async () => {
    const p = await signUp(app);
    const res = await app.request("/api/v1/tokens", { cookie: p.cookie });
    expect(await res.json()).toEqual({ items: [] });
    expect((await app.request("/api/v1/tokens")).status).toBe(401);
  });
});
