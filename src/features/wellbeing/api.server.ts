import { OrgParams, conflictError, createRoute, requireCtx, security, standardErrors, z, type Api } from "../../platform/http/api.server.ts";
import { logPathsAnonymously } from "../../platform/http/app.server.ts";
import { validationError } from "../../platform/http/errors.ts";
import { AnswerInput, CreateCampaignInput, DraftInput, ImportInstrumentInput, UpdateWaveInput } from "./schemas.ts";
import { parseInput } from "./service.server.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const tags = ["Well-being"];

/** Validation hook: the service's parser names an unknown field in the 400 (not "(body)"). */
const hookFor =
  (schema: z.ZodType) =>
  (raw: unknown): undefined => {
    const result = raw as { success: boolean; target: string; data?: unknown; error?: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> } };
    if (result.success) return undefined;
    if (result.target === "json") parseInput(schema, result.data);
    throw validationError(result.error?.issues ?? []);
  };

const body = <T extends z.ZodType>(schema: T, name: string) => ({ body: { required: true, content: { "application/json": { schema: (schema as unknown as { openapi: (n: string) => T }).openapi(name) } } } });

const InstrumentParams = OrgParams.extend({ instrumentId: z.uuid({ message: "must be an instrument id (UUID)" }).openapi({ param: { name: "instrumentId", in: "path" } }) });
const CampaignParams = OrgParams.extend({ campaignId: z.uuid({ message: "must be a campaign id (UUID)" }).openapi({ param: { name: "campaignId", in: "path" } }) });
const WaveParams = OrgParams.extend({ waveId: z.uuid({ message: "must be a wave id (UUID)" }).openapi({ param: { name: "waveId", in: "path" } }) });
const TokenParams = z.object({ token: z.string().min(1).max(200).openapi({ param: { name: "token", in: "path" }, description: "The check-in link's token (from the invitation email)." }) });

const Instrument = z
  .object({ id: z.string(), builtInKey: z.string().nullable(), url: z.string(), version: z.string(), title: z.string(), language: z.string().nullable(), retired: z.boolean(), organisationId: z.string().nullable() })
  .openapi("WellbeingInstrument");
const Wave = z
  .object({ id: z.string(), seq: z.number().int(), label: z.string().nullable(), opensAt: z.string(), closesAt: z.string(), status: z.enum(["scheduled", "open", "closing", "closed"]), invited: z.number().int().nullable() })
  .openapi("WellbeingWave", { description: "`invited`: invitations sent (null before the wave opens). Response counts are never reported (ADR 015)." });
const Campaign = z
  .object({
    id: z.string(),
    organisationId: z.string(),
    name: z.string(),
    mode: z.enum(["anonymous", "confidential"]),
    cohortKind: z.enum(["groups", "discipline", "organisation"]),
    cohortGroupIds: z.array(z.string()),
    cohortDiscipline: z.string().nullable(),
    cohortLabel: z.string(),
    scheduleKind: z.enum(["once", "term", "every"]),
    everyMonths: z.number().int().nullable(),
    windowDays: z.number().int(),
    reminderDaysBefore: z.number().int(),
    endedAt: z.string().nullable(),
    instruments: z.array(Instrument),
    waves: z.array(Wave),
  })
  .openapi("WellbeingCampaign");
const Band = z.object({ labelKey: z.string(), severity: z.enum(["ok", "info", "elevated", "alert"]) }).nullable();
const Scale = z.object({ id: z.string(), score: z.number().nullable(), range: z.tuple([z.number(), z.number()]), band: Band });
const Support = z.object({ supportUrl: z.string().nullable(), contactEmail: z.string().nullable() });
const Form = z
  .object({
    organisationId: z.string(),
    organisationName: z.string(),
    campaignName: z.string(),
    mode: z.enum(["anonymous", "confidential"]),
    waveId: z.string(),
    opensAt: z.string(),
    closesAt: z.string(),
    status: z.enum(["open", "not_yet", "closed"]),
    instruments: z.array(z.object({ id: z.string(), title: z.string(), language: z.string().nullable(), questionnaire: z.any(), answered: z.boolean(), draft: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).nullable() })),
    support: Support,
  })
  .openapi("WellbeingCheckInForm");
