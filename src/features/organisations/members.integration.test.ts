import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, count, eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { auditEvent } from "../../platform/audit/schema.ts";
import { membership, organisation, type Role } from "../../platform/tenancy/schema.ts";

type ErrorJson = { error: { code: string; message: string; fields?: { path: string; message: string }[] } };

describe("organisations and members", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => app?.close());

  const db = () => app.services.kernel.db;

  async function roleOf(orgId: string, userId: string): Promise<Role | null> {
    const [row] = await db().select({ role: membership.role }).from(membership).where(and(eq(membership.organisationId, orgId), eq(membership.userId, userId)));
    return row?.role ?? null;
  }
  async function owners(orgId: string) {
    const [row] = await db().select({ n: count() }).from(membership).where(and(eq(membership.organisationId, orgId), eq(membership.role, "owner")));
    return row!.n;
  }
  async function person(orgId: string, role: Role, name?: string) {
    const p = await signUp(app, { verified: true, ...(name ? { name } : {}) });
    await addMember(app, orgId, p.id, role);
    return p;
  }
  const patchRole = (orgId: string, userId: string, role: string, cookie: string) =>
    app.request(`/api/v1/orgs/${orgId}/members/${userId}`, { method: "PATCH", cookie, json: { role } });

  it("lists my organisations with my role, and shows an organisation only to its members", async () => {
    const { org, person: owner } = await orgWithPerson(app, "owner");
    const mine = (await (await app.request("/api/v1/orgs", { cookie: owner.cookie })).json()) as { items: { organisationId: string; role: string }[] };
    expect(mine.items).toEqual([expect.objectContaining({ organisationId: org.id, role: "owner" })]);
    const one = await app.request(`/api/v1/orgs/${org.id}`, { cookie: owner.cookie });
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ id: org.id, myRole: "owner", settings: { minimumCellSize: 5 } });

    const outsider = await signUp(app, { verified: true });
    expect((await app.request(`/api/v1/orgs/${org.id}`, { cookie: outsider.cookie })).status).toBe(404);
    expect((await app.request(`/api/v1/orgs/${org.id}`)).status).toBe(401);
    expect((await app.request("/api/v1/orgs/not-a-uuid", { cookie: owner.cookie })).status).toBe(400);
  });

  it("a member cannot list members (403); an outsider gets 404; a coordinator can", async () => {
    const { org } = await orgWithPerson(app, "owner");
    const member = await person(org.id, "member");
    const coordinator = await person(org.id, "coordinator");
    const outsider = await signUp(app, { verified: true });
    expect((await app.request(`/api/v1/orgs/${org.id}/members`, { cookie: member.cookie })).status).toBe(403);
    expect((await app.request(`/api/v1/orgs/${org.id}/members`, { cookie: outsider.cookie })).status).toBe(404);
    const ok = await app.request(`/api/v1/orgs/${org.id}/members`, { cookie: coordinator.cookie });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { total: number }).total).toBe(3);
  });

  it("searches, filters by role and pages in a stable order", async () => {
    const { org, person: owner } = await orgWithPerson(app, "owner");
    for (const name of ["Carla Ruiz", "ana Lopez", "Bruno Diaz", "Dana 100%"]) await person(org.id, "leader", name);
    type PageJson = { items: { name: string; role: string }[]; page: number; pageSize: number; total: number };
    const get = async (query: string) => (await (await app.request(`/api/v1/orgs/${org.id}/members${query}`, { cookie: owner.cookie })).json()) as PageJson;

    const leaders = await get("?role=leader&pageSize=2");
    expect(leaders.total).toBe(4);
    expect(leaders.items.map((i) => i.name)).toEqual(["ana Lopez", "Bruno Diaz"]);
    const page2 = await get("?role=leader&pageSize=2&page=2");
    expect(page2.items.map((i) => i.name)).toEqual(["Carla Ruiz", "Dana 100%"]);

    expect((await get("?q=RUIZ")).items.map((i) => i.name)).toEqual(["Carla Ruiz"]);
    expect((await get("?q=100%25")).items.map((i) => i.name)).toEqual(["Dana 100%"]);
    expect((await get("?q=%25")).items.map((i) => i.name)).toEqual(["Dana 100%"]); // % is literal, not a wildcard

    const bad = await app.request(`/api/v1/orgs/${org.id}/members?role=king&pageSize=1000`, { cookie: owner.cookie });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorJson).error.fields!.map((f) => f.path).sort()).toEqual(["pageSize", "role"]);
  });

  it("changes a role, emails the person and audits old and new role", async () => {
    const { org, person: admin } = await orgWithPerson(app, "admin");
    const member = await person(org.id, "member");
    const res = await patchRole(org.id, member.id, "leader", admin.cookie);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ userId: member.id, role: "leader" });
    expect(await roleOf(org.id, member.id)).toBe("leader");
    const mail = await app.waitForMail(member.email, /role/i);
    expect(mail.text).toContain("group leader");
    const [audit] = await db().select().from(auditEvent).where(and(eq(auditEvent.organisationId, org.id), eq(auditEvent.action, "member.role_changed")));
    expect(audit!.details).toEqual({ oldRole: "member", newRole: "leader" });
  });

  it("an admin cannot demote or remove an owner, nor make an owner; a coordinator cannot change roles", async () => {
    const { org, person: owner } = await orgWithPerson(app, "owner");
    const admin = await person(org.id, "admin");
    const coordinator = await person(org.id, "coordinator");
    const member = await person(org.id, "member");
    expect((await patchRole(org.id, owner.id, "member", admin.cookie)).status).toBe(403);
    expect((await patchRole(org.id, member.id, "owner", admin.cookie)).status).toBe(403);
    expect((await app.request(`/api/v1/orgs/${org.id}/members/${owner.id}`, { method: "DELETE", cookie: admin.cookie })).status).toBe(403);
    expect((await patchRole(org.id, member.id, "leader", coordinator.cookie)).status).toBe(403);
    expect(await roleOf(org.id, owner.id)).toBe("owner");
    expect(await roleOf(org.id, member.id)).toBe("member");
  });

  it("the last owner cannot be demoted, removed or leave", async () => {
    const { org, person: owner } = await orgWithPerson(app, "owner");
    const demote = await patchRole(org.id, owner.id, "admin", owner.cookie);
    expect(demote.status).toBe(409);
    expect(((await demote.json()) as ErrorJson).error.message).toMatch(/only owner/);
    const leave = await app.request(`/api/v1/orgs/${org.id}/members/${owner.id}`, { method: "DELETE", cookie: owner.cookie });
    expect(leave.status).toBe(409);
    await expect(app.services.organisations.leave({ kind: "user", userId: owner.id, memberships: new Map([[org.id, "owner"]]) }, org.id)).rejects.toMatchObject({ code: "conflict" });
    expect(await roleOf(org.id, owner.id)).toBe("owner");

    // With a second owner, one may step down.
    const second = await person(org.id, "owner");
    expect((await patchRole(org.id, owner.id, "admin", second.cookie)).status).toBe(200);
    const removeLast = await app.request(`/api/v1/orgs/${org.id}/members/${second.id}`, { method: "DELETE", cookie: second.cookie });
    expect(removeLast.status).toBe(409);
    expect(await owners(org.id)).toBe(1);
  });

  it("two owners stepping down at the same time leave one owner", async () => {
    for (let round = 0; round < 3; round++) {
      const { org, person: a } = await orgWithPerson(app, "owner");
      const b = await person(org.id, "owner");
      const results = await Promise.all([patchRole(org.id, a.id, "member", a.cookie), patchRole(org.id, b.id, "member", b.cookie)]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(await owners(org.id)).toBe(1);
    }
  });

  it("two owners demoting each other at the same time leave one owner", async () => {
    const { org, person: a } = await orgWithPerson(app, "owner");
    const b = await person(org.id, "owner");
    const results = await Promise.all([patchRole(org.id, a.id, "member", b.cookie), patchRole(org.id, b.id, "member", a.cookie)]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses[0]).toBe(200);
    // The loser was demoted a moment earlier, so it may no longer change roles at all (403).
    expect([403, 409]).toContain(statuses[1]);
    expect(await owners(org.id)).toBe(1);
  });

  it("two owners leaving at the same time leave one owner; so do two owners removing each other", async () => {
    const { org, person: a } = await orgWithPerson(app, "owner");
    const b = await person(org.id, "owner");
    const leaving = await Promise.all([
      app.request(`/api/v1/orgs/${org.id}/members/${a.id}`, { method: "DELETE", cookie: a.cookie }),
      app.request(`/api/v1/orgs/${org.id}/members/${b.id}`, { method: "DELETE", cookie: b.cookie }),
    ]);
    expect(leaving.map((r) => r.status).sort()).toEqual([204, 409]);
    expect(await owners(org.id)).toBe(1);

    const other = await orgWithPerson(app, "owner");
    const c = await person(other.org.id, "owner");
    const removing = await Promise.all([
      app.request(`/api/v1/orgs/${other.org.id}/members/${other.person.id}`, { method: "DELETE", cookie: c.cookie }),
      app.request(`/api/v1/orgs/${other.org.id}/members/${c.id}`, { method: "DELETE", cookie: other.person.cookie }),
    ]);
    const statuses = removing.map((r) => r.status).sort();
    expect(statuses[0]).toBe(204);
    // The loser is no longer a member by the time its request runs (404), or hits the last-owner rule (409).
    expect([404, 409]).toContain(statuses[1]);
    expect(await owners(other.org.id)).toBe(1);
  });

  it("removes a member and lets a member leave, with audit entries", async () => {
    const { org, person: owner } = await orgWithPerson(app, "owner");
    const member = await person(org.id, "member");
    const leaver = await person(org.id, "leader");
    expect((await app.request(`/api/v1/orgs/${org.id}/members/${member.id}`, { method: "DELETE", cookie: owner.cookie })).status).toBe(204);
    expect(await roleOf(org.id, member.id)).toBeNull();
    expect((await app.request(`/api/v1/orgs/${org.id}/members/${leaver.id}`, { method: "DELETE", cookie: leaver.cookie })).status).toBe(204);
    expect(await roleOf(org.id, leaver.id)).toBeNull();
    const actions = (await db().select({ action: auditEvent.action }).from(auditEvent).where(eq(auditEvent.organisationId, org.id))).map((r) => r.action).sort();
    expect(actions).toEqual(["member.left", "member.removed"]);
  });

  it("user ids from another organisation are 404 and change nothing", async () => {
    const a = await orgWithPerson(app, "owner");
    const b = await orgWithPerson(app, "owner");
    const inB = await person(b.org.id, "member");
    expect((await patchRole(a.org.id, inB.id, "leader", a.person.cookie)).status).toBe(404);
    expect((await app.request(`/api/v1/orgs/${a.org.id}/members/${inB.id}`, { method: "DELETE", cookie: a.person.cookie })).status).toBe(404);
    expect((await patchRole(b.org.id, inB.id, "leader", a.person.cookie)).status).toBe(404);
    expect(await roleOf(b.org.id, inB.id)).toBe("member");
  });

  it("updates settings, audits only the changed field names, and refuses bad input without changing anything", async () => {
    const { org, person: owner } = await orgWithPerson(app, "owner");
    const patch = (json: unknown, cookie = owner.cookie) => app.request(`/api/v1/orgs/${org.id}`, { method: "PATCH", cookie, json });

    const ok = await patch({ name: "Sociedad Balint de Prueba", timeZone: "America/Mexico_City", settings: { minimumCellSize: 8, supportUrl: "https://help.example.org/support" } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ name: "Sociedad Balint de Prueba", timeZone: "America/Mexico_City", settings: { minimumCellSize: 8, supportUrl: "https://help.example.org/support", contactEmail: null } });
    const [audit] = await db().select().from(auditEvent).where(and(eq(auditEvent.organisationId, org.id), eq(auditEvent.action, "organisation.updated")));
    expect(audit!.details).toEqual({ fields: "name timeZone minimumCellSize supportUrl" });

    for (const [body, field] of [
      [{ settings: { minimumCellSize: 3 } }, "settings.minimumCellSize"],
      [{ settings: { minimumCellSize: 5.5 } }, "settings.minimumCellSize"],
      [{ settings: { supportUrl: "http://insecure.example.org" } }, "settings.supportUrl"],
      [{ settings: { contactEmail: "nope" } }, "settings.contactEmail"],
      [{ timeZone: "Mars/Olympus" }, "timeZone"],
      [{ defaultLocale: "fr" }, "defaultLocale"],
      [{ name: "Renamed", settings: { minimumCellSize: 3 } }, "settings.minimumCellSize"],
    ] as const) {
      const res = await patch(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as ErrorJson).error.fields!.map((f) => f.path)).toEqual([field]);
    }
    const [row] = await db().select().from(organisation).where(eq(organisation.id, org.id));
    expect(row!.name).toBe("Sociedad Balint de Prueba");
    expect(row!.settings).toEqual({ minimumCellSize: 8, supportUrl: "https://help.example.org/support" });

    // Clearing, and permissions.
    const cleared = await patch({ settings: { supportUrl: null } });
    expect(((await cleared.json()) as { settings: { supportUrl: string | null } }).settings.supportUrl).toBeNull();
    const coordinator = await person(org.id, "coordinator");
    expect((await patch({ name: "Nope" }, coordinator.cookie)).status).toBe(403);
    const outsider = await signUp(app, { verified: true });
    expect((await patch({ name: "Nope" }, outsider.cookie)).status).toBe(404);
  });

  it("documents every route in the OpenAPI description", async () => {
    const doc = (await (await app.request("/api/v1/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
    const expected: Record<string, string[]> = {
      "/orgs": ["get"],
      "/orgs/{orgId}": ["get", "patch"],
      "/orgs/{orgId}/members": ["get"],
      "/orgs/{orgId}/members/{userId}": ["patch", "delete"],
      "/orgs/{orgId}/invitations": ["get", "post"],
      "/orgs/{orgId}/invitations/{invitationId}": ["delete"],
      "/orgs/{orgId}/invitations/{invitationId}/resend": ["post"],
      "/invitations/{token}": ["get"],
      "/invitations/{token}/accept": ["post"],
    };
    for (const [path, methods] of Object.entries(expected)) {
      for (const m of methods) expect(doc.paths[path]?.[m], `${m} ${path}`).toBeDefined();
    }
  });
});
