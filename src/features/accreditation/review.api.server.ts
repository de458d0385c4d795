// REST routes for accreditation applications and committee review (brief Q).
// Rules and errors: review.service.server.ts.
import { OrgParams, conflictError, createRoute, requireCtx, security, standardErrors, z, type Api } from "../../platform/http/api.server.ts";
import { ApplyInput, AssignInput, CommitteeInput, DecideApplicationInput, RecommendInput } from "./review.service.server.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { "application/json": { schema } } } });
const tags = ["Accreditation: applications and review"];
const AppParams = OrgParams.extend({ applicationId: z.string().max(64).openapi({ param: { name: "applicationId", in: "path" } }) });
const UserParams = OrgParams.extend({ userId: z.string().max(100).openapi({ param: { name: "userId", in: "path" } }) });
const Recommendation = z.enum(["approve", "more_needed", "decline"]);
const Application = z
  .object({
    id: z.string(),
    organisationId: z.string(),
    candidateId: z.string(),
    candidate: z.object({ userId: z.string(), name: z.string() }),
    pathwayId: z.string(),
    pathwayName: z.string(),
    pathwayVersion: z.number().int(),
    requirementsMet: z.boolean(),
    explanation: z.string().nullable(),
    progressSnapshot: z.unknown().openapi({ description: "The core's evaluation at application (snapshot)." }),
    status: z.enum(["submitted", "in_review", "decided", "withdrawn"]),
    submittedAt: z.string(),
    decision: Recommendation.nullable(),
    decisionReasons: z.string().nullable(),
    decidedAt: z.string().nullable(),
    credentialId: z.string().nullable(),
    reviewers: z.array(z.object({ userId: z.string(), name: z.string(), recommendation: Recommendation.nullable(), comments: z.string().nullable(), recommendedAt: z.string().nullable() })).openapi({ description: "Committee members only; empty for the candidate." }),
    me: z.object({ isCandidate: z.boolean(), isChair: z.boolean(), isReviewer: z.boolean(), hasRecommended: z.boolean() }),
  })
  .openapi("AccreditationApplication");
const Committee = z.object({ members: z.array(z.object({ userId: z.string(), name: z.string(), role: z.enum(["chair", "member"]) })), myRole: z.enum(["chair", "member"]).nullable() }).openapi("AccreditationCommittee");

type AppOut = z.infer<typeof Application>;

