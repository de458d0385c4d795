import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../support/test-app.ts";

interface ErrorShape {
  error: { code: string; message: string; fields?: Array<{ path: string; message: string }>; requestId?: string };
}

describe("HTTP edge: health, headers, errors, OpenAPI", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ env: { BODY_LIMIT: "2048" } });
  });
  afterAll(async () => app?.close());

  it("answers /healthz and /readyz with JSON", async () => {
    const health = await app.request("/healthz");
    expect(health.status).toBe(200);
    expect(health.headers.get("content-type")).toMatch(/application\/json/);
    expect(await health.json()).toMatchObject({ status: "ok" });
    const ready = await app.request("/readyz");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", database: process.env.TEST_DB === "postgres" ? "postgres" : "pglite" });
  });

  it("sets the security headers, with a fresh CSP nonce on every request", async () => {
    const first = await app.request("/healthz");
    const second = await app.request("/api/v1/setup");
    const nonceOf = (res: Response) => /'nonce-([^']+)'/.exec(res.headers.get("content-security-policy") ?? "")?.[1];
    const csp = first.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toMatch(/script-src [^;]*'nonce-/);
    expect(nonceOf(first)).toBeTruthy();
    expect(nonceOf(second)).toBeTruthy();
    expect(nonceOf(first)).not.toBe(nonceOf(second));
    expect(first.headers.get("referrer-policy")).toBe("same-origin");
    expect(first.headers.get("x-content-type-options")).toBe("nosniff");
    expect(first.headers.get("permissions-policy")).toMatch(/camera=\(\)/);
    expect(first.headers.get("permissions-policy")).toMatch(/geolocation=\(\)/);
    // Plain http: no HSTS (a browser would pin https for a site that does not have it).
    expect(first.headers.get("strict-transport-security")).toBeNull();
  });

  it("echoes a well-formed request id and makes one up otherwise", async () => {
    const echoed = await app.request("/healthz", { headers: { "x-request-id": "trace-abc-12345" } });
    expect(echoed.headers.get("x-request-id")).toBe("trace-abc-12345");
    const invented = await app.request("/healthz", { headers: { "x-request-id": "bad id with spaces <script>" } });
    const id = invented.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("refuses an oversized body with 413 in the shared error shape", async () => {
    const res = await app.request("/api/v1/setup", { method: "POST", json: { organisationName: "x".repeat(5000) } });
    expect(res.status).toBe(413);
    const body = (await res.json()) as ErrorShape;
    expect(body.error.code).toBe("payload_too_large");
    expect(typeof body.error.message).toBe("string");
  });

  it("refuses malformed JSON with 400 malformed_json", async () => {
    const res = await app.request("/api/v1/setup", { method: "POST", headers: { "content-type": "application/json" }, body: '{"organisationName": "Ab",' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorShape;
    expect(body.error.code).toBe("malformed_json");
  });

  it("answers a NUL character anywhere in the input with a 400 naming where it is, never a 500", async () => {
    const inJson = await app.request("/api/v1/setup", { method: "POST", json: { organisationName: "Ab\u0000c", ownerName: "A", ownerEmail: "a@example.org", ownerPassword: "x" } });
    expect(inJson.status).toBe(400);
    expect(((await inJson.json()) as ErrorShape).error.fields?.map((f) => f.path)).toEqual(["organisationName"]);
    const nested = await app.request("/api/v1/setup", { method: "POST", json: { organisationName: "Ab", list: [{ deep: "x\u0000" }] } });
    expect(((await nested.json()) as ErrorShape).error.fields?.map((f) => f.path)).toEqual(["list.0.deep"]);
    const inForm = await app.request("/setup", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "organisationName=Ab%00c&ownerName=A" });
    expect(inForm.status).toBe(400);
    expect(((await inForm.json()) as ErrorShape).error.fields?.map((f) => f.path)).toEqual(["organisationName"]);
    for (const address of ["/api/v1/directory/groups/%00/x", "/groups/a/%00", "/reset-password?token=%00", "/api/v1/directory/groups?q=%00"]) {
      const res = await app.request(address);
      expect(res.status, address).toBe(400);
      expect(((await res.json()) as ErrorShape).error.fields?.[0]?.path, address).toBe("url");
    }
    const malformed = await app.request("/api/v1/directory/groups?q=%E0%A4%A");
    expect(malformed.status).toBe(400);
    // Ordinary percent signs and plus signs still work.
    expect((await app.request("/api/v1/directory/groups?q=100%25+sure")).status).toBe(200);
  });

  it("names the invalid field in a 400", async () => {
    const res = await app.request("/api/v1/setup", { method: "POST", json: { organisationName: "Valid name", ownerName: "A", ownerEmail: "nope", ownerPassword: "x" } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorShape;
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.fields?.map((f) => f.path)).toContain("ownerEmail");
  });

  it("refuses a cross-origin write (CSRF) and one with no Origin at all", async () => {
    const evil = await app.request("/api/v1/setup", { method: "POST", headers: { origin: "https://evil.example" }, json: {} });
    expect(evil.status).toBe(403);
    expect(((await evil.json()) as ErrorShape).error.code).toBe("csrf_failed");
    // No Origin and a cross-site fetch marker: refused too.
    const url = new URL("/api/v1/setup", TEST_ORIGIN).toString();
    const bare = await app.app.request(url, { method: "POST", headers: { "content-type": "application/json", "sec-fetch-site": "cross-site" }, body: "{}" });
    expect(bare.status).toBe(403);
    expect(((await bare.json()) as ErrorShape).error.code).toBe("csrf_failed");
    // The same request from our own origin passes the check (and then fails validation).
    const same = await app.request("/api/v1/setup", { method: "POST", json: {} });
    expect(same.status).toBe(400);
  });

  it("answers an unknown API route with a JSON 404", async () => {
    const res = await app.request("/api/v1/x");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    const body = (await res.json()) as ErrorShape;
    expect(body.error.code).toBe("not_found");
    expect(body.error.requestId).toBe(res.headers.get("x-request-id"));
  });

  it("publishes a valid OpenAPI 3.1 document", async () => {
    const res = await app.request("/api/v1/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toContain("/setup");
    const validator = new Validator();
    const result = await validator.validate(doc as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("serves the API documentation page as HTML", async () => {
    const res = await app.request("/api/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toMatch(/<html/i);
    expect(html).toContain("openapi.json");
  });
});

describe("HTTP edge behind https", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ env: { APP_URL: "https://balint.example.org" } });
  });
  afterAll(async () => app?.close());

  it("sends HSTS and upgrade-insecure-requests when APP_URL is https", async () => {
    const res = await app.app.request("https://balint.example.org/healthz");
    expect(res.status).toBe(200);
    expect(res.headers.get("strict-transport-security")).toMatch(/max-age=\d{7,}/);
    expect(res.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
  });
});
