/**
 * The proof that nobody reaches another organisation's data. Every operation in the served
 * OpenAPI document is exercised, so routes added later are covered without touching this file:
 *   - operations with {orgId}: called with organisation B's id as A's owner (cookie), as an API
 *     token scoped to A holding every permission, as a token scoped to A whose person is also
 *     B's owner, and anonymously;
 *   - operations without {orgId} that take other ids: called with B's ids as A's owner.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createTestApp } from "../support/test-app.ts";
import { STRONG_PASSWORD, addMember, orgWithPerson, signUp, uniqueEmail } from "../support/factories.ts";
import { recordAudit } from "../../src/platform/audit/audit.server.ts";
import { PERMISSIONS } from "../../src/platform/policy/permissions.ts";
import { membership, organisation } from "../../src/platform/tenancy/schema.ts";
import { invitation } from "../../src/features/organisations/schema.ts";
import { apiToken } from "../../src/features/api-tokens/schema.ts";

type JsonSchema = Record<string, unknown>;
interface Operation {
  method: string;
  path: string;
  params: string[];
  body: JsonSchema | null;
}

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

// Booted while collecting, so that every operation becomes its own named test.
const app = await createTestApp();
const doc = (await (await app.request("/api/v1/openapi.json")).json()) as {
  paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> } }>>;
  components?: { schemas?: Record<string, JsonSchema> };
};

const operations: Operation[] = [];
for (const [path, item] of Object.entries(doc.paths)) {
  for (const method of METHODS) {
    const op = item[method];
    if (!op) continue;
    const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const json = op.requestBody?.content?.["application/json"]?.schema ?? null;
    operations.push({ method: method.toUpperCase(), path, params, body: json });
  }
}
const orgOperations = operations.filter((o) => o.params.includes("orgId"));
const idOperations = operations.filter((o) => !o.params.includes("orgId") && o.params.length > 0);
const plainReads = operations.filter((o) => o.params.length === 0 && o.method === "GET" && !o.path.endsWith("openapi.json"));
const label = (o: Operation) => `${o.method} ${o.path}`;

// ---- a schema-valid-looking body, from the JSON Schema in the OpenAPI document ----

function resolve(schema: JsonSchema): JsonSchema {
  const ref = schema["$ref"];
  if (typeof ref === "string") {
    const name = ref.replace("#/components/schemas/", "");
    return resolve(doc.components?.schemas?.[name] ?? {});
  }
  return schema;
}

const BY_NAME: Record<string, unknown> = {
  timeZone: "UTC",
  locale: "en",
  defaultLocale: "en",
  password: STRONG_PASSWORD,
  ownerPassword: STRONG_PASSWORD,
  newPassword: STRONG_PASSWORD,
  currentPassword: STRONG_PASSWORD,
  slug: "isolation-probe",
  role: "member",
};

function sampleString(schema: JsonSchema, name: string): string {
  if (typeof BY_NAME[name] === "string") return BY_NAME[name] as string;
  const format = schema["format"];
  if (format === "email" || /email/i.test(name)) return uniqueEmail("probe");
  if (format === "uuid") return randomUUID();
  if (format === "date-time") return new Date(Date.now() + 7 * 86_400_000).toISOString();
  if (format === "date") return new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  if (format === "uri" || format === "url" || /url/i.test(name)) return "https://example.org/support";
  const minLength = typeof schema["minLength"] === "number" ? schema["minLength"] : 1;
  const maxLength = typeof schema["maxLength"] === "number" ? schema["maxLength"] : 200;
  const candidates = ["Isolation probe", "isolation-probe", "probe", "en", "UTC", "2030-01-01", "10:00", "a".repeat(Math.max(minLength, 1))];
  const pattern = typeof schema["pattern"] === "string" ? new RegExp(schema["pattern"], "u") : null;
  const fits = (c: string) => c.length >= minLength && c.length <= maxLength && (!pattern || pattern.test(c));
  return candidates.find(fits) ?? "a".repeat(minLength);
}

function sample(raw: JsonSchema, name = "", depth = 0): unknown {
  const schema = resolve(raw);
  if (depth > 6) return null;
  if ("const" in schema) return schema["const"];
  if (Array.isArray(schema["enum"])) return schema["enum"][0];
  if (name in BY_NAME && typeof BY_NAME[name] !== "string") return BY_NAME[name];
  for (const key of ["anyOf", "oneOf"]) {
    const options = schema[key];
    if (Array.isArray(options)) {
      const choice = (options as JsonSchema[]).find((o) => resolve(o)["type"] !== "null") ?? options[0];
      return sample(choice as JsonSchema, name, depth + 1);
    }
  }
  if (Array.isArray(schema["allOf"])) {
    return Object.assign({}, ...(schema["allOf"] as JsonSchema[]).map((s) => sample(s, name, depth + 1) as object));
  }
  const type = Array.isArray(schema["type"]) ? (schema["type"] as string[]).find((t) => t !== "null") : schema["type"];
  switch (type) {
    case "object": {
      const props = (schema["properties"] ?? {}) as Record<string, JsonSchema>;
      const required = (schema["required"] ?? []) as string[];
      return Object.fromEntries(required.filter((k) => props[k]).map((k) => [k, sample(props[k]!, k, depth + 1)]));
    }
    case "array": {
      const n = typeof schema["minItems"] === "number" ? Math.max(schema["minItems"], 1) : 1;
      return Array.from({ length: n }, () => sample((schema["items"] ?? {}) as JsonSchema, name, depth + 1));
    }
    case "integer":
    case "number": {
      const min = typeof schema["minimum"] === "number" ? schema["minimum"] : typeof schema["exclusiveMinimum"] === "number" ? schema["exclusiveMinimum"] + 1 : 1;
      const max = typeof schema["maximum"] === "number" ? schema["maximum"] : min + 10;
      return Math.min(Math.max(min, 1), max);
    }
    case "boolean":
      return false;
    case "string":
      return sampleString(schema, name);
    default:
      return typeof schema["properties"] === "object" ? sample({ ...schema, type: "object" }, name, depth) : "probe";
  }
}

// ---- the two organisations ----

interface World {
  a: Awaited<ReturnType<typeof orgWithPerson>>;
  b: Awaited<ReturnType<typeof orgWithPerson>>;
  bMember: Awaited<ReturnType<typeof signUp>>;
  bInvitation: { id: string; email: string };
  bToken: { id: string; token: string; prefix: string };
  bAuditTarget: string;
  aToken: string;
  /** Owner of A and of B, holding a token scoped to A. */
  both: { cookie: string; token: string };
}
let w: World;

