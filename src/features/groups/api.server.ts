import { OrgParams, conflictError, createRoute, requireCtx, security, standardErrors, z, type Api } from "../../platform/http/api.server.ts";
import { CreateGroupInput, DecisionInput, DirectoryQuery, GroupListQuery, JoinRequestInput, NewTermInput, ReorderInput, UpdateGroupInput } from "./schemas.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { "application/json": { schema } } } });
const goneError = { 410: json(z.object({ error: z.object({ code: z.string(), message: z.string() }) }), "The offer expired.") } as const;

const Schedule = z
  .object({ rrule: z.string(), dtstartLocal: z.string(), durationMinutes: z.number().int(), firstDurationMinutes: z.number().int().nullable() })
  .openapi("GroupSchedule");
const Session = z.object({ start: z.string(), end: z.string() }).nullable();

const PublicGroup = z
  .object({
    organisation: z.object({ slug: z.string(), name: z.string() }),
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    format: z.enum(["in_person", "online", "hybrid"]),
    languages: z.array(z.string()),
    disciplines: z.array(z.string()),
    timeZone: z.string(),
    schedule: Schedule,
    capacity: z.number().int(),
    seatsLeft: z.number().int(),
    nextSession: Session,
    ceCredit: z.string().nullable(),
    joinPolicy: z.enum(["request", "invitation"]),
    visibility: z.enum(["listed", "unlisted"]),
  })
  .openapi("PublicGroup", { description: "What anyone may see: never the meeting link, the venue address or people's names." });

const Group = z
  .object({
    id: z.string(),
    organisationId: z.string(),
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    format: z.enum(["in_person", "online", "hybrid"]),
    languages: z.array(z.string()),
    disciplines: z.array(z.string()),
    timeZone: z.string(),
    schedule: Schedule,
    capacity: z.number().int(),
    seatsLeft: z.number().int(),
    activeMembers: z.number().int(),
    nextSession: Session,
    ceCredit: z.string().nullable(),
    visibility: z.enum(["listed", "unlisted", "private"]),
    joinPolicy: z.enum(["request", "invitation"]),
    term: z.number().int(),
    termEndedAt: z.string().nullable(),
    archivedAt: z.string().nullable(),
    leaders: z.array(z.object({ userId: z.string(), name: z.string(), kind: z.enum(["leader", "co_leader"]) })),
    myStatus: z.enum(["leader", "co_leader", "active", "pending", "waitlisted", "none"]),
    agreementAcceptedAt: z.string().nullable(),
    meetingDetails: z
      .object({ meetingLink: z.string().nullable(), address: z.string().nullable() })
      .nullable()
      .openapi({ description: "Only for the group's leaders, coordinators, and active members who accepted the group agreement." }),
  })
  .openapi("Group");

const GroupMember = z
  .object({
    userId: z.string(),
    name: z.string(),
    status: z.enum(["pending", "active"]),
    requestNote: z.string().nullable().optional(),
    agreementAccepted: z.boolean().optional(),
    requestedAt: z.string().optional(),
  })
  .openapi("GroupMember");

const WaitlistEntry = z
  .object({ userId: z.string(), name: z.string(), position: z.number().int(), offerExpiresAt: z.string().nullable(), reorderReason: z.string().nullable(), reorderNote: z.string().nullable() })
  .openapi("WaitlistEntry");

const pageOf = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ items: z.array(item), page: z.number().int(), pageSize: z.number().int(), total: z.number().int() }).openapi(name);

const GroupParams = OrgParams.extend({ groupId: z.uuid({ message: "must be a group id (UUID)" }).openapi({ param: { name: "groupId", in: "path" } }) });
const GroupUserParams = GroupParams.extend({ userId: z.string().min(1).max(100).openapi({ param: { name: "userId", in: "path" } }) });
const SlugParams = z.object({
  orgSlug: z.string().min(1).max(48).openapi({ param: { name: "orgSlug", in: "path" } }),
  groupSlug: z.string().min(1).max(48).openapi({ param: { name: "groupSlug", in: "path" } }),
});

const tags = ["Groups"];

