import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Envelope encryption for confidential fields (the leaders' debrief first). node:crypto only.
 * Design, threat model and rotation procedure: docs/decisions/014-debrief-encryption-and-identifier-check.md.
 *
 * Two layers:
 *   master keys (config.encryptionKeys, ENCRYPTION_KEYS, NEWEST FIRST, never stored in the database)
 *     └─ wrap ─▶ per-organisation data keys (random 32 bytes, stored only wrapped, one row per version)
 *                  └─ seal ─▶ field values (AES-256-GCM, fresh 12-byte IV, AAD naming the record)
 *
 * API (all synchronous, all pure apart from randomness):
 *
 *   masterKeyId(key)                          → "3f9a…" first 16 hex chars of SHA-256(key); safe to store/log
 *   createDataKey(masterKeys, orgId, version?) → { wrapped, masterKeyId, version, key }
 *        `wrapped` is what the key store keeps; `key` (the raw 32 bytes) is for immediate use and must
 *        never be persisted or logged. version defaults to 1; pass (current max + 1) to rotate a data key.
 *   unwrapDataKey(masterKeys, wrapped, orgId)  → { key, version, masterKeyId }
 *        finds the master key by the id inside `wrapped`; works while that key is anywhere in the list.
 *   rewrap(masterKeys, wrapped, orgId)         → { wrapped, masterKeyId, version, changed }
 *        master-key rotation: unwrap with whichever key matches, wrap again under masterKeys[0].
 *        `changed` is false (and `wrapped` the same string) when it already was under the newest key.
 *   needsRewrap(masterKeys, wrapped)           → boolean   (wrapped under a key other than the newest)
 *   seal(dataKey, plaintext, aad)              → "v1.<version>.<iv b64url>.<ciphertext+tag b64url>"
 *        dataKey is { key, version } as returned by createDataKey/unwrapDataKey.
 *   open(dataKey | resolver, sealed, aad)      → plaintext
 *        pass a resolver (version → DataKey | undefined) when a row may have been sealed by an older
 *        data-key version; `sealedKeyVersion(sealed)` reads the version without decrypting.
 *   debriefAad(orgId, debriefId)               → "debrief:<orgId>:<debriefId>"   (the AAD convention)
 *
 * Wrapped data key format: "wk1.<masterKeyId>.<version>.<iv b64url>.<ciphertext+tag b64url>",
 * AAD = "wk1|<masterKeyId>|<orgId>|<version>", so a wrapped key copied to another organisation, or
 * relabelled with another version or master key id, fails to unwrap.
 *
 * Errors are EncryptionError with code "unknown_key" | "tampered" | "malformed" | "invalid_key".
 * Messages never contain plaintext or key material (ids and versions only).
 */

export type EncryptionErrorCode = "unknown_key" | "tampered" | "malformed" | "invalid_key";

export class EncryptionError extends Error {
  readonly code: EncryptionErrorCode;
  constructor(code: EncryptionErrorCode, message: string) {
    super(message);
    this.name = "EncryptionError";
    this.code = code;
  }
}

export interface DataKey {
  /** Raw 32-byte AES key. Keep in memory only; never persist or log. */
  key: Buffer;
  /** Data-key version for this organisation (1, 2, …); written into every sealed value. */
  version: number;
}

export interface WrappedDataKey {
  /** The string the key store persists. Contains no key material in clear. */
  wrapped: string;
  /** Id of the master key that wrapped it (see masterKeyId). */
  masterKeyId: string;
  version: number;
}

const ALGORITHM = "aes-256-gcm";
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SEALED_PREFIX = "v1";
const WRAPPED_PREFIX = "wk1";
const MAX_VERSION = 2 ** 31 - 1;

/** Public identifier of a master key: first 16 hex chars of its SHA-256. Never the key itself. */
export function masterKeyId(key: Buffer): string {
  assertKey(key, "master key");
  return createHash("sha256").update(key).digest("hex").slice(0, 16);
}

/** The AAD convention for a debrief body: binds the ciphertext to its organisation and row. */
export function debriefAad(orgId: string, debriefId: string): string {
  if (!orgId || !debriefId) throw new EncryptionError("malformed", "AAD parts must be non-empty");
  return `debrief:${orgId}:${debriefId}`;
}

/** Creates a fresh random data key for an organisation, wrapped under the newest master key. */
export function createDataKey(masterKeys: readonly Buffer[], orgId: string, version = 1): WrappedDataKey & { key: Buffer } {
  assertVersion(version);
  assertOrg(orgId);
  const newest = newestMasterKey(masterKeys);
  const key = randomBytes(KEY_BYTES);
  return { ...wrapWith(newest, key, orgId, version), key };
}

/** Unwraps a stored data key with whichever configured master key its id names. */
export function unwrapDataKey(
  masterKeys: readonly Buffer[],
  wrapped: string,
  orgId: string,
): DataKey & { masterKeyId: string } {
  assertOrg(orgId);
  const parsed = parseWrapped(wrapped);
  const master = findMasterKey(masterKeys, parsed.masterKeyId);
  const key = decrypt(master, parsed.iv, parsed.body, wrappedAad(parsed.masterKeyId, orgId, parsed.version));
  if (key.length !== KEY_BYTES) throw new EncryptionError("tampered", "Unwrapped data key has the wrong length");
  return { key, version: parsed.version, masterKeyId: parsed.masterKeyId };
}

/** True when `wrapped` is not under the newest master key (a rotation is pending for it). */
export function needsRewrap(masterKeys: readonly Buffer[], wrapped: string): boolean {
  return parseWrapped(wrapped).masterKeyId !== masterKeyId(newestMasterKey(masterKeys));
}

/**
 * Master-key rotation for one stored data key: unwrap with the matching master key, wrap again
 * under masterKeys[0]. The data key itself (and so every sealed value) is unchanged.
 */
export function rewrap(
  masterKeys: readonly Buffer[],
  wrapped: string,
  orgId: string,
): WrappedDataKey & { changed: boolean } {
  const newest = newestMasterKey(masterKeys);
  const newestId = masterKeyId(newest);
  const unwrapped = unwrapDataKey(masterKeys, wrapped, orgId);
  if (unwrapped.masterKeyId === newestId) {
    return { wrapped, masterKeyId: newestId, version: unwrapped.version, changed: false };
  }
  const result = wrapWith(newest, unwrapped.key, orgId, unwrapped.version);
  unwrapped.key.fill(0);
  return { ...result, changed: true };
}

/** Encrypts a UTF-8 string under a data key; `aad` must name the record (see debriefAad). */
export function seal(dataKey: DataKey, plaintext: string, aad: string): string {
  assertKey(dataKey.key, "data key");
  assertVersion(dataKey.version);
  if (typeof plaintext !== "string") throw new EncryptionError("malformed", "Plaintext must be a string");
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, dataKey.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `${SEALED_PREFIX}.${dataKey.version}.${iv.toString("base64url")}.${body.toString("base64url")}`;
}

/** The data-key version a sealed value names, without decrypting it. */
export function sealedKeyVersion(sealed: string): number {
  return parseSealed(sealed).version;
}

/**
 * Decrypts a sealed value. Give the data key directly, or a resolver from version to data key
 * (returning undefined for an unknown version) when older versions may still be in use.
 */
export function open(keys: DataKey | ((version: number) => DataKey | undefined), sealed: string, aad: string): string {
  const parsed = parseSealed(sealed);
  const dataKey = typeof keys === "function" ? keys(parsed.version) : keys;
  if (!dataKey || dataKey.version !== parsed.version) {
    throw new EncryptionError("unknown_key", `No data key for version ${parsed.version}`);
  }
  assertKey(dataKey.key, "data key");
  const plain = decrypt(dataKey.key, parsed.iv, parsed.body, aad);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(plain);
  } catch {
    throw new EncryptionError("tampered", "Decrypted value is not valid UTF-8");
  }
}

