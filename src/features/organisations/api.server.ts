import { OrgParams, conflictError, createRoute, requireCtx, security, standardErrors, z, type Api } from "../../platform/http/api.server.ts";
import { PERMISSIONS } from "../../platform/policy/permissions.ts";
import { ROLE_NAMES } from "../../platform/tenancy/roles.ts";
import { ChangeRoleInput, InvitationQuery, InviteInput, MemberQuery, UpdateOrganisationInput } from "./schemas.ts";

const Role = z.enum(ROLE_NAMES).openapi("Role");
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const goneError = { 410: json(z.object({ error: z.object({ code: z.string(), message: z.string() }) }), "The invitation expired, was used or was withdrawn.") } as const;

const MembershipSummary = z
  .object({ organisationId: z.string(), slug: z.string(), name: z.string(), role: Role })
  .openapi("MembershipSummary");

const Organisation = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    kind: z.string(),
    defaultLocale: z.string(),
    timeZone: z.string(),
    settings: z.object({
      minimumCellSize: z.number().int().openapi({ description: "Aggregates are shown only for at least this many respondents; never below 5." }),
      supportUrl: z.string().nullable(),
      contactEmail: z.string().nullable(),
      debriefRetentionDays: z.number().int().openapi({ description: "Days a leaders' debrief is kept before it is deleted for good (30–3650, default 180), unless kept for supervision." }),
    }),
    createdAt: z.string(),
    myRole: Role,
    permissions: z.array(z.enum(PERMISSIONS)).openapi({ description: "What the caller may do in this organisation." }),
  })
  .openapi("Organisation");

const Member = z
  .object({ userId: z.string(), name: z.string(), email: z.string(), emailVerified: z.boolean(), role: Role, joinedAt: z.string() })
  .openapi("Member");

const Invitation = z
  .object({
    id: z.string(),
    email: z.string(),
    role: Role,
    status: z.enum(["pending", "accepted", "revoked"]),
    state: z.enum(["pending", "expired", "accepted", "revoked"]),
    expiresAt: z.string(),
    createdAt: z.string(),
    invitedBy: z.string().nullable(),
    acceptedAt: z.string().nullable(),
  })
  .openapi("Invitation");

const InvitationPeek = z
  .object({
    organisationName: z.string(),
    role: Role,
    state: z.enum(["pending", "expired", "accepted", "revoked"]),
    fit: z.enum(["match", "unverified", "mismatch", "member"]).optional().openapi({ description: "Only when signed in: whether the caller can accept it." }),
  })
  .openapi("InvitationPeek");

const AcceptResult = z
  .object({ organisation: z.object({ id: z.string(), slug: z.string(), name: z.string() }), role: Role })
  .openapi("InvitationAccepted");

const pageOf = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ items: z.array(item), page: z.number().int(), pageSize: z.number().int(), total: z.number().int() }).openapi(name);

const MemberParams = OrgParams.extend({ userId: z.string().min(1).max(100).openapi({ param: { name: "userId", in: "path" } }) });
const InvitationParams = OrgParams.extend({
  invitationId: z.uuid({ message: "must be an invitation id (UUID)" }).openapi({ param: { name: "invitationId", in: "path" } }),
});
const TokenParams = z.object({ token: z.string().min(1).max(200).openapi({ param: { name: "token", in: "path" } }) });

const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { "application/json": { schema } } } });

