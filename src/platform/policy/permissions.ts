import type { Role } from "../tenancy/schema.ts";

/**
 * Permission strings: `<resource>:<verb>`. Every read and write in an organisation is checked
 * against one of these by `can()` (policy.ts). Feature slices add theirs here so the whole
 * matrix stays in one readable place.
 */
export const PERMISSIONS = [
  "organisation:read",
  "organisation:update",
  "members:read",
  "members:invite",
  "members:change-role",
  "members:remove",
  "invitations:read",
  "invitations:revoke",
  "audit:read",
  "groups:read",
  "groups:lead",
  "groups:manage",
  "wellbeing:report",
  "wellbeing:manage",
  "accreditation:supervise",
  "accreditation:review",
  "library:manage",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

// Who may do what, by role. Owners and admins administer the organisation; coordinators invite
// people and read the member list; supervisors, leaders and members read the organisation.
// Which role someone may hand out, and to whom, is decided by mayAssignRole() below.
//
// Groups: everyone reads their organisation's groups; leaders and supervisors may lead a group
// ("groups:lead"; the service also checks they lead THAT group); coordinators and above create,
// edit and archive any group and decide on any group's join requests ("groups:manage").
const everyone: Permission[] = ["organisation:read", "groups:read"];
const leading: Permission[] = [...everyone, "groups:lead"];
// Learning library: coordinators and above curate the organisation's items ("library:manage").
// Well-being program reports and de-identified exports ("wellbeing:report"): frozen aggregates of
// ≥ k respondents only (ADR 015), for owners, admins and coordinators. The same roles administer
// check-ins ("wellbeing:manage": import and retire instruments, create and end campaigns, move,
// close and send waves; ADR 017).
const coordinating: Permission[] = [...leading, "members:read", "members:invite", "invitations:read", "invitations:revoke", "groups:manage", "wellbeing:report", "wellbeing:manage", "library:manage"];
const administering: Permission[] = [...coordinating, "organisation:update", "members:change-role", "members:remove", "audit:read"];

// Accreditation (brief Q): "accreditation:supervise" lets supervisors, coordinators and above join
// the organisation's supervisors list; "accreditation:review" lets them sit on the accreditation
// committee (the service also checks they ARE on it: accreditation_committee_member, chair or member).
const supervisingAndReviewing: Permission[] = ["accreditation:supervise", "accreditation:review"];

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set([...administering, ...supervisingAndReviewing]),
  admin: new Set([...administering, ...supervisingAndReviewing]),
  coordinator: new Set([...coordinating, ...supervisingAndReviewing]),
  supervisor: new Set([...leading, ...supervisingAndReviewing]),
  leader: new Set(leading),
  member: new Set(everyone),
};

/** Higher number, more authority. Used for who may grant or change which role. */
export const ROLE_RANK: Record<Role, number> = {
  owner: 60,
  admin: 50,
  coordinator: 40,
  supervisor: 30,
  leader: 20,
  member: 10,
};

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}

/**
 * May someone with `actorRole` give `newRole` to a person who now has `currentRole` (or is new)?
 * Owners may do anything. Admins manage every role below owner but never touch an owner.
 * Coordinators may only invite members, leaders and supervisors.
 */
export function mayAssignRole(actorRole: Role, newRole: Role, currentRole: Role | null): boolean {
  if (actorRole === "owner") return true;
  if (currentRole === "owner" || newRole === "owner") return false;
  if (actorRole === "admin") return true;
  if (actorRole === "coordinator") {
    return currentRole === null && ["member", "leader", "supervisor"].includes(newRole);
  }
  return false;
}

/**
 * May someone with `actorRole` remove a person who has `targetRole`? Owners may remove anyone
 * (the last-owner rule is enforced by the service); admins anyone but an owner; nobody else.
 */
export function mayRemoveMember(actorRole: Role, targetRole: Role): boolean {
  if (actorRole === "owner") return true;
  if (actorRole === "admin") return targetRole !== "owner";
  return false;
}

/** The roles `actorRole` may give to a person who now has `currentRole` (null: a new person). */
export function assignableRoles(actorRole: Role, currentRole: Role | null, roles: readonly Role[]): Role[] {
  return roles.filter((r) => mayAssignRole(actorRole, r, currentRole));
}
