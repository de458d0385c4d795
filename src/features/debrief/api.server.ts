import { OrgParams, conflictError, createRoute, requireCtx, security, standardErrors, z, type Api } from "../../platform/http/api.server.ts";
import { IDENTIFIER_KINDS } from "./identifier-check.ts";
import { AttachDebriefInput, CompleteDebriefInput, SaveDebriefInput } from "./schemas.ts";
import type { DebriefView, SaveResult } from "./service.server.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { "application/json": { schema } } } });

const Params = OrgParams.extend({
  groupId: z.uuid({ message: "must be a group id (UUID)" }).openapi({ param: { name: "groupId", in: "path" } }),
  start: z
    .string()
    .min(1)
    .max(40)
    .openapi({ param: { name: "start", in: "path" }, description: "The meeting's original start, ISO 8601 (as in the sessions API).", example: "2030-01-03T00:00:00.000Z" }),
});

const Debrief = z
  .object({
    organisationId: z.string(),
    groupId: z.string(),
    groupName: z.string(),
    occurrenceStart: z.string(),
    meetingStart: z.string(),
    exists: z.boolean(),
    text: z.string().nullable().openapi({ description: "The debrief; null before the first save or when it cannot be decrypted." }),
    unreadable: z.boolean().openapi({ description: "A stored debrief could not be decrypted (altered, moved or its key is gone). It can be overwritten or deleted." }),
    revision: z.number().int().openapi({ description: "Send it back with the next save; 0 before the first save." }),
    updatedAt: z.string().nullable(),
    updatedByName: z.string().nullable(),
    expiresAt: z.string().nullable().openapi({ description: "When it is deleted for good; null when kept for supervision or not written yet." }),
    attachedToSupervisionAt: z.string().nullable(),
    retentionDays: z.number().int(),
    completedByMe: z.boolean(),
    myKind: z.enum(["leader", "co_leader"]),
  })
  .openapi("Debrief", { description: "The shared private debrief of one meeting; only the leaders of that meeting can read it." });

const Finding = z.object({ kind: z.enum(IDENTIFIER_KINDS), start: z.number().int(), end: z.number().int(), text: z.string() }).openapi("IdentifierFinding");
const FindingsError = z
  .object({ error: z.object({ code: z.literal("identifiers_found"), message: z.string() }), findings: z.array(Finding) })
  .openapi("DebriefFindings", { description: "The text looks like it names a patient or holds an identifier. Rephrase, or save again with `acknowledgeFindings: true`." });
const ConflictError = z
  .object({ error: z.object({ code: z.literal("conflict"), message: z.string() }), current: Debrief })
  .openapi("DebriefConflict", { description: "A co-leader saved first: `current` is their text and revision." });
const Completions = z
  .object({ items: z.array(z.object({ organisationId: z.string(), groupId: z.string(), occurrenceStart: z.string(), completedAt: z.string() })), count: z.number().int() })
  .openapi("DebriefCompletions");

const tags = ["Debrief"];
const base = "/orgs/{orgId}/groups/{groupId}/meetings/{start}/debrief";
const who = "Only the leaders of that meeting (its record of who led it, else the group's current leaders); everyone else gets 404. The meeting must have started and not been cancelled (409).";

export function saveResponse(result: SaveResult): { status: 200 | 409 | 422; body: { debrief: DebriefView } | ConflictBody | FindingsBody } {
  if (result.outcome === "saved") return { status: 200, body: { debrief: result.debrief } };
  if (result.outcome === "conflict") return { status: 409, body: { error: { code: "conflict", message: "A co-leader saved the debrief first; here is their version." }, current: result.current } };
  return { status: 422, body: { error: { code: "identifiers_found", message: "The text looks like it names someone or holds an identifier." }, findings: result.findings } };
}
type ConflictBody = z.infer<typeof ConflictError>;
type FindingsBody = z.infer<typeof FindingsError>;

export function registerDebriefApi(api: Api): void {
  api.openapi(
    createRoute({ method: "get", path: base, tags, summary: "Read a meeting's debrief", description: who, security, request: { params: Params }, responses: { 200: json(z.object({ debrief: Debrief }), "The debrief (exists: false before the first save)"), ...standardErrors, ...conflictError } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json({ debrief: await ctx.services.debrief.get(ctx.actor, p.orgId, p.groupId, p.start) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "put",
      path: base,
      tags,
      summary: "Save a meeting's debrief",
      description: `${who} The text is encrypted at rest. Send the revision you started from (0 for a new debrief); 409 with the current version when a co-leader saved first. The identifier check runs on the server: 422 with the findings unless \`acknowledgeFindings\` is true. Saving records that you completed the debrief.`,
      security,
      request: { params: Params, ...body(SaveDebriefInput.openapi("DebriefSave")) },
      responses: { 200: json(z.object({ debrief: Debrief }), "Saved"), ...standardErrors, 409: json(ConflictError, "A co-leader saved first"), 422: json(FindingsError, "Identifier check findings") },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      const r = saveResponse(await ctx.services.debrief.save(ctx.actor, p.orgId, p.groupId, p.start, c.req.valid("json"), ctx));
      if (r.status === 409) return c.json(r.body as ConflictBody, 409);
      if (r.status === 422) return c.json(r.body as FindingsBody, 422);
      return c.json(r.body as { debrief: DebriefView }, 200);
    },
  );

  api.openapi(
    createRoute({ method: "delete", path: base, tags, summary: "Delete a meeting's debrief now, for good", description: `${who} Completions are kept.`, security, request: { params: Params }, responses: { 200: json(z.object({ deleted: z.boolean() }), "Deleted"), ...standardErrors, ...conflictError } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.debrief.remove(ctx.actor, p.orgId, p.groupId, p.start, ctx), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: `${base}/attach`,
      tags,
      summary: "Keep a debrief for supervision (it does not expire), or stop keeping it",
      description: `${who} 409 when there is no debrief yet.`,
      security,
      request: { params: Params, ...body(AttachDebriefInput.openapi("DebriefAttach")) },
      responses: { 200: json(z.object({ debrief: Debrief }), "The debrief now"), ...standardErrors, ...conflictError },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json({ debrief: await ctx.services.debrief.attach(ctx.actor, p.orgId, p.groupId, p.start, c.req.valid("json"), ctx) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: `${base}/complete`,
      tags,
      summary: "Record that I completed this meeting's debrief (the fact, never the text)",
      description: who,
      security,
      request: { params: Params, body: { required: false, content: { "application/json": { schema: CompleteDebriefInput.openapi("DebriefComplete") } } } },
      responses: { 200: json(z.object({ debrief: Debrief }), "The debrief now"), ...standardErrors, ...conflictError },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json({ debrief: await ctx.services.debrief.complete(ctx.actor, p.orgId, p.groupId, p.start, c.req.valid("json") ?? {}, ctx) }, 200);
    },
  );

  api.openapi(
    createRoute({ method: "get", path: "/me/debrief-completions", tags, summary: "My debrief completions (for the accreditation record)", security, responses: { 200: json(Completions, "Completions, newest meeting first"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.debrief.myCompletions(ctx.actor), 200);
    },
  );
}

