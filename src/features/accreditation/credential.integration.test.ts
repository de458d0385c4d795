// oxlint-disable typescript/no-explicit-any -- parsed JSON payloads are mutated freely in tampering tests
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { auditEvent } from "../../platform/audit/schema.ts";
import { independentStatusBit, independentVerify } from "./credential-independent.test-support.ts";
import { accreditationCredential, credentialSigningKey } from "./credential-schema.ts";
import { accreditationCandidate, accreditationPathway, accreditationPathwayVersion } from "./schema.ts";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
}, 60_000);
afterAll(async () => {
  await app?.close();
});

const ACHIEVEMENT = { name: "Accredited Balint group leader", description: "Leads Balint groups for clinicians.", criteria: "Completed the leader pathway." };

async function candidateIn(orgId: string, userId: string) {
  const db = app.services.kernel.db;
  const [pathway] = await db.insert(accreditationPathway).values({ organisationId: orgId, key: "leader", name: "Balint group leader" }).returning();
  const [version] = await db.insert(accreditationPathwayVersion).values({ pathwayId: pathway!.id, organisationId: orgId, version: 1, status: "published", definition: { title: "Balint group leader", summary: "Leads Balint groups.", requirements: [] } }).returning();
  const [candidate] = await db.insert(accreditationCandidate).values({ organisationId: orgId, pathwayId: pathway!.id, pathwayVersionId: version!.id, userId }).returning();
  return { pathway: pathway!, version: version!, candidate: candidate! };
}

async function setup() {
  const { org, person: coordinator } = await orgWithPerson(app, "coordinator");
  const holder = await signUp(app, { verified: true, name: "Dr Ada Holder" });
  await addMember(app, org.id, holder.id, "leader");
  const { candidate, version } = await candidateIn(org.id, holder.id);
  return { org, coordinator, holder, candidate, version };
}

async function issueVia(cookie: string, orgId: string, candidateId: string, body: unknown = { achievement: ACHIEVEMENT, validUntil: "2040-01-01T00:00:00Z" }) {
  return app.request(`/api/v1/orgs/${orgId}/candidates/${candidateId}/credentials`, { method: "POST", cookie, json: body });
}

async function publicJwks(orgId: string) {
  const res = await app.request(`/api/v1/issuers/${orgId}/jwks.json`);
  expect(res.status).toBe(200);
  return (await res.json()) as { keys: Array<{ kid?: string; kty: string; crv?: string; x?: string; d?: string }> };
}

