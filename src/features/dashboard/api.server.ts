import { createRoute, requireCtx, security, standardErrors, z, type Api } from "../../platform/http/api.server.ts";

const Organisation = z.object({ id: z.string(), name: z.string(), slug: z.string() }).openapi("DashboardOrganisation");
const Meeting = z
  .object({
    occurrenceStart: z.string().openapi({ description: "The meeting's identity (its original start); use it for RSVPs and attendance." }),
    start: z.string(),
    end: z.string(),
    status: z.enum(["scheduled", "cancelled", "rescheduled"]),
    meetingLink: z.string().nullable().openapi({ description: "Leaders, and members who accepted the group agreement; null otherwise." }),
    myRsvp: z.enum(["going", "not_going"]).nullable().openapi({ description: "Members: my answer (no answer means going). Null for leaders." }),
  })
  .openapi("DashboardMeeting");
const GroupBase = {
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  organisation: Organisation,
  nextMeeting: Meeting.nullable().openapi({ description: "The next meeting within 120 days (any status)." }),
  followingMeeting: Meeting.nullable().openapi({ description: "When the next meeting is cancelled, the next one that is not." }),
};
const LedGroup = z
  .object({
    ...GroupBase,
    role: z.enum(["leader", "co_leader"]),
    capacity: z.number().int(),
    activeMembers: z.number().int(),
    pendingRequests: z.number().int(),
    waitlistLength: z.number().int(),
    termEnded: z.boolean(),
    attendanceToRecord: z.object({ items: z.array(z.object({ occurrenceStart: z.string(), start: z.string() })), total: z.number().int() }),
  })
  .openapi("DashboardLedGroup");
const MemberGroup = z.object({ ...GroupBase, agreementAccepted: z.boolean() }).openapi("DashboardMemberGroup");
const GroupRef = z.object({ id: z.string(), name: z.string(), slug: z.string() });
const WaitingRequest = z.object({ group: GroupRef, organisation: Organisation, requestedAt: z.string() }).openapi("DashboardWaitingRequest");
const WaitlistPlace = z.object({ group: GroupRef, organisation: Organisation, position: z.number().int(), offerExpiresAt: z.string().nullable() }).openapi("DashboardWaitlistPlace");
const list = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number().int().openapi({ description: "How many there are in all (the list is capped)." }) });

export const DashboardSchema = z
  .object({
    leading: list(LedGroup),
    member: list(MemberGroup),
    requests: list(WaitingRequest),
    waitlists: list(WaitlistPlace),
    attendanceToRecordTotal: z.number().int(),
  })
  .openapi("Dashboard", { description: "My groups: those I lead (roster, requests, waitlist, attendance to record) and those I belong to (next meeting, my answer, agreement)." });

export function registerDashboardApi(api: Api): void {
  api.openapi(
    createRoute({
      method: "get",
      path: "/me/dashboard",
      tags: ["Dashboard"],
      summary: "My dashboard: the groups I lead and the groups I belong to",
      description: "Personal: for a signed-in session only (API tokens get 403, as for /me/participation). Lists are capped; `total` says how many there are.",
      security,
      responses: { 200: { description: "My dashboard", content: { "application/json": { schema: DashboardSchema } } }, ...standardErrors },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.dashboard.forMe(ctx.actor), 200);
    },
  );
}
