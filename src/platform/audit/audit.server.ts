import type { Executor } from "../db/client.server.ts";
import { auditEvent } from "./schema.ts";
import type { Actor } from "../policy/policy.ts";

/**
 * Actions recorded in the audit log, named `<area>.<past_tense_verb>`. The known ones are listed
 * for readers; slices may record others of the same form (checked at write time).
 */
export type KnownAuditAction =
  | "auth.signed_up"
  | "auth.signed_in"
  | "auth.signed_out"
  | "auth.sign_in_failed"
  | "auth.password_reset"
  | "auth.password_changed"
  | "auth.email_verified"
  | "auth.two_factor_enabled"
  | "auth.two_factor_disabled"
  | "auth.passkey_added"
  | "auth.passkey_renamed"
  | "auth.passkey_removed"
  | "auth.recovery_codes_regenerated"
  | "auth.sessions_revoked"
  | "setup.completed"
  | "organisation.updated"
  | "member.role_changed"
  | "member.removed"
  | "member.left"
  | "invitation.created"
  | "invitation.revoked"
  | "invitation.resent"
  | "invitation.accepted"
  | "api_token.created"
  | "api_token.revoked"
  | "audit.exported"
  | "profile.updated";
export type AuditAction = KnownAuditAction | (string & {});
const ACTION_NAME = /^[a-z][a-z_]*\.[a-z][a-z_]*$/;

export type AuditDetails = Record<string, string | number | boolean | null>;

export interface AuditEntry {
  organisationId?: string | null;
  actor?: Pick<Actor, "kind" | "userId" | "tokenScope"> | null;
  actorUserId?: string | null;
  action: AuditAction;
  targetType?: string;
  targetId?: string;
  details?: AuditDetails;
  ipAddress?: string | null;
  requestId?: string | null;
}

const DETAIL_KEY = /^[a-z][A-Za-z0-9]{0,39}$/;
// Identifiers, enumerated values, email addresses: no sentences, no line breaks.
const DETAIL_VALUE = /^[\p{L}\p{N}@._:+\-/ ]{0,120}$/u;
const MAX_DETAIL_WORDS = 6;

/**
 * Refuses anything that looks like free text, so the audit log can never become a place where
 * confidential words end up. Throws: a caller writing prose into it is a programming error.
 */
export function assertAuditDetails(details: AuditDetails): void {
  for (const [key, value] of Object.entries(details)) {
    if (!DETAIL_KEY.test(key)) throw new Error(`audit detail key not allowed: ${key}`);
    if (typeof value === "string") {
      if (!DETAIL_VALUE.test(value) || value.split(" ").length > MAX_DETAIL_WORDS) {
        throw new Error(`audit detail "${key}" looks like free text; record identifiers only`);
      }
    }
  }
}

export async function recordAudit(db: Executor, entry: AuditEntry): Promise<void> {
  const details = entry.details ?? {};
  if (!ACTION_NAME.test(entry.action)) throw new Error(`audit action must look like area.verb_ed: ${entry.action}`);
  assertAuditDetails(details);
  const actorKind = entry.actor ? (entry.actor.kind === "token" ? "token" : entry.actor.kind === "user" ? "user" : "system") : entry.actorUserId ? "user" : "system";
  await db.insert(auditEvent).values({
    organisationId: entry.organisationId ?? null,
    actorUserId: entry.actor?.userId ?? entry.actorUserId ?? null,
    actorKind,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    details: entry.actor?.tokenScope ? { ...details, tokenId: entry.actor.tokenScope.tokenId } : details,
    ipAddress: entry.ipAddress ?? null,
    requestId: entry.requestId ?? null,
  });
}
