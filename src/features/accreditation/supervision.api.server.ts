// REST routes for supervision (brief Q). Rules and errors: supervision.service.server.ts.
import { OrgParams, conflictError, createRoute, requireCtx, security, standardErrors, z, type Api } from "../../platform/http/api.server.ts";
import { CompetencyAddInput, CompetencyMoveInput, CompetencyRenameInput, DecideInput, ListingInput, MeetingInput, ProposeInput, ReportInput, RequestInput, SettingsInput, SupervisedSessionInput } from "./supervision.service.server.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { "application/json": { schema } } } });
const tags = ["Accreditation: supervision"];
const idParam = (name: string) => OrgParams.extend({ [name]: z.string().max(64).openapi({ param: { name, in: "path" } }) });
const SupParams = idParam("supervisionId");
const MeetingParams = idParam("meetingId");
const SessionParams = idParam("supervisedSessionId");
const CompetencyParams = idParam("key");

const Settings = z
  .object({
    competencies: z.array(z.object({ key: z.string(), label: z.string() })),
    retiredCompetencies: z.array(z.object({ key: z.string(), label: z.string(), retiredAt: z.string() })),
    maxLevel: z.number().int(),
    reportIntervalMonths: z.number().int(),
  })
  .openapi("SupervisionSettings");
const LedMeetings = z
  .object({
    items: z.array(z.object({ groupId: z.string(), groupName: z.string(), occurrenceStart: z.string(), kind: z.enum(["leader", "co_leader"]), value: z.string() })),
    nextBefore: z.string().nullable(),
    timeZone: z.string(),
  })
  .openapi("LedMeetingsPage");
const Supervisor = z.object({ userId: z.string(), name: z.string(), capacity: z.number().int(), taken: z.number().int(), languages: z.array(z.string()), feeText: z.string(), mode: z.string(), active: z.boolean() }).openapi("Supervisor");
const Report = z
  .object({ id: z.string(), supervisionId: z.string(), candidateUserId: z.string(), supervisorUserId: z.string(), supervisorName: z.string(), periodStart: z.string(), periodEnd: z.string(), ratings: z.record(z.string(), z.number()), maxLevel: z.number().int(), narrative: z.string(), submittedAt: z.string() })
  .openapi("SupervisorReport");
const Supervision = z
  .object({
    id: z.string(),
    organisationId: z.string(),
    status: z.enum(["requested", "proposed", "active", "declined", "ended"]),
    myRole: z.enum(["candidate", "supervisor", "coordinator"]),
    candidate: z.object({ userId: z.string(), name: z.string() }),
    supervisor: z.object({ userId: z.string(), name: z.string() }),
    requestedAt: z.string(),
    termsText: z.string().nullable(),
    feeText: z.string().nullable(),
    supervisorAcceptedAt: z.string().nullable(),
    candidateAcceptedAt: z.string().nullable(),
    startedAt: z.string().nullable(),
    endedAt: z.string().nullable(),
    nextReportDue: z.string().nullable(),
    meetings: z.array(z.object({ id: z.string(), heldOn: z.string(), minutes: z.number(), mode: z.string(), status: z.string(), loggedByUserId: z.string(), loggedAt: z.string(), decidedAt: z.string().nullable() })),
    supervisedSessions: z.array(z.object({ id: z.string(), groupId: z.string(), occurrenceStart: z.string(), status: z.string(), markedAt: z.string() })),
    reports: z.array(Report),
  })
  .openapi("Supervision");
const Queue = z
  .object({
    requests: z.array(z.object({ supervisionId: z.string(), candidateName: z.string(), requestedAt: z.string() })),
    meetingsToConfirm: z.array(z.object({ meetingId: z.string(), supervisionId: z.string(), otherName: z.string(), heldOn: z.string(), minutes: z.number() })),
    sessionsToConfirm: z.array(z.object({ supervisedSessionId: z.string(), supervisionId: z.string(), candidateName: z.string(), groupId: z.string(), groupName: z.string(), occurrenceStart: z.string() })),
    reportsDue: z.array(z.object({ supervisionId: z.string(), candidateName: z.string(), supervisorName: z.string(), dueOn: z.string() })),
    evidenceToVerify: z.array(z.object({ evidenceId: z.string(), candidateId: z.string(), candidateUserId: z.string(), candidateName: z.string(), kind: z.string(), description: z.string(), occurredOn: z.string() })),
  })
  .openapi("SupervisionReviewQueue");

