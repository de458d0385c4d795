import { createRoute, requireCtx, standardErrors, z, security, type Api } from "../../platform/http/api.server.ts";
import { CreateTokenInput } from "./schemas.ts";
import type { ApiTokenView } from "./service.server.ts";

const ApiTokenSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().openapi({ description: "First 12 characters of the token, to tell tokens apart.", example: "bc_pat_Ab3dE" }),
    organisationId: z.uuid(),
    organisationName: z.string(),
    organisationSlug: z.string(),
    permissions: z.array(z.string()),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi("ApiToken");

const TokenParams = z.object({
  tokenId: z.string().openapi({ param: { name: "tokenId", in: "path" }, example: "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f" }),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);
function serialize(t: ApiTokenView) {
  return { ...t, createdAt: t.createdAt.toISOString(), lastUsedAt: iso(t.lastUsedAt), expiresAt: iso(t.expiresAt), revokedAt: iso(t.revokedAt) };
}

const sessionOnly = "Needs a browser session: API tokens cannot list, create or revoke tokens (403).";

export function registerApiTokensApi(api: Api): void {
  api.openapi(
    createRoute({
      method: "get",
      path: "/tokens",
      tags: ["API tokens"],
      summary: "My API tokens",
      description: sessionOnly,
      security,
      responses: {
        200: { description: "Tokens, newest first (never the token itself)", content: { "application/json": { schema: z.object({ items: z.array(ApiTokenSchema) }) } } },
        401: standardErrors[401],
        403: standardErrors[403],
      },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const items = await ctx.services.apiTokens.listMine(ctx.actor);
      return c.json({ items: items.map(serialize) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/tokens",
      tags: ["API tokens"],
      summary: "Create an API token",
      description: `${sessionOnly} The token is returned once, in \`token\`; only its hash is stored.`,
      security,
      request: { body: { required: true, content: { "application/json": { schema: CreateTokenInput.openapi("CreateApiTokenInput") } } } },
      responses: {
        201: {
          description: "Created; `token` is shown only now",
          content: { "application/json": { schema: z.object({ token: z.string().openapi({ example: "bc_pat_…" }), apiToken: ApiTokenSchema }) } },
        },
        400: standardErrors[400],
        401: standardErrors[401],
        403: standardErrors[403],
        404: standardErrors[404],
      },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const created = await ctx.services.apiTokens.create(ctx.actor, c.req.valid("json"), { ipAddress: ctx.ipAddress, requestId: ctx.requestId });
      return c.json({ token: created.token, apiToken: serialize(created.apiToken) }, 201);
    },
  );

  api.openapi(
    createRoute({
      method: "delete",
      path: "/tokens/{tokenId}",
      tags: ["API tokens"],
      summary: "Revoke one of my API tokens",
      description: sessionOnly,
      security,
      request: { params: TokenParams },
      responses: { 204: { description: "Revoked" }, 401: standardErrors[401], 403: standardErrors[403], 404: standardErrors[404] },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      await ctx.services.apiTokens.revoke(ctx.actor, c.req.valid("param").tokenId, { ipAddress: ctx.ipAddress, requestId: ctx.requestId });
      return c.body(null, 204);
    },
  );
}
