import { OrgParams, conflictError, createRoute, requireCtx, security, standardErrors, z, type Api } from "../../platform/http/api.server.ts";
import { logPathsAnonymously } from "../../platform/http/app.server.ts";
import { IDENTIFIER_KINDS } from "../debrief/identifier-check.ts";
import { FEEDBACK_ITEMS, FEEDBACK_VALUES } from "./privacy.ts";
import { FeedbackInput } from "./schemas.ts";
import { isIdentifierWarning, parseFeedbackInput } from "./service.server.ts";
import { validationError } from "../../platform/http/errors.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });

const GroupParams = OrgParams.extend({ groupId: z.uuid({ message: "must be a group id (UUID)" }).openapi({ param: { name: "groupId", in: "path" } }) });
const StartParams = GroupParams.extend({
  start: z
    .string()
    .min(1)
    .max(40)
    .openapi({ param: { name: "start", in: "path" }, description: "The meeting's original start, ISO 8601.", example: "2030-01-03T00:00:00.000Z" }),
});

const EligibilitySchema = z
  .object({
    organisationId: z.string(),
    groupId: z.string(),
    groupName: z.string(),
    occurrenceStart: z.string(),
    closesAt: z.string(),
    status: z.enum(["open", "answered", "closed", "not_yet", "cancelled", "not_present", "leader"]),
  })
  .openapi("FeedbackEligibility", { description: "Whether I may answer for this meeting now. `open`: yes; otherwise why not." });

const Finding = z.object({ kind: z.enum(IDENTIFIER_KINDS), start: z.number().int(), end: z.number().int(), text: z.string() });
const IdentifierWarningSchema = z
  .object({ error: z.object({ code: z.literal("identifier_warning"), message: z.string(), fields: z.array(z.object({ path: z.string(), message: z.string() })) }), findings: z.array(Finding) })
  .openapi("FeedbackIdentifierWarning", { description: "The comment looks like it names a person or holds an identifier. Rephrase, or send again with `confirmComment: true`." });

const Bin = { seq: z.number().int(), fromOccurrence: z.string(), toOccurrence: z.string(), responses: z.number().int(), minCell: z.number().int() };
const LeaderViewSchema = z
  .object({
    organisationId: z.string(),
    groupId: z.string(),
    groupName: z.string(),
    minCell: z.number().int(),
    commentMinCell: z.number().int(),
    windowDays: z.number().int(),
    scoreBins: z.array(
      z.object({
        ...Bin,
        summary: z.object({
          responses: z.number().int(),
          items: z.array(z.object({ item: z.enum(FEEDBACK_ITEMS), mean: z.number(), distribution: z.array(z.number().int()), agreeShare: z.number() })),
          values: z.record(z.enum(FEEDBACK_VALUES), z.number().int()),
        }),
      }),
    ),
    commentBins: z.array(z.object({ ...Bin, comments: z.array(z.string()) })),
    gatheringAfter: z.string().nullable(),
  })
  .openapi("FeedbackLeaderView", { description: "Closed bins only (at least the minimum cell size each), newest first; comments shuffled each time." });

const PendingSchema = z
  .object({ items: z.array(z.object({ organisationId: z.string(), groupId: z.string(), groupName: z.string(), occurrenceStart: z.string(), closesAt: z.string() })) })
  .openapi("FeedbackPending");

const tags = ["Feedback"];
const meetingPath = "/orgs/{orgId}/groups/{groupId}/meetings/{start}/feedback";

/** Request paths whose log lines carry no path, request id or timing (ADR 013): the answer form and API. */
export const FEEDBACK_ANONYMOUS_PATHS = [/^\/api\/v1\/orgs\/[^/]+\/groups\/[^/]+\/meetings\/[^/]+\/feedback\/?$/, /^\/api\/v1\/me\/feedback\//, /^\/feedback(\/|\.data|$)/];

export function registerFeedbackApi(api: Api): void {
  logPathsAnonymously(...FEEDBACK_ANONYMOUS_PATHS);
  api.openapi(
    createRoute({ method: "get", path: meetingPath, tags, summary: "May I answer the feedback for this meeting?", security, request: { params: StartParams }, responses: { 200: json(EligibilitySchema, "Eligibility"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.feedback.eligibility(ctx.actor, p.orgId, p.groupId, p.start), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: meetingPath,
      tags,
      summary: "Answer the feedback for a meeting I attended (anonymous, once)",
      description:
        "Stores the answer without any link to the person: no user id, no time of answering. A one-time nullifier stops a second answer (409) and is deleted when the meeting's 7-day window closes. Unknown fields are refused (400).",
      security,
      request: { params: StartParams, body: { required: true, content: { "application/json": { schema: FeedbackInput.openapi("FeedbackInput") } } } },
      responses: { 201: json(z.object({ answered: z.literal(true) }), "Answered"), ...standardErrors, ...conflictError, 422: json(IdentifierWarningSchema, "The comment needs confirming") },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      try {
        return c.json(await ctx.services.feedback.submit(ctx.actor, p.orgId, p.groupId, p.start, c.req.valid("json")), 201);
      } catch (error) {
        if (isIdentifierWarning(error)) {
          return c.json({ error: { code: "identifier_warning" as const, message: error.message, fields: [{ path: "comment", message: "may name a person or hold an identifier" }] }, findings: error.findings }, 422);
        }
        throw error;
      }
    },
    // The service validates the body itself, so that an unknown field is named in the 400.
    (result) => {
      if (result.success) return;
      if (result.target === "json") parseFeedbackInput((result as unknown as { data: unknown }).data);
      throw validationError(result.error.issues);
    },
  );

  api.openapi(
    createRoute({ method: "get", path: "/orgs/{orgId}/groups/{groupId}/feedback", tags, summary: "Leaders: the group's feedback in closed bins", security, request: { params: GroupParams }, responses: { 200: json(LeaderViewSchema, "Closed bins"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.feedback.leaderView(ctx.actor, p.orgId, p.groupId), 200);
    },
  );

  api.openapi(
    createRoute({ method: "get", path: "/me/feedback/pending", tags, summary: "Meetings I attended that I can still give feedback on", security, responses: { 200: json(PendingSchema, "Pending"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.feedback.myPending(ctx.actor), 200);
    },
  );
}
