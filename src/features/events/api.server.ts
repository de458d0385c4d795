import { OrgParams, conflictError, createRoute, requireCtx, security, standardErrors, z, type Api } from "../../platform/http/api.server.ts";
import { CreateEventInput, CreatePackageInput, PaymentInput, RegisterInput, ReorderInput, RoleInput, UpdateEventInput, UpdatePackageInput } from "./schemas.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { "application/json": { schema } } } });
const calendar = (description: string) => ({ description, content: { "text/calendar": { schema: z.string() } } });
const goneError = { 410: json(z.object({ error: z.object({ code: z.string(), message: z.string() }) }), "The offer expired.") } as const;

const Session = z.object({ id: z.string(), kind: z.string(), title: z.string(), start: z.string(), end: z.string() });
const Day = z.object({ id: z.string(), date: z.string(), label: z.string().nullable(), sessions: z.array(Session) });
const Tier = z
  .object({ id: z.string(), name: z.string(), amountMinor: z.number().int(), currency: z.string(), eligibility: z.enum(["member", "anyone", "trainee"]), traineeDisciplines: z.array(z.string()), discountLabel: z.string().nullable() })
  .openapi("EventPriceTier");
const Question = z.object({ id: z.string(), kind: z.string(), label: z.string(), options: z.array(z.string()), required: z.boolean() }).openapi("EventQuestion");

const publicFields = {
  id: z.string(),
  organisation: z.object({ slug: z.string(), name: z.string() }),
  kind: z.enum(["intensive", "workshop", "conference", "webinar", "fellowship_cohort"]),
  slug: z.string(),
  title: z.string(),
  description: z.string(),
  language: z.string(),
  timeZone: z.string(),
  format: z.enum(["in_person", "online", "hybrid"]),
  venue: z.string().nullable(),
  ceStatement: z.string().nullable(),
  ceHours: z.number().nullable(),
  capacity: z.number().int(),
  seatsLeft: z.number().int(),
  status: z.enum(["draft", "published", "cancelled"]),
  registrationOpensAt: z.string().nullable(),
  registrationClosesAt: z.string().nullable(),
  registrationOpen: z.boolean(),
  startsAt: z.string().nullable(),
  endsAt: z.string().nullable(),
  days: z.array(Day),
  tiers: z.array(Tier),
  questions: z.array(Question),
  packages: z.array(z.object({ slug: z.string(), title: z.string() })),
};
const PublicEvent = z
  .object({ ...publicFields, faculty: z.array(z.object({ name: z.string(), role: z.enum(["faculty", "supervisor"]) })) })
  .openapi("PublicEvent", { description: "What anyone may see: never the online link, never who registered." });
const EventDetail = z
  .object({
    ...publicFields,
    organisationId: z.string(),
    onlineLink: z.string().nullable(),
    faculty: z.array(z.object({ userId: z.string(), name: z.string(), role: z.enum(["faculty", "supervisor"]) })),
    counts: z.object({ confirmed: z.number().int(), waitlisted: z.number().int(), offered: z.number().int(), cancelled: z.number().int() }),
  })
  .openapi("Event");
const Package = z
  .object({
    id: z.string(),
    organisation: z.object({ slug: z.string(), name: z.string() }),
    slug: z.string(),
    title: z.string(),
    description: z.string(),
    status: z.enum(["draft", "published", "cancelled"]),
    registrationClosesAt: z.string().nullable(),
    registrationOpen: z.boolean(),
    seatsLeft: z.number().int(),
    events: z.array(z.object({ id: z.string(), slug: z.string(), title: z.string(), startsAt: z.string().nullable(), endsAt: z.string().nullable() })),
    tiers: z.array(Tier),
    questions: z.array(Question),
  })
  .openapi("EventPackage");
