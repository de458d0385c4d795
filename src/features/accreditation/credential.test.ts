import { describe, expect, it } from "vitest";
import type { JWK } from "jose";
import { buildCredential, credentialShapeErrors, credentialState, generateSigningKey, signCredential, verifyCredentialJwt, type KeyResolver, type OpenBadgeCredential } from "./credential.ts";
import { independentVerify } from "./credential-independent.test-support.ts";

const ISSUER = "https://bc.example/api/v1/issuers/00000000-0000-4000-8000-00000000000a";

function sample(overrides: Partial<Parameters<typeof buildCredential>[0]> = {}): OpenBadgeCredential {
  return buildCredential({
    id: "urn:uuid:7f0c4d4e-3a43-4c2f-9a55-2f5e0f4f7a11",
    issuer: { id: ISSUER, name: "Balint Society Example" },
    holderName: "Dr Ada Example",
    achievement: { id: `${ISSUER}/achievements/leader`, name: "Accredited Balint group leader", description: "Leads Balint groups.", criteria: "Completed the pathway." },
    validFrom: new Date("2026-01-10T09:00:00Z"),
    validUntil: new Date("2031-01-10T09:00:00Z"),
    status: { listUrl: `${ISSUER}/status/1`, index: 4242 },
    ...overrides,
  });
}

async function setup() {
  const key = await generateSigningKey();
  const resolve: KeyResolver = async (issuerId, kid) => (issuerId === ISSUER ? (kid === key.kid ? key.publicJwk : null) : undefined);
  return { key, resolve, jwks: { keys: [key.publicJwk as JWK & { kty: string }] } };
}

function b64(o: unknown): string {
  return Buffer.from(JSON.stringify(o)).toString("base64url");
}

/** Replaces the payload of a compact JWS, keeping the original header and signature. */
function withPayload(jwt: string, mutate: (p: Record<string, unknown>) => void): string {
  const [h, p, s] = jwt.split(".") as [string, string, string];
  const payload = JSON.parse(Buffer.from(p, "base64url").toString("utf8"));
  mutate(payload);
  return `${h}.${b64(payload)}.${s}`;
}