export function registerSupervisionApi(api: Api): void {
  const base = "/orgs/{orgId}/accreditation/supervision";

  api.openapi(createRoute({ method: "get", path: `${base}/settings`, tags, summary: "Competency list, rating levels and report interval", security, request: { params: OrgParams }, responses: { 200: json(Settings, "Settings"), ...standardErrors } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    return c.json(await ctx.services.supervision.getSettings(ctx.actor, c.req.valid("param").orgId), 200);
  });
  api.openapi(createRoute({ method: "put", path: `${base}/settings`, tags, summary: "Change the competency list, levels and report interval (owners, admins)", security, request: { params: OrgParams, ...body(SettingsInput) }, responses: { 200: json(Settings, "Saved"), ...standardErrors } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    return c.json(await ctx.services.supervision.updateSettings(ctx.actor, c.req.valid("param").orgId, c.req.valid("json"), ctx), 200);
  });
  // The competency list one step at a time (owners, admins: as PUT settings). Errors name the field.
  const competencyBase = `${base}/settings/competencies`;
  api.openapi(createRoute({ method: "post", path: competencyBase, tags, summary: "Add a competency at the end of the list (key from the name when not given)", security, request: { params: OrgParams, ...body(CompetencyAddInput) }, responses: { 201: json(Settings, "Added"), ...standardErrors } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    return c.json(await ctx.services.supervision.addCompetency(ctx.actor, c.req.valid("param").orgId, c.req.valid("json"), ctx), 201);
  });
  api.openapi(createRoute({ method: "patch", path: `${competencyBase}/{key}`, tags, summary: "Rename a competency (the key stays)", security, request: { params: CompetencyParams, ...body(CompetencyRenameInput) }, responses: { 200: json(Settings, "Renamed"), ...standardErrors } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    const p = c.req.valid("param") as { orgId: string; key: string };
    return c.json(await ctx.services.supervision.renameCompetency(ctx.actor, p.orgId, p.key, c.req.valid("json"), ctx), 200);
  });
  api.openapi(createRoute({ method: "post", path: `${competencyBase}/{key}/move`, tags, summary: "Move a competency one place up or down", security, request: { params: CompetencyParams, ...body(CompetencyMoveInput) }, responses: { 200: json(Settings, "Moved"), ...standardErrors } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    const p = c.req.valid("param") as { orgId: string; key: string };
    return c.json(await ctx.services.supervision.moveCompetency(ctx.actor, p.orgId, p.key, c.req.valid("json"), ctx), 200);
  });
  api.openapi(createRoute({ method: "post", path: `${competencyBase}/{key}/retire`, tags, summary: "Retire a competency: no longer rated, kept for older reports (409 for the last one)", security, request: { params: CompetencyParams }, responses: { 200: json(Settings, "Retired"), ...standardErrors, ...conflictError } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    const p = c.req.valid("param") as { orgId: string; key: string };
    return c.json(await ctx.services.supervision.retireCompetency(ctx.actor, p.orgId, p.key, ctx), 200);
  });
  api.openapi(createRoute({ method: "post", path: `${competencyBase}/{key}/restore`, tags, summary: "Put a retired competency back at the end of the list", security, request: { params: CompetencyParams }, responses: { 200: json(Settings, "Restored"), ...standardErrors } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    const p = c.req.valid("param") as { orgId: string; key: string };
    return c.json(await ctx.services.supervision.restoreCompetency(ctx.actor, p.orgId, p.key, ctx), 200);
  });
  api.openapi(createRoute({ method: "get", path: `${base}/supervisors`, tags, summary: "The organisation's supervisors list", security, request: { params: OrgParams }, responses: { 200: json(z.object({ items: z.array(Supervisor) }), "Supervisors"), ...standardErrors } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    return c.json({ items: await ctx.services.supervision.listSupervisors(ctx.actor, c.req.valid("param").orgId) }, 200);
  });
  api.openapi(createRoute({ method: "put", path: `${base}/supervisors/me`, tags, summary: "Join (or update) my entry on the supervisors list (accreditation:supervise)", security, request: { params: OrgParams, ...body(ListingInput) }, responses: { 200: json(Supervisor, "My entry"), ...standardErrors } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    return c.json(await ctx.services.supervision.optIn(ctx.actor, c.req.valid("param").orgId, c.req.valid("json"), ctx), 200);
  });
  api.openapi(createRoute({ method: "delete", path: `${base}/supervisors/me`, tags, summary: "Leave the supervisors list", security, request: { params: OrgParams }, responses: { 200: json(z.object({ active: z.boolean() }), "Left"), ...standardErrors } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    return c.json(await ctx.services.supervision.optOut(ctx.actor, c.req.valid("param").orgId, ctx), 200);
  });
  api.openapi(createRoute({ method: "get", path: `${base}/queue`, tags, summary: "What waits for me: requests, confirmations, reports due, evidence to verify", security, request: { params: OrgParams }, responses: { 200: json(Queue, "Queue"), ...standardErrors } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    return c.json(await ctx.services.supervision.reviewQueue(ctx.actor, c.req.valid("param").orgId), 200);
  });
  api.openapi(createRoute({ method: "get", path: `${base}/reports`, tags, summary: "Supervisor reports I may read (mine as candidate, those I wrote; all for coordinators)", security, request: { params: OrgParams }, responses: { 200: json(z.object({ items: z.array(Report) }), "Reports"), ...standardErrors } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    return c.json({ items: await ctx.services.supervision.listReports(ctx.actor, c.req.valid("param").orgId) }, 200);
  });
  api.openapi(createRoute({ method: "get", path: `${base}/mine`, tags, summary: "My supervisions as candidate and as supervisor", security, request: { params: OrgParams }, responses: { 200: json(z.object({ asCandidate: z.array(Supervision), asSupervisor: z.array(Supervision) }), "Mine"), ...standardErrors } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    return c.json(await ctx.services.supervision.listMine(ctx.actor, c.req.valid("param").orgId), 200);
  });
  api.openapi(createRoute({ method: "post", path: `${base}/requests`, tags, summary: "Ask a listed supervisor to supervise me (409 when they are full)", security, request: { params: OrgParams, ...body(RequestInput) }, responses: { 201: json(Supervision, "Requested"), ...standardErrors, ...conflictError } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    return c.json(await ctx.services.supervision.requestSupervision(ctx.actor, c.req.valid("param").orgId, c.req.valid("json"), ctx), 201);
  });
  api.openapi(createRoute({ method: "get", path: `${base}/{supervisionId}`, tags, summary: "One supervision (its parties; coordinators)", security, request: { params: SupParams }, responses: { 200: json(Supervision, "Supervision"), ...standardErrors } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    const p = c.req.valid("param") as { orgId: string; supervisionId: string };
    return c.json(await ctx.services.supervision.get(ctx.actor, p.orgId, p.supervisionId), 200);
  });
  const action = (path: string, summary: string, run: (ctx: ReturnType<typeof requireCtx>, orgId: string, id: string, m: ReturnType<typeof requireCtx>) => Promise<unknown>) =>
    api.openapi(createRoute({ method: "post", path: `${base}/{supervisionId}/${path}`, tags, summary, security, request: { params: SupParams }, responses: { 200: json(Supervision, "Updated"), ...standardErrors, ...conflictError } }), async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param") as { orgId: string; supervisionId: string };
      return c.json((await run(ctx, p.orgId, p.supervisionId, ctx)) as z.infer<typeof Supervision>, 200);
    });
  api.openapi(createRoute({ method: "post", path: `${base}/{supervisionId}/propose`, tags, summary: "The supervisor proposes (and so accepts) the agreement's terms and fee text", security, request: { params: SupParams, ...body(ProposeInput) }, responses: { 200: json(Supervision, "Proposed"), ...standardErrors, ...conflictError } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    const p = c.req.valid("param") as { orgId: string; supervisionId: string };
    return c.json(await ctx.services.supervision.propose(ctx.actor, p.orgId, p.supervisionId, c.req.valid("json"), ctx), 200);
  });
  action("accept", "The candidate accepts the proposed agreement", (ctx, o, id, m) => ctx.services.supervision.accept(ctx.actor, o, id, m));
  action("decline", "Either side declines an open request", (ctx, o, id, m) => ctx.services.supervision.decline(ctx.actor, o, id, m));
  action("end", "Either side ends an active supervision", (ctx, o, id, m) => ctx.services.supervision.end(ctx.actor, o, id, m));
  api.openapi(createRoute({ method: "post", path: `${base}/{supervisionId}/meetings`, tags, summary: "Log a supervision meeting (the other side confirms it); 409 for a second one on the same day", security, request: { params: SupParams, ...body(MeetingInput) }, responses: { 201: json(Supervision, "Logged"), ...standardErrors, ...conflictError } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    const p = c.req.valid("param") as { orgId: string; supervisionId: string };
    return c.json(await ctx.services.supervision.logMeeting(ctx.actor, p.orgId, p.supervisionId, c.req.valid("json"), ctx), 201);
  });
  api.openapi(createRoute({ method: "post", path: `${base}/meetings/{meetingId}/decision`, tags, summary: "Confirm or reject a meeting the other side logged", security, request: { params: MeetingParams, ...body(DecideInput) }, responses: { 200: json(Supervision, "Decided"), ...standardErrors, ...conflictError } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    const p = c.req.valid("param") as { orgId: string; meetingId: string };
    return c.json(await ctx.services.supervision.decideMeeting(ctx.actor, p.orgId, p.meetingId, c.req.valid("json"), ctx), 200);
  });
  api.openapi(
    createRoute({
      method: "get",
      path: `${base}/{supervisionId}/led-meetings`,
      tags,
      summary: "The candidate's held meetings they led or co-led and have not marked yet, most recent first (cursor `before`); the values to mark one",
      security,
      request: {
        params: SupParams,
        query: z.object({
          before: z.string().max(80).optional().openapi({ param: { name: "before", in: "query" } }),
          limit: z.string().max(3).optional().openapi({ param: { name: "limit", in: "query" } }),
        }),
      },
      responses: { 200: json(LedMeetings, "Meetings"), ...standardErrors },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param") as { orgId: string; supervisionId: string };
      return c.json(await ctx.services.supervision.ledMeetings(ctx.actor, p.orgId, p.supervisionId, c.req.valid("query")), 200);
    },
  );
  api.openapi(createRoute({ method: "post", path: `${base}/{supervisionId}/sessions`, tags, summary: "The candidate marks a session they led as supervised (409 when already counted)", security, request: { params: SupParams, ...body(SupervisedSessionInput) }, responses: { 201: json(Supervision, "Marked"), ...standardErrors, ...conflictError } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    const p = c.req.valid("param") as { orgId: string; supervisionId: string };
    return c.json(await ctx.services.supervision.markSupervisedSession(ctx.actor, p.orgId, p.supervisionId, c.req.valid("json"), ctx), 201);
  });
  api.openapi(createRoute({ method: "post", path: `${base}/sessions/{supervisedSessionId}/decision`, tags, summary: "The supervisor confirms or rejects a supervised session", security, request: { params: SessionParams, ...body(DecideInput) }, responses: { 200: json(Supervision, "Decided"), ...standardErrors, ...conflictError } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    const p = c.req.valid("param") as { orgId: string; supervisedSessionId: string };
    return c.json(await ctx.services.supervision.decideSupervisedSession(ctx.actor, p.orgId, p.supervisedSessionId, c.req.valid("json"), ctx), 200);
  });
  api.openapi(
    createRoute({
      method: "post",
      path: `${base}/{supervisionId}/reports`,
      tags,
      summary: "The supervisor writes a report (403 for the candidate, 404 for anyone else); the narrative is checked for identifiers (400 `narrative` unless acknowledgeIdentifiers)",
      security,
      request: { params: SupParams, ...body(ReportInput) },
      responses: { 201: json(Report, "Submitted"), ...standardErrors, ...conflictError },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param") as { orgId: string; supervisionId: string };
      return c.json(await ctx.services.supervision.submitReport(ctx.actor, p.orgId, p.supervisionId, c.req.valid("json"), ctx), 201);
    },
  );
}
