import { and, count, desc, eq, gte, inArray, isNull, like, lt, lte, or, type SQL } from "drizzle-orm";
import { membership } from "../../platform/tenancy/schema.ts";
import { user } from "../../platform/auth/schema.ts";
import { recordAudit } from "../../platform/audit/audit.server.ts";
import { auditEvent } from "../../platform/audit/schema.ts";
import { validationError } from "../../platform/http/errors.ts";
import type { Kernel } from "../../platform/kernel.server.ts";
import { authorize, type Actor } from "../../platform/policy/policy.ts";
import { toCsv } from "./csv.ts";
import { AuditQuery, type AuditFilters } from "./schemas.ts";
import { endOfDay, startOfDay } from "./time-zone.ts";

export interface AuditEventView {
  id: number;
  createdAt: Date;
  action: string;
  actorKind: "user" | "token" | "system";
  actorUserId: string | null;
  actorName: string | null;
  actorEmail: string | null;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, string | number | boolean | null>;
  ipAddress: string | null;
  requestId: string | null;
}

export interface AuditPage {
  items: AuditEventView[];
  page: number;
  pageSize: number;
  total: number;
}

interface Options {
  /** Time zone in which calendar-day filters (YYYY-MM-DD) are read; default UTC. */
  timeZone?: string;
  ipAddress?: string | null;
  requestId?: string | null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const EXPORT_BATCH = 1000;
/** An export holds at most this many rows; narrow the filters for more. */
export const EXPORT_MAX_ROWS = 100_000;

function detailsText(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([k, v]) => `${k}=${v === null ? "" : String(v)}`)
    .join("; ");
}

/** The audit log of one organisation, for people whose role grants audit:read. */
export function createAuditLogService(kernel: Kernel) {
  const { db } = kernel;

  const columns = {
    id: auditEvent.id,
    createdAt: auditEvent.createdAt,
    action: auditEvent.action,
    actorKind: auditEvent.actorKind,
    actorUserId: auditEvent.actorUserId,
    actorName: user.name,
    actorEmail: user.email,
    targetType: auditEvent.targetType,
    targetId: auditEvent.targetId,
    details: auditEvent.details,
    ipAddress: auditEvent.ipAddress,
    requestId: auditEvent.requestId,
  };

  function parse(raw: unknown): AuditFilters {
    const parsed = AuditQuery.safeParse(raw ?? {});
    if (!parsed.success) throw validationError(parsed.error.issues);
    return parsed.data;
  }

  /**
   * An organisation's log: its own events, plus account events (sign-ins, password and 2FA
   * changes) of its current members, which belong to no organisation but matter to its admins.
   */
  function scope(organisationId: string): SQL {
    const members = db.select({ id: membership.userId }).from(membership).where(eq(membership.organisationId, organisationId));
    return or(
      eq(auditEvent.organisationId, organisationId),
      and(isNull(auditEvent.organisationId), like(auditEvent.action, "auth.%"), inArray(auditEvent.actorUserId, members)),
    )!;
  }

  function where(organisationId: string, f: AuditFilters, timeZone: string): SQL {
    const conditions: SQL[] = [scope(organisationId)];
    if (f.action) conditions.push(eq(auditEvent.action, f.action));
    if (f.actorUserId) conditions.push(eq(auditEvent.actorUserId, f.actorUserId));
    if (f.from) conditions.push(gte(auditEvent.createdAt, DAY.test(f.from) ? startOfDay(f.from, timeZone) : new Date(f.from)));
    if (f.to) conditions.push(DAY.test(f.to) ? lt(auditEvent.createdAt, endOfDay(f.to, timeZone)) : lte(auditEvent.createdAt, new Date(f.to)));
    return and(...conditions)!;
  }

  async function list(actor: Actor, organisationId: string, raw: unknown, options: Options = {}): Promise<AuditPage> {
    authorize(actor, "audit:read", { organisationId });
    const f = parse(raw);
    const condition = where(organisationId, f, options.timeZone ?? "UTC");
    const [items, [totals]] = await Promise.all([
      db
        .select(columns)
        .from(auditEvent)
        .leftJoin(user, eq(user.id, auditEvent.actorUserId))
        .where(condition)
        .orderBy(desc(auditEvent.createdAt), desc(auditEvent.id))
        .limit(f.pageSize)
        .offset((f.page - 1) * f.pageSize),
      db.select({ n: count() }).from(auditEvent).where(condition),
    ]);
    return { items, page: f.page, pageSize: f.pageSize, total: totals?.n ?? 0 };
  }

  /** The distinct actions recorded in this organisation, for the filter list. */
  async function actions(actor: Actor, organisationId: string): Promise<string[]> {
    authorize(actor, "audit:read", { organisationId });
    const rows = await db
      .selectDistinct({ action: auditEvent.action })
      .from(auditEvent)
      .where(scope(organisationId))
      .orderBy(auditEvent.action);
    return rows.map((r) => r.action);
  }

  /** The filtered log as CSV (newest first), safe to open in a spreadsheet; the export is itself audited. */
  async function exportCsv(actor: Actor, organisationId: string, raw: unknown, options: Options = {}): Promise<{ csv: string; rows: number }> {
    authorize(actor, "audit:read", { organisationId });
    const f = parse(raw);
    const condition = where(organisationId, f, options.timeZone ?? "UTC");
    const rows: AuditEventView[] = [];
    for (let offset = 0; offset < EXPORT_MAX_ROWS; offset += EXPORT_BATCH) {
      const batch = await db
        .select(columns)
        .from(auditEvent)
        .leftJoin(user, eq(user.id, auditEvent.actorUserId))
        .where(condition)
        .orderBy(desc(auditEvent.createdAt), desc(auditEvent.id))
        .limit(Math.min(EXPORT_BATCH, EXPORT_MAX_ROWS - offset))
        .offset(offset);
      rows.push(...batch);
      if (batch.length < EXPORT_BATCH) break;
    }
    const csv = toCsv(
      ["time_utc", "action", "actor_kind", "actor_user_id", "actor_name", "actor_email", "target_type", "target_id", "details", "ip_address", "request_id"],
      rows.map((r) => [r.createdAt.toISOString(), r.action, r.actorKind, r.actorUserId, r.actorName, r.actorEmail, r.targetType, r.targetId, detailsText(r.details), r.ipAddress, r.requestId]),
    );
    await recordAudit(db, {
      actor,
      organisationId,
      action: "audit.exported",
      details: { rows: rows.length, action: f.action ?? null, from: f.from ?? null, to: f.to ?? null },
      ipAddress: options.ipAddress ?? null,
      requestId: options.requestId ?? null,
    });
    return { csv, rows: rows.length };
  }

  return { list, actions, exportCsv };
}
