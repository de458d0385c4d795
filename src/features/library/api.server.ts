import { OrgParams, createRoute, requireCtx, security, standardErrors, z, type Api } from "../../platform/http/api.server.ts";
import { LIBRARY_AUDIENCES, LIBRARY_KINDS, LIBRARY_VISIBILITIES } from "./constants.ts";
import { CreateItemInput, ExportQuery, LogEntryInput, OrgItemsQuery, SearchQuery, UpdateItemFields } from "./schemas.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { "application/json": { schema } } } });

const Item = z
  .object({
    id: z.string(),
    organisation: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
    kind: z.enum(LIBRARY_KINDS),
    title: z.string(),
    authors: z.array(z.string()),
    year: z.number().int().nullable(),
    language: z.string(),
    summary: z.string(),
    url: z.string(),
    tags: z.array(z.string()),
    audiences: z.array(z.enum(LIBRARY_AUDIENCES)),
    visibility: z.enum(LIBRARY_VISIBILITIES),
    estimatedMinutes: z.number().int().nullable(),
    ceEligible: z.boolean(),
    archivedAt: z.string().nullable(),
    canManage: z.boolean(),
  })
  .openapi("LibraryItem");

const ItemPage = z.object({ items: z.array(Item), page: z.number().int(), pageSize: z.number().int(), total: z.number().int() }).openapi("LibraryItemPage");

const LogEntry = z
  .object({
    id: z.string(),
    item: z.object({ id: z.string(), title: z.string(), kind: z.enum(LIBRARY_KINDS), url: z.string(), organisationSlug: z.string(), organisationName: z.string(), ceEligible: z.boolean() }),
    readOn: z.string(),
    minutes: z.number().int(),
    reflection: z.string().nullable().openapi({ description: "Your private reflection: shown to you only, encrypted at rest." }),
    reflectionUnreadable: z.boolean(),
    createdAt: z.string(),
  })
  .openapi("LibraryLogEntry");

const YearTotal = z.object({ year: z.number().int(), entries: z.number().int(), minutes: z.number().int(), hours: z.number() });
const MyLearning = z
  .object({
    entries: z.array(LogEntry),
    totals: z.object({ entries: z.number().int(), minutes: z.number().int(), hours: z.number(), ceEligibleMinutes: z.number().int() }),
    years: z.array(YearTotal),
  })
  .openapi("MyLearning");

const Finding = z.object({ kind: z.string(), start: z.number().int(), end: z.number().int(), text: z.string() });
const FindingsError = z.object({ error: z.object({ code: z.literal("identifiers_found"), message: z.string() }), findings: z.array(Finding) }).openapi("LibraryReflectionFindings");

const ItemParams = z.object({ itemId: z.uuid({ message: "must be a library item id (UUID)" }).openapi({ param: { name: "itemId", in: "path" } }) });
const OrgItemParams = OrgParams.extend(ItemParams.shape);
const EntryParams = z.object({ entryId: z.uuid({ message: "must be a reading-log entry id (UUID)" }).openapi({ param: { name: "entryId", in: "path" } }) });

const tags = ["Learning library"];

