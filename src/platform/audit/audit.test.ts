import { describe, expect, it } from "vitest";
import { assertAuditDetails } from "./audit.server.ts";

describe("assertAuditDetails", () => {
  it("accepts identifiers, enumerated values, addresses, numbers and booleans", () => {
    expect(() =>
      assertAuditDetails({
        role: "coordinator",
        previousRole: "member",
        userId: "k3J9x_2Lq0",
        organisationId: "5b1c1a8e-2f7d-4a53-9a57-0f3c3f9e8d21",
        email: "ana.lopez@example.org",
        method: "sign-in/email",
        count: 3,
        revoked: true,
        reason: null,
      }),
    ).not.toThrow();
  });

  it.each([
    ["a sentence", "The presenter talked about a patient who was dying of cancer"],
    ["a line break", "first line\nsecond line"],
    ["punctuation of prose", "she said: no, really!"],
    ["too long", "a".repeat(121)],
    ["quotes", 'said "hello"'],
    ["markup", "<script>alert(1)</script>"],
  ])("rejects %s", (_label, value) => {
    expect(() => assertAuditDetails({ note: value })).toThrow(/free text/);
  });

  it("rejects keys that are not simple identifiers", () => {
    expect(() => assertAuditDetails({ "case notes": "x" })).toThrow(/key not allowed/);
    expect(() => assertAuditDetails({ Role: "x" })).toThrow(/key not allowed/);
  });
});
