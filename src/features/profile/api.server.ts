import { createRoute, requireCtx, standardErrors, z, security, type Api } from "../../platform/http/api.server.ts";
import { notFound } from "../../platform/http/errors.ts";
import { ProfileInput } from "./schemas.ts";

const Profile = z
  .object({
    userId: z.string(),
    name: z.string(),
    email: z.string(),
    emailVerified: z.boolean(),
    pronouns: z.string().nullable(),
    disciplines: z.array(z.string()),
    languages: z.array(z.string()),
    timeZone: z.string(),
    locale: z.string().nullable(),
  })
  .openapi("Profile");

export function registerProfileApi(api: Api): void {
  api.openapi(
    createRoute({
      method: "get",
      path: "/me",
      tags: ["Profile"],
      summary: "My profile",
      security,
      responses: { 200: { description: "Profile", content: { "application/json": { schema: Profile } } }, 401: standardErrors[401] },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const me = await ctx.services.profile.getMine(ctx.actor);
      if (!me) throw notFound("Your profile");
      return c.json(me, 200);
    },
  );
  api.openapi(
    createRoute({
      method: "put",
      path: "/me",
      tags: ["Profile"],
      summary: "Update my profile",
      security,
      request: { body: { required: true, content: { "application/json": { schema: ProfileInput.openapi("ProfileInput") } } } },
      responses: { 200: { description: "Updated profile", content: { "application/json": { schema: Profile } } }, 400: standardErrors[400], 401: standardErrors[401] },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.profile.update(ctx.actor, c.req.valid("json"), { ipAddress: ctx.ipAddress, requestId: ctx.requestId }), 200);
    },
  );
}
