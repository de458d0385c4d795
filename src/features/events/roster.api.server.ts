// REST routes for small-group rosters, check-in, CE certificates and the attendee export.
import { OrgParams, conflictError, createRoute, requireCtx, security, standardErrors, z, type Api } from "../../platform/http/api.server.ts";
import { AppError } from "../../platform/http/errors.ts";
import { CheckinInput, GenerateRosterInput, IssueCertificateInput, SaveRosterInput } from "./roster.service.server.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { "application/json": { schema } } } });
const tags = ["Event rosters and certificates"];

const EventParams = OrgParams.extend({
  eventId: z.string().openapi({ param: { name: "eventId", in: "path" }, example: "6a0f1c1e-9a63-4d0e-8f3e-0c5a3b9d2f10" }),
});
const CodeParams = z.object({
  code: z.string().max(40).openapi({ param: { name: "code", in: "path" }, example: "7K3M-Q9TX-2HBC-R5W1" }),
});
const CertificateParams = OrgParams.extend({
  certificateId: z.string().openapi({ param: { name: "certificateId", in: "path" } }),
});

const RosterGroup = z.object({ id: z.string().optional(), name: z.string(), members: z.array(z.string()) });
const Roster = z
  .object({
    event: z.object({ id: z.string(), organisationId: z.string(), title: z.string(), kind: z.string() }),
    participants: z.array(
      z.object({ userId: z.string(), name: z.string(), role: z.string(), discipline: z.string().nullable(), experience: z.string().nullable(), affiliation: z.string().nullable() }),
    ),
    keepApart: z.array(z.array(z.string())),
    roster: z
      .object({ status: z.enum(["draft", "published"]), minSize: z.number().int(), maxSize: z.number().int(), version: z.number().int(), publishedAt: z.string().nullable(), groups: z.array(RosterGroup) })
      .nullable(),
  })
  .openapi("EventRoster");
const Summary = z.object({ daysAttended: z.number().int(), attendedHours: z.number(), totalHours: z.number(), creditHours: z.number() }).openapi("AttendanceSummary");
const Checkins = z
  .object({
    event: z.object({ id: z.string(), organisationId: z.string(), title: z.string(), ceHours: z.number().nullable() }),
    days: z.array(z.object({ id: z.string(), date: z.string(), label: z.string().nullable() })),
    people: z.array(z.object({ userId: z.string(), name: z.string(), email: z.string(), role: z.string(), days: z.array(z.string()), summary: Summary, certificateCode: z.string().nullable() })),
  })
  .openapi("EventCheckins");
const Certificate = z.object({ id: z.string(), code: z.string(), hours: z.number(), firstDay: z.string(), lastDay: z.string() }).openapi("IssuedCertificate");
const Verification = z
  .object({
    status: z.enum(["valid", "revoked"]),
    code: z.string(),
    personName: z.string().optional(),
    eventTitle: z.string().optional(),
    organisationName: z.string().optional(),
    firstDay: z.string().optional(),
    lastDay: z.string().optional(),
    hours: z.number().optional(),
    issuedAt: z.string().optional(),
  })
  .openapi("CertificateVerification");
const AttendedEvent = z
  .object({
    eventId: z.string(),
    organisationId: z.string(),
    title: z.string(),
    kind: z.string(),
    firstDay: z.string().nullable(),
    lastDay: z.string().nullable(),
    daysAttended: z.number().int(),
    attendedHours: z.number(),
    creditHours: z.number(),
    certificateCode: z.string().nullable(),
  })
  .openapi("AttendedEvent");

