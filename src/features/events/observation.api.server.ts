import { OrgParams, conflictError, createRoute, requireCtx, security, standardErrors, z, type Api } from "../../platform/http/api.server.ts";
import { IDENTIFIER_KINDS } from "../debrief/identifier-check.ts";
import { ObservationInput } from "./observation-schemas.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });

const Observation = z
  .object({
    id: z.string(),
    organisation: z.object({ slug: z.string(), name: z.string() }),
    event: z.object({ id: z.string(), title: z.string() }),
    session: z.object({ id: z.string(), title: z.string() }).nullable(),
    observer: z.object({ userId: z.string().nullable(), name: z.string().nullable() }),
    leader: z.object({ userId: z.string(), name: z.string() }),
    observedOn: z.string(),
    ratings: z.array(z.object({ competency: z.string(), label: z.string(), level: z.number().int().min(1).max(4) })),
    narrative: z.string(),
    createdAt: z.string(),
  })
  .openapi("EventObservation", { description: "A faculty observation of a leader in training: levels 1–4 per competency and a short narrative (never case content)." });
const ObservationForm = z
  .object({
    organisation: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
    event: z.object({ id: z.string(), title: z.string(), slug: z.string(), timeZone: z.string() }),
    days: z.array(z.object({ date: z.string(), sessions: z.array(z.object({ id: z.string(), title: z.string(), kind: z.string(), start: z.string() })) })),
    leaders: z.array(z.object({ userId: z.string(), name: z.string() })),
    competencies: z.array(z.object({ key: z.string(), label: z.string() })),
    mayRecord: z.boolean(),
    observations: z.array(Observation),
  })
  .openapi("EventObservations");
const Finding = z.object({ kind: z.enum(IDENTIFIER_KINDS), start: z.number().int(), end: z.number().int(), text: z.string() });
const FindingsError = z
  .object({ error: z.object({ code: z.literal("identifiers_found"), message: z.string() }), findings: z.array(Finding) })
  .openapi("ObservationFindings", { description: "The narrative looks like it names someone or holds an identifier. Rephrase, or send again with `acknowledgeFindings: true`." });

const EventParams = OrgParams.extend({ eventId: z.uuid({ message: "must be an event id (UUID)" }).openapi({ param: { name: "eventId", in: "path" } }) });
const tags = ["Events"];
const who = "Faculty and supervisors of the event (event faculty, or a confirmed registration with role `faculty`) and the organisation's organisers; other members get 403, everyone else 404.";

export function registerEventObservationApi(api: Api): void {
  api.openapi(
    createRoute({ method: "get", path: "/orgs/{orgId}/events/{eventId}/observations", tags, summary: "Observations of leaders in training at an event, with the leaders and the competency list", description: `${who} Faculty see the observations they wrote; organisers see all.`, security, request: { params: EventParams }, responses: { 200: json(ObservationForm, "The event's observations"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, eventId } = c.req.valid("param");
      return c.json(await ctx.services.eventObservations.forEvent(ctx.actor, orgId, eventId), 200);
    },
  );
  api.openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/events/{eventId}/observations",
      tags,
      summary: "Record an observation of a leader in training (faculty of the event)",
      description: `${who} Only faculty record (organisers who are not faculty: 403). 400 naming \`leaderUserId\` when the person is not a confirmed leader in training at the event, \`sessionId\` / \`observedOn\` for a session or day of another event, \`ratings.<i>.competency\` for a competency outside the organisation's list. The narrative is checked for identifiers: 422 with the findings unless \`acknowledgeFindings\` is true.`,
      security,
      request: { params: EventParams, body: { required: true, content: { "application/json": { schema: ObservationInput.openapi("EventObservationInput") } } } },
      responses: { 201: json(Observation, "Recorded"), ...standardErrors, ...conflictError, 422: json(FindingsError, "Identifier check findings") },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, eventId } = c.req.valid("param");
      const result = await ctx.services.eventObservations.record(ctx.actor, orgId, eventId, c.req.valid("json"), ctx);
      if (result.outcome === "findings") return c.json({ error: { code: "identifiers_found" as const, message: "The narrative looks like it names someone or holds an identifier." }, findings: result.findings }, 422);
      return c.json(result.observation, 201);
    },
  );
  api.openapi(
    createRoute({ method: "get", path: "/me/event-observations", tags, summary: "Observations of me as a leader in training", security, responses: { 200: json(z.object({ items: z.array(Observation) }), "My observations"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.eventObservations.mine(ctx.actor), 200);
    },
  );
}
