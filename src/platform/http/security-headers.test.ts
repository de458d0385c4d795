import { describe, expect, it } from "vitest";
import { createNonce, securityHeaders } from "./security-headers.server.ts";

describe("security headers", () => {
  it("makes a fresh, unguessable nonce each time", () => {
    const nonces = new Set(Array.from({ length: 50 }, () => createNonce()));
    expect(nonces.size).toBe(50);
    for (const n of nonces) expect(Buffer.from(n, "base64").length).toBe(16);
  });

  it("lets scripts and styles run only with the nonce, and forbids framing", () => {
    const h = securityHeaders("abc123", { https: false });
    const csp = h["Content-Security-Policy"]!;
    expect(csp).toContain("script-src 'self' 'nonce-abc123'");
    expect(csp).toContain("style-src 'self' 'nonce-abc123'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(h["X-Frame-Options"]).toBe("DENY");
    expect(h["Referrer-Policy"]).toBe("same-origin");
    expect(h["Strict-Transport-Security"]).toBeUndefined();
    expect(csp).not.toContain("upgrade-insecure-requests");
  });

  it("adds HSTS and upgrade-insecure-requests on https only", () => {
    const h = securityHeaders("n", { https: true });
    expect(h["Strict-Transport-Security"]).toMatch(/^max-age=\d+/);
    expect(h["Content-Security-Policy"]).toContain("upgrade-insecure-requests");
  });

  it("relaxes inline styles only when asked (the API docs page)", () => {
    expect(securityHeaders("n", { https: false, relaxedStyles: true })["Content-Security-Policy"]).toContain("style-src 'self' 'unsafe-inline'");
  });
});