export function registerEventRosterApi(api: Api): void {
  const base = "/orgs/{orgId}/events/{eventId}";

  api.openapi(
    createRoute({ method: "get", path: `${base}/roster`, tags, summary: "The event's participants, keep-apart pairs and small-group roster (organisers)", security, request: { params: EventParams }, responses: { 200: json(Roster, "Roster"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, eventId } = c.req.valid("param");
      return c.json(await ctx.services.eventRosters.getRoster(ctx.actor, orgId, eventId), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: `${base}/roster/generate`,
      tags,
      summary: "Propose balanced small groups (not saved)",
      description: "Mixes disciplines, Balint experience and organisations; keeps apart the pairs participants asked for. 400 when the sizes cannot work for this many people; 409 naming the keep-apart requests that cannot all be met.",
      security,
      request: { params: EventParams, ...body(GenerateRosterInput.openapi("GenerateRosterInput")) },
      responses: { 200: json(z.object({ minSize: z.number().int(), maxSize: z.number().int(), groups: z.array(RosterGroup) }).openapi("RosterProposal"), "A proposal"), ...standardErrors, ...conflictError },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, eventId } = c.req.valid("param");
      return c.json(await ctx.services.eventRosters.generateRoster(ctx.actor, orgId, eventId, c.req.valid("json")), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "put",
      path: `${base}/roster`,
      tags,
      summary: "Save the roster",
      description: "Replaces the whole roster. 400 when a person is in two groups (field `groups.<g>.members.<m>`, message naming the person), not a participant, not placed, or placed with someone they asked to be kept apart from. Sizes outside the bounds come back as warnings. 409 when `version` is out of date.",
      security,
      request: { params: EventParams, ...body(SaveRosterInput.openapi("SaveRosterInput")) },
      responses: { 200: json(z.object({ version: z.number().int(), warnings: z.array(z.string()) }), "Saved"), ...standardErrors, ...conflictError },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, eventId } = c.req.valid("param");
      return c.json(await ctx.services.eventRosters.saveRoster(ctx.actor, orgId, eventId, c.req.valid("json"), ctx), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: `${base}/roster/publish`,
      tags,
      summary: "Publish the roster to participants (each gets an email with their group)",
      security,
      request: { params: EventParams },
      responses: { 200: json(z.object({ publishedAt: z.string(), notified: z.number().int() }), "Published"), ...standardErrors, ...conflictError },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, eventId } = c.req.valid("param");
      return c.json(await ctx.services.eventRosters.publishRoster(ctx.actor, orgId, eventId, ctx), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/me/event-groups",
      tags,
      summary: "My small groups at events (published rosters only)",
      security,
      responses: { 200: json(z.array(z.object({ eventId: z.string(), eventTitle: z.string(), organisationName: z.string(), groupName: z.string(), members: z.array(z.string()) })), "My groups"), ...standardErrors },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.eventRosters.myRosterGroups(ctx.actor), 200);
    },
  );

  api.openapi(
    createRoute({ method: "get", path: `${base}/checkins`, tags, summary: "Check-in list: confirmed people, days attended, hours and CE credit", security, request: { params: EventParams }, responses: { 200: json(Checkins, "Check-in list"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, eventId } = c.req.valid("param");
      return c.json(await ctx.services.eventRosters.checkinList(ctx.actor, orgId, eventId), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "put",
      path: `${base}/checkins`,
      tags,
      summary: "Check a person in (or out) for one day",
      description: "Idempotent. 400 `dayId` when the day is not this event's, `userId` when the person has no confirmed registration.",
      security,
      request: { params: EventParams, ...body(CheckinInput.openapi("CheckinInput")) },
      responses: { 200: json(z.object({ userId: z.string(), days: z.array(z.string()), summary: Summary }), "The person's attendance"), ...standardErrors },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, eventId } = c.req.valid("param");
      return c.json(await ctx.services.eventRosters.setCheckin(ctx.actor, orgId, eventId, c.req.valid("json"), ctx), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: `${base}/certificates`,
      tags,
      summary: "Issue a CE certificate to one person",
      description: "409 when the person attended no hours or already holds a certificate for this event; 400 `hours` when more hours are asked than were attended.",
      security,
      request: { params: EventParams, ...body(IssueCertificateInput.openapi("IssueCertificateInput")) },
      responses: { 201: json(Certificate, "Issued"), ...standardErrors, ...conflictError },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, eventId } = c.req.valid("param");
      return c.json(await ctx.services.eventRosters.issueCertificate(ctx.actor, orgId, eventId, c.req.valid("json"), ctx), 201);
    },
  );

  api.openapi(
    createRoute({ method: "post", path: `${base}/certificates/issue-all`, tags, summary: "Issue certificates to everyone who earned credit and has none", security, request: { params: EventParams }, responses: { 200: json(z.object({ issued: z.number().int() }), "How many were issued"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, eventId } = c.req.valid("param");
      return c.json(await ctx.services.eventRosters.issueAllCertificates(ctx.actor, orgId, eventId, ctx), 200);
    },
  );

  api.openapi(
    createRoute({ method: "delete", path: "/orgs/{orgId}/certificates/{certificateId}", tags, summary: "Revoke a certificate (verification then says revoked)", security, request: { params: CertificateParams }, responses: { 200: json(z.object({ revoked: z.boolean() }), "Revoked"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, certificateId } = c.req.valid("param");
      return c.json(await ctx.services.eventRosters.revokeCertificate(ctx.actor, orgId, certificateId, ctx), 200);
    },
  );

  api.openapi(
    createRoute({ method: "get", path: "/me/attended-events", tags, summary: "Events I attended, with hours and CE credit", security, responses: { 200: json(z.array(AttendedEvent), "Attended events"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.eventRosters.myAttendance(ctx.actor), 200);
    },
  );

  api.openapi(
    createRoute({ method: "get", path: "/certificates/{code}/pdf", tags, summary: "Download a certificate (its holder or the organisation's organisers)", security, request: { params: CodeParams }, responses: { 200: { description: "PDF", content: { "application/pdf": { schema: z.string() } } }, ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { filename, bytes } = await ctx.services.eventRosters.certificatePdf(ctx.actor, c.req.valid("param").code);
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { "Content-Type": "application/pdf", "Content-Disposition": `attachment; filename="${filename}"`, "Cache-Control": "private, no-store" });
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/certificates/{code}/verification",
      tags,
      summary: "Public: is this certificate valid, and for whom and what?",
      description: "200 with `status` valid or revoked; 404 for a code that was never issued, is mistyped or was altered.",
      request: { params: CodeParams },
      responses: { 200: json(Verification, "Valid or revoked"), 400: standardErrors[400], 404: standardErrors[404] },
    }),
    async (c) => {
      const result = await c.var.ctx.services.eventRosters.verifyCertificate(c.req.valid("param").code);
      const { status } = result;
      if (status === "unknown") throw new AppError("not_found", "No certificate has this code.");
      return c.json({ ...result, status }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: `${base}/attendees.csv`,
      tags,
      summary: "Export the attendees as CSV (answers, tier, payment, attendance)",
      description: "Cells that a spreadsheet would run as formulas are prefixed with an apostrophe. The export is recorded in the audit log (event.attendees_exported).",
      security,
      request: { params: EventParams },
      responses: { 200: { description: "CSV", content: { "text/csv": { schema: z.string() } } }, ...standardErrors },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, eventId } = c.req.valid("param");
      const { csv, filename } = await ctx.services.eventRosters.exportAttendees(ctx.actor, orgId, eventId, ctx);
      return c.body(csv, 200, { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${filename}"`, "Cache-Control": "private, no-store" });
    },
  );
}
