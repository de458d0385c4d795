import { z } from "zod";
import { describe, expect, it } from "vitest";
import { AppError, fieldsFromIssues, invalid, isAppError, validationError } from "./errors.ts";

describe("the shared error shape", () => {
  it("maps codes to statuses and serialises without empty fields", () => {
    expect(new AppError("csrf_failed", "x").status).toBe(403);
    expect(new AppError("payload_too_large", "x").status).toBe(413);
    expect(new AppError("malformed_json", "x").status).toBe(400);
    expect(new AppError("not_found", "Gone.").toBody("req-1")).toEqual({ error: { code: "not_found", message: "Gone.", requestId: "req-1" } });
    expect(invalid("email", "bad").toBody()).toEqual({ error: { code: "validation_failed", message: "email: bad", fields: [{ path: "email", message: "bad" }] } });
  });

  it("names every invalid field from zod issues, nested paths joined with dots", () => {
    const schema = z.object({ name: z.string().min(2), address: z.object({ city: z.string() }) });
    const result = schema.safeParse({ name: "a", address: {} });
    expect(result.success).toBe(false);
    const error = validationError(result.error!.issues);
    expect(error.fields?.map((f) => f.path).sort()).toEqual(["address.city", "name"]);
    expect(error.message).toMatch(/^Invalid (name|address\.city): /);
    expect(fieldsFromIssues([{ path: [], message: "Expected object" }])).toEqual([{ path: "(body)", message: "Expected object" }]);
  });

  it("recognises an AppError from another copy of the module", () => {
    const foreign = Object.assign(new Error("x"), { name: "AppError", code: "forbidden" });
    expect(isAppError(foreign)).toBe(true);
    expect(isAppError(new Error("x"))).toBe(false);
    expect(isAppError(null)).toBe(false);
  });
});
