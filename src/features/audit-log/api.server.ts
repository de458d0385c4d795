import { OrgParams, createRoute, requireCtx, standardErrors, z, security, type Api } from "../../platform/http/api.server.ts";
import { AUDIT_PAGE_SIZE_MAX } from "./schemas.ts";
import type { AuditEventView } from "./service.server.ts";

const AuditEventSchema = z
  .object({
    id: z.number().int(),
    createdAt: z.string(),
    action: z.string().openapi({ example: "member.role_changed" }),
    actorKind: z.enum(["user", "token", "system"]),
    actorUserId: z.string().nullable(),
    actorName: z.string().nullable(),
    actorEmail: z.string().nullable(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
    ipAddress: z.string().nullable(),
    requestId: z.string().nullable(),
  })
  .openapi("AuditEvent");

// Documented here; checked strictly by the service after the permission check, so that
// outsiders always get 404 whatever they send.
const param = (name: string, description: string, example?: string) =>
  z.string().optional().openapi({ param: { name, in: "query" }, description, ...(example ? { example } : {}) });
const AuditQueryDoc = z.object({
  action: param("action", "Only this action, e.g. member.removed"),
  actorUserId: param("actorUserId", "Only actions by this person"),
  from: param("from", "From this day (YYYY-MM-DD, in your profile's time zone) or instant (ISO 8601), inclusive", "2026-01-01"),
  to: param("to", "Up to this day (inclusive) or instant", "2026-01-31"),
  page: param("page", "Page number, from 1", "1"),
  pageSize: param("pageSize", `Rows per page, 1–${AUDIT_PAGE_SIZE_MAX} (default 25)`, "25"),
});

const serialize = (e: AuditEventView) => ({ ...e, createdAt: e.createdAt.toISOString() });

export function registerAuditLogApi(api: Api): void {
  api.openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/audit-events",
      tags: ["Audit log"],
      summary: "The organisation's audit log",
      description: "Newest first. Needs the audit:read permission (owners and admins).",
      security,
      request: { params: OrgParams, query: AuditQueryDoc },
      responses: {
        200: {
          description: "One page of audit events",
          content: {
            "application/json": {
              schema: z.object({ items: z.array(AuditEventSchema), page: z.number().int(), pageSize: z.number().int(), total: z.number().int() }).openapi("AuditEventPage"),
            },
          },
        },
        ...standardErrors,
      },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const result = await ctx.services.auditLog.list(ctx.actor, c.req.valid("param").orgId, c.req.valid("query"), { timeZone: ctx.timeZone });
      return c.json({ ...result, items: result.items.map(serialize) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/audit-events/export",
      tags: ["Audit log"],
      summary: "Export the audit log as CSV",
      description: "Same filters as the list (page and pageSize are ignored). Cells that a spreadsheet would run as formulas are prefixed with an apostrophe. The export is itself recorded (audit.exported).",
      security,
      request: { params: OrgParams, query: AuditQueryDoc },
      responses: {
        200: { description: "CSV, UTF-8, one row per event", content: { "text/csv": { schema: z.string() } } },
        ...standardErrors,
      },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId } = c.req.valid("param");
      const { csv } = await ctx.services.auditLog.exportCsv(ctx.actor, orgId, c.req.valid("query"), {
        timeZone: ctx.timeZone,
        ipAddress: ctx.ipAddress,
        requestId: ctx.requestId,
      });
      const day = new Date().toISOString().slice(0, 10);
      return c.body(csv, 200, {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="audit-log-${day}.csv"`,
        "Cache-Control": "private, no-store",
      });
    },
  );
}
