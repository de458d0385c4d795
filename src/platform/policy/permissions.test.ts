import { describe, expect, it } from "vitest";
import { ROLES, type Role } from "../tenancy/schema.ts";
import { PERMISSIONS, ROLE_PERMISSIONS, ROLE_RANK, assignableRoles, isPermission, mayAssignRole, mayRemoveMember, type Permission } from "./permissions.ts";

// The matrix as a reader would write it: Y = the role has the permission.
//                                     owner admin coord super leader member
const MATRIX: Record<Permission, string> = {
  "organisation:read":               "Y     Y     Y     Y     Y      Y",
  "organisation:update":             "Y     Y     .     .     .      .",
  "members:read":                    "Y     Y     Y     .     .      .",
  "members:invite":                  "Y     Y     Y     .     .      .",
  "members:change-role":             "Y     Y     .     .     .      .",
  "members:remove":                  "Y     Y     .     .     .      .",
  "invitations:read":                "Y     Y     Y     .     .      .",
  "invitations:revoke":              "Y     Y     Y     .     .      .",
  "audit:read":                      "Y     Y     .     .     .      .",
  "groups:read":                     "Y     Y     Y     Y     Y      Y",
  "groups:lead":                     "Y     Y     Y     Y     Y      .",
  "groups:manage":                   "Y     Y     Y     .     .      .",
  "wellbeing:report":                "Y     Y     Y     .     .      .",
  "wellbeing:manage":                "Y     Y     Y     .     .      .",
  "library:manage":                  "Y     Y     Y     .     .      .",
  "accreditation:supervise":         "Y     Y     Y     Y     .      .",
  "accreditation:review":            "Y     Y     Y     Y     .      .",
};

describe("permission matrix", () => {
  it("covers every permission", () => {
    expect(Object.keys(MATRIX).sort()).toEqual([...PERMISSIONS].sort());
  });

  for (const permission of PERMISSIONS) {
    const cells = MATRIX[permission].split(/\s+/);
    ROLES.forEach((role, i) => {
      const expected = cells[i] === "Y";
      it(`${role} ${expected ? "has" : "lacks"} ${permission}`, () => {
        expect(ROLE_PERMISSIONS[role].has(permission)).toBe(expected);
      });
    });
  }

  it("ranks roles from owner down to member", () => {
    const ordered = [...ROLES].sort((a, b) => ROLE_RANK[b] - ROLE_RANK[a]);
    expect(ordered).toEqual(["owner", "admin", "coordinator", "supervisor", "leader", "member"]);
  });

  it("recognises permission strings", () => {
    expect(isPermission("members:read")).toBe(true);
    expect(isPermission("members:delete-everything")).toBe(false);
  });
});

// Who may give which role to a NEW person (an invitation). Rows: actor; columns: new role.
//                                owner admin coord super leader member
const INVITE: Record<Role, string> = {
  owner:                         "Y     Y     Y     Y     Y      Y",
  admin:                         ".     Y     Y     Y     Y      Y",
  coordinator:                   ".     .     .     Y     Y      Y",
  supervisor:                    ".     .     .     .     .      .",
  leader:                        ".     .     .     .     .      .",
  member:                        ".     .     .     .     .      .",
};

describe("mayAssignRole", () => {
  for (const actorRole of ROLES) {
    const cells = INVITE[actorRole].split(/\s+/);
    ROLES.forEach((newRole, i) => {
      const expected = cells[i] === "Y";
      it(`${actorRole} ${expected ? "may" : "may not"} invite someone as ${newRole}`, () => {
        expect(mayAssignRole(actorRole, newRole, null)).toBe(expected);
      });
    });
  }

  // Changing an existing member's role: every (actor, current, new) triple.
  const expectedChange = (actor: Role, current: Role, next: Role): boolean => {
    switch (actor) {
      case "owner":
        return true; // owners may do anything (the last-owner rule lives in the service)
      case "admin":
        return current !== "owner" && next !== "owner"; // never touches owners
      default:
        return false; // coordinators only invite; the rest manage nobody
    }
  };
  for (const actor of ROLES) {
    for (const current of ROLES) {
      for (const next of ROLES) {
        it(`${actor}: ${current} → ${next} is ${expectedChange(actor, current, next) ? "allowed" : "refused"}`, () => {
          expect(mayAssignRole(actor, next, current)).toBe(expectedChange(actor, current, next));
        });
      }
    }
  }

  it("lists what an admin may offer a new person", () => {
    expect(assignableRoles("admin", null, ROLES)).toEqual(["admin", "coordinator", "supervisor", "leader", "member"]);
    expect(assignableRoles("coordinator", null, ROLES)).toEqual(["supervisor", "leader", "member"]);
    expect(assignableRoles("admin", "owner", ROLES)).toEqual([]);
  });
});

describe("mayRemoveMember", () => {
  //                 target: owner admin coord super leader member
  const REMOVE: Record<Role, string> = {
    owner:                 "Y     Y     Y     Y     Y      Y",
    admin:                 ".     Y     Y     Y     Y      Y",
    coordinator:           ".     .     .     .     .      .",
    supervisor:            ".     .     .     .     .      .",
    leader:                ".     .     .     .     .      .",
    member:                ".     .     .     .     .      .",
  };
  for (const actor of ROLES) {
    const cells = REMOVE[actor].split(/\s+/);
    ROLES.forEach((target, i) => {
      it(`${actor} ${cells[i] === "Y" ? "may" : "may not"} remove a ${target}`, () => {
        expect(mayRemoveMember(actor, target)).toBe(cells[i] === "Y");
      });
    });
  }
});
