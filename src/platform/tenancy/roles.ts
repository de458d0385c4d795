/**
 * The roles a person can hold in an organisation, highest authority first. Shared by server and
 * UI (no database imports here); `schema.ts` uses the same list for its column and check
 * constraint (a unit test keeps the two identical).
 */
export const ROLE_NAMES = ["owner", "admin", "coordinator", "supervisor", "leader", "member"] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

export function isRoleName(value: unknown): value is RoleName {
  return typeof value === "string" && (ROLE_NAMES as readonly string[]).includes(value);
}
