import { OrgParams, conflictError, createRoute, requireCtx, security, standardErrors, z, type Api } from "../../platform/http/api.server.ts";
import { AttendanceInput, CancelInput, ChangeLinkInput, PauseInput, ReminderPreferenceInput, RescheduleInput, RsvpInput, SessionLeadersInput, WindowQuery } from "./schemas.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { "application/json": { schema } } } });
const calendar = (description: string) => ({ description, content: { "text/calendar": { schema: z.string() } } });
const notModified = { 304: { description: "Not modified (the `If-None-Match` ETag matches)." } } as const;

const GroupParams = OrgParams.extend({ groupId: z.uuid({ message: "must be a group id (UUID)" }).openapi({ param: { name: "groupId", in: "path" } }) });
const StartParams = GroupParams.extend({
  start: z
    .string()
    .min(1)
    .max(40)
    .openapi({ param: { name: "start", in: "path" }, description: "The meeting's original start (the instant the group's rule gives it), ISO 8601, e.g. 2030-01-03T00:00:00.000Z.", example: "2030-01-03T00:00:00.000Z" }),
});
const IcsParams = GroupParams.extend({
  occurrence: z
    .string()
    .min(1)
    .max(44)
    .openapi({ param: { name: "occurrence", in: "path" }, description: "`<original start>.ics`, e.g. 2030-01-03T00:00:00.000Z.ics", example: "2030-01-03T00:00:00.000Z.ics" }),
});
const PauseParams = GroupParams.extend({ pauseId: z.string().min(1).max(40).openapi({ param: { name: "pauseId", in: "path" } }) });
const FeedParams = z.object({ file: z.string().min(1).max(60).openapi({ param: { name: "file", in: "path" }, description: "`<token>.ics`" }) });

const Session = z
  .object({
    organisationId: z.string(),
    groupId: z.string(),
    groupName: z.string(),
    occurrenceStart: z.string(),
    start: z.string(),
    end: z.string(),
    status: z.enum(["scheduled", "cancelled", "rescheduled"]),
    index: z.number().int(),
    meetingLink: z.string().nullable(),
    myRsvp: z.enum(["going", "not_going"]).nullable(),
    myRsvpNote: z.string().nullable().openapi({ description: "Members: my own note to the leaders with \"can't come\"." }),
    myRole: z.enum(["leader", "co_leader", "member"]).nullable(),
  })
  .openapi("Session", { description: "One meeting. `occurrenceStart` is its identity and never changes when it is moved." });
const SessionList = z.object({ items: z.array(Session) }).openapi("SessionList");
const SessionChange = z
  .object({ occurrenceStart: z.string(), start: z.string(), end: z.string(), status: z.enum(["scheduled", "cancelled", "rescheduled", "paused"]), meetingLink: z.string().nullable() })
  .openapi("SessionChange");
const Pause = z.object({ id: z.string(), startDate: z.string(), endDate: z.string() }).openapi("GroupPause");
const Rsvp = z
  .object({ occurrenceStart: z.string(), status: z.enum(["going", "not_going"]), note: z.string().nullable() })
  .openapi("Rsvp", { description: "Without `note` in the input, a saved note is kept while the answer stays the same." });
const AttendanceHistory = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        userId: z.string(),
        name: z.string(),
        previousStatus: z.enum(["present", "absent", "excused"]).nullable(),
        status: z.enum(["present", "absent", "excused"]),
        recordedByUserId: z.string().nullable(),
        recordedByName: z.string().nullable(),
        recordedAt: z.string(),
      }),
    ),
  })
  .openapi("AttendanceHistory", { description: "Every change of one meeting's attendance (append-only), oldest first." });
const RsvpList = z
  .object({ items: z.array(z.object({ userId: z.string(), name: z.string(), status: z.enum(["going", "not_going"]), note: z.string().nullable() })) })
  .openapi("RsvpList");
const AttendanceList = z
  .object({ items: z.array(z.object({ userId: z.string(), name: z.string(), status: z.enum(["present", "absent", "excused"]).nullable() })) })
  .openapi("AttendanceList");
const Overdue = z
  .object({ items: z.array(z.object({ organisationId: z.string(), groupId: z.string(), groupName: z.string(), occurrenceStart: z.string(), start: z.string() })) })
  .openapi("AttendanceOverdue");
const ParticipationSchema = z
  .object({
    userId: z.string(),
    attended: z.array(z.object({ organisationId: z.string(), groupId: z.string(), occurrenceStart: z.string() })),
    led: z.array(z.object({ organisationId: z.string(), groupId: z.string(), occurrenceStart: z.string(), kind: z.enum(["leader", "co_leader"]) })),
    attendedCount: z.number().int(),
    ledCount: z.number().int(),
  })
  .openapi("Participation");
