// Open Badges 3.0 credentials (an OpenBadgeCredential is a W3C Verifiable Credential, data model 2.0)
// secured as VC-JOSE: a compact JWS, EdDSA over Ed25519, signed and verified with `jose`.
// Pure apart from cryptography; no database, no clock unless given. Decisions: docs/decisions/018-….
//
//   buildCredential(input)                    → the OpenBadgeCredential (plain JSON, no proof)
//   generateSigningKey()                      → { privateJwk, publicJwk, kid }   (kid = RFC 7638 thumbprint)
//   signCredential(credential, privateJwk, kid) → compact JWS "header.payload.signature"
//   verifyCredentialJwt(jwt, resolveKey)      → { ok: true, credential, kid } | { ok: false, reason }
//   credentialShapeErrors(value)              → [] when the value has the OB 3.0 shape we issue
//   credentialState(credential, revoked, now) → "valid" | "expired" | "not_yet_valid" | "revoked"
//
// The JWS payload IS the credential (VC-JOSE-COSE, no `vc` wrapper); the registered claims iss, jti,
// nbf and exp mirror issuer.id, id, validFrom and validUntil so that any JWT library can check them,
// and verification refuses a token where they disagree.
import { CompactSign, compactVerify, calculateJwkThumbprint, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";

export const VC_CONTEXT = "https://www.w3.org/ns/credentials/v2";
export const OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
export const JWS_ALG = "EdDSA";
export const JWS_TYP = "vc+jwt";

export interface StatusEntry {
  id: string;
  type: "BitstringStatusListEntry";
  statusPurpose: "revocation";
  statusListIndex: string;
  statusListCredential: string;
}

export interface OpenBadgeCredential {
  "@context": [typeof VC_CONTEXT, typeof OB_CONTEXT];
  id: string;
  type: ["VerifiableCredential", "OpenBadgeCredential"];
  name: string;
  issuer: { id: string; type: ["Profile"]; name: string; url?: string };
  validFrom: string;
  validUntil?: string;
  credentialSubject: {
    type: ["AchievementSubject"];
    identifier: Array<{ type: "IdentityObject"; identityType: "name"; hashed: false; identityHash: string }>;
    achievement: {
      id: string;
      type: ["Achievement"];
      name: string;
      description: string;
      criteria: { narrative: string };
    };
  };
  credentialStatus: StatusEntry;
}

export interface BuildCredentialInput {
  id: string;
  issuer: { id: string; name: string; url?: string };
  holderName: string;
  achievement: { id: string; name: string; description: string; criteria: string };
  validFrom: Date;
  validUntil?: Date | null;
  status: { listUrl: string; index: number };
}

/** XML Schema dateTime without milliseconds, in UTC (what validFrom / validUntil hold). */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function buildCredential(input: BuildCredentialInput): OpenBadgeCredential {
  const credential: OpenBadgeCredential = {
    "@context": [VC_CONTEXT, OB_CONTEXT],
    id: input.id,
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    name: input.achievement.name,
    issuer: { id: input.issuer.id, type: ["Profile"], name: input.issuer.name, ...(input.issuer.url ? { url: input.issuer.url } : {}) },
    validFrom: isoSeconds(input.validFrom),
    credentialSubject: {
      type: ["AchievementSubject"],
      identifier: [{ type: "IdentityObject", identityType: "name", hashed: false, identityHash: input.holderName }],
      achievement: {
        id: input.achievement.id,
        type: ["Achievement"],
        name: input.achievement.name,
        description: input.achievement.description,
        criteria: { narrative: input.achievement.criteria },
      },
    },
    credentialStatus: {
      id: `${input.status.listUrl}#${input.status.index}`,
      type: "BitstringStatusListEntry",
      statusPurpose: "revocation",
      statusListIndex: String(input.status.index),
      statusListCredential: input.status.listUrl,
    },
  };
  if (input.validUntil) credential.validUntil = isoSeconds(input.validUntil);
  return credential;
}

// ---- keys ------------------------------------------------------------------------------------

export interface SigningKey {
  privateJwk: JWK;
  publicJwk: JWK;
  kid: string;
}

export async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const privateJwk = await exportJWK(privateKey);
  const pub = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(pub, "sha256");
  const publicJwk: JWK = { kty: pub.kty!, crv: pub.crv!, x: pub.x!, kid, alg: JWS_ALG, use: "sig" };
  return { privateJwk: { ...privateJwk, kid, alg: JWS_ALG }, publicJwk, kid };
}

// ---- signing and verifying ---------------------------------------------------------------------

/** Registered JWT claims mirrored from the credential. */
export function claimsOf(credential: { id: string; issuer: { id: string }; validFrom: string; validUntil?: string }) {
  return {
    iss: credential.issuer.id,
    jti: credential.id,
    nbf: Math.floor(Date.parse(credential.validFrom) / 1000),
    ...(credential.validUntil ? { exp: Math.floor(Date.parse(credential.validUntil) / 1000) } : {}),
  };
}

export async function signCredential(credential: object & { id: string; issuer: { id: string }; validFrom: string; validUntil?: string }, privateJwk: JWK, kid: string): Promise<string> {
  const key = await importJWK({ ...privateJwk, alg: JWS_ALG }, JWS_ALG);
  const payload = { ...credential, ...claimsOf(credential) };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: JWS_ALG, typ: JWS_TYP, cty: "vc", kid })
    .sign(key);
}

