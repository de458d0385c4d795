import { createHmac } from "node:crypto";

/** RFC 4648 base32 (no padding needed), as authenticator apps read it from otpauth:// URIs. */
export function base32Decode(input: string): Buffer {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const clean = input.toUpperCase().replace(/=+$/, "").replace(/\s+/g, "");
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of clean) {
    const index = alphabet.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 4226 HOTP with HMAC-SHA-1. */
export function hotp(key: Buffer, counter: number, digits = 6): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac("sha1", key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 10 ** digits).padStart(digits, "0");
}

/** RFC 6238 TOTP (30-second steps) for a key, at a time in milliseconds. */
export function totp(key: Buffer, atMs = Date.now(), options: { period?: number; digits?: number } = {}): string {
  return hotp(key, Math.floor(atMs / 1000 / (options.period ?? 30)), options.digits ?? 6);
}

/** The current code for an otpauth://totp/... URI, as an authenticator app would show it. */
export function totpFromUri(uri: string, atMs = Date.now()): string {
  const url = new URL(uri);
  const secret = url.searchParams.get("secret");
  if (!secret) throw new Error("otpauth URI without a secret");
  return totp(base32Decode(secret), atMs, { period: Number(url.searchParams.get("period") ?? 30), digits: Number(url.searchParams.get("digits") ?? 6) });
}
