import { createRoute, conflictError, standardErrors, z, type Api } from "../../platform/http/api.server.ts";
import { SetupInput } from "./schemas.ts";

const SetupStatus = z.object({ needed: z.boolean() }).openapi("SetupStatus");
const SetupResult = z
  .object({
    organisation: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
    user: z.object({ id: z.string(), email: z.string() }),
  })
  .openapi("SetupResult");

export function registerSetupApi(api: Api): void {
  api.openapi(
    createRoute({
      method: "get",
      path: "/setup",
      tags: ["Setup"],
      summary: "Whether first-run setup is still needed",
      responses: { 200: { description: "Setup status", content: { "application/json": { schema: SetupStatus } } } },
    }),
    async (c) => c.json({ needed: await c.var.ctx.services.setup.isNeeded() }, 200),
  );
  api.openapi(
    createRoute({
      method: "post",
      path: "/setup",
      tags: ["Setup"],
      summary: "Create the first organisation and its owner (only once)",
      request: { body: { required: true, content: { "application/json": { schema: SetupInput.openapi("SetupInput") } } } },
      responses: {
        201: { description: "Created", content: { "application/json": { schema: SetupResult } } },
        400: standardErrors[400],
        ...conflictError,
      },
    }),
    async (c) => {
      const { ctx } = c.var;
      const result = await ctx.services.setup.complete(c.req.valid("json"), { ipAddress: ctx.ipAddress, requestId: ctx.requestId });
      return c.json(result, 201);
    },
  );
}
