import { createDecipheriv, createHash, randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  EncryptionError,
  createDataKey,
  debriefAad,
  masterKeyId,
  needsRewrap,
  open,
  rewrap,
  seal,
  sealedKeyVersion,
  unwrapDataKey,
  type DataKey,
} from "./envelope.server.ts";

const ORG = "org_7f3a";
const OTHER_ORG = "org_91bc";

function expectCode(fn: () => unknown, code: EncryptionError["code"]): EncryptionError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EncryptionError);
    expect((error as EncryptionError).code).toBe(code);
    return error as EncryptionError;
  }
  throw new Error(`expected EncryptionError ${code}, nothing was thrown`);
}

/** Flips one bit of the decoded bytes of the last dot-separated part. */
function flipLastPart(value: string, byteIndex = 0): string {
  const parts = value.split(".");
  const bytes = Buffer.from(parts.at(-1) as string, "base64url");
  const at = byteIndex % bytes.length;
  bytes.writeUInt8(bytes.readUInt8(at) ^ 0x01, at);
  parts[parts.length - 1] = bytes.toString("base64url");
  return parts.join(".");
}

describe("master key ids", () => {
  it("is the first 16 hex chars of SHA-256 and never contains the key", () => {
    const key = randomBytes(32);
    const id = masterKeyId(key);
    expect(id).toBe(createHash("sha256").update(key).digest("hex").slice(0, 16));
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    const wrapped = createDataKey([key], ORG).wrapped;
    expect(wrapped).not.toContain(key.toString("base64url"));
    expect(wrapped).not.toContain(key.toString("hex"));
  });

  it("refuses keys that are not 32 bytes", () => {
    expectCode(() => masterKeyId(randomBytes(16)), "invalid_key");
    expectCode(() => createDataKey([randomBytes(31)], ORG), "invalid_key");
    expectCode(() => createDataKey([], ORG), "unknown_key");
  });
});

describe("data keys", () => {
  it("wraps a random data key under the newest master key and unwraps it", () => {
    const newest = randomBytes(32);
    const older = randomBytes(32);
    const created = createDataKey([newest, older], ORG);
    expect(created.masterKeyId).toBe(masterKeyId(newest));
    expect(created.version).toBe(1);
    expect(created.key).toHaveLength(32);
    expect(created.wrapped.startsWith(`wk1.${masterKeyId(newest)}.1.`)).toBe(true);
    const unwrapped = unwrapDataKey([newest, older], created.wrapped, ORG);
    expect(unwrapped.key.equals(created.key)).toBe(true);
    expect(unwrapped.version).toBe(1);
  });

  it("independently decrypts with AES-256-GCM and the documented AAD", () => {
    const master = randomBytes(32);
    const created = createDataKey([master], ORG, 3);
    const [, id, version, iv, body] = created.wrapped.split(".") as [string, string, string, string, string];
    const raw = Buffer.from(body, "base64url");
    const d = createDecipheriv("aes-256-gcm", master, Buffer.from(iv, "base64url"));
    d.setAAD(Buffer.from(`wk1|${id}|${ORG}|${version}`));
    d.setAuthTag(raw.subarray(raw.length - 16));
    const key = Buffer.concat([d.update(raw.subarray(0, raw.length - 16)), d.final()]);
    expect(key.equals(created.key)).toBe(true);
  });

  it("gives each organisation its own key", () => {
    const master = randomBytes(32);
    const a = createDataKey([master], ORG);
    const b = createDataKey([master], ORG);
    expect(a.key.equals(b.key)).toBe(false);
    expect(a.wrapped).not.toBe(b.wrapped);
  });

  it("fails to unwrap for another organisation", () => {
    const master = randomBytes(32);
    const created = createDataKey([master], ORG);
    expectCode(() => unwrapDataKey([master], created.wrapped, OTHER_ORG), "tampered");
  });

  it("fails when the wrapped key is modified or relabelled", () => {
    const master = randomBytes(32);
    const created = createDataKey([master], ORG);
    expectCode(() => unwrapDataKey([master], flipLastPart(created.wrapped, 5), ORG), "tampered");
    const relabelled = created.wrapped.replace(/^wk1\.([0-9a-f]+)\.1\./, "wk1.$1.2.");
    expectCode(() => unwrapDataKey([master], relabelled, ORG), "tampered");
  });

  it("fails clearly when the master key id is not configured", () => {
    const created = createDataKey([randomBytes(32)], ORG);
    const error = expectCode(() => unwrapDataKey([randomBytes(32)], created.wrapped, ORG), "unknown_key");
    expect(error.message).toContain(created.masterKeyId);
  });

  it("rejects malformed wrapped keys", () => {
    const master = randomBytes(32);
    for (const bad of ["", "wk1", "wk1.zz.1.a.b", `wk1.${masterKeyId(master)}.0.aaaa.bbbb`, "v1.1.a.b", "wk1.0123456789abcdef.1.!!.b"]) {
      expectCode(() => unwrapDataKey([master], bad, ORG), "malformed");
    }
  });
});