const Outcome = z
  .object({ instrumentId: z.string(), scales: z.array(Scale), complete: z.boolean(), distressFlag: z.boolean(), support: Support, remaining: z.array(z.string()) })
  .openapi("WellbeingAnswerOutcome", { description: "For the respondent only. `distressFlag` is never stored or reported: show `support` at once when it is true." });
const MyInvitations = z
  .object({ items: z.array(z.object({ organisationId: z.string(), organisationName: z.string(), campaignName: z.string(), mode: z.enum(["anonymous", "confidential"]), waveId: z.string(), closesAt: z.string(), remaining: z.number().int() })) })
  .openapi("WellbeingMyInvitations");
const MyResults = z
  .object({
    items: z.array(z.object({ organisationId: z.string(), campaignName: z.string(), waveId: z.string(), waveClosesAt: z.string(), answeredAt: z.string(), instrumentId: z.string(), instrumentTitle: z.string(), scales: z.array(Scale), distressFlag: z.boolean() })),
    support: z.record(z.string(), Support),
  })
  .openapi("WellbeingMyResults", { description: "Confidential-mode answers only (anonymous answers cannot be found again)." });

/** Answer routes: their request log lines carry no path, request id or identity (ADR 013/017). */
export const WELLBEING_ANONYMOUS_PATHS = [/^\/api\/v1\/wellbeing\/checkins\//, /^\/api\/v1\/orgs\/[^/]+\/wellbeing\/waves\/[^/]+\/(answers|draft|form)\/?$/, /^\/wellbeing\/answer(\/|\.data|$)/, /^\/wellbeing\/checkin(\/|\.data|$)/];

export function registerWellbeingApi(api: Api): void {
  logPathsAnonymously(...WELLBEING_ANONYMOUS_PATHS);

  // ---- instruments ----
  api.openapi(createRoute({ method: "get", path: "/orgs/{orgId}/wellbeing/instruments", tags, summary: "Instruments: built-in and imported", security, request: { params: OrgParams }, responses: { 200: json(z.object({ items: z.array(Instrument) }), "Instruments"), ...standardErrors } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    return c.json(await ctx.services.wellbeing.listInstruments(ctx.actor, c.req.valid("param").orgId), 200);
  });
  api.openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/wellbeing/instruments",
      tags,
      summary: "Import a FHIR R4 Questionnaire with its scoring rule",
      description: "Validated against the supported subset (choice, integer, decimal, boolean, string, text, group, display, enableWhen, required). A 400 names each FHIR path at fault (`questionnaire.item[0].answerOption`), or the scoring rule's (`scoring.scales[0].items[1]`).",
      security,
      request: { params: OrgParams, ...body(ImportInstrumentInput, "WellbeingImportInput") },
      responses: { 201: json(Instrument, "Imported"), ...standardErrors, ...conflictError },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.wellbeing.importInstrument(ctx.actor, c.req.valid("param").orgId, c.req.valid("json")), 201);
    },
    hookFor(ImportInstrumentInput),
  );
  api.openapi(
    createRoute({ method: "post", path: "/orgs/{orgId}/wellbeing/instruments/{instrumentId}/retire", tags, summary: "Retire an imported instrument (past answers stay)", security, request: { params: InstrumentParams }, responses: { 200: json(Instrument, "Retired"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.wellbeing.retireInstrument(ctx.actor, p.orgId, p.instrumentId), 200);
    },
  );

  // ---- campaigns and waves ----
  api.openapi(createRoute({ method: "get", path: "/orgs/{orgId}/wellbeing/campaigns", tags, summary: "Check-in campaigns", security, request: { params: OrgParams }, responses: { 200: json(z.object({ items: z.array(Campaign) }), "Campaigns"), ...standardErrors } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    return c.json(await ctx.services.wellbeing.listCampaigns(ctx.actor, c.req.valid("param").orgId), 200);
  });
  api.openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/wellbeing/campaigns",
      tags,
      summary: "Create a check-in campaign",
      description: "The mode (anonymous | confidential) is fixed at creation and shown to respondents before they start. Waves are created from the schedule.",
      security,
      request: { params: OrgParams, ...body(CreateCampaignInput, "WellbeingCampaignInput") },
      responses: { 201: json(Campaign, "Created"), ...standardErrors },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.wellbeing.createCampaign(ctx.actor, c.req.valid("param").orgId, c.req.valid("json")), 201);
    },
    hookFor(CreateCampaignInput),
  );
  api.openapi(createRoute({ method: "get", path: "/orgs/{orgId}/wellbeing/campaigns/{campaignId}", tags, summary: "One campaign with its waves", security, request: { params: CampaignParams }, responses: { 200: json(Campaign, "Campaign"), ...standardErrors } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    const p = c.req.valid("param");
    return c.json(await ctx.services.wellbeing.getCampaign(ctx.actor, p.orgId, p.campaignId), 200);
  });
  api.openapi(
    createRoute({ method: "post", path: "/orgs/{orgId}/wellbeing/campaigns/{campaignId}/end", tags, summary: "End a campaign: unopened waves are dropped, open ones close and freeze", security, request: { params: CampaignParams }, responses: { 200: json(Campaign, "Ended"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.wellbeing.endCampaign(ctx.actor, p.orgId, p.campaignId), 200);
    },
  );
  api.openapi(
    createRoute({ method: "patch", path: "/orgs/{orgId}/wellbeing/waves/{waveId}", tags, summary: "Move a wave's dates (before it closes)", security, request: { params: WaveParams, ...body(UpdateWaveInput, "WellbeingWaveInput") }, responses: { 200: json(Wave, "Changed"), ...standardErrors, ...conflictError } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.wellbeing.updateWave(ctx.actor, p.orgId, p.waveId, c.req.valid("json")), 200);
    },
    hookFor(UpdateWaveInput),
  );
  api.openapi(
    createRoute({ method: "post", path: "/orgs/{orgId}/wellbeing/waves/{waveId}/close", tags, summary: "Close a wave now and freeze its atoms", security, request: { params: WaveParams }, responses: { 200: json(Wave, "Closed"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.wellbeing.closeWave(ctx.actor, p.orgId, p.waveId), 200);
    },
  );
  api.openapi(
    createRoute({ method: "post", path: "/orgs/{orgId}/wellbeing/waves/{waveId}/invitations", tags, summary: "Send an open wave's invitations now", security, request: { params: WaveParams }, responses: { 200: json(z.object({ invited: z.number().int() }), "Sent"), ...standardErrors, ...conflictError } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.wellbeing.sendInvitations(ctx.actor, p.orgId, p.waveId), 200);
    },
  );

  // ---- answering: signed in, by wave ----
  api.openapi(createRoute({ method: "get", path: "/orgs/{orgId}/wellbeing/waves/{waveId}/form", tags, summary: "My check-in form for a wave I was invited to", security, request: { params: WaveParams }, responses: { 200: json(Form, "Form"), ...standardErrors } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    const p = c.req.valid("param");
    return c.json(await ctx.services.wellbeing.formByWave(ctx.actor, p.orgId, p.waveId), 200);
  });
  api.openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/wellbeing/waves/{waveId}/answers",
      tags,
      summary: "Answer one instrument of a check-in (once)",
      description: "400: an answer out of range, a required item missing, a wrong instrument (fields name the FHIR path). 409: already answered, or the wave is closed. Nothing is stored on any error.",
      security,
      request: { params: WaveParams, ...body(AnswerInput, "WellbeingAnswerInput") },
      responses: { 201: json(Outcome, "Answered"), ...standardErrors, ...conflictError },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.wellbeing.answerByWave(ctx.actor, p.orgId, p.waveId, c.req.valid("json")), 201);
    },
    hookFor(AnswerInput),
  );
  api.openapi(
    createRoute({ method: "put", path: "/orgs/{orgId}/wellbeing/waves/{waveId}/draft", tags, summary: "Save my progress", security, request: { params: WaveParams, ...body(DraftInput, "WellbeingDraftInput") }, responses: { 200: json(z.object({ saved: z.literal(true) }), "Saved"), ...standardErrors, ...conflictError } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.wellbeing.draftByWave(ctx.actor, p.orgId, p.waveId, c.req.valid("json")), 200);
    },
    hookFor(DraftInput),
  );

  // ---- answering: by the emailed token (no sign-in needed) ----
  api.openapi(createRoute({ method: "get", path: "/wellbeing/checkins/{token}", tags, summary: "The check-in form behind an invitation link", request: { params: TokenParams }, responses: { 200: json(Form, "Form"), ...standardErrors } }), async (c) => {
    const ctx = c.var.ctx;
    return c.json(await ctx.services.wellbeing.formByToken(ctx.actor, c.req.valid("param").token), 200);
  });
  api.openapi(
    createRoute({
      method: "post",
      path: "/wellbeing/checkins/{token}/answers",
      tags,
      summary: "Answer one instrument through an invitation link (once)",
      description: "404 unknown token; 403 a token sent to someone else while signed in; otherwise as the signed-in route.",
      request: { params: TokenParams, ...body(AnswerInput, "WellbeingAnswerInput") },
      responses: { 201: json(Outcome, "Answered"), ...standardErrors, ...conflictError },
    }),
    async (c) => {
      const ctx = c.var.ctx;
      return c.json(await ctx.services.wellbeing.answerByToken(ctx.actor, c.req.valid("param").token, c.req.valid("json")), 201);
    },
    hookFor(AnswerInput),
  );
  api.openapi(
    createRoute({ method: "put", path: "/wellbeing/checkins/{token}/draft", tags, summary: "Save progress through an invitation link", request: { params: TokenParams, ...body(DraftInput, "WellbeingDraftInput") }, responses: { 200: json(z.object({ saved: z.literal(true) }), "Saved"), ...standardErrors, ...conflictError } }),
    async (c) => {
      const ctx = c.var.ctx;
      return c.json(await ctx.services.wellbeing.draftByToken(ctx.actor, c.req.valid("param").token, c.req.valid("json")), 200);
    },
    hookFor(DraftInput),
  );

  // ---- me ----
  api.openapi(createRoute({ method: "get", path: "/me/wellbeing/invitations", tags, summary: "Open check-ins I have not finished", security, responses: { 200: json(MyInvitations, "Open check-ins"), ...standardErrors } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    return c.json(await ctx.services.wellbeing.myInvitations(ctx.actor), 200);
  });
  api.openapi(createRoute({ method: "get", path: "/me/wellbeing/results", tags, summary: "My results over time (confidential check-ins)", security, responses: { 200: json(MyResults, "Results"), ...standardErrors } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    return c.json(await ctx.services.wellbeing.myResults(ctx.actor), 200);
  });
  api.openapi(
    createRoute({ method: "get", path: "/me/wellbeing/export/fhir", tags, summary: "Download my answers as a FHIR R4 Bundle", security, responses: { 200: { description: "FHIR Bundle (collection) of QuestionnaireResponses", content: { "application/json": { schema: z.object({ resourceType: z.literal("Bundle"), type: z.literal("collection"), timestamp: z.string(), entry: z.array(z.object({ resource: z.any() })) }).openapi("WellbeingMyBundle") } } }, ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const bundle = await ctx.services.wellbeing.exportMyBundle(ctx.actor);
      return c.json(bundle, 200, { "Content-Disposition": 'attachment; filename="my-wellbeing.fhir.json"', "Cache-Control": "private, no-store" });
    },
  );
  api.openapi(
    createRoute({ method: "get", path: "/me/wellbeing/export/csv", tags, summary: "Download my scores as CSV", security, responses: { 200: { description: "CSV, one row per scale", content: { "text/csv": { schema: z.string() } } }, ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const csv = await ctx.services.wellbeing.exportMyCsv(ctx.actor);
      return c.body(csv, 200, { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": 'attachment; filename="my-wellbeing.csv"', "Cache-Control": "private, no-store" });
    },
  );
  api.openapi(
    createRoute({
      method: "delete",
      path: "/me/wellbeing/data",
      tags,
      summary: "Delete my well-being answers",
      description: "Deletes my confidential-mode answers and saved progress. Totals already published for closed check-ins keep my contribution, de-identified and only in groups of at least the minimum size: removing it would reveal my answers by subtraction. Anonymous answers cannot be found again.",
      security,
      responses: { 200: json(z.object({ deletedResponses: z.number().int(), deletedDrafts: z.number().int() }), "Deleted"), ...standardErrors },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.wellbeing.deleteMyData(ctx.actor), 200);
    },
  );
}
