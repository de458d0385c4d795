import { streamSSE } from "hono/streaming";
import { OrgParams, conflictError, createRoute, requireCtx, security, standardErrors, z, type Api } from "../../platform/http/api.server.ts";
import { validationError } from "../../platform/http/errors.ts";
import { END_EVENT, HEARTBEAT_MS, RETRY_MS, runCompanionStream } from "./live-stream.server.ts";
import { CLOCK_COMMANDS, PHASES } from "./meeting-clock.ts";
import { CommandInput, EndInput, PresenterInput, SettingsInput, TapInput, expandUnknownKeys } from "./schemas.ts";
import { StaleStateError } from "./service.server.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { "application/json": { schema } } } });

/** Validation failures name unknown fields one by one (zod reports them on the parent object). */
const hook = (result: { success: true } | { success: false; error: { issues: ReadonlyArray<{ code?: string; path: PropertyKey[]; message: string; keys?: readonly string[] }> } }): undefined => {
  if (!result.success) throw validationError(expandUnknownKeys(result.error.issues));
  return undefined;
};

const GroupParams = OrgParams.extend({ groupId: z.uuid({ message: "must be a group id (UUID)" }).openapi({ param: { name: "groupId", in: "path" } }) });
const MeetingParams = GroupParams.extend({
  start: z
    .string()
    .min(1)
    .max(40)
    .openapi({ param: { name: "start", in: "path" }, description: "The meeting's original start (ISO 8601), as in the sessions API.", example: "2030-01-03T00:00:00.000Z" }),
});

const Step = z.object({ phase: z.enum(PHASES), caseNumber: z.number().int().nullable(), plannedSeconds: z.number().int(), extendedSeconds: z.number().int() });
const Clock = z
  .object({
    version: z.number().int(),
    status: z.enum(["ready", "running", "paused", "ended"]),
    steps: z.array(Step),
    index: z.number().int(),
    elapsedMs: z.number(),
    runningSince: z.number().nullable(),
    startedAt: z.number().nullable(),
    endedAt: z.number().nullable(),
  })
  .openapi("MeetingClock", { description: "Server times (epoch ms). Devices compute the remaining time from `serverNow`." });
const View = z
  .object({
    status: z.enum(["ready", "running", "paused", "ended"]),
    phase: z.enum(PHASES),
    caseNumber: z.number().int().nullable(),
    stepNumber: z.number().int(),
    stepCount: z.number().int(),
    elapsedMs: z.number(),
    plannedMs: z.number(),
    remainingMs: z.number(),
    nearEnd: z.boolean(),
    overtime: z.boolean(),
    cases: z.number().int(),
  })
  .openapi("MeetingClockView");
const Minutes = z.object(Object.fromEntries(PHASES.map((p) => [p, z.number().int()])) as Record<(typeof PHASES)[number], z.ZodNumber>);
const State = z
  .object({
    organisationId: z.string(),
    groupId: z.string(),
    groupName: z.string(),
    occurrenceStart: z.string(),
    start: z.string(),
    end: z.string(),
    format: z.enum(["in_person", "online", "hybrid"]),
    meetingLink: z.string().nullable(),
    serverNow: z.number(),
    canOpen: z.boolean(),
    clock: Clock.nullable(),
    view: View.nullable(),
    settings: z.object({ phaseMinutes: Minutes, groundRules: z.string().nullable(), softSound: z.boolean() }),
    leaders: z.array(z.object({ userId: z.string(), name: z.string(), kind: z.enum(["leader", "co_leader"]) })),
    roster: z.array(z.object({ userId: z.string(), name: z.string(), attendance: z.enum(["present", "absent", "excused"]).nullable() })),
    presenters: z.array(z.object({ caseNumber: z.number().int(), userId: z.string(), name: z.string() })),
    suggestions: z.array(z.object({ userId: z.string(), name: z.string(), lastPresentedAt: z.string().nullable() })),
  })
  .openapi("CompanionState", { description: "One meeting as the facilitation companion shows it to the group's leaders. Nothing about any case." });