// ── internals ────────────────────────────────────────────────────────────────────────────────

function wrapWith(master: Buffer, key: Buffer, orgId: string, version: number): WrappedDataKey {
  const id = masterKeyId(master);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, master, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(wrappedAad(id, orgId, version), "utf8"));
  const body = Buffer.concat([cipher.update(key), cipher.final(), cipher.getAuthTag()]);
  return {
    wrapped: `${WRAPPED_PREFIX}.${id}.${version}.${iv.toString("base64url")}.${body.toString("base64url")}`,
    masterKeyId: id,
    version,
  };
}

function wrappedAad(id: string, orgId: string, version: number): string {
  return `${WRAPPED_PREFIX}|${id}|${orgId}|${version}`;
}

function decrypt(key: Buffer, iv: Buffer, body: Buffer, aad: string): Buffer {
  const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]);
  } catch {
    // GCM authentication failed: wrong key, wrong AAD, or modified bytes. Indistinguishable by design.
    throw new EncryptionError("tampered", "Authentication failed: the value was modified, or the key or AAD does not match");
  }
}

const B64URL = /^[A-Za-z0-9_-]+$/;
const VERSION_TEXT = /^[1-9][0-9]{0,9}$/;

function decodePart(part: string | undefined, what: string): Buffer {
  if (part === undefined || !B64URL.test(part)) throw new EncryptionError("malformed", `Bad ${what}`);
  const buf = Buffer.from(part, "base64url");
  // Reject non-canonical encodings so the stored string is the only spelling of its bytes.
  if (buf.toString("base64url") !== part) throw new EncryptionError("malformed", `Bad ${what}`);
  return buf;
}