export type VerifyFailure = "malformed" | "unknown_issuer" | "unknown_key" | "bad_signature" | "claims_mismatch" | "shape";

export type VerifyResult =
  | { ok: true; credential: OpenBadgeCredential; kid: string }
  | { ok: false; reason: VerifyFailure; credential?: unknown; detail?: string };

/**
 * Resolves the public key for an issuer id and key id: undefined when the issuer is not known
 * here ("unknown_issuer") — return null when the issuer is known but the key is not ("unknown_key").
 */
export type KeyResolver = (issuerId: string, kid: string) => Promise<JWK | null | undefined>;

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Reads the payload WITHOUT verifying (to show what a failed credential claims). */
export function unverifiedPayload(jwt: string): unknown {
  try {
    const part = jwt.split(".")[1] ?? "";
    return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
}

export async function verifyCredentialJwt(jwt: string, resolveKey: KeyResolver): Promise<VerifyResult> {
  const token = typeof jwt === "string" ? jwt.trim() : "";
  if (!COMPACT_JWS.test(token) || token.length > 64_000) return { ok: false, reason: "malformed" };
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return { ok: false, reason: "malformed" };
  }
  const claimed = unverifiedPayload(token);
  if (header.alg !== JWS_ALG || typeof header.kid !== "string" || !isRecord(claimed)) return { ok: false, reason: "malformed", credential: claimed };
  const issuerId = isRecord(claimed.issuer) && typeof claimed.issuer.id === "string" ? claimed.issuer.id : typeof claimed.iss === "string" ? claimed.iss : null;
  if (!issuerId) return { ok: false, reason: "shape", credential: claimed };
  const jwk = await resolveKey(issuerId, header.kid);
  if (jwk === undefined) return { ok: false, reason: "unknown_issuer", credential: claimed };
  if (jwk === null) return { ok: false, reason: "unknown_key", credential: claimed };
  let payload: unknown;
  try {
    const key = await importJWK({ ...jwk, alg: JWS_ALG }, JWS_ALG);
    const verified = await compactVerify(token, key, { algorithms: [JWS_ALG] });
    payload = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(verified.payload));
  } catch {
    return { ok: false, reason: "bad_signature", credential: claimed };
  }
  const errors = credentialShapeErrors(payload);
  if (errors.length > 0) return { ok: false, reason: "shape", credential: payload, detail: errors.join("; ") };
  const credential = payload as OpenBadgeCredential & Record<string, unknown>;
  const expected = claimsOf(credential);
  if (
    credential.issuer.id !== issuerId ||
    credential.iss !== expected.iss ||
    credential.jti !== expected.jti ||
    credential.nbf !== expected.nbf ||
    credential.exp !== (expected as { exp?: number }).exp
  ) {
    return { ok: false, reason: "claims_mismatch", credential: payload };
  }
  return { ok: true, credential, kid: header.kid };
}

// ---- shape ----------------------------------------------------------------------------------

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** The OB 3.0 fields this application issues and relies on (a subset of the 1EdTech JSON Schema). */
export function credentialShapeErrors(value: unknown): string[] {
  const errors: string[] = [];
  if (!isRecord(value)) return ["not an object"];
  const ctx = value["@context"];
  if (!Array.isArray(ctx) || ctx[0] !== VC_CONTEXT || !ctx.some((c) => typeof c === "string" && c.startsWith("https://purl.imsglobal.org/spec/ob/v3p0/context"))) errors.push("@context");
  const type = value.type;
  if (!Array.isArray(type) || !type.includes("VerifiableCredential") || !(type.includes("OpenBadgeCredential") || type.includes("AchievementCredential"))) errors.push("type");
  if (typeof value.id !== "string" || value.id.length === 0) errors.push("id");
  if (typeof value.name !== "string") errors.push("name");
  const issuer = value.issuer;
  if (!isRecord(issuer) || typeof issuer.id !== "string" || typeof issuer.name !== "string") errors.push("issuer");
  if (typeof value.validFrom !== "string" || !DATE_TIME.test(value.validFrom)) errors.push("validFrom");
  if (value.validUntil !== undefined && (typeof value.validUntil !== "string" || !DATE_TIME.test(value.validUntil))) errors.push("validUntil");
  const subject = value.credentialSubject;
  const achievement = isRecord(subject) ? subject.achievement : undefined;
  if (!isRecord(subject) || !isRecord(achievement) || typeof achievement.name !== "string" || typeof achievement.description !== "string" || !isRecord(achievement.criteria)) {
    errors.push("credentialSubject.achievement");
  }
  const status = value.credentialStatus;
  if (
    !isRecord(status) ||
    status.type !== "BitstringStatusListEntry" ||
    status.statusPurpose !== "revocation" ||
    typeof status.statusListIndex !== "string" ||
    !/^(0|[1-9][0-9]{0,8})$/.test(status.statusListIndex) ||
    typeof status.statusListCredential !== "string"
  ) {
    errors.push("credentialStatus");
  }
  return errors;
}

export type CredentialState = "valid" | "expired" | "not_yet_valid" | "revoked";

export function credentialState(credential: { validFrom: string; validUntil?: string }, revoked: boolean, now: Date): CredentialState {
  if (revoked) return "revoked";
  if (Date.parse(credential.validFrom) > now.getTime()) return "not_yet_valid";
  if (credential.validUntil && Date.parse(credential.validUntil) <= now.getTime()) return "expired";
  return "valid";
}