describe("master key rotation", () => {
  it("opens with the old key second, rewraps to the newest, then works without the old key", () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const created = createDataKey([oldKey], ORG);
    const dataKey: DataKey = { key: created.key, version: created.version };
    const aad = debriefAad(ORG, "debrief_1");
    const sealed = seal(dataKey, "the pushback phase was heavy", aad);

    // Step 1: new key prepended; the old one still opens.
    const rotated = [newKey, oldKey];
    expect(needsRewrap(rotated, created.wrapped)).toBe(true);
    expect(open(unwrapDataKey(rotated, created.wrapped, ORG), sealed, aad)).toBe("the pushback phase was heavy");

    // Step 2: rewrap moves the data key under the newest master key; the data key is unchanged.
    const moved = rewrap(rotated, created.wrapped, ORG);
    expect(moved.changed).toBe(true);
    expect(moved.masterKeyId).toBe(masterKeyId(newKey));
    expect(moved.version).toBe(1);
    expect(needsRewrap(rotated, moved.wrapped)).toBe(false);
    expect(rewrap(rotated, moved.wrapped, ORG)).toEqual({ ...moved, changed: false });

    // Step 3: old key removed; everything still opens.
    expect(open(unwrapDataKey([newKey], moved.wrapped, ORG), sealed, aad)).toBe("the pushback phase was heavy");
    // …and what was not rewrapped fails clearly.
    expectCode(() => unwrapDataKey([newKey], created.wrapped, ORG), "unknown_key");
  });
});

describe("seal and open", () => {
  const dataKey: DataKey = { key: randomBytes(32), version: 1 };
  const aad = debriefAad(ORG, "debrief_1");

  it("round-trips and uses the compact versioned format", () => {
    const sealed = seal(dataKey, "We protected the presenter. ¿Qué sentimos?", aad);
    expect(sealed).toMatch(/^v1\.1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain("presenter");
    expect(sealedKeyVersion(sealed)).toBe(1);
    expect(open(dataKey, sealed, aad)).toBe("We protected the presenter. ¿Qué sentimos?");
    expect(open(dataKey, seal(dataKey, "", aad), aad)).toBe("");
  });

  it("uses a fresh IV every time", () => {
    const ivs = new Set<string>();
    for (let i = 0; i < 200; i++) ivs.add(seal(dataKey, "same text", aad).split(".")[2] as string);
    expect(ivs.size).toBe(200);
  });

  it("fails on any flipped byte of ciphertext, tag or IV", () => {
    const sealed = seal(dataKey, "a debrief", aad);
    const bodyLength = Buffer.from(sealed.split(".")[3] as string, "base64url").length;
    for (let i = 0; i < bodyLength; i++) expectCode(() => open(dataKey, flipLastPart(sealed, i), aad), "tampered");
    const parts = sealed.split(".");
    const iv = Buffer.from(parts[2] as string, "base64url");
    iv.writeUInt8(iv.readUInt8(0) ^ 0x80, 0);
    parts[2] = iv.toString("base64url");
    expectCode(() => open(dataKey, parts.join("."), aad), "tampered");
  });

  it("fails for another record or another organisation (AAD)", () => {
    const sealed = seal(dataKey, "a debrief", aad);
    expectCode(() => open(dataKey, sealed, debriefAad(ORG, "debrief_2")), "tampered");
    expectCode(() => open(dataKey, sealed, debriefAad(OTHER_ORG, "debrief_1")), "tampered");
  });

  it("fails with another organisation's data key", () => {
    const sealed = seal(dataKey, "a debrief", aad);
    expectCode(() => open({ key: randomBytes(32), version: 1 }, sealed, aad), "tampered");
  });

  it("never puts the plaintext in error messages", () => {
    const secret = "Mrs Example said something private";
    const sealed = seal(dataKey, secret, aad);
    const error = expectCode(() => open(dataKey, sealed, "debrief:x:y"), "tampered");
    expect(error.message).not.toContain("Example");
    expect(String(error.stack)).not.toContain("Example");
  });

  it("rejects malformed sealed values", () => {
    for (const bad of ["", "v1", "v2.1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA", "v1.x.a.b", "v1.1.short.AAAAAAAAAAAAAAAAAAAAAA", "v1.1.AAAAAAAAAAAAAAAA.AA", "v1.1.AAAA AAAAAAAAAAAA.AA"]) {
      expectCode(() => open(dataKey, bad, aad), "malformed");
    }
  });
});

describe("data key rotation", () => {
  it("seals with the new version and opens older values through a resolver", () => {
    const master = randomBytes(32);
    const v1 = createDataKey([master], ORG, 1);
    const v2 = createDataKey([master], ORG, 2);
    const aad = debriefAad(ORG, "d");
    const oldSealed = seal({ key: v1.key, version: 1 }, "older", aad);
    const newSealed = seal({ key: v2.key, version: 2 }, "newer", aad);
    expect(sealedKeyVersion(oldSealed)).toBe(1);
    expect(sealedKeyVersion(newSealed)).toBe(2);

    const store = new Map([v1, v2].map((w) => [w.version, w.wrapped]));
    const resolve = (version: number) => {
      const wrapped = store.get(version);
      return wrapped === undefined ? undefined : unwrapDataKey([master], wrapped, ORG);
    };
    expect(open(resolve, oldSealed, aad)).toBe("older");
    expect(open(resolve, newSealed, aad)).toBe("newer");

    // A key given directly must be the version that sealed the value.
    expectCode(() => open({ key: v2.key, version: 2 }, oldSealed, aad), "unknown_key");
    store.delete(1);
    expectCode(() => open(resolve, oldSealed, aad), "unknown_key");
  });
});

describe("property: round trip of arbitrary unicode", () => {
  it("open(seal(x)) === x", () => {
    const dataKey: DataKey = { key: randomBytes(32), version: 7 };
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), fc.string({ minLength: 1, maxLength: 40 }), (text, id) => {
        const aad = debriefAad(ORG, id);
        const sealed = seal(dataKey, text, aad);
        return open(dataKey, sealed, aad) === text && sealedKeyVersion(sealed) === 7;
      }),
      { numRuns: 300 },
    );
  });

  it("full unicode including astral code points", () => {
    const dataKey: DataKey = { key: randomBytes(32), version: 1 };
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (text) => open(dataKey, seal(dataKey, text, "a"), "a") === text),
      { numRuns: 200 },
    );
  });
});