function parseVersion(text: string | undefined): number {
  if (text === undefined || !VERSION_TEXT.test(text)) throw new EncryptionError("malformed", "Bad key version");
  const n = Number(text);
  if (n > MAX_VERSION) throw new EncryptionError("malformed", "Bad key version");
  return n;
}

function parseSealed(sealed: string): { version: number; iv: Buffer; body: Buffer } {
  if (typeof sealed !== "string") throw new EncryptionError("malformed", "Sealed value must be a string");
  const parts = sealed.split(".");
  if (parts.length !== 4 || parts[0] !== SEALED_PREFIX) {
    throw new EncryptionError("malformed", "Not a v1 sealed value");
  }
  const version = parseVersion(parts[1]);
  const iv = decodePart(parts[2], "IV");
  const body = decodePart(parts[3], "ciphertext");
  if (iv.length !== IV_BYTES || body.length < TAG_BYTES) throw new EncryptionError("malformed", "Bad sealed value length");
  return { version, iv, body };
}

function parseWrapped(wrapped: string): { masterKeyId: string; version: number; iv: Buffer; body: Buffer } {
  if (typeof wrapped !== "string") throw new EncryptionError("malformed", "Wrapped key must be a string");
  const parts = wrapped.split(".");
  if (parts.length !== 5 || parts[0] !== WRAPPED_PREFIX || !/^[0-9a-f]{16}$/.test(parts[1] ?? "")) {
    throw new EncryptionError("malformed", "Not a wk1 wrapped data key");
  }
  const version = parseVersion(parts[2]);
  const iv = decodePart(parts[3], "IV");
  const body = decodePart(parts[4], "wrapped key");
  if (iv.length !== IV_BYTES || body.length !== KEY_BYTES + TAG_BYTES) {
    throw new EncryptionError("malformed", "Bad wrapped key length");
  }
  return { masterKeyId: parts[1] as string, version, iv, body };
}

function newestMasterKey(masterKeys: readonly Buffer[]): Buffer {
  const newest = masterKeys[0];
  if (!newest) throw new EncryptionError("unknown_key", "No master key configured");
  assertKey(newest, "master key");
  return newest;
}

function findMasterKey(masterKeys: readonly Buffer[], id: string): Buffer {
  const wanted = Buffer.from(id, "utf8");
  for (const key of masterKeys) {
    const candidate = Buffer.from(masterKeyId(key), "utf8");
    if (timingSafeEqual(candidate, wanted)) return key;
  }
  throw new EncryptionError("unknown_key", `Master key ${id} is not configured`);
}

function assertKey(key: Buffer, what: string): void {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
    throw new EncryptionError("invalid_key", `The ${what} must be exactly ${KEY_BYTES} bytes`);
  }
}

function assertVersion(version: number): void {
  if (!Number.isInteger(version) || version < 1 || version > MAX_VERSION) {
    throw new EncryptionError("malformed", "Key version must be a positive integer");
  }
}

function assertOrg(orgId: string): void {
  if (typeof orgId !== "string" || orgId.length === 0) throw new EncryptionError("malformed", "Organisation id must be non-empty");
}