export function registerReviewApi(api: Api): void {
  const base = "/orgs/{orgId}/accreditation";

  api.openapi(createRoute({ method: "get", path: `${base}/committee`, tags, summary: "The accreditation committee", security, request: { params: OrgParams }, responses: { 200: json(Committee, "Committee"), ...standardErrors } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    return c.json(await ctx.services.accreditationReviews.committee(ctx.actor, c.req.valid("param").orgId), 200);
  });
  api.openapi(createRoute({ method: "put", path: `${base}/committee`, tags, summary: "Seat someone on the committee as chair or member (owners, admins; one chair)", security, request: { params: OrgParams, ...body(CommitteeInput) }, responses: { 200: json(Committee, "Committee"), ...standardErrors, ...conflictError } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    return c.json(await ctx.services.accreditationReviews.setCommitteeMember(ctx.actor, c.req.valid("param").orgId, c.req.valid("json"), ctx), 200);
  });
  api.openapi(createRoute({ method: "delete", path: `${base}/committee/{userId}`, tags, summary: "Remove someone from the committee (owners, admins)", security, request: { params: UserParams }, responses: { 200: json(Committee, "Committee"), ...standardErrors } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    const p = c.req.valid("param");
    return c.json(await ctx.services.accreditationReviews.removeCommitteeMember(ctx.actor, p.orgId, p.userId, ctx), 200);
  });
  api.openapi(createRoute({ method: "get", path: `${base}/applications`, tags, summary: "My applications in this organisation", security, request: { params: OrgParams }, responses: { 200: json(z.object({ items: z.array(Application) }), "Mine"), ...standardErrors } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    return c.json({ items: (await ctx.services.accreditationReviews.myApplications(ctx.actor, c.req.valid("param").orgId)) as AppOut[] }, 200);
  });
  api.openapi(
    createRoute({
      method: "post",
      path: `${base}/applications`,
      tags,
      summary: "Apply on my candidacy: snapshot of progress and pathway version; an explanation is required when not every requirement is met (400 `explanation`); 409 when already applied",
      security,
      request: { params: OrgParams, ...body(ApplyInput) },
      responses: { 201: json(Application, "Submitted"), ...standardErrors, ...conflictError },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json((await ctx.services.accreditationReviews.apply(ctx.actor, c.req.valid("param").orgId, c.req.valid("json"), ctx)) as AppOut, 201);
    },
  );
  api.openapi(createRoute({ method: "get", path: `${base}/reviews`, tags, summary: "The committee's queue (committee members; others 403)", security, request: { params: OrgParams }, responses: { 200: json(z.object({ open: z.array(Application), decided: z.array(Application), myRole: z.enum(["chair", "member"]) }), "Queue"), ...standardErrors } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    return c.json((await ctx.services.accreditationReviews.queue(ctx.actor, c.req.valid("param").orgId)) as { open: AppOut[]; decided: AppOut[]; myRole: "chair" | "member" }, 200);
  });
  api.openapi(createRoute({ method: "get", path: `${base}/applications/{applicationId}`, tags, summary: "One application (the candidate; committee members)", security, request: { params: AppParams }, responses: { 200: json(Application, "Application"), ...standardErrors } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    const p = c.req.valid("param");
    return c.json((await ctx.services.accreditationReviews.get(ctx.actor, p.orgId, p.applicationId)) as AppOut, 200);
  });
  api.openapi(createRoute({ method: "post", path: `${base}/applications/{applicationId}/withdraw`, tags, summary: "The candidate withdraws an undecided application", security, request: { params: AppParams }, responses: { 200: json(Application, "Withdrawn"), ...standardErrors, ...conflictError } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    const p = c.req.valid("param");
    return c.json((await ctx.services.accreditationReviews.withdraw(ctx.actor, p.orgId, p.applicationId, ctx)) as AppOut, 200);
  });
  api.openapi(createRoute({ method: "post", path: `${base}/applications/{applicationId}/reviewers`, tags, summary: "The chair assigns reviewers (committee members)", security, request: { params: AppParams, ...body(AssignInput) }, responses: { 200: json(Application, "Assigned"), ...standardErrors, ...conflictError } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    const p = c.req.valid("param");
    return c.json((await ctx.services.accreditationReviews.assignReviewers(ctx.actor, p.orgId, p.applicationId, c.req.valid("json"), ctx)) as AppOut, 200);
  });
  api.openapi(createRoute({ method: "post", path: `${base}/applications/{applicationId}/recommendation`, tags, summary: "An assigned reviewer recommends (once) with comments", security, request: { params: AppParams, ...body(RecommendInput) }, responses: { 200: json(Application, "Recommended"), ...standardErrors, ...conflictError } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    const p = c.req.valid("param");
    return c.json((await ctx.services.accreditationReviews.recommend(ctx.actor, p.orgId, p.applicationId, c.req.valid("json"), ctx)) as AppOut, 200);
  });
  api.openapi(
    createRoute({
      method: "post",
      path: `${base}/applications/{applicationId}/decision`,
      tags,
      summary: "The chair records the final decision with reasons (after every reviewer recommended); emailed to the candidate; approval issues the credential",
      security,
      request: { params: AppParams, ...body(DecideApplicationInput) },
      responses: { 200: json(Application, "Decided"), ...standardErrors, ...conflictError },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json((await ctx.services.accreditationReviews.decide(ctx.actor, p.orgId, p.applicationId, c.req.valid("json"), ctx)) as AppOut, 200);
    },
  );
}