const Settings = z
  .object({ groupId: z.string(), groupName: z.string(), organisationId: z.string(), phaseMinutes: Minutes, groundRules: z.string().nullable(), softSound: z.boolean() })
  .openapi("CompanionSettings");
const staleConflict = {
  409: json(
    z.object({ error: z.object({ code: z.string(), message: z.string(), fields: z.array(z.object({ path: z.string(), message: z.string() })).optional() }), state: State.optional() }).openapi("CompanionConflict"),
    "Out of order (e.g. pause when not running), or stale (`expectedVersion` is not the current version): `state` then holds the current state.",
  ),
};

const tags = ["Facilitation companion"];
const base = "/orgs/{orgId}/groups/{groupId}/meetings/{start}";

export function registerFacilitationApi(api: Api): void {
  api.openapi(
    createRoute({ method: "get", path: `${base}/companion`, tags, summary: "The companion's state of one meeting (the group's leaders)", security, request: { params: MeetingParams }, responses: { 200: json(State, "State"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.facilitation.state(ctx.actor, p.orgId, p.groupId, p.start), 200);
    },
    hook,
  );

  api.openapi(
    createRoute({
      method: "post",
      path: `${base}/companion`,
      tags,
      summary: "Open the companion for a meeting (idempotent; from 2 h before its start to 24 h after)",
      security,
      request: { params: MeetingParams },
      responses: { 200: json(State, "Opened"), ...standardErrors, ...conflictError },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.facilitation.open(ctx.actor, p.orgId, p.groupId, p.start, { ipAddress: ctx.ipAddress, requestId: ctx.requestId }), 200);
    },
    hook,
  );

  api.openapi(
    createRoute({
      method: "post",
      path: `${base}/commands`,
      tags,
      summary: `A clock command (${CLOCK_COMMANDS.join(", ")}) with the version you saw`,
      description: "Applied at server time. `end` also completes attendance and records who led (as `POST …/end`).",
      security,
      request: { params: MeetingParams, ...body(CommandInput.openapi("CompanionCommand")) },
      responses: { 200: json(State, "Applied"), ...standardErrors, ...staleConflict },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      try {
        return c.json(await ctx.services.facilitation.command(ctx.actor, p.orgId, p.groupId, p.start, c.req.valid("json"), { ipAddress: ctx.ipAddress, requestId: ctx.requestId }), 200);
      } catch (error) {
        if (error instanceof StaleStateError) return c.json({ ...error.toBody(ctx.requestId), state: error.state }, 409);
        throw error;
      }
    },
    hook,
  );

  api.openapi(
    createRoute({
      method: "put",
      path: `${base}/attendance`,
      tags,
      summary: "Tap one member present, absent or excused (recorded as the meeting's attendance)",
      security,
      request: { params: MeetingParams, ...body(TapInput.openapi("CompanionTap")) },
      responses: { 200: json(State, "Recorded"), ...standardErrors, ...conflictError },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.facilitation.tap(ctx.actor, p.orgId, p.groupId, p.start, c.req.valid("json"), { ipAddress: ctx.ipAddress, requestId: ctx.requestId }), 200);
    },
    hook,
  );

  api.openapi(
    createRoute({
      method: "put",
      path: `${base}/presenters`,
      tags,
      summary: "Record who presents case n (only that they presented; `userId: null` clears it)",
      security,
      request: { params: MeetingParams, ...body(PresenterInput.openapi("CompanionPresenter")) },
      responses: { 200: json(State, "Recorded"), ...standardErrors, ...conflictError },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.facilitation.recordPresenter(ctx.actor, p.orgId, p.groupId, p.start, c.req.valid("json"), { ipAddress: ctx.ipAddress, requestId: ctx.requestId }), 200);
    },
    hook,
  );

  api.openapi(
    createRoute({
      method: "post",
      path: `${base}/end`,
      tags,
      summary: "End the meeting: clock, attendance (untapped members absent) and leading credits in one go; idempotent",
      security,
      request: { params: MeetingParams, ...body(EndInput.openapi("CompanionEnd")) },
      responses: { 200: json(State, "Ended"), ...standardErrors, ...staleConflict },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      try {
        return c.json(await ctx.services.facilitation.end(ctx.actor, p.orgId, p.groupId, p.start, c.req.valid("json"), { ipAddress: ctx.ipAddress, requestId: ctx.requestId }), 200);
      } catch (error) {
        if (error instanceof StaleStateError) return c.json({ ...error.toBody(ctx.requestId), state: error.state }, 409);
        throw error;
      }
    },
    hook,
  );

  api.openapi(
    createRoute({
      method: "get",
      path: `${base}/events`,
      tags,
      summary: "Live state as Server-Sent Events (the group's leaders; session cookie or token)",
      description: `\`event: state\` with the full CompanionState on connect and after every change (from any app instance); a comment heartbeat every ${HEARTBEAT_MS / 1000} s; \`retry: ${RETRY_MS}\`. On every change and heartbeat the reader's current role is checked again: when they may no longer see the meeting (removed from the group or the organisation, signed out), a final \`event: ${END_EVENT}\` with \`{"reason":"access"}\` is sent and the stream closes (do not reconnect).`,
      security,
      request: { params: MeetingParams },
      responses: { 200: { description: "An event stream", content: { "text/event-stream": { schema: z.string() } } }, ...standardErrors },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      const service = ctx.services.facilitation;
      // Authorise (and read) before the stream starts, so refusals are ordinary 4xx responses.
      const first = await service.state(ctx.actor, p.orgId, p.groupId, p.start);
      const sessionId = ctx.user?.sessionId ?? null;
      c.header("Cache-Control", "no-cache, no-transform");
      c.header("X-Accel-Buffering", "no");
      return streamSSE(c, (stream) =>
        runCompanionStream({
          sink: {
            send: (event) => stream.writeSSE(event),
            comment: (text) => stream.write(`: ${text}\n\n`).then(() => undefined),
            get gone() {
              return stream.aborted || stream.closed;
            },
            onAbort: (listener) => stream.onAbort(listener),
          },
          first,
          // Every change and every heartbeat: who the reader is now, not when they connected.
          recheck: () => service.liveAccess(ctx.actor, p.orgId, p.groupId, { sessionId }),
          read: (actor) => service.state(actor, p.orgId, p.groupId, p.start),
          subscribe: (onChange, onClose) => service.subscribe(p.groupId, p.start, onChange, onClose),
          heartbeatMs: service.streamSettings.heartbeatMs,
          retryMs: RETRY_MS,
          onError: (error) => ctx.services.kernel.logger.warn({ err: error }, "companion stream read failed"),
        }),
      );
    },
    hook,
  );

  const SettingsParams = GroupParams;
  api.openapi(
    createRoute({ method: "get", path: "/orgs/{orgId}/groups/{groupId}/companion-settings", tags, summary: "A group's companion settings (its leaders and coordinators)", security, request: { params: SettingsParams }, responses: { 200: json(Settings, "Settings"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.facilitation.settings(ctx.actor, p.orgId, p.groupId), 200);
    },
    hook,
  );

  api.openapi(
    createRoute({
      method: "put",
      path: "/orgs/{orgId}/groups/{groupId}/companion-settings",
      tags,
      summary: "Change a group's phase minutes, ground rules card or soft sound (its leaders and coordinators)",
      security,
      request: { params: SettingsParams, ...body(SettingsInput.openapi("CompanionSettingsInput")) },
      responses: { 200: json(Settings, "Saved"), ...standardErrors },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.facilitation.updateSettings(ctx.actor, p.orgId, p.groupId, c.req.valid("json"), { ipAddress: ctx.ipAddress, requestId: ctx.requestId }), 200);
    },
    hook,
  );
}