describe("Open Badges 3.0 credential", () => {
  it("has the OB 3.0 / VCDM 2.0 shape", () => {
    const c = sample();
    expect(c.type).toEqual(["VerifiableCredential", "OpenBadgeCredential"]);
    expect(c["@context"][0]).toBe("https://www.w3.org/ns/credentials/v2");
    expect(c.credentialStatus).toEqual({
      id: `${ISSUER}/status/1#4242`,
      type: "BitstringStatusListEntry",
      statusPurpose: "revocation",
      statusListIndex: "4242",
      statusListCredential: `${ISSUER}/status/1`,
    });
    expect(c.validFrom).toBe("2026-01-10T09:00:00Z");
    expect(credentialShapeErrors(c)).toEqual([]);
    expect(credentialShapeErrors({ ...c, credentialStatus: { ...c.credentialStatus, statusListIndex: 7 } })).toEqual(["credentialStatus"]);
  });

  it("signs, and verifies with our code path AND independently (noble + node:crypto + JSON Schema)", async () => {
    const { key, resolve, jwks } = await setup();
    const jwt = await signCredential(sample(), key.privateJwk, key.kid);
    const ours = await verifyCredentialJwt(jwt, resolve);
    expect(ours.ok).toBe(true);
    const ind = independentVerify(jwt, jwks);
    expect(ind.signatureNoble).toBe(true);
    expect(ind.signatureNode).toBe(true);
    expect(ind.schemaErrors).toEqual([]);
    expect(ind.header).toMatchObject({ alg: "EdDSA", typ: "vc+jwt", kid: key.kid });
    expect(ind.payload).toMatchObject({ iss: ISSUER, jti: sample().id, nbf: Date.parse("2026-01-10T09:00:00Z") / 1000, exp: Date.parse("2031-01-10T09:00:00Z") / 1000 });
  });

  // oxlint-disable-next-line typescript/no-explicit-any -- test mutations of a parsed JSON payload
  const tamperings: Array<[string, (p: Record<string, any>) => void]> = [
    ["subject name", (p) => (p.credentialSubject.identifier[0].identityHash = "Someone Else")],
    ["achievement", (p) => (p.credentialSubject.achievement.name = "Leader trainer")],
    ["validUntil", (p) => (p.validUntil = "2099-01-10T09:00:00Z")],
    ["validFrom", (p) => (p.validFrom = "2020-01-10T09:00:00Z")],
    ["issuer name", (p) => (p.issuer.name = "Another Society")],
    ["status index", (p) => (p.credentialStatus.statusListIndex = "4243")],
    ["exp claim", (p) => (p.exp = 4_102_444_800)],
  ];
  for (const [what, mutate] of tamperings) {
    it(`fails after tampering with the ${what}`, async () => {
      const { key, resolve, jwks } = await setup();
      const forged = withPayload(await signCredential(sample(), key.privateJwk, key.kid), mutate);
      const ours = await verifyCredentialJwt(forged, resolve);
      expect(ours).toMatchObject({ ok: false, reason: "bad_signature" });
      const ind = independentVerify(forged, jwks);
      expect(ind.signatureNoble).toBe(false);
      expect(ind.signatureNode).toBe(false);
    });
  }

  it("fails after flipping one byte of the signature", async () => {
    const { key, resolve, jwks } = await setup();
    const jwt = await signCredential(sample(), key.privateJwk, key.kid);
    const [h, p, s] = jwt.split(".") as [string, string, string];
    const sig = Buffer.from(s, "base64url");
    sig[10] = sig[10]! ^ 0x01;
    const forged = `${h}.${p}.${sig.toString("base64url")}`;
    expect(await verifyCredentialJwt(forged, resolve)).toMatchObject({ ok: false, reason: "bad_signature" });
    expect(independentVerify(forged, jwks).signatureNoble).toBe(false);
  });

  it("fails when re-signed by another key, or moved to another issuer", async () => {
    const { key, resolve } = await setup();
    const other = await generateSigningKey();
    const reSigned = await signCredential(sample(), other.privateJwk, other.kid);
    expect(await verifyCredentialJwt(reSigned, resolve)).toMatchObject({ ok: false, reason: "unknown_key" });
    // Claim the right kid but sign with another key.
    const lying = await signCredential(sample(), other.privateJwk, key.kid);
    expect(await verifyCredentialJwt(lying, resolve)).toMatchObject({ ok: false, reason: "bad_signature" });
    const elsewhere = await signCredential(sample({ issuer: { id: "https://evil.example/issuer", name: "Balint Society Example" } }), key.privateJwk, key.kid);
    expect(await verifyCredentialJwt(elsewhere, resolve)).toMatchObject({ ok: false, reason: "unknown_issuer" });
  });

  it("refuses a validly signed token whose registered claims disagree with the credential", async () => {
    const { key, resolve } = await setup();
    const { CompactSign, importJWK } = await import("jose");
    const c = sample();
    const payload = { ...c, iss: c.issuer.id, jti: c.id, nbf: Date.parse(c.validFrom) / 1000, exp: Date.parse("2099-01-01T00:00:00Z") / 1000 };
    const jwt = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: "EdDSA", kid: key.kid })
      .sign(await importJWK(key.privateJwk, "EdDSA"));
    expect(await verifyCredentialJwt(jwt, resolve)).toMatchObject({ ok: false, reason: "claims_mismatch" });
  });

  it("rejects garbage without throwing", async () => {
    const { resolve } = await setup();
    for (const bad of ["", "a.b", "a.b.c", "ey.ey.ey", "x".repeat(70_000), `${b64({ alg: "none" })}.${b64({})}.`]) {
      expect((await verifyCredentialJwt(bad, resolve)).ok).toBe(false);
    }
  });

  it("states: valid, not yet valid, expired, revoked", () => {
    const c = sample();
    expect(credentialState(c, false, new Date("2027-01-01T00:00:00Z"))).toBe("valid");
    expect(credentialState(c, false, new Date("2025-01-01T00:00:00Z"))).toBe("not_yet_valid");
    expect(credentialState(c, false, new Date("2031-01-10T09:00:00Z"))).toBe("expired");
    expect(credentialState(c, true, new Date("2027-01-01T00:00:00Z"))).toBe("revoked");
    expect(credentialState(sample({ validUntil: null }), false, new Date("2090-01-01T00:00:00Z"))).toBe("valid");
  });
});