export function registerGroupsApi(api: Api): void {
  // ---- public directory --------------------------------------------------------------------

  api.openapi(
    createRoute({
      method: "get",
      path: "/directory/groups",
      tags: ["Group directory"],
      summary: "Search listed Balint groups across organisations",
      description:
        "Public. Only listed, non-archived groups. `weekday` and `timeOfDay` (morning before 12:00, afternoon 12:00–17:00, evening from 17:00) are read in the viewer's time zone: `timeZone`, else the signed-in person's, else UTC. Ordered by name. Never returns meeting links, venue addresses or names of people.",
      request: { query: DirectoryQuery },
      responses: { 200: json(pageOf(PublicGroup, "PublicGroupPage"), "A page of groups"), 400: standardErrors[400] },
    }),
    async (c) => {
      const ctx = c.var.ctx;
      return c.json(await ctx.services.groups.directory(c.req.valid("query"), ctx.timeZone), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/directory/groups/{orgSlug}/{groupSlug}",
      tags: ["Group directory"],
      summary: "One listed group, or an unlisted one by its direct link",
      request: { params: SlugParams },
      responses: { 200: json(PublicGroup, "The group"), 404: standardErrors[404] },
    }),
    async (c) => {
      const { orgSlug, groupSlug } = c.req.valid("param");
      return c.json(await c.var.ctx.services.groups.publicGroup(orgSlug, groupSlug), 200);
    },
  );

  // ---- groups in an organisation -------------------------------------------------------------

  api.openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/groups",
      tags,
      summary: "The organisation's groups",
      description: "Coordinators see every group; others see listed and unlisted groups and the ones they lead, belong to or wait for.",
      security,
      request: { params: OrgParams, query: GroupListQuery },
      responses: { 200: json(pageOf(Group, "GroupPage"), "A page of groups"), ...standardErrors },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.groups.list(ctx.actor, c.req.valid("param").orgId, c.req.valid("query")), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/groups",
      tags,
      summary: "Create a group (coordinators and above)",
      description:
        "Schedule problems come back as 400 with fields such as `schedule.rrule`, `schedule.dtstartLocal`, `timeZone`; capacity must be 3 to 15. In-person and hybrid groups need `address`, online and hybrid groups `meetingLink` (both are shown to members only).",
      security,
      request: { params: OrgParams, ...body(CreateGroupInput.openapi("GroupInput")) },
      responses: { 201: json(Group, "The new group"), ...standardErrors, ...conflictError },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.groups.create(ctx.actor, c.req.valid("param").orgId, c.req.valid("json"), ctx), 201);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/groups/{groupId}",
      tags,
      summary: "One group (meeting details only after the group agreement)",
      security,
      request: { params: GroupParams },
      responses: { 200: json(Group, "The group"), ...standardErrors },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, groupId } = c.req.valid("param");
      return c.json(await ctx.services.groups.get(ctx.actor, orgId, groupId), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "patch",
      path: "/orgs/{orgId}/groups/{groupId}",
      tags,
      summary: "Change a group",
      description: "Coordinators change anything; the group's own leaders change only `description` and `meetingLink`.",
      security,
      request: { params: GroupParams, ...body(UpdateGroupInput.openapi("GroupUpdate")) },
      responses: { 200: json(Group, "The updated group"), ...standardErrors, ...conflictError },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, groupId } = c.req.valid("param");
      return c.json(await ctx.services.groups.update(ctx.actor, orgId, groupId, c.req.valid("json"), ctx), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/groups/{groupId}/archive",
      tags,
      summary: "Archive a group (coordinators and above)",
      security,
      request: { params: GroupParams },
      responses: { 200: json(Group, "The archived group"), ...standardErrors },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, groupId } = c.req.valid("param");
      return c.json(await ctx.services.groups.archive(ctx.actor, orgId, groupId, ctx), 200);
    },
  );

  // ---- joining -------------------------------------------------------------------------------

  api.openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/groups/{groupId}/join-requests",
      tags,
      summary: "Ask to join a group",
      description:
        "Any signed-in person may ask to join a listed or unlisted group, also when not yet in the organisation (approval then makes them a member of it). The optional note (at most 280 characters) is shown to the group's leaders only; please no case content. 409 when already asked or a member; 403 for invitation-only groups.",
      security,
      request: { params: GroupParams, body: { required: false, content: { "application/json": { schema: JoinRequestInput.openapi("JoinRequestInput") } } } },
      responses: { 201: json(z.object({ status: z.literal("pending") }), "Request recorded"), ...standardErrors, ...conflictError },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, groupId } = c.req.valid("param");
      const input = (c.req.valid("json") as unknown) ?? {};
      return c.json(await ctx.services.groups.requestToJoin(ctx.actor, orgId, groupId, input, ctx), 201);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/groups/{groupId}/join-requests/{userId}/decision",
      tags,
      summary: "Approve or decline a join request (the group's leaders, coordinators)",
      description: "Approval never exceeds the capacity, also under concurrent approvals: a full group gives 409 (suggest the waitlist). The person is emailed either way.",
      security,
      request: { params: GroupUserParams, ...body(DecisionInput.openapi("JoinDecision")) },
      responses: { 200: json(z.object({ userId: z.string(), status: z.enum(["active", "declined"]) }), "Decided"), ...standardErrors, ...conflictError },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, groupId, userId } = c.req.valid("param");
      return c.json(await ctx.services.groups.decide(ctx.actor, orgId, groupId, userId, c.req.valid("json"), ctx), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/groups/{groupId}/agreement",
      tags,
      summary: "Accept the group agreement (confidentiality, no notes or recordings, commitment to the term)",
      security,
      request: { params: GroupParams },
      responses: { 200: json(Group, "The group, now with its meeting details"), ...standardErrors },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, groupId } = c.req.valid("param");
      return c.json(await ctx.services.groups.acceptAgreement(ctx.actor, orgId, groupId, ctx), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/groups/{groupId}/members",
      tags,
      summary: "Who is in the group",
      description: "Leaders and coordinators also see pending requests with their notes; active members see their co-members' names only.",
      security,
      request: { params: GroupParams },
      responses: { 200: json(z.object({ items: z.array(GroupMember) }).openapi("GroupMembers"), "Members"), ...standardErrors },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, groupId } = c.req.valid("param");
      return c.json(await ctx.services.groups.members(ctx.actor, orgId, groupId), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "delete",
      path: "/orgs/{orgId}/groups/{groupId}/members/{userId}",
      tags,
      summary: "Remove a member (the group's leaders, coordinators); the seat is offered to the waitlist",
      security,
      request: { params: GroupUserParams },
      responses: { 204: { description: "Removed" }, ...standardErrors },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, groupId, userId } = c.req.valid("param");
      await ctx.services.groups.removeMember(ctx.actor, orgId, groupId, userId, ctx);
      return c.body(null, 204);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/groups/{groupId}/leave",
      tags,
      summary: "Leave the group (or withdraw my request); the seat is offered to the waitlist",
      security,
      request: { params: GroupParams },
      responses: { 204: { description: "Left" }, ...standardErrors },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, groupId } = c.req.valid("param");
      await ctx.services.groups.leave(ctx.actor, orgId, groupId, ctx);
      return c.body(null, 204);
    },
  );

  // ---- waitlist ------------------------------------------------------------------------------

  api.openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/groups/{groupId}/waitlist",
      tags,
      summary: "The waitlist, in order (the group's leaders, coordinators)",
      security,
      request: { params: GroupParams },
      responses: { 200: json(z.object({ items: z.array(WaitlistEntry) }).openapi("Waitlist"), "Waitlist"), ...standardErrors },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, groupId } = c.req.valid("param");
      return c.json(await ctx.services.groups.waitlist(ctx.actor, orgId, groupId), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/groups/{groupId}/waitlist",
      tags,
      summary: "Join a full group's waitlist",
      security,
      request: { params: GroupParams },
      responses: { 201: json(z.object({ position: z.number().int() }), "On the waitlist"), ...standardErrors, ...conflictError },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, groupId } = c.req.valid("param");
      return c.json(await ctx.services.groups.joinWaitlist(ctx.actor, orgId, groupId, ctx), 201);
    },
  );

  api.openapi(
    createRoute({
      method: "delete",
      path: "/orgs/{orgId}/groups/{groupId}/waitlist",
      tags,
      summary: "Leave the waitlist",
      security,
      request: { params: GroupParams },
      responses: { 204: { description: "Left the waitlist" }, ...standardErrors },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, groupId } = c.req.valid("param");
      await ctx.services.groups.leaveWaitlist(ctx.actor, orgId, groupId, ctx);
      return c.body(null, 204);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/groups/{groupId}/waitlist/{userId}/position",
      tags,
      summary: "Move a person on the waitlist, with a reason (the group's leaders, coordinators)",
      description: "`reason` is a code and is audited; the optional `note` (at most 200 characters) stays on the waitlist entry.",
      security,
      request: { params: GroupUserParams, ...body(ReorderInput.openapi("WaitlistReorder")) },
      responses: { 200: json(z.object({ items: z.array(WaitlistEntry) }), "The waitlist in its new order"), ...standardErrors },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, groupId, userId } = c.req.valid("param");
      return c.json(await ctx.services.groups.reorderWaitlist(ctx.actor, orgId, groupId, userId, c.req.valid("json"), ctx), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/groups/{groupId}/waitlist/offer",
      tags,
      summary: "Accept my open waitlist offer (valid 48 hours)",
      security,
      request: { params: GroupParams },
      responses: { 200: json(z.object({ status: z.literal("active") }), "Now a member"), ...standardErrors, ...conflictError, ...goneError },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, groupId } = c.req.valid("param");
      return c.json(await ctx.services.groups.acceptOffer(ctx.actor, orgId, groupId, ctx), 200);
    },
  );

  // ---- terms ---------------------------------------------------------------------------------

  api.openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/groups/{groupId}/term/end",
      tags,
      summary: "End the current term",
      security,
      request: { params: GroupParams },
      responses: { 200: json(Group, "The group"), ...standardErrors, ...conflictError },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, groupId } = c.req.valid("param");
      return c.json(await ctx.services.groups.endTerm(ctx.actor, orgId, groupId, ctx), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/groups/{groupId}/term",
      tags,
      summary: "Start a new term with the same members and a new schedule",
      description: "Members accept the group agreement again for the new term.",
      security,
      request: { params: GroupParams, ...body(NewTermInput.openapi("NewTermInput")) },
      responses: { 200: json(Group, "The group in its new term"), ...standardErrors, ...conflictError },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, groupId } = c.req.valid("param");
      return c.json(await ctx.services.groups.startNewTerm(ctx.actor, orgId, groupId, c.req.valid("json"), ctx), 200);
    },
  );
}
