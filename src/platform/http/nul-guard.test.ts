import { describe, expect, it } from "vitest";
import { findNulInBody, findNulInJson } from "./nul-guard.ts";

describe("NUL guard", () => {
  it("finds the path of the first string with a NUL, in keys and nested values", () => {
    expect(findNulInJson({ a: "ok", b: ["x", { c: "y\u0000" }] })).toBe("b.1.c");
    expect(findNulInJson({ "bad\u0000key": 1 })).toBe("bad\u0000key");
    expect(findNulInJson("top\u0000")).toBe("(body)");
    expect(findNulInJson({ a: "clean", n: 3, t: true, z: null })).toBeNull();
  });

  it("reads JSON, urlencoded and multipart bodies; leaves literal text like %00 in JSON alone", () => {
    expect(findNulInBody('{"name":"a\\u0000"}', "application/json")).toBe("name");
    expect(findNulInBody('{"name":"100%00 sure"}', "application/json")).toBeNull();
    expect(findNulInBody("{not json \\u0000", "application/json")).toBeNull();
    expect(findNulInBody("name=ok&note=x%00y", "application/x-www-form-urlencoded")).toBe("note");
    expect(findNulInBody("name=100%2500", "application/x-www-form-urlencoded")).toBeNull();
    expect(findNulInBody('--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\u0000\r\n--b--', "multipart/form-data; boundary=b")).toBe("(body)");
    // An uploaded file (a part with a filename) is binary and may hold NUL bytes; its text fields may not.
    expect(findNulInBody('--b\r\nContent-Disposition: form-data; name="file"; filename="c.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF\u0000\u0000\r\n--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n--b--', "multipart/form-data; boundary=b")).toBeNull();
    expect(findNulInBody('--b\r\nContent-Disposition: form-data; name="file"; filename="c.pdf"\r\n\r\n%PDF\u0000\r\n--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\u0000\r\n--b--', "multipart/form-data; boundary=b")).toBe("(body)");
    expect(findNulInBody("anything\u0000", "text/plain")).toBeNull();
  });
});
