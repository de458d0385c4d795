import { gunzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bitstringFromIndexes, decodeList, emptyBitstring, encodeList, getBit, pickFreeIndex, STATUS_LIST_MIN_BITS, StatusListError, withBit } from "./status-list.ts";
import { independentStatusBit } from "./credential-independent.test-support.ts";

describe("Bitstring Status List", () => {
  it("is 16 KB and index 0 is the left-most bit of the first byte", () => {
    const list = withBit(emptyBitstring(), 0);
    expect(list.length).toBe(16_384);
    expect(list[0]).toBe(0x80);
    const seven = withBit(emptyBitstring(), 7);
    expect(seven[0]).toBe(0x01);
    const nine = withBit(emptyBitstring(), 9);
    expect(nine[1]).toBe(0x40);
  });

  it("encodes as multibase base64url GZIP and round-trips", () => {
    const list = bitstringFromIndexes([3, 4242, STATUS_LIST_MIN_BITS - 1]);
    const encoded = encodeList(list);
    expect(encoded.startsWith("u")).toBe(true);
    expect(gunzipSync(Buffer.from(encoded.slice(1), "base64url")).equals(Buffer.from(list))).toBe(true);
    const back = decodeList(encoded);
    expect(getBit(back, 3)).toBe(true);
    expect(getBit(back, 4242)).toBe(true);
    expect(getBit(back, 4243)).toBe(false);
    expect(independentStatusBit(encoded, 4242)).toBe(true);
    expect(independentStatusBit(encoded, 4241)).toBe(false);
  });

  it("set bits are exactly the given indexes (property)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: STATUS_LIST_MIN_BITS - 1 }), { maxLength: 40 }), fc.integer({ min: 0, max: STATUS_LIST_MIN_BITS - 1 }), (set, probe) => {
        const list = decodeList(encodeList(bitstringFromIndexes(set)));
        expect(getBit(list, probe)).toBe(set.includes(probe));
      }),
      { numRuns: 50 },
    );
  });

  it("refuses bad input", () => {
    expect(() => emptyBitstring(8)).toThrow(StatusListError);
    expect(() => getBit(emptyBitstring(), STATUS_LIST_MIN_BITS)).toThrow(StatusListError);
    expect(() => getBit(emptyBitstring(), -1)).toThrow(StatusListError);
    expect(() => decodeList("zabc")).toThrow(StatusListError);
    expect(() => decodeList("uAAAA")).toThrow(StatusListError);
    expect(() => decodeList(encodeList(new Uint8Array(100)))).toThrow(StatusListError);
  });

  it("picks a free index at random and never a taken one", () => {
    const taken = new Set([0, 1, 2]);
    let calls = 0;
    const seq = [0, 1 / STATUS_LIST_MIN_BITS, 5 / STATUS_LIST_MIN_BITS];
    expect(pickFreeIndex(taken, () => seq[calls++]!)).toBe(5);
    expect(() => pickFreeIndex(new Set([0]), () => 0, 1)).toThrow(StatusListError);
  });
});
