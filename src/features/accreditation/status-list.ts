// W3C Bitstring Status List v1.0 (https://www.w3.org/TR/vc-bitstring-status-list/), pure functions.
//
// - A list is a bitstring of at least 16 KB (131,072 entries) so that one credential's index does not
//   single out its holder (herd privacy); index 0 is the LEFT-most (most significant) bit of byte 0.
// - `encodedList` = multibase base64url (no padding, prefix "u") of the GZIP-compressed bitstring.
// - A set bit under statusPurpose "revocation" means revoked (for good).
import { gunzipSync, gzipSync } from "node:zlib";

/** Minimum size required by the specification: 16 KB of bits. */
export const STATUS_LIST_MIN_BITS = 131_072;

export class StatusListError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StatusListError";
  }
}

export function emptyBitstring(bits = STATUS_LIST_MIN_BITS): Uint8Array {
  if (!Number.isInteger(bits) || bits < STATUS_LIST_MIN_BITS || bits % 8 !== 0) {
    throw new StatusListError(`A status list holds a multiple of 8 bits and at least ${STATUS_LIST_MIN_BITS}`);
  }
  return new Uint8Array(bits / 8);
}

function checkIndex(list: Uint8Array, index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= list.length * 8) {
    throw new StatusListError(`Status index ${index} is outside the list (0 … ${list.length * 8 - 1})`);
  }
}

export function getBit(list: Uint8Array, index: number): boolean {
  checkIndex(list, index);
  return ((list[index >> 3]! >> (7 - (index & 7))) & 1) === 1;
}

/** Returns a new bitstring with the bit set (or cleared); the input is not changed. */
export function withBit(list: Uint8Array, index: number, value = true): Uint8Array {
  checkIndex(list, index);
  const out = new Uint8Array(list);
  const mask = 1 << (7 - (index & 7));
  out[index >> 3] = value ? out[index >> 3]! | mask : out[index >> 3]! & ~mask;
  return out;
}

/** Builds the bitstring with every listed index set. */
export function bitstringFromIndexes(indexes: Iterable<number>, bits = STATUS_LIST_MIN_BITS): Uint8Array {
  const list = emptyBitstring(bits);
  for (const i of indexes) {
    checkIndex(list, i);
    list[i >> 3] = list[i >> 3]! | (1 << (7 - (i & 7)));
  }
  return list;
}

/** GZIP + multibase base64url ("u…"), as `credentialSubject.encodedList`. */
export function encodeList(list: Uint8Array): string {
  return `u${gzipSync(list, { level: 9 }).toString("base64url")}`;
}

/** Inverse of encodeList; refuses anything that is not a multibase base64url GZIP of ≥ 16 KB. */
export function decodeList(encoded: string): Uint8Array {
  if (typeof encoded !== "string" || !encoded.startsWith("u") || !/^u[A-Za-z0-9_-]+$/.test(encoded)) {
    throw new StatusListError("encodedList must be multibase base64url (prefix u)");
  }
  let raw: Buffer;
  try {
    // Bound the inflated size: a status list is never larger than 16 MB of bits.
    raw = gunzipSync(Buffer.from(encoded.slice(1), "base64url"), { maxOutputLength: 2 * 1024 * 1024 });
  } catch {
    throw new StatusListError("encodedList is not valid GZIP");
  }
  if (raw.length * 8 < STATUS_LIST_MIN_BITS) throw new StatusListError("The status list is shorter than 16 KB");
  return new Uint8Array(raw);
}

/** A random free index in [0, size), avoiding `taken` (herd privacy: no sequential allocation). */
export function pickFreeIndex(taken: ReadonlySet<number>, random: () => number, size = STATUS_LIST_MIN_BITS): number {
  if (taken.size >= size) throw new StatusListError("The status list is full");
  for (let attempt = 0; attempt < 64; attempt += 1) {
    const i = Math.floor(random() * size);
    if (!taken.has(i)) return i;
  }
  for (let i = 0; i < size; i += 1) if (!taken.has(i)) return i;
  throw new StatusListError("The status list is full");
}