const Registration = z
  .object({
    id: z.string(),
    userId: z.string(),
    name: z.string(),
    email: z.string(),
    eventId: z.string().nullable(),
    packageId: z.string().nullable(),
    tier: z.object({ id: z.string(), name: z.string() }).nullable(),
    role: z.enum(["participant", "leader_in_training", "faculty"]),
    status: z.enum(["confirmed", "waitlisted", "offered", "cancelled"]),
    waitlistPosition: z.number().int().nullable(),
    offerExpiresAt: z.string().nullable(),
    reorderReason: z.string().nullable(),
    amountMinor: z.number().int(),
    currency: z.string(),
    paymentStatus: z.enum(["unpaid", "paid", "refunded", "waived"]),
    paymentProvider: z.string().nullable(),
    paymentReference: z.string().nullable(),
    paymentRecordedAt: z.string().nullable(),
    refundStatus: z.enum(["none", "requested", "refunded", "not_applicable"]),
    cancellationReason: z.string().nullable(),
    discipline: z.string().nullable(),
    traineeStage: z.string().nullable(),
    experience: z.string().nullable(),
    answers: z.record(z.string(), z.string()),
    createdAt: z.string(),
  })
  .openapi("EventRegistration");
const MyRegistration = z
  .object({
    id: z.string(),
    organisation: z.object({ slug: z.string(), name: z.string() }),
    target: z.object({ kind: z.enum(["event", "package"]), slug: z.string(), title: z.string(), startsAt: z.string().nullable(), endsAt: z.string().nullable() }),
    tierName: z.string().nullable(),
    role: z.enum(["participant", "leader_in_training", "faculty"]),
    status: z.enum(["confirmed", "waitlisted", "offered", "cancelled"]),
    waitlistPosition: z.number().int().nullable(),
    offerExpiresAt: z.string().nullable(),
    amountMinor: z.number().int(),
    currency: z.string(),
    paymentStatus: z.enum(["unpaid", "paid", "refunded", "waived"]),
    refundStatus: z.enum(["none", "requested", "refunded", "not_applicable"]),
    onlineLinks: z.array(z.object({ event: z.string(), link: z.string() })),
  })
  .openapi("MyEventRegistration");

const EventParams = OrgParams.extend({ eventId: z.uuid({ message: "must be an event id (UUID)" }).openapi({ param: { name: "eventId", in: "path" } }) });
const RegParams = OrgParams.extend({ registrationId: z.uuid({ message: "must be a registration id (UUID)" }).openapi({ param: { name: "registrationId", in: "path" } }) });
const WaitlistParams = EventParams.extend({ registrationId: z.uuid({ message: "must be a registration id (UUID)" }).openapi({ param: { name: "registrationId", in: "path" } }) });
const MyRegParams = z.object({ registrationId: z.uuid({ message: "must be a registration id (UUID)" }).openapi({ param: { name: "registrationId", in: "path" } }) });
const OrgSlug = z.object({ orgSlug: z.string().min(1).max(48).openapi({ param: { name: "orgSlug", in: "path" } }) });
const EventSlugParams = OrgSlug.extend({ eventSlug: z.string().min(1).max(48).openapi({ param: { name: "eventSlug", in: "path" } }) });
const PackageSlugParams = OrgSlug.extend({ packageSlug: z.string().min(1).max(48).openapi({ param: { name: "packageSlug", in: "path" } }) });
const ProviderParams = z.object({ provider: z.string().min(1).max(64).openapi({ param: { name: "provider", in: "path" } }) });

const tags = ["Events"];
const calendarResponse = (body: string, filename: string) =>
  new Response(body, { status: 200, headers: { "Content-Type": "text/calendar; charset=utf-8", "Content-Disposition": `attachment; filename="${filename}"`, "Cache-Control": "no-store" } });

