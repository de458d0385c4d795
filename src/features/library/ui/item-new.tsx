import { FormattedMessage } from "react-intl";
import { Link, data, redirect } from "react-router";
import type { Route } from "./+types/item-new";
import { getRequestContext } from "../../../ui/request-context.ts";
import { formAction } from "../../../ui/actions.ts";
import type { ActionFailure } from "../../../ui/forms.tsx";
import { isAppError } from "../../../platform/http/errors.ts";
import { can } from "../../../platform/policy/policy.ts";
import { itemFormValues, itemInputFromForm } from "./form-input.ts";
import { ItemForm } from "./item-fields.tsx";
import { LibraryPageError } from "./shared.tsx";
import libraryStyles from "./library.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: libraryStyles }];

export function meta() {
  return [{ title: "Add an item · Learning library · Balint Commons" }];
}

async function curatedOrg(context: Route.LoaderArgs["context"], request: Request, orgSlug: string) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect(`/sign-in?redirectTo=${encodeURIComponent(new URL(request.url).pathname)}`);
  let org;
  try {
    org = await ctx.services.library.organisationBySlug(orgSlug);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") throw data(null, { status: 404 });
    throw error;
  }
  if (!can(ctx.actor, "library:manage", { organisationId: org.id })) throw data(null, { status: 404 });
  return { ctx, org };
}

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const { org } = await curatedOrg(context, request, params.orgSlug);
  return { organisation: org };
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const { ctx, org } = await curatedOrg(context, request, params.orgSlug);
  const form = await request.formData();
  let id = "";
  const result = await formAction<{ ok: true } | ActionFailure>(async () => {
    const item = await ctx.services.library.create(ctx.actor, org.id, itemInputFromForm(form, { edit: false }), { ipAddress: ctx.ipAddress, requestId: ctx.requestId });
    id = item.id;
    return { ok: true };
  }, itemFormValues(form));
  if (!result.ok) return data(result, { status: 400 });
  throw redirect(`/library/${org.slug}/${id}`);
}

export { LibraryPageError as ErrorBoundary };

export default function ItemNew({ loaderData, actionData }: Route.ComponentProps) {
  const { organisation } = loaderData;
  return (
    <div className="page narrow">
      <p>
        <Link to={`/library/${organisation.slug}`}>
          <FormattedMessage id="library.back" />
        </Link>
      </p>
      <h1>
        <FormattedMessage id="library.form.newTitle" />
      </h1>
      <ItemForm item={null} failure={actionData && !actionData.ok ? actionData : undefined} edit={false} />
    </div>
  );
}