export function registerOrganisationsApi(api: Api): void {
  api.openapi(
    createRoute({
      method: "get",
      path: "/orgs",
      tags: ["Organisations"],
      summary: "My organisations, with my role in each",
      security,
      responses: { 200: json(z.object({ items: z.array(MembershipSummary) }).openapi("MyOrganisations"), "Organisations"), 401: standardErrors[401] },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json({ items: await ctx.services.organisations.listMine(ctx.actor) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}",
      tags: ["Organisations"],
      summary: "One organisation",
      security,
      request: { params: OrgParams },
      responses: { 200: json(Organisation, "Organisation"), ...standardErrors },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.organisations.get(ctx.actor, c.req.valid("param").orgId), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "patch",
      path: "/orgs/{orgId}",
      tags: ["Organisations"],
      summary: "Change an organisation's name, language, time zone or settings",
      description: "Only the fields sent change. `settings.minimumCellSize` is an integer of at least 5 and can never be lowered below 5. `supportUrl` must be https. Send null to clear `supportUrl` or `contactEmail`.",
      security,
      request: { params: OrgParams, ...body(UpdateOrganisationInput.openapi("OrganisationUpdate")) },
      responses: { 200: json(Organisation, "Updated organisation"), ...standardErrors },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId } = c.req.valid("param");
      return c.json(await ctx.services.organisations.updateSettings(ctx.actor, orgId, c.req.valid("json"), ctx), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/members",
      tags: ["Members"],
      summary: "Members, searchable by name or email and filterable by role",
      security,
      request: { params: OrgParams, query: MemberQuery },
      responses: { 200: json(pageOf(Member, "MemberPage"), "A page of members"), ...standardErrors },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.organisations.listMembers(ctx.actor, c.req.valid("param").orgId, c.req.valid("query")), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "patch",
      path: "/orgs/{orgId}/members/{userId}",
      tags: ["Members"],
      summary: "Change a member's role",
      description: "Admins manage every role below owner; only owners change owners. An organisation always keeps at least one owner (409 otherwise). The member is told by email.",
      security,
      request: { params: MemberParams, ...body(ChangeRoleInput.openapi("RoleChange")) },
      responses: { 200: json(Member, "The member with the new role"), ...standardErrors, ...conflictError },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, userId } = c.req.valid("param");
      return c.json(await ctx.services.organisations.changeRole(ctx.actor, orgId, userId, c.req.valid("json").role, ctx), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "delete",
      path: "/orgs/{orgId}/members/{userId}",
      tags: ["Members"],
      summary: "Remove a member (or leave, when it is your own id)",
      security,
      request: { params: MemberParams },
      responses: { 204: { description: "Removed" }, ...standardErrors, ...conflictError },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, userId } = c.req.valid("param");
      await ctx.services.organisations.removeMember(ctx.actor, orgId, userId, ctx);
      return c.body(null, 204);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/invitations",
      tags: ["Invitations"],
      summary: "Invitations, newest first",
      description: "`status=pending` (the default) includes invitations past their expiry that were never accepted; their `state` is `expired`.",
      security,
      request: { params: OrgParams, query: InvitationQuery },
      responses: { 200: json(pageOf(Invitation, "InvitationPage"), "A page of invitations"), ...standardErrors },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.organisations.listInvitations(ctx.actor, c.req.valid("param").orgId, c.req.valid("query")), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/invitations",
      tags: ["Invitations"],
      summary: "Invite someone by email",
      description: "Sends an email with a link that works for 7 days. A pending invitation to the same address is replaced. 409 when the person is already a member.",
      security,
      request: { params: OrgParams, ...body(InviteInput.openapi("InvitationInput")) },
      responses: { 201: json(Invitation, "Invitation sent"), ...standardErrors, ...conflictError },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.organisations.invite(ctx.actor, c.req.valid("param").orgId, c.req.valid("json"), ctx), 201);
    },
  );

  api.openapi(
    createRoute({
      method: "delete",
      path: "/orgs/{orgId}/invitations/{invitationId}",
      tags: ["Invitations"],
      summary: "Withdraw a pending invitation",
      security,
      request: { params: InvitationParams },
      responses: { 200: json(Invitation, "Withdrawn"), ...standardErrors, ...conflictError },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, invitationId } = c.req.valid("param");
      return c.json(await ctx.services.organisations.revokeInvitation(ctx.actor, orgId, invitationId, ctx), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/invitations/{invitationId}/resend",
      tags: ["Invitations"],
      summary: "Send a pending invitation again, with a new link and a new 7-day expiry",
      security,
      request: { params: InvitationParams },
      responses: { 200: json(Invitation, "Sent again"), ...standardErrors, ...conflictError },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, invitationId } = c.req.valid("param");
      return c.json(await ctx.services.organisations.resendInvitation(ctx.actor, orgId, invitationId, ctx), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/invitations/{token}",
      tags: ["Invitations"],
      summary: "What an invitation link is for (public)",
      description: "Organisation name, role and state only. When signed in, `fit` says whether the caller can accept it.",
      request: { params: TokenParams },
      responses: { 200: json(InvitationPeek, "Invitation"), 404: standardErrors[404] },
    }),
    async (c) => {
      const ctx = c.var.ctx;
      return c.json(await ctx.services.organisations.peekInvitation(c.req.valid("param").token, ctx.actor), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/invitations/{token}/accept",
      tags: ["Invitations"],
      summary: "Accept an invitation",
      description: "Needs a signed-in session whose verified email is the invited address (403 otherwise). 410 when the invitation expired, was used or was withdrawn.",
      security: [{ cookieAuth: [] }],
      request: { params: TokenParams },
      responses: { 200: json(AcceptResult, "Joined"), ...standardErrors, ...conflictError, ...goneError },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.organisations.acceptInvitation(ctx.actor, c.req.valid("param").token, ctx), 200);
    },
  );
}