export function registerLibraryApi(api: Api): void {
  api.openapi(
    createRoute({
      method: "get",
      path: "/library/items",
      tags,
      summary: "Search the public items of every organisation's learning library",
      description: "Public. Full-text search over title, summary, authors and tags (word prefixes), with filters kind, language (a tag also finds its regional variants), tag and audience. Ordered by title.",
      request: { query: SearchQuery },
      responses: { 200: json(ItemPage, "A page of items"), 400: standardErrors[400] },
    }),
    async (c) => c.json(await c.var.ctx.services.library.search(c.var.ctx.actor, c.req.valid("query")), 200),
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/library/items/{itemId}",
      tags,
      summary: "One library item",
      description: "Public items for anyone; members-only items for the organisation's members; archived ones for its curators. 404 otherwise.",
      request: { params: ItemParams },
      responses: { 200: json(Item, "The item"), 404: standardErrors[404] },
    }),
    async (c) => c.json(await c.var.ctx.services.library.get(c.var.ctx.actor, c.req.valid("param").itemId), 200),
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/orgs/{orgId}/library/items",
      tags,
      summary: "The organisation's library (members)",
      description: "Public and members-only items. Curators (`library:manage`) may add `includeArchived=true`.",
      security,
      request: { params: OrgParams, query: OrgItemsQuery },
      responses: { 200: json(ItemPage, "A page of items"), ...standardErrors },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.library.list(ctx.actor, c.req.valid("param").orgId, c.req.valid("query")), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/library/items",
      tags,
      summary: "Add an item to the library",
      description: "Coordinators and above (`library:manage`). The URL must start with https://. Never put case content in a summary.",
      security,
      request: { params: OrgParams, ...body(CreateItemInput) },
      responses: { 201: json(Item, "Created"), ...standardErrors },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.library.create(ctx.actor, c.req.valid("param").orgId, c.req.valid("json"), { ipAddress: ctx.ipAddress, requestId: ctx.requestId }), 201);
    },
  );

  api.openapi(
    createRoute({
      method: "patch",
      path: "/orgs/{orgId}/library/items/{itemId}",
      tags,
      summary: "Change, archive or restore an item",
      security,
      request: { params: OrgItemParams, ...body(UpdateItemFields) },
      responses: { 200: json(Item, "Updated"), ...standardErrors },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, itemId } = c.req.valid("param");
      return c.json(await ctx.services.library.update(ctx.actor, orgId, itemId, c.req.valid("json"), { ipAddress: ctx.ipAddress, requestId: ctx.requestId }), 200);
    },
  );

  // ---- my reading log ------------------------------------------------------------------------

  api.openapi(
    createRoute({
      method: "get",
      path: "/me/learning",
      tags,
      summary: "My reading log with totals per year",
      description: "Only for the signed-in person (not API tokens). Reflections are yours alone.",
      security,
      responses: { 200: json(MyLearning, "My log"), ...standardErrors },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.library.myLearning(ctx.actor), 200, { "Cache-Control": "private, no-store" });
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/me/learning",
      tags,
      summary: "Record that I read or watched an item",
      description:
        "A date (today or earlier), minutes and an optional private reflection, encrypted at rest and shown to nobody else. Reflections must not hold case content: the identifier check answers 422 with its findings unless `acknowledgeFindings` is true.",
      security,
      request: body(LogEntryInput),
      responses: { 201: json(z.object({ entry: LogEntry }), "Recorded"), ...standardErrors, 422: json(FindingsError, "Identifier check findings") },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const r = await ctx.services.library.logReading(ctx.actor, c.req.valid("json"));
      if (r.outcome === "findings") return c.json({ error: { code: "identifiers_found" as const, message: "The reflection looks like it names someone or holds an identifier." }, findings: r.findings }, 422);
      return c.json({ entry: r.entry }, 201);
    },
  );

  api.openapi(
    createRoute({
      method: "delete",
      path: "/me/learning/{entryId}",
      tags,
      summary: "Delete one of my reading-log entries",
      security,
      request: { params: EntryParams },
      responses: { 204: { description: "Deleted" }, ...standardErrors },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      await ctx.services.library.deleteEntry(ctx.actor, c.req.valid("param").entryId);
      return c.body(null, 204);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/me/learning/export.csv",
      tags,
      summary: "Download my reading log as CSV",
      description: "Date, title, kind, organisation, minutes, CE eligibility and link. Reflections only with `includeReflections=true`.",
      security,
      request: { query: ExportQuery },
      responses: { 200: { description: "CSV, one row per entry", content: { "text/csv": { schema: z.string() } } }, ...standardErrors },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const csv = await ctx.services.library.exportMyCsv(ctx.actor, c.req.valid("query"));
      return c.body(csv, 200, { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": 'attachment; filename="my-reading-log.csv"', "Cache-Control": "private, no-store" });
    },
  );
}