const FeedUrl = z.object({ https: z.string(), webcal: z.string(), createdAt: z.string() }).openapi("CalendarFeedUrl", { description: "Shown once: only a hash of the token is stored." });

const tags = ["Sessions"];
const base = "/orgs/{orgId}/groups/{groupId}/sessions";

function calendarResponse(body: string, etag: string, ifNoneMatch: string | undefined, filename: string): Response {
  const headers = { ETag: etag, "Cache-Control": "private, max-age=0, must-revalidate" };
  if (ifNoneMatch && ifNoneMatch.split(",").some((t) => t.trim() === etag || t.trim() === `W/${etag}`)) return new Response(null, { status: 304, headers });
  return new Response(body, { status: 200, headers: { ...headers, "Content-Type": "text/calendar; charset=utf-8", "Content-Disposition": `inline; filename="${filename}"` } });
}

export function registerSessionsApi(api: Api): void {
  api.openapi(
    createRoute({ method: "get", path: base, tags, summary: "Meetings of a group in a window (default: the next 60 days)", security, request: { params: GroupParams, query: WindowQuery }, responses: { 200: json(SessionList, "Meetings"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, groupId } = c.req.valid("param");
      return c.json(await ctx.services.sessions.upcoming(ctx.actor, orgId, groupId, c.req.valid("query")), 200);
    },
  );

  api.openapi(
    createRoute({ method: "get", path: "/me/sessions", tags, summary: "My meetings across all my groups, with my answer", security, request: { query: WindowQuery }, responses: { 200: json(SessionList, "Meetings"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.sessions.mySessions(ctx.actor, c.req.valid("query")), 200);
    },
  );

  const change = (path: string, summary: string, schema: z.ZodType, run: (ctx: ReturnType<typeof requireCtx>, p: { orgId: string; groupId: string; start: string }, input: unknown) => Promise<unknown>) =>
    api.openapi(
      createRoute({ method: "post", path: `${base}/{start}/${path}`, tags, summary, description: "Leaders of the group and coordinators. Cancelling, moving or changing the link of a meeting emails the active members (see `GET /orgs/{orgId}/groups/{groupId}/notices`).", security, request: { params: StartParams, ...body(schema) }, responses: { 200: json(SessionChange, "The meeting now"), ...standardErrors, ...conflictError } }),
      async (c) => {
        const ctx = requireCtx(c.var.ctx);
        return c.json((await run(ctx, c.req.valid("param"), c.req.valid("json"))) as z.infer<typeof SessionChange>, 200);
      },
    );
  change("cancel", "Cancel one meeting", CancelInput.openapi("SessionCancel"), (ctx, p, input) => ctx.services.sessions.cancel(ctx.actor, p.orgId, p.groupId, p.start, input, ctx));
  change("reschedule", "Move one meeting (new start and/or length)", RescheduleInput.openapi("SessionReschedule"), (ctx, p, input) => ctx.services.sessions.reschedule(ctx.actor, p.orgId, p.groupId, p.start, input, ctx));
  change("link", "Give one meeting its own meeting link", ChangeLinkInput.openapi("SessionLink"), (ctx, p, input) => ctx.services.sessions.changeLink(ctx.actor, p.orgId, p.groupId, p.start, input, ctx));

  api.openapi(
    createRoute({ method: "delete", path: `${base}/{start}/exception`, tags, summary: "Take back a cancellation or change", description: "Leaders of the group and coordinators. When the meeting has not started yet the active members are emailed (`notified`): it takes place as planned, or, when taking back a move leaves it inside a pause, it does not take place.", security, request: { params: StartParams }, responses: { 200: json(z.object({ restored: z.boolean(), notified: z.boolean() }), "Restored"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.sessions.restore(ctx.actor, p.orgId, p.groupId, p.start, ctx), 200);
    },
  );

  api.openapi(
    createRoute({ method: "get", path: "/orgs/{orgId}/groups/{groupId}/pauses", tags, summary: "Pauses of a group", security, request: { params: GroupParams }, responses: { 200: json(z.object({ items: z.array(Pause) }), "Pauses"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.sessions.listPauses(ctx.actor, p.orgId, p.groupId), 200);
    },
  );

  api.openapi(
    createRoute({ method: "post", path: "/orgs/{orgId}/groups/{groupId}/pauses", tags, summary: "Pause the group (local dates, inclusive)", security, request: { params: GroupParams, ...body(PauseInput.openapi("GroupPauseInput")) }, responses: { 201: json(Pause, "The pause"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.sessions.pause(ctx.actor, p.orgId, p.groupId, c.req.valid("json"), ctx), 201);
    },
  );

  api.openapi(
    createRoute({ method: "delete", path: "/orgs/{orgId}/groups/{groupId}/pauses/{pauseId}", tags, summary: "Resume: remove a pause", security, request: { params: PauseParams }, responses: { 200: json(z.object({ resumed: z.boolean() }), "Resumed"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.sessions.resume(ctx.actor, p.orgId, p.groupId, p.pauseId, ctx), 200);
    },
  );

  api.openapi(
    createRoute({ method: "put", path: `${base}/{start}/rsvp`, tags, summary: "My answer for one meeting (active members who accepted the agreement)", security, request: { params: StartParams, ...body(RsvpInput.openapi("RsvpInput")) }, responses: { 200: json(Rsvp, "Saved"), ...standardErrors, ...conflictError } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.sessions.rsvp(ctx.actor, p.orgId, p.groupId, p.start, c.req.valid("json")), 200);
    },
  );

  api.openapi(
    createRoute({ method: "get", path: `${base}/{start}/rsvps`, tags, summary: "Members' answers for one meeting (leaders)", security, request: { params: StartParams }, responses: { 200: json(RsvpList, "Answers"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.sessions.rsvpsFor(ctx.actor, p.orgId, p.groupId, p.start), 200);
    },
  );

  api.openapi(
    createRoute({ method: "get", path: `${base}/{start}/attendance`, tags, summary: "Attendance of one meeting (leaders)", security, request: { params: StartParams }, responses: { 200: json(AttendanceList, "Attendance"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.sessions.attendanceFor(ctx.actor, p.orgId, p.groupId, p.start), 200);
    },
  );

  api.openapi(
    createRoute({ method: "put", path: `${base}/{start}/attendance`, tags, summary: "Record attendance of a past meeting (leaders; active members only)", security, request: { params: StartParams, ...body(AttendanceInput.openapi("AttendanceInput")) }, responses: { 200: json(z.object({ occurrenceStart: z.string(), changed: z.number().int() }), "Recorded"), ...standardErrors, ...conflictError } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.sessions.recordAttendance(ctx.actor, p.orgId, p.groupId, p.start, c.req.valid("json"), ctx), 200);
    },
  );

  api.openapi(
    createRoute({ method: "get", path: `${base}/{start}/attendance/history`, tags, summary: "Who changed one meeting's attendance, what and when (leaders)", security, request: { params: StartParams }, responses: { 200: json(AttendanceHistory, "History"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.sessions.attendanceHistory(ctx.actor, p.orgId, p.groupId, p.start), 200);
    },
  );

  const SessionLeaders = z
    .object({ items: z.array(z.object({ userId: z.string(), name: z.string(), kind: z.enum(["leader", "co_leader"]), led: z.boolean(), recorded: z.boolean() })) })
    .openapi("SessionLeaders", { description: "Who led one meeting: the leaders recorded when attendance was first saved (`recorded`), plus the group's current leaders." });
  api.openapi(
    createRoute({ method: "get", path: `${base}/{start}/leaders`, tags, summary: "Who led or co-led one meeting (leaders)", security, request: { params: StartParams }, responses: { 200: json(SessionLeaders, "Leaders"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.sessions.sessionLeadersFor(ctx.actor, p.orgId, p.groupId, p.start), 200);
    },
  );
  api.openapi(
    createRoute({
      method: "put",
      path: `${base}/{start}/leaders`,
      tags,
      summary: "Correct who led one meeting that took place (leaders; e.g. the co-leader was away)",
      security,
      request: { params: StartParams, ...body(SessionLeadersInput.openapi("SessionLeadersInput")) },
      responses: { 200: json(SessionLeaders.extend({ occurrenceStart: z.string(), changed: z.number().int() }), "Recorded"), ...standardErrors, ...conflictError },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.sessions.setSessionLeaders(ctx.actor, p.orgId, p.groupId, p.start, c.req.valid("json"), ctx), 200);
    },
  );
  const Notices = z
    .object({
      items: z.array(
        z.object({
          id: z.string(),
          kind: z.enum(["cancelled", "changed", "link_changed", "restored", "paused", "resumed"]),
          occurrenceStart: z.string().nullable(),
          startDate: z.string().nullable(),
          endDate: z.string().nullable(),
          createdAt: z.string(),
          recipients: z.array(z.object({ userId: z.string(), name: z.string(), queuedAt: z.string(), mailStatus: z.string() })),
          sent: z.number().int(),
          failed: z.number().int(),
        }),
      ),
    })
    .openapi("SessionNotices");
  api.openapi(
    createRoute({ method: "get", path: "/orgs/{orgId}/groups/{groupId}/notices", tags, summary: "Change and cancellation notices emailed to the members, with each email's delivery status (leaders)", security, request: { params: GroupParams }, responses: { 200: json(Notices, "Notices (newest first, up to 50)"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.sessions.noticesFor(ctx.actor, p.orgId, p.groupId), 200);
    },
  );

  api.openapi(
    createRoute({ method: "get", path: "/me/attendance-overdue", tags, summary: "Past meetings of groups I lead with no attendance recorded (last 90 days)", security, responses: { 200: json(Overdue, "Meetings"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.sessions.attendanceOverdue(ctx.actor), 200);
    },
  );

  api.openapi(
    createRoute({ method: "get", path: "/me/participation", tags, summary: "My participation record (attended as member, led / co-led)", security, responses: { 200: json(ParticipationSchema, "Participation"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.sessions.myParticipation(ctx.actor), 200);
    },
  );

  api.openapi(
    createRoute({ method: "get", path: `/orgs/{orgId}/groups/{groupId}/session-ics/{occurrence}`, tags, summary: "One meeting as an .ics file", security, request: { params: IcsParams }, responses: { 200: calendar("text/calendar; charset=utf-8"), ...notModified, ...standardErrors, ...conflictError } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      const { body: text, etag } = await ctx.services.sessions.sessionIcs(ctx.actor, p.orgId, p.groupId, p.occurrence);
      return calendarResponse(text, etag, c.req.header("if-none-match"), "balint-meeting.ics") as never;
    },
  );

  // ---- reminders -----------------------------------------------------------------------------

  const Preference = z.object({ offsetsMinutes: z.array(z.number().int()), isDefault: z.boolean() }).openapi("ReminderPreference");
  api.openapi(
    createRoute({ method: "get", path: "/me/reminders", tags, summary: "My reminder offsets (minutes before a meeting; default 24 h and 1 h)", security, responses: { 200: json(Preference, "Preference"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.sessions.reminderPreference(ctx.actor), 200);
    },
  );
  api.openapi(
    createRoute({ method: "put", path: "/me/reminders", tags, summary: "Change my reminder offsets (an empty list turns reminders off)", security, request: body(ReminderPreferenceInput.openapi("ReminderPreferenceInput")), responses: { 200: json(Preference, "Preference"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.sessions.setReminderPreference(ctx.actor, c.req.valid("json")), 200);
    },
  );
  api.openapi(
    createRoute({
      method: "get",
      path: `${base}/{start}/reminders`,
      tags,
      summary: "Which reminders went out for one meeting (leaders)",
      security,
      request: { params: StartParams },
      responses: { 200: json(z.object({ items: z.array(z.object({ userId: z.string(), offsetMinutes: z.number().int(), queuedAt: z.string(), mailStatus: z.string() })) }).openapi("ReminderStatus"), "Reminders"), ...standardErrors },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.sessions.remindersFor(ctx.actor, p.orgId, p.groupId, p.start), 200);
    },
  );

  // ---- calendar feed -------------------------------------------------------------------------

  api.openapi(
    createRoute({ method: "get", path: "/me/calendar-feed", tags, summary: "Whether I have an active calendar subscription", security, responses: { 200: json(z.object({ active: z.boolean(), createdAt: z.string().nullable() }), "Status"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.sessions.feedStatus(ctx.actor), 200);
    },
  );

  api.openapi(
    createRoute({ method: "post", path: "/me/calendar-feed", tags, summary: "Create or regenerate my secret calendar URL (the previous one stops working)", security, responses: { 201: json(FeedUrl, "The new URL (shown once)"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.sessions.createFeed(ctx.actor), 201);
    },
  );

  api.openapi(
    createRoute({ method: "delete", path: "/me/calendar-feed", tags, summary: "Revoke my calendar URL", security, responses: { 200: json(z.object({ revoked: z.boolean() }), "Revoked"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.sessions.revokeFeed(ctx.actor), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/calendar/{file}",
      tags,
      summary: "A person's calendar subscription (`<token>.ics`; the token is the credential)",
      description: "Public: no cookie or bearer token; the secret in the path authorises. Every group the person leads or is an active member of. `REFRESH-INTERVAL`, strong `ETag`, 304 on `If-None-Match`. No names of members, no notes.",
      request: { params: FeedParams },
      responses: { 200: calendar("text/calendar; charset=utf-8"), ...notModified, 404: standardErrors[404] },
    }),
    async (c) => {
      const feed = await c.var.ctx.services.sessions.feed(c.req.valid("param").file);
      if (!feed) return c.json({ error: { code: "not_found", message: "That calendar was not found." } }, 404);
      return calendarResponse(feed.body, feed.etag, c.req.header("if-none-match"), "balint-groups.ics") as never;
    },
  );
}
