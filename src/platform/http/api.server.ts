import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import type { RequestContext } from "./request-context.ts";
import { AppError, validationError } from "./errors.ts";

export type ApiEnv = { Variables: { ctx: RequestContext; requestId: string; nonce: string } };

/** A fresh OpenAPIHono whose validation failures use the shared error shape. */
export function createApi() {
  return new OpenAPIHono<ApiEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error.issues);
    },
  });
}
export type Api = ReturnType<typeof createApi>;

/** The error body, for OpenAPI responses. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "validation_failed" }),
      message: z.string(),
      fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
      requestId: z.string().optional(),
    }),
  })
  .openapi("Error");

const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: ErrorSchema } } });

/** Standard error responses every authenticated route can return. */
export const standardErrors = {
  400: errorResponse("Invalid input; `fields` names each field at fault."),
  401: errorResponse("Not signed in, or the API token is invalid."),
  403: errorResponse("Signed in but not allowed."),
  404: errorResponse("Not found, or not in an organisation you belong to."),
} as const;
export const conflictError = { 409: errorResponse("Conflicts with the current state.") } as const;

/** Path parameter for organisation-scoped routes. */
export const OrgParams = z.object({
  orgId: z.uuid({ message: "must be an organisation id (UUID)" }).openapi({ param: { name: "orgId", in: "path" }, example: "0b5c9f8e-3d7e-4a39-9f1c-2f7d8b6e1a11" }),
});

export const security: Array<Record<string, string[]>> = [{ bearerAuth: [] }, { cookieAuth: [] }];

export { createRoute, z };

/** The request context, or 401 when nobody is signed in. */
export function requireCtx(ctx: RequestContext): RequestContext & { user: NonNullable<RequestContext["user"]> } {
  if (ctx.actor.kind === "anonymous") throw new AppError("unauthenticated", "Please sign in.");
  return ctx as RequestContext & { user: NonNullable<RequestContext["user"]> };
}