/** The status list as a verifier gets it: the signed JWT, checked independently, then its bit. */
async function publicStatusBit(orgId: string, index: number): Promise<boolean> {
  const res = await app.request(`/api/v1/issuers/${orgId}/status/1`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("application/vc+jwt");
  const jwt = await res.text();
  const ind = independentVerify(jwt, await publicJwks(orgId));
  expect(ind.signatureNoble && ind.signatureNode).toBe(true);
  const subject = (ind.payload as { credentialSubject: { encodedList: string; statusPurpose: string } }).credentialSubject;
  expect(subject.statusPurpose).toBe("revocation");
  return independentStatusBit(subject.encodedList, index);
}

describe("verifiable credentials", () => {
  it("issues an OB 3.0 credential that verifies here AND independently; revoke flips the public status bit", async () => {
    const { org, coordinator, holder, candidate } = await setup();
    const res = await issueVia(coordinator.cookie, org.id, candidate.id);
    expect(res.status).toBe(201);
    const issued = (await res.json()) as { id: string; jwt: string; credential: Record<string, any> };
    expect(issued.credential.credentialSubject.identifier[0].identityHash).toBe("Dr Ada Holder");
    expect(issued.credential.issuer.id).toBe(`${app.config.appUrl}/api/v1/issuers/${org.id}`);

    // Independent: keys from the public JWKS (no private parts), noble + node:crypto, JSON Schema.
    const jwks = await publicJwks(org.id);
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]!.d).toBeUndefined();
    const ind = independentVerify(issued.jwt, jwks);
    expect(ind).toMatchObject({ signatureNoble: true, signatureNode: true, schemaErrors: [] });
    const index = Number(issued.credential.credentialStatus.statusListIndex);
    expect(await publicStatusBit(org.id, index)).toBe(false);

    // The issuer Profile resolves at issuer.id.
    const profile = await app.request(new URL(issued.credential.issuer.id).pathname);
    expect(await profile.json()).toMatchObject({ id: issued.credential.issuer.id, type: ["Profile"], name: org.name });

    // Our verification: by id and pasted (JWT and the downloaded JSON).
    const byId = await app.request(`/api/v1/credentials/${issued.id}/verification`);
    expect(await byId.json()).toMatchObject({ status: "valid", holderName: "Dr Ada Holder", achievementName: ACHIEVEMENT.name, issuerName: org.name, unverifiedClaims: false });
    const download = await app.request(`/api/v1/credentials/${issued.id}/download?format=json`, { cookie: holder.cookie });
    expect(download.status).toBe(200);
    const enveloped = await download.text();
    expect(JSON.parse(enveloped)).toMatchObject({ type: "EnvelopedVerifiableCredential" });
    const pasted = await app.request("/api/v1/credentials/verify", { method: "POST", json: { credential: enveloped } });
    expect(await pasted.json()).toMatchObject({ status: "valid" });
    const jwtDownload = await app.request(`/api/v1/credentials/${issued.id}/download?format=jwt`, { cookie: holder.cookie });
    expect(jwtDownload.headers.get("content-type")).toBe("application/vc+jwt");
    expect(await jwtDownload.text()).toBe(issued.jwt);
    await app.waitForMail(holder.email, /credential/i);

    // Revoke with a reason code → the public bit is set, verification says revoked, audited.
    const revoke = await app.request(`/api/v1/orgs/${org.id}/credentials/${issued.id}/revoke`, { method: "POST", cookie: coordinator.cookie, json: { reason: "issued_in_error" } });
    expect(revoke.status).toBe(200);
    expect(await publicStatusBit(org.id, index)).toBe(true);
    expect(await publicStatusBit(org.id, (index + 1) % 131_072)).toBe(false);
    expect(await (await app.request(`/api/v1/credentials/${issued.id}/verification`)).json()).toMatchObject({ status: "revoked" });
    const again = await app.request(`/api/v1/orgs/${org.id}/credentials/${issued.id}/revoke`, { method: "POST", cookie: coordinator.cookie, json: { reason: "issued_in_error" } });
    expect(again.status).toBe(409);
    const audits = await app.services.kernel.db.select().from(auditEvent).where(and(eq(auditEvent.organisationId, org.id), eq(auditEvent.targetId, issued.id)));
    expect(audits.map((a) => a.action).sort()).toEqual(["credential.issued", "credential.revoked"]);
    expect(audits.find((a) => a.action === "credential.revoked")!.details).toMatchObject({ reason: "issued_in_error" });
  });

  it("reports expired, and tampered for any change, with nothing written", async () => {
    const { org, coordinator, candidate } = await setup();
    const issued = (await (await issueVia(coordinator.cookie, org.id, candidate.id, { achievement: ACHIEVEMENT, validUntil: "2030-06-01" })).json()) as { id: string; jwt: string };
    const svc = app.services.credentials;
    expect((await svc.verify({ credential: issued.jwt }, new Date("2029-01-01T00:00:00Z"))).status).toBe("valid");
    expect((await svc.verify({ credential: issued.jwt }, new Date("2031-01-01T00:00:00Z"))).status).toBe("expired");

    const [h, p, s] = issued.jwt.split(".") as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, "base64url").toString());
    const forge = (mutate: (x: any) => void) => {
      const copy = structuredClone(payload);
      mutate(copy);
      return `${h}.${Buffer.from(JSON.stringify(copy)).toString("base64url")}.${s}`;
    };
    const before = await app.services.kernel.db.select().from(accreditationCredential).where(eq(accreditationCredential.organisationId, org.id));
    for (const forged of [
      forge((x) => (x.credentialSubject.identifier[0].identityHash = "Mallory")),
      forge((x) => (x.validUntil = "2099-01-01T00:00:00Z")),
      forge((x) => (x.credentialStatus.statusListIndex = String((Number(x.credentialStatus.statusListIndex) + 1) % 131072))),
      `${h}.${p}.${Buffer.from(Buffer.from(s, "base64url").map((b, i) => (i === 5 ? b ^ 1 : b))).toString("base64url")}`,
    ]) {
      const res = await app.request("/api/v1/credentials/verify", { method: "POST", json: { credential: forged } });
      const body = (await res.json()) as { status: string; unverifiedClaims: boolean };
      expect(body.status).toBe("tampered");
      expect(body.unverifiedClaims).toBe(true);
    }
    // Moved to another issuer: not ours → unknown issuer (never "valid").
    const moved = forge((x) => (x.issuer.id = "https://evil.example/issuer"));
    expect((await svc.verify({ credential: moved })).status).toBe("unknown_issuer");
    // Garbage: 400 for empty, "malformed" for nonsense, never a 500.
    expect((await app.request("/api/v1/credentials/verify", { method: "POST", json: { credential: "" } })).status).toBe(400);
    expect(await (await app.request("/api/v1/credentials/verify", { method: "POST", json: { credential: "{not json" } })).json()).toMatchObject({ status: "malformed" });
    const after = await app.services.kernel.db.select().from(accreditationCredential).where(eq(accreditationCredential.organisationId, org.id));
    expect(after).toEqual(before);
  });

  it("keeps tenants apart: another organisation's coordinator gets 404; members and strangers cannot issue", async () => {
    const a = await setup();
    const b = await setup();
    const issued = (await (await issueVia(a.coordinator.cookie, a.org.id, a.candidate.id)).json()) as { id: string };
    // B's coordinator on A's credential, through B's organisation or A's.
    for (const orgId of [b.org.id, a.org.id]) {
      const revoke = await app.request(`/api/v1/orgs/${orgId}/credentials/${issued.id}/revoke`, { method: "POST", cookie: b.coordinator.cookie, json: { reason: "conduct" } });
      expect(revoke.status).toBe(404);
      const renew = await app.request(`/api/v1/orgs/${orgId}/credentials/${issued.id}/renew`, { method: "POST", cookie: b.coordinator.cookie, json: {} });
      expect(renew.status).toBe(404);
    }
    expect((await app.request(`/api/v1/orgs/${a.org.id}/credentials`, { cookie: b.coordinator.cookie })).status).toBe(404);
    expect((await app.request(`/api/v1/credentials/${issued.id}/download`, { cookie: b.coordinator.cookie })).status).toBe(404);
    expect((await app.request(`/api/v1/credentials/${issued.id}/download`, { cookie: b.holder.cookie })).status).toBe(404);
    // B's coordinator cannot issue to A's candidate through B's organisation.
    expect((await issueVia(b.coordinator.cookie, b.org.id, a.candidate.id)).status).toBe(404);
    // A leader (the holder) cannot issue.
    expect((await issueVia(a.holder.cookie, a.org.id, a.candidate.id)).status).toBe(403);
    // B's list does not show A's credential.
    const list = (await (await app.request(`/api/v1/orgs/${b.org.id}/credentials`, { cookie: b.coordinator.cookie })).json()) as unknown[];
    expect(list).toEqual([]);
    const [row] = await app.services.kernel.db.select().from(accreditationCredential).where(eq(accreditationCredential.id, issued.id));
    expect(row!.revokedAt).toBeNull();
  });

  it("validates input: 400 naming the field, nothing written", async () => {
    const { org, coordinator, candidate } = await setup();
    const cases: Array<[unknown, string]> = [
      [{ achievement: { ...ACHIEVEMENT, name: "" } }, "achievement.name"],
      [{ achievement: ACHIEVEMENT, validUntil: "2001-01-01" }, "validUntil"],
      [{ achievement: ACHIEVEMENT, validUntil: "soon" }, "validUntil"],
      [{}, "achievement"],
    ];
    for (const [body, field] of cases) {
      const res = await issueVia(coordinator.cookie, org.id, candidate.id, body);
      expect(res.status).toBe(400);
      const err = (await res.json()) as { error: { fields: Array<{ path: string }> } };
      expect(err.error.fields.map((f) => f.path).some((p) => p.startsWith(field))).toBe(true);
    }
    const revokeBad = await app.request(`/api/v1/orgs/${org.id}/credentials/00000000-0000-4000-8000-000000000000/revoke`, { method: "POST", cookie: coordinator.cookie, json: { reason: "because I said so" } });
    expect(revokeBad.status).toBe(400);
    expect(await app.services.kernel.db.select().from(accreditationCredential).where(eq(accreditationCredential.organisationId, org.id))).toEqual([]);
    // Nothing issued: no key was minted by public GETs, no list is published; unknown issuers are 404.
    expect((await app.request(`/api/v1/issuers/${org.id}/status/1`)).status).toBe(404);
    expect(await (await app.request(`/api/v1/issuers/${org.id}/jwks.json`)).json()).toEqual({ keys: [] });
    expect((await app.request(`/api/v1/issuers/00000000-0000-4000-8000-000000000000/jwks.json`)).status).toBe(404);
    expect((await app.request(`/api/v1/issuers/not-a-uuid`)).status).toBe(404);
    expect(await app.services.kernel.db.select().from(credentialSigningKey).where(eq(credentialSigningKey.organisationId, org.id))).toEqual([]);
  });

  it("rotates the signing key; credentials signed by the old key still verify", async () => {
    const { org, coordinator, candidate } = await setup();
    const owner = await signUp(app, { verified: true });
    await addMember(app, org.id, owner.id, "owner");
    const first = (await (await issueVia(coordinator.cookie, org.id, candidate.id)).json()) as { id: string; jwt: string };
    expect((await app.request(`/api/v1/orgs/${org.id}/credential-keys/rotate`, { method: "POST", cookie: coordinator.cookie })).status).toBe(403);
    const rotated = await app.request(`/api/v1/orgs/${org.id}/credential-keys/rotate`, { method: "POST", cookie: owner.cookie });
    expect(rotated.status).toBe(200);
    const second = (await (await issueVia(coordinator.cookie, org.id, candidate.id)).json()) as { id: string; jwt: string };
    const jwks = await publicJwks(org.id);
    expect(jwks.keys).toHaveLength(2);
    for (const c of [first, second]) {
      expect(independentVerify(c.jwt, jwks)).toMatchObject({ signatureNoble: true, signatureNode: true });
      expect((await app.services.credentials.verifyIssued(c.id))!.status).toBe("valid");
    }
    const header = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[0]!, "base64url").toString()).kid;
    expect(header(first.jwt)).not.toBe(header(second.jwt));
    // The private key is stored sealed only.
    const keys = await app.services.kernel.db.select().from(credentialSigningKey).where(eq(credentialSigningKey.organisationId, org.id));
    for (const k of keys) {
      expect(k.privateSealed.startsWith("v1.")).toBe(true);
      expect(k.privateSealed).not.toContain('"d"');
      expect(JSON.stringify(k.publicJwk)).not.toContain('"d"');
    }
  });

  it("issues on committee approval through the review hook, renews, and sends expiry reminders once", async () => {
    const { org, coordinator, holder, candidate, version } = await setup();
    const hooked = await app.services.credentials.issueOnApproval({ organisationId: org.id, candidateId: candidate.id, pathwayVersionId: version.id, decidedByUserId: coordinator.id });
    expect(hooked).not.toBeNull();
    const view = (await app.services.credentials.verifyIssued(hooked!.credentialId))!;
    expect(view).toMatchObject({ status: "valid", achievementName: "Balint group leader" });
    // Another organisation's pathway version is refused.
    const other = await setup();
    expect(await app.services.credentials.issueOnApproval({ organisationId: org.id, candidateId: candidate.id, pathwayVersionId: other.version.id, decidedByUserId: coordinator.id })).toBeNull();

    const soon = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const expiring = (await (await issueVia(coordinator.cookie, org.id, candidate.id, { achievement: ACHIEVEMENT, validUntil: soon })).json()) as { id: string };
    const sent = await app.services.credentials.sendExpiryReminders();
    expect(sent).toBeGreaterThanOrEqual(1);
    await app.waitForMail(holder.email, /expires/i);
    const [row] = await app.services.kernel.db.select().from(accreditationCredential).where(eq(accreditationCredential.id, expiring.id));
    expect(row!.reminderSentAt).not.toBeNull();
    const countBefore = app.mail.sent.filter((m) => m.to === holder.email && /expires/i.test(m.subject)).length;
    await app.services.credentials.sendExpiryReminders();
    await new Promise((r) => setTimeout(r, 1500));
    expect(app.mail.sent.filter((m) => m.to === holder.email && /expires/i.test(m.subject)).length).toBe(countBefore);

    const renewed = await app.request(`/api/v1/orgs/${org.id}/credentials/${expiring.id}/renew`, { method: "POST", cookie: coordinator.cookie, json: { validUntil: "2045-01-01" } });
    expect(renewed.status).toBe(201);
    const r = (await renewed.json()) as { id: string; credential: { validUntil: string } };
    expect(r.credential.validUntil).toBe("2045-01-01T23:59:59Z");
    const [renewedRow] = await app.services.kernel.db.select().from(accreditationCredential).where(eq(accreditationCredential.id, r.id));
    expect(renewedRow!.renewsId).toBe(expiring.id);
  });

  it("directory: only holders of a valid credential list themselves; search filters; revocation hides", async () => {
    const { org, coordinator, holder, candidate } = await setup();
    const stranger = await signUp(app, { verified: true });
    const listing = { displayName: "Dr Ada Holder", languages: ["en", "es"], region: "Andalucía", online: true, inPerson: false, openToCoLeading: true, published: true };
    // No credential yet → 404.
    expect((await app.request(`/api/v1/me/directory-listings/${org.id}`, { method: "PUT", cookie: holder.cookie, json: listing })).status).toBe(404);
    const issued = (await (await issueVia(coordinator.cookie, org.id, candidate.id)).json()) as { id: string };
    expect((await app.request(`/api/v1/me/directory-listings/${org.id}`, { method: "PUT", cookie: holder.cookie, json: { ...listing, languages: ["not a tag!"] } })).status).toBe(400);
    expect((await app.request(`/api/v1/me/directory-listings/${org.id}`, { method: "PUT", cookie: holder.cookie, json: listing })).status).toBe(200);
    expect((await app.request(`/api/v1/me/directory-listings/${org.id}`, { method: "PUT", cookie: stranger.cookie, json: listing })).status).toBe(404);

    const search = async (qs: string) => (await (await app.request(`/api/v1/leaders?${qs}`)).json()) as Array<{ displayName: string; achievements: Array<{ credentialId: string }> }>;
    const mine = (list: Awaited<ReturnType<typeof search>>) => list.filter((l) => l.achievements.some((a) => a.credentialId === issued.id));
    expect(mine(await search("q=Ada%20Holder"))).toHaveLength(1);
    expect(mine(await search("language=es&online=1&coLeading=1"))).toHaveLength(1);
    expect(mine(await search("inPerson=1"))).toHaveLength(0);
    expect(mine(await search("language=fr"))).toHaveLength(0);
    expect(mine(await search("region=andaluc"))).toHaveLength(1);

    // Unpublish → hidden; publish again → shown; revoke → hidden, owner still sees it as not eligible.
    await app.request(`/api/v1/me/directory-listings/${org.id}`, { method: "PUT", cookie: holder.cookie, json: { ...listing, published: false } });
    expect(mine(await search("q=Ada"))).toHaveLength(0);
    await app.request(`/api/v1/me/directory-listings/${org.id}`, { method: "PUT", cookie: holder.cookie, json: listing });
    expect(mine(await search("q=Ada"))).toHaveLength(1);
    await app.request(`/api/v1/orgs/${org.id}/credentials/${issued.id}/revoke`, { method: "POST", cookie: coordinator.cookie, json: { reason: "holder_request" } });
    expect(mine(await search("q=Ada"))).toHaveLength(0);
    const own = (await (await app.request("/api/v1/me/directory-listings", { cookie: holder.cookie })).json()) as Array<{ organisationId: string; eligible: boolean }>;
    expect(own.find((l) => l.organisationId === org.id)).toMatchObject({ eligible: false });
    expect((await app.request(`/api/v1/me/directory-listings/${org.id}`, { method: "DELETE", cookie: holder.cookie })).status).toBe(204);
    expect((await app.request(`/api/v1/me/directory-listings/${org.id}`, { method: "DELETE", cookie: holder.cookie })).status).toBe(404);
  });
});
