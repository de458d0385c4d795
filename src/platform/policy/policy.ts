import type { Role } from "../tenancy/schema.ts";
import { AppError } from "../http/errors.ts";
import { ROLE_PERMISSIONS, type Permission } from "./permissions.ts";

/**
 * Who is asking. Built once per request (auth middleware) from a session cookie or an API token.
 * `memberships` maps organisation id to the person's role there.
 */
export interface Actor {
  kind: "anonymous" | "user" | "token";
  userId: string | null;
  memberships: ReadonlyMap<string, Role>;
  /** For API tokens: the single organisation and the permissions the token was given. */
  tokenScope?: { tokenId: string; organisationId: string; permissions: ReadonlySet<Permission> };
}

export const anonymousActor: Actor = { kind: "anonymous", userId: null, memberships: new Map() };

/** Anything that belongs to an organisation. */
export interface OrgResource {
  organisationId: string;
}

export function roleIn(actor: Actor, organisationId: string): Role | null {
  if (actor.tokenScope && actor.tokenScope.organisationId !== organisationId) return null;
  return actor.memberships.get(organisationId) ?? null;
}

/**
 * The one policy check. True when the actor is a member of the resource's organisation with a
 * role that grants `permission`, and, for API tokens, the token was also given it.
 */
export function can(actor: Actor, permission: Permission, resource: OrgResource): boolean {
  const role = roleIn(actor, resource.organisationId);
  if (!role) return false;
  if (!ROLE_PERMISSIONS[role].has(permission)) return false;
  if (actor.tokenScope && !actor.tokenScope.permissions.has(permission)) return false;
  return true;
}

/**
 * Throws unless `can()`. Someone outside the organisation gets 404, not 403, so that an
 * organisation's existence and ids are not confirmed to strangers.
 */
export function authorize(actor: Actor, permission: Permission, resource: OrgResource): void {
  if (actor.kind === "anonymous") throw new AppError("unauthenticated", "Please sign in.");
  if (!roleIn(actor, resource.organisationId)) throw new AppError("not_found", "That organisation was not found.");
  if (!can(actor, permission, resource)) throw new AppError("forbidden", "You do not have permission to do that.");
}

export function requireUser(actor: Actor): string {
  if (!actor.userId) throw new AppError("unauthenticated", "Please sign in.");
  return actor.userId;
}
