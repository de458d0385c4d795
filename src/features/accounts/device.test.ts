import { describe, expect, it } from "vitest";
import { describeUserAgent, maskIp } from "./device.ts";
import { safeRedirect } from "./schemas.ts";
import { base32Decode, hotp, totp } from "./testing/totp.ts";

describe("describeUserAgent", () => {
  it("names common browsers and systems", () => {
    expect(describeUserAgent("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0")).toEqual({ browser: "Firefox", os: "Windows", mobile: false });
    expect(describeUserAgent("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36 Edg/140.0.0.0")).toMatchObject({ browser: "Edge", os: "macOS" });
    expect(describeUserAgent("Mozilla/5.0 (Linux; Android 15) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Mobile Safari/537.36")).toEqual({ browser: "Chrome", os: "Android", mobile: true });
    expect(describeUserAgent("Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1")).toEqual({ browser: "Safari", os: "iPhone", mobile: true });
  });
  it("says nothing it does not know", () => {
    expect(describeUserAgent(null)).toEqual({ browser: null, os: null, mobile: false });
    expect(describeUserAgent("SomethingElse/1.0")).toEqual({ browser: null, os: null, mobile: false });
  });
});

describe("maskIp", () => {
  it("hides the host part", () => {
    expect(maskIp("203.0.113.57")).toBe("203.0.113.x");
    expect(maskIp("::ffff:198.51.100.4")).toBe("198.51.100.x");
    expect(maskIp("2001:db8:85a3:8d3:1319:8a2e:370:7348")).toBe("2001:db8:85a3::x");
    expect(maskIp(null)).toBeNull();
    expect(maskIp("garbage")).toBeNull();
  });
});

describe("safeRedirect", () => {
  it("keeps same-site relative paths", () => {
    expect(safeRedirect("/o/abs/groups?tab=2#x")).toBe("/o/abs/groups?tab=2#x");
    expect(safeRedirect("/account/security")).toBe("/account/security");
  });
  it("refuses anything that could leave the site", () => {
    for (const bad of ["https://evil.example", "//evil.example/x", "/\\evil.example", "\\\\evil.example", "javascript:alert(1)", "evil.example", "/\tevil", "", null, undefined, 42]) {
      expect(safeRedirect(bad), String(bad)).toBe("/home");
    }
    expect(safeRedirect("https://evil.example", "/")).toBe("/");
  });
});

describe("TOTP test helper (RFC 6238 / RFC 4226 vectors)", () => {
  const key = Buffer.from("12345678901234567890");
  it("matches the RFC 4226 HOTP values", () => {
    expect(hotp(key, 0)).toBe("755224");
    expect(hotp(key, 9)).toBe("520489");
  });
  it("matches the RFC 6238 SHA-1 TOTP values", () => {
    expect(totp(key, 59_000, { digits: 8 })).toBe("94287082");
    expect(totp(key, 1_111_111_109_000, { digits: 8 })).toBe("07081804");
  });
  it("decodes base32", () => {
    expect(base32Decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").toString()).toBe("12345678901234567890");
  });
});

describe("describeUserAgent (headless)", () => {
  it("treats HeadlessChrome as Chrome", () => {
    expect(describeUserAgent("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0.0.0 Safari/537.36").browser).toBe("Chrome");
  });
});
