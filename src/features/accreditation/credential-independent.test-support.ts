// TEST SUPPORT ONLY (imports devDependencies). An independent verifier for issued credentials that
// shares NO code with credential.ts / `jose`:
//   - the compact JWS is split and base64url-decoded by hand;
//   - the Ed25519 signature is checked twice, by @noble/curves (pure JS, its own field arithmetic)
//     and by node:crypto (OpenSSL), against the public key taken from the published JWKS document;
//   - the payload is validated with Ajv against a JSON Schema written here from the 1EdTech OB 3.0
//     AchievementCredential schema (required members of OpenBadgeCredential, Profile, AchievementSubject,
//     Achievement, Criteria) and the W3C BitstringStatusListEntry;
//   - the status bit is read from the published status list credential with a hand-written bit reader.
import { createPublicKey, verify as nodeVerify } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { ed25519 } from "@noble/curves/ed25519.js";
import { Ajv2020 } from "ajv/dist/2020.js";

export const OB3_CREDENTIAL_JSON_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  required: ["@context", "id", "type", "issuer", "validFrom", "name", "credentialSubject", "credentialStatus"],
  properties: {
    "@context": {
      type: "array",
      minItems: 2,
      prefixItems: [{ const: "https://www.w3.org/ns/credentials/v2" }, { type: "string", pattern: "^https://purl\\.imsglobal\\.org/spec/ob/v3p0/context(-3\\.\\d\\.\\d)*\\.json$" }],
    },
    id: { type: "string", format: "uri" },
    type: { type: "array", allOf: [{ contains: { const: "VerifiableCredential" } }, { contains: { enum: ["OpenBadgeCredential", "AchievementCredential"] } }] },
    name: { type: "string", minLength: 1 },
    issuer: {
      type: "object",
      required: ["id", "type"],
      properties: { id: { type: "string", format: "uri" }, type: { type: "array", contains: { const: "Profile" } }, name: { type: "string" } },
    },
    validFrom: { type: "string", format: "date-time" },
    validUntil: { type: "string", format: "date-time" },
    credentialSubject: {
      type: "object",
      required: ["type", "achievement"],
      anyOf: [{ required: ["id"] }, { required: ["identifier"] }],
      properties: {
        type: { type: "array", contains: { const: "AchievementSubject" } },
        identifier: {
          type: "array",
          items: { type: "object", required: ["type", "identityHash", "identityType", "hashed"], properties: { type: { const: "IdentityObject" }, hashed: { type: "boolean" }, identityHash: { type: "string" }, identityType: { type: "string" } } },
        },
        achievement: {
          type: "object",
          required: ["id", "type", "criteria", "description", "name"],
          properties: {
            id: { type: "string", format: "uri" },
            type: { type: "array", contains: { const: "Achievement" } },
            criteria: { type: "object", anyOf: [{ required: ["id"] }, { required: ["narrative"] }] },
            description: { type: "string" },
            name: { type: "string" },
          },
        },
      },
    },
    credentialStatus: {
      type: "object",
      required: ["type", "statusPurpose", "statusListIndex", "statusListCredential"],
      properties: {
        type: { const: "BitstringStatusListEntry" },
        statusPurpose: { type: "string" },
        statusListIndex: { type: "string", pattern: "^[0-9]+$" },
        statusListCredential: { type: "string", format: "uri" },
      },
    },
  },
} as const;

const ajv = new Ajv2020({ allErrors: true, strict: false });
// Minimal formats (ajv-formats is not a direct dependency): uri and RFC 3339 date-time.
ajv.addFormat("uri", /^(?:[a-z][a-z0-9+.-]*:)[^\s]+$/i);
ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/);
const validateShape = ajv.compile(OB3_CREDENTIAL_JSON_SCHEMA);

export interface IndependentResult {
  signatureNoble: boolean;
  signatureNode: boolean;
  schemaErrors: string[];
  payload: Record<string, unknown> | null;
  header: Record<string, unknown> | null;
}

function b64urlToBytes(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, "base64url"));
}

/** Verifies a compact JWS (EdDSA / Ed25519) against a JWKS document ({ keys: [...] }). */
export function independentVerify(jwt: string, jwks: { keys: Array<{ kid?: string; kty: string; crv?: string; x?: string }> }): IndependentResult {
  const parts = jwt.split(".");
  const none: IndependentResult = { signatureNoble: false, signatureNode: false, schemaErrors: ["not a compact JWS"], payload: null, header: null };
  if (parts.length !== 3) return none;
  const [h, p, s] = parts as [string, string, string];
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(h, "base64url").toString("utf8"));
    payload = JSON.parse(Buffer.from(p, "base64url").toString("utf8"));
  } catch {
    return none;
  }
  const jwk = jwks.keys.find((k) => k.kid === header.kid && k.kty === "OKP" && k.crv === "Ed25519");
  const signingInput = new TextEncoder().encode(`${h}.${p}`);
  const signature = b64urlToBytes(s);
  let signatureNoble = false;
  let signatureNode = false;
  if (jwk?.x && header.alg === "EdDSA") {
    const publicKey = b64urlToBytes(jwk.x);
    try {
      signatureNoble = ed25519.verify(signature, signingInput, publicKey);
    } catch {
      signatureNoble = false;
    }
    try {
      const keyObject = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: jwk.x }, format: "jwk" });
      signatureNode = nodeVerify(null, signingInput, keyObject, signature);
    } catch {
      signatureNode = false;
    }
  }
  const schemaErrors = validateShape(payload) ? [] : (validateShape.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`);
  return { signatureNoble, signatureNode, schemaErrors, payload, header };
}

/** Reads bit `index` of a status list credential's encodedList (left-most bit of byte 0 is index 0). */
export function independentStatusBit(encodedList: string, index: number): boolean {
  if (!encodedList.startsWith("u")) throw new Error("not multibase base64url");
  const bytes = gunzipSync(Buffer.from(encodedList.slice(1), "base64url"));
  const byte = bytes[Math.floor(index / 8)]!;
  return (byte & (0x80 >> index % 8)) !== 0;
}
