import { describe, expect, it } from "vitest";
import { isAppError } from "../http/errors.ts";
import type { Role } from "../tenancy/schema.ts";
import type { Permission } from "./permissions.ts";
import { anonymousActor, authorize, can, requireUser, roleIn, type Actor } from "./policy.ts";

const ORG_A = "00000000-0000-4000-8000-00000000000a";
const ORG_B = "00000000-0000-4000-8000-00000000000b";

const userIn = (memberships: Record<string, Role>): Actor => ({ kind: "user", userId: "u1", memberships: new Map(Object.entries(memberships)) });
const tokenFor = (memberships: Record<string, Role>, organisationId: string, permissions: Permission[]): Actor => ({
  kind: "token",
  userId: "u1",
  memberships: new Map(Object.entries(memberships)),
  tokenScope: { tokenId: "t1", organisationId, permissions: new Set(permissions) },
});

function codeOf(fn: () => void): string | null {
  try {
    fn();
    return null;
  } catch (error) {
    if (isAppError(error)) return error.code;
    throw error;
  }
}

describe("can()", () => {
  it("follows the person's role in the resource's organisation only", () => {
    const actor = userIn({ [ORG_A]: "admin", [ORG_B]: "member" });
    expect(can(actor, "members:read", { organisationId: ORG_A })).toBe(true);
    expect(can(actor, "members:read", { organisationId: ORG_B })).toBe(false);
    expect(can(actor, "organisation:read", { organisationId: ORG_B })).toBe(true);
  });

  it("refuses outsiders and anonymous visitors", () => {
    expect(can(userIn({ [ORG_A]: "owner" }), "organisation:read", { organisationId: ORG_B })).toBe(false);
    expect(can(anonymousActor, "organisation:read", { organisationId: ORG_A })).toBe(false);
  });

  it("limits an API token to its organisation and to the permissions it was given", () => {
    const token = tokenFor({ [ORG_A]: "owner", [ORG_B]: "owner" }, ORG_A, ["organisation:read", "members:read"]);
    expect(can(token, "members:read", { organisationId: ORG_A })).toBe(true);
    expect(can(token, "members:invite", { organisationId: ORG_A })).toBe(false); // role allows, token does not
    expect(can(token, "organisation:read", { organisationId: ORG_B })).toBe(false); // other organisation
    expect(roleIn(token, ORG_B)).toBeNull();
  });

  it("never lets a token exceed the person's role", () => {
    const token = tokenFor({ [ORG_A]: "member" }, ORG_A, ["organisation:read", "members:read", "members:invite"]);
    expect(can(token, "members:read", { organisationId: ORG_A })).toBe(false);
    expect(can(token, "organisation:read", { organisationId: ORG_A })).toBe(true);
  });
});

describe("authorize()", () => {
  it("401 for anonymous, 404 for outsiders, 403 for members without the permission", () => {
    expect(codeOf(() => authorize(anonymousActor, "organisation:read", { organisationId: ORG_A }))).toBe("unauthenticated");
    expect(codeOf(() => authorize(userIn({ [ORG_B]: "owner" }), "organisation:read", { organisationId: ORG_A }))).toBe("not_found");
    expect(codeOf(() => authorize(userIn({ [ORG_A]: "member" }), "members:read", { organisationId: ORG_A }))).toBe("forbidden");
    expect(codeOf(() => authorize(userIn({ [ORG_A]: "coordinator" }), "members:read", { organisationId: ORG_A }))).toBeNull();
  });

  it("treats another organisation as unknown for a token scoped elsewhere, and 403 for a missing token permission", () => {
    const token = tokenFor({ [ORG_A]: "owner", [ORG_B]: "owner" }, ORG_A, ["organisation:read"]);
    expect(codeOf(() => authorize(token, "organisation:read", { organisationId: ORG_B }))).toBe("not_found");
    expect(codeOf(() => authorize(token, "organisation:update", { organisationId: ORG_A }))).toBe("forbidden");
    expect(codeOf(() => authorize(token, "organisation:read", { organisationId: ORG_A }))).toBeNull();
  });

  it("requireUser needs a person", () => {
    expect(codeOf(() => requireUser(anonymousActor))).toBe("unauthenticated");
    expect(requireUser(userIn({}))).toBe("u1");
  });
});