export function registerEventsApi(api: Api): void {
  // ---- public ------------------------------------------------------------------------------
  api.openapi(
    createRoute({
      method: "get",
      path: "/public/events/{orgSlug}",
      tags: ["Public events"],
      summary: "An organisation's published events (upcoming and past) and packages",
      request: { params: OrgSlug },
      responses: { 200: json(z.object({ organisation: z.object({ slug: z.string(), name: z.string() }), upcoming: z.array(PublicEvent), past: z.array(PublicEvent), packages: z.array(Package) }), "Events"), 404: standardErrors[404] },
    }),
    async (c) => c.json(await c.var.ctx.services.events.publicEvents(c.req.valid("param").orgSlug), 200),
  );
  api.openapi(
    createRoute({ method: "get", path: "/public/events/{orgSlug}/{eventSlug}", tags: ["Public events"], summary: "One published event", request: { params: EventSlugParams }, responses: { 200: json(PublicEvent, "The event"), 404: standardErrors[404] } }),
    async (c) => {
      const { orgSlug, eventSlug } = c.req.valid("param");
      return c.json(await c.var.ctx.services.events.publicEvent(orgSlug, eventSlug), 200);
    },
  );
  api.openapi(
    createRoute({ method: "get", path: "/public/events/{orgSlug}/{eventSlug}/calendar", tags: ["Public events"], summary: "The event's sessions as an .ics file (venue only, never the online link)", request: { params: EventSlugParams }, responses: { 200: calendar("text/calendar"), 404: standardErrors[404] } }),
    async (c) => {
      const { orgSlug, eventSlug } = c.req.valid("param");
      const cal = await c.var.ctx.services.events.publicCalendar(orgSlug, eventSlug);
      return calendarResponse(cal.body, cal.filename) as never;
    },
  );
  api.openapi(
    createRoute({ method: "get", path: "/public/event-packages/{orgSlug}/{packageSlug}", tags: ["Public events"], summary: "One package (a series of events, one registration)", request: { params: PackageSlugParams }, responses: { 200: json(Package, "The package"), 404: standardErrors[404] } }),
    async (c) => {
      const { orgSlug, packageSlug } = c.req.valid("param");
      return c.json(await c.var.ctx.services.events.publicPackage(orgSlug, packageSlug), 200);
    },
  );

  // ---- registering ---------------------------------------------------------------------------
  const registerDescription =
    "Signed in (not an API token). Confirmed when a seat is free, else waitlisted. 409 when already registered, before opening or after closing; 400 naming `tierId` for a tier of another event, `trainee` when a trainee tier has no declaration, `answers.<questionId>` for answers; 403 naming `tierId` when not eligible (member tiers need a membership, trainee tiers may be limited to disciplines).";
  api.openapi(
    createRoute({ method: "post", path: "/events/{orgSlug}/{eventSlug}/registrations", tags, summary: "Register for an event", description: registerDescription, security, request: { params: EventSlugParams, ...body(RegisterInput.openapi("EventRegistrationInput")) }, responses: { 201: json(MyRegistration, "The registration"), ...standardErrors, ...conflictError } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgSlug, eventSlug } = c.req.valid("param");
      return c.json(await ctx.services.events.register(ctx.actor, orgSlug, { kind: "event", slug: eventSlug }, c.req.valid("json"), ctx), 201);
    },
  );
  api.openapi(
    createRoute({ method: "post", path: "/event-packages/{orgSlug}/{packageSlug}/registrations", tags, summary: "Register for a package (every event in it)", description: registerDescription, security, request: { params: PackageSlugParams, ...body(RegisterInput) }, responses: { 201: json(MyRegistration, "The registration"), ...standardErrors, ...conflictError } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgSlug, packageSlug } = c.req.valid("param");
      return c.json(await ctx.services.events.register(ctx.actor, orgSlug, { kind: "package", slug: packageSlug }, c.req.valid("json"), ctx), 201);
    },
  );
  api.openapi(
    createRoute({ method: "get", path: "/me/event-registrations", tags, summary: "My event registrations", security, responses: { 200: json(z.object({ items: z.array(MyRegistration) }), "Registrations"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.events.myRegistrations(ctx.actor), 200);
    },
  );
  api.openapi(
    createRoute({ method: "post", path: "/me/event-registrations/{registrationId}/cancel", tags, summary: "Cancel my registration, leave the waitlist or decline an offer", security, request: { params: MyRegParams }, responses: { 200: json(MyRegistration, "The cancelled registration"), ...standardErrors, ...conflictError } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.events.cancelMine(ctx.actor, c.req.valid("param").registrationId, ctx), 200);
    },
  );
  api.openapi(
    createRoute({ method: "post", path: "/me/event-registrations/{registrationId}/accept", tags, summary: "Accept a waitlist offer (410 once it expired)", security, request: { params: MyRegParams }, responses: { 200: json(MyRegistration, "Confirmed"), ...standardErrors, ...conflictError, ...goneError } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.events.acceptOffer(ctx.actor, c.req.valid("param").registrationId, ctx), 200);
    },
  );
  api.openapi(
    createRoute({ method: "get", path: "/me/event-registrations/{registrationId}/calendar", tags, summary: "My calendar for a confirmed registration (one VEVENT per session, with the online link)", security, request: { params: MyRegParams }, responses: { 200: calendar("text/calendar"), ...standardErrors, ...conflictError } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const cal = await ctx.services.events.myCalendar(ctx.actor, c.req.valid("param").registrationId);
      return calendarResponse(cal.body, cal.filename) as never;
    },
  );

  // ---- organisers ------------------------------------------------------------------------------
  api.openapi(
    createRoute({ method: "get", path: "/orgs/{orgId}/events", tags, summary: "All events of an organisation (organisers)", security, request: { params: OrgParams }, responses: { 200: json(z.object({ items: z.array(EventDetail) }), "Events"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.events.listEvents(ctx.actor, c.req.valid("param").orgId), 200);
    },
  );
  api.openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/events",
      tags,
      summary: "Create an event (draft) with its days, sessions, tiers, questions and faculty",
      description: "Session times are local (`HH:mm`) in the event's `timeZone`. In-person and hybrid events need `venue`; online and hybrid need `onlineLink` (never public).",
      security,
      request: { params: OrgParams, ...body(CreateEventInput.openapi("EventInput")) },
      responses: { 201: json(EventDetail, "The event"), ...standardErrors, ...conflictError },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.events.createEvent(ctx.actor, c.req.valid("param").orgId, c.req.valid("json"), ctx), 201);
    },
  );
  api.openapi(
    createRoute({ method: "get", path: "/orgs/{orgId}/events/{eventId}", tags, summary: "One event (organisers)", security, request: { params: EventParams }, responses: { 200: json(EventDetail, "The event"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, eventId } = c.req.valid("param");
      return c.json(await ctx.services.events.getEvent(ctx.actor, orgId, eventId), 200);
    },
  );
  api.openapi(
    createRoute({ method: "patch", path: "/orgs/{orgId}/events/{eventId}", tags, summary: "Change an event; days / tiers / questions / faculty replace the current ones when given", security, request: { params: EventParams, ...body(UpdateEventInput.openapi("EventUpdate")) }, responses: { 200: json(EventDetail, "The event"), ...standardErrors, ...conflictError } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, eventId } = c.req.valid("param");
      return c.json(await ctx.services.events.updateEvent(ctx.actor, orgId, eventId, c.req.valid("json"), ctx), 200);
    },
  );
  for (const action of ["publish", "cancel"] as const) {
    api.openapi(
      createRoute({ method: "post", path: `/orgs/{orgId}/events/{eventId}/${action}`, tags, summary: action === "publish" ? "Publish an event (needs a tier and a session)" : "Cancel an event and its registrations", security, request: { params: EventParams }, responses: { 200: json(EventDetail, "The event"), ...standardErrors, ...conflictError } }),
      async (c) => {
        const ctx = requireCtx(c.var.ctx);
        const { orgId, eventId } = c.req.valid("param");
        return c.json(action === "publish" ? await ctx.services.events.publishEvent(ctx.actor, orgId, eventId, ctx) : await ctx.services.events.cancelEvent(ctx.actor, orgId, eventId, ctx), 200);
      },
    );
  }
  api.openapi(
    createRoute({ method: "get", path: "/orgs/{orgId}/events/{eventId}/registrations", tags, summary: "Registrations of an event (direct and through packages)", security, request: { params: EventParams }, responses: { 200: json(z.object({ items: z.array(Registration) }), "Registrations"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, eventId } = c.req.valid("param");
      return c.json(await ctx.services.events.listRegistrations(ctx.actor, orgId, eventId), 200);
    },
  );
  api.openapi(
    createRoute({ method: "post", path: "/orgs/{orgId}/events/{eventId}/waitlist/{registrationId}/position", tags, summary: "Move someone on the waitlist, with a reason (audited)", security, request: { params: WaitlistParams, ...body(ReorderInput.openapi("EventWaitlistReorder")) }, responses: { 200: json(z.object({ items: z.array(Registration) }), "Registrations"), ...standardErrors, ...conflictError } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, eventId, registrationId } = c.req.valid("param");
      return c.json(await ctx.services.events.reorderWaitlist(ctx.actor, orgId, eventId, registrationId, c.req.valid("json"), ctx), 200);
    },
  );
  api.openapi(
    createRoute({ method: "post", path: "/orgs/{orgId}/event-registrations/{registrationId}/payment", tags, summary: "Record a payment by hand (the manual provider): paid, refunded, waived or unpaid", security, request: { params: RegParams, ...body(PaymentInput.openapi("EventPaymentInput")) }, responses: { 200: json(Registration, "The registration"), ...standardErrors, ...conflictError } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, registrationId } = c.req.valid("param");
      return c.json(await ctx.services.events.recordPayment(ctx.actor, orgId, registrationId, c.req.valid("json"), ctx), 200);
    },
  );
  api.openapi(
    createRoute({ method: "post", path: "/orgs/{orgId}/event-registrations/{registrationId}/role", tags, summary: "Set the role at the event (participant, leader in training, faculty)", security, request: { params: RegParams, ...body(RoleInput) }, responses: { 200: json(Registration, "The registration"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, registrationId } = c.req.valid("param");
      return c.json(await ctx.services.events.setRole(ctx.actor, orgId, registrationId, c.req.valid("json"), ctx), 200);
    },
  );
  api.openapi(
    createRoute({ method: "post", path: "/orgs/{orgId}/event-packages", tags, summary: "Create a package (a series of events sold as one registration)", security, request: { params: OrgParams, ...body(CreatePackageInput.openapi("EventPackageInput")) }, responses: { 201: json(Package, "The package"), ...standardErrors, ...conflictError } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.events.createPackage(ctx.actor, c.req.valid("param").orgId, c.req.valid("json"), ctx), 201);
    },
  );

  const PackageParams = OrgParams.extend({ packageId: z.uuid({ message: "must be a package id (UUID)" }).openapi({ param: { name: "packageId", in: "path" } }) });
  const Counts = z.object({ confirmed: z.number().int(), waitlisted: z.number().int(), offered: z.number().int(), cancelled: z.number().int() });
  const OrgPackage = Package.extend({ counts: Counts }).openapi("EventPackageDetail");
  api.openapi(
    createRoute({ method: "get", path: "/orgs/{orgId}/event-packages", tags, summary: "All packages of an organisation, drafts included (organisers)", security, request: { params: OrgParams }, responses: { 200: json(z.object({ items: z.array(OrgPackage) }), "Packages"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.events.listPackages(ctx.actor, c.req.valid("param").orgId), 200);
    },
  );
  api.openapi(
    createRoute({ method: "get", path: "/orgs/{orgId}/event-packages/{packageId}", tags, summary: "One package (organisers)", security, request: { params: PackageParams }, responses: { 200: json(OrgPackage, "The package"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, packageId } = c.req.valid("param");
      return c.json(await ctx.services.events.getPackage(ctx.actor, orgId, packageId), 200);
    },
  );
  api.openapi(
    createRoute({
      method: "patch",
      path: "/orgs/{orgId}/event-packages/{packageId}",
      tags,
      summary: "Change a package; events / tiers / questions replace the current ones when given",
      description: "409 naming `eventIds` (or `status`) when people hold an open registration for the package: its events cannot change and it cannot go back to draft then.",
      security,
      request: { params: PackageParams, ...body(UpdatePackageInput.openapi("EventPackageUpdate")) },
      responses: { 200: json(OrgPackage, "The package"), ...standardErrors, ...conflictError },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, packageId } = c.req.valid("param");
      return c.json(await ctx.services.events.updatePackage(ctx.actor, orgId, packageId, c.req.valid("json"), ctx), 200);
    },
  );

  // ---- payment webhooks --------------------------------------------------------------------------
  api.openapi(
    createRoute({
      method: "post",
      path: "/payments/webhook/{provider}",
      tags: ["Payments"],
      summary: "A payment provider's signed notice (marks a registration paid or refunded)",
      description:
        "Authenticated only by `X-Payment-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + '.' + raw body)>` with the provider's secret from PAYMENT_WEBHOOK_SECRETS; 401 on a bad or stale signature. Body: `{ id, type: payment.succeeded|payment.refunded, registrationId, amountMinor, currency, reference? }`. Each `id` is applied once. No card data is ever accepted or stored.",
      request: { params: ProviderParams },
      responses: { 200: json(z.object({ outcome: z.enum(["applied", "duplicate", "unknown_registration", "amount_mismatch"]) }), "Received"), 400: standardErrors[400], 401: standardErrors[401], 404: standardErrors[404] },
    }),
    async (c) => {
      const raw = await c.req.text();
      return c.json(await c.var.ctx.services.events.paymentWebhook(c.req.valid("param").provider, raw, c.req.raw.headers), 200);
    },
  );
}
