import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AppError } from "../http/errors.ts";
import { checkUpload, createLocalFileStore, MAX_FILE_BYTES, sniffFileType } from "./file-store.server.ts";

const pdf = new TextEncoder().encode("%PDF-1.4\n%…\n");
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16]);

describe("file store", () => {
  it("sniffs types from magic bytes, not names", () => {
    expect(sniffFileType(pdf)).toBe("application/pdf");
    expect(sniffFileType(png)).toBe("image/png");
    expect(sniffFileType(jpeg)).toBe("image/jpeg");
    expect(sniffFileType(new TextEncoder().encode("<html><script>"))).toBeNull();
    expect(sniffFileType(new TextEncoder().encode("GIF89a"))).toBeNull();
  });

  it("refuses empty, oversized and unknown files with the right status", () => {
    const status = (b: Uint8Array) => {
      try {
        checkUpload(b);
        return 200;
      } catch (e) {
        return (e as AppError).status;
      }
    };
    expect(status(new Uint8Array())).toBe(400);
    const big = new Uint8Array(MAX_FILE_BYTES + 1);
    big.set(pdf);
    expect(status(big)).toBe(413);
    const exact = new Uint8Array(MAX_FILE_BYTES);
    exact.set(pdf);
    expect(status(exact)).toBe(200);
    expect(status(new TextEncoder().encode("MZ executable"))).toBe(415);
  });

  it("stores under random names, reads back, deletes, and rejects keys that escape", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "bc-files-"));
    const store = createLocalFileStore(dir);
    const a = await store.put("evidence", pdf);
    const b = await store.put("evidence", pdf);
    expect(a.key).not.toBe(b.key);
    expect(a.key).toMatch(/^evidence\/[A-Za-z0-9_-]{32}\.pdf$/);
    expect(a.type).toBe("application/pdf");
    expect(readdirSync(path.join(dir, "evidence"))).toHaveLength(2);
    expect((await store.get(a.key))!.bytes).toEqual(pdf);
    await store.delete(a.key);
    expect(await store.get(a.key)).toBeNull();
    expect(await store.get("../../etc/passwd")).toBeNull();
    expect(await store.get("evidence/../../x.pdf")).toBeNull();
    await expect(store.put("../up", pdf)).rejects.toThrow();
  });
});
