import { describe, expect, it } from "vitest";
import { ROLES } from "./schema.ts";
import { ROLE_NAMES, isRoleName } from "./roles.ts";

describe("role names", () => {
  it("are the same list, in the same order, as the database's roles", () => {
    expect([...ROLE_NAMES]).toEqual([...ROLES]);
  });
  it("recognise role names", () => {
    expect(isRoleName("coordinator")).toBe(true);
    expect(isRoleName("superuser")).toBe(false);
    expect(isRoleName(undefined)).toBe(false);
  });
});