async function tokenFor(cookie: string, organisationId: string, permissions: readonly string[]) {
  const res = await app.request("/api/v1/tokens", { method: "POST", cookie, json: { name: "Isolation", organisationId, permissions } });
  if (res.status !== 201) throw new Error(`token creation failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { token: string; apiToken: { id: string; prefix: string } };
  return { token: body.token, id: body.apiToken.id, prefix: body.apiToken.prefix };
}

beforeAll(async () => {
  const db = app.services.kernel.db;
  const a = await orgWithPerson(app, "owner");
  const b = await orgWithPerson(app, "owner");
  const bMember = await signUp(app, { verified: true, name: "Bea Member" });
  await addMember(app, b.org.id, bMember.id, "member");
  const inviteEmail = uniqueEmail("b-invitee");
  const [inv] = await db
    .insert(invitation)
    .values({ organisationId: b.org.id, email: inviteEmail, role: "member", tokenHash: createHash("sha256").update(randomBytes(16)).digest("hex"), invitedByUserId: b.person.id, expiresAt: new Date(Date.now() + 7 * 86_400_000) })
    .returning();
  const bToken = await tokenFor(b.person.cookie, b.org.id, ["organisation:read", "audit:read"]);
  const bAuditTarget = `b-target-${randomBytes(4).toString("hex")}`;
  await recordAudit(db, { organisationId: b.org.id, actorUserId: b.person.id, action: "member.role_changed", targetType: "user", targetId: bAuditTarget, details: { role: "member" } });
  const aToken = (await tokenFor(a.person.cookie, a.org.id, PERMISSIONS)).token;
  const bothPerson = await signUp(app, { verified: true });
  await addMember(app, a.org.id, bothPerson.id, "owner");
  await addMember(app, b.org.id, bothPerson.id, "owner");
  const bothToken = (await tokenFor(bothPerson.cookie, a.org.id, PERMISSIONS)).token;
  w = { a, b, bMember, bInvitation: { id: inv!.id, email: inviteEmail }, bToken, bAuditTarget, aToken, both: { cookie: bothPerson.cookie, token: bothToken } };
});
afterAll(async () => app.close());

/** B's ids for path parameters, by name; anything unknown gets a random UUID. */
function paramValue(name: string): string {
  if (name === "orgId") return w.b.org.id;
  if (/invitation/i.test(name)) return w.bInvitation.id;
  if (/token/i.test(name)) return w.bToken.id;
  if (/member|user|person/i.test(name)) return w.bMember.id;
  return randomUUID();
}

function secretsOfB(): string[] {
  return [
    w.b.org.slug,
    w.b.org.name,
    w.b.person.email,
    w.b.person.id,
    w.bMember.email,
    w.bMember.id,
    w.bInvitation.email,
    w.bInvitation.id,
    w.bToken.id,
    w.bToken.prefix,
    w.bAuditTarget,
  ];
}

async function call(op: Operation, auth: { cookie?: string; token?: string }) {
  const path = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(paramValue(name)));
  const body = op.body ? sample(op.body) : undefined;
  const res = await app.request(`/api/v1${path}`, { method: op.method, ...auth, ...(body !== undefined ? { json: body } : {}) });
  const text = await res.text();
  const sent = `${path} ${JSON.stringify(body ?? null)}`;
  // What B holds must not come back, except what the caller itself sent.
  const leaked = secretsOfB().filter((s) => !sent.includes(s) && text.includes(s));
  return { status: res.status, text, leaked, describe: `${op.method} /api/v1${path} → ${res.status} ${text.slice(0, 300)}` };
}

describe("cross-tenant isolation over every API route", () => {
  it("finds operations to check in the served OpenAPI document", () => {
    expect(orgOperations.length).toBeGreaterThan(0);
    expect(orgOperations.map(label)).toContain("GET /orgs/{orgId}/audit-events");
    expect(idOperations.map(label)).toContain("DELETE /tokens/{tokenId}");
    console.info(`Checked ${orgOperations.length} organisation-scoped operations:\n  ${orgOperations.map(label).join("\n  ")}\nand ${idOperations.length} other id-taking operations:\n  ${idOperations.map(label).join("\n  ")}`);
  });

  describe.each(orgOperations.map((o) => [label(o), o] as const))("%s with organisation B's id", (_name, op) => {
    it("as A's owner (cookie): 403 or 404, nothing of B's", async () => {
      const r = await call(op, { cookie: w.a.person.cookie });
      expect([403, 404], r.describe).toContain(r.status);
      expect(r.leaked, r.describe).toEqual([]);
    });
    it("as an API token scoped to A with every permission: 403 or 404, nothing of B's", async () => {
      const r = await call(op, { token: w.aToken });
      expect([403, 404], r.describe).toContain(r.status);
      expect(r.leaked, r.describe).toEqual([]);
    });
    it("as an A-scoped token whose person is also B's owner: 403 or 404 (the token's scope, not the person's)", async () => {
      const r = await call(op, { token: w.both.token });
      expect([403, 404], r.describe).toContain(r.status);
      expect(r.leaked, r.describe).toEqual([]);
    });
    it("anonymously: 401, nothing of B's", async () => {
      const r = await call(op, {});
      expect(r.status, r.describe).toBe(401);
      expect(r.leaked, r.describe).toEqual([]);
    });
  });

  describe.each(idOperations.map((o) => [label(o), o] as const))("%s with B's ids", (_name, op) => {
    it("as A's owner: 404, nothing of B's", async () => {
      const r = await call(op, { cookie: w.a.person.cookie });
      expect(r.status, r.describe).toBe(404);
      expect(r.leaked, r.describe).toEqual([]);
    });
  });

  describe.each(plainReads.map((o) => [label(o), o] as const))("%s", (_name, op) => {
    it("as A's owner: nothing of B's", async () => {
      const r = await call(op, { cookie: w.a.person.cookie });
      expect(r.leaked, r.describe).toEqual([]);
    });
  });

  it("the person in both organisations reaches B with their cookie, proving the token alone is what refuses", async () => {
    const res = await app.request(`/api/v1/orgs/${w.b.org.id}/audit-events`, { cookie: w.both.cookie });
    expect(res.status).toBe(200);
    const viaToken = await app.request(`/api/v1/orgs/${w.b.org.id}/audit-events`, { token: w.both.token });
    expect(viaToken.status).toBe(404);
  });

  it("left B's data exactly as it was", async () => {
    const db = app.services.kernel.db;
    const [org] = await db.select().from(organisation).where(eq(organisation.id, w.b.org.id));
    expect(org!.name).toBe(w.b.org.name);
    expect(org!.slug).toBe(w.b.org.slug);
    const members = await db.select().from(membership).where(eq(membership.organisationId, w.b.org.id));
    expect(members.map((m) => [m.userId, m.role]).sort()).toEqual(
      [
        [w.b.person.id, "owner"],
        [w.bMember.id, "member"],
        [members.find((m) => m.userId !== w.b.person.id && m.userId !== w.bMember.id)!.userId, "owner"],
      ].sort(),
    );
    const [inv] = await db.select().from(invitation).where(eq(invitation.id, w.bInvitation.id));
    expect(inv!.status).toBe("pending");
    const [tok] = await db.select().from(apiToken).where(and(eq(apiToken.id, w.bToken.id), eq(apiToken.organisationId, w.b.org.id)));
    expect(tok!.revokedAt).toBeNull();
    expect((await app.request(`/api/v1/orgs/${w.b.org.id}/audit-events`, { token: w.bToken.token })).status).toBe(200);
  });
});
