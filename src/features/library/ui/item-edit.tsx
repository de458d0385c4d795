import { FormattedMessage } from "react-intl";
import { Link, data, redirect } from "react-router";
import type { Route } from "./+types/item-edit";
import { getRequestContext } from "../../../ui/request-context.ts";
import { formAction } from "../../../ui/actions.ts";
import type { ActionFailure } from "../../../ui/forms.tsx";
import { isAppError } from "../../../platform/http/errors.ts";
import { itemFormValues, itemInputFromForm } from "./form-input.ts";
import { ItemForm } from "./item-fields.tsx";
import { LibraryPageError } from "./shared.tsx";
import libraryStyles from "./library.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: libraryStyles }];

export function meta() {
  return [{ title: "Edit an item · Learning library · Balint Commons" }];
}

async function curatedItem(context: Route.LoaderArgs["context"], request: Request, orgSlug: string, itemId: string) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect(`/sign-in?redirectTo=${encodeURIComponent(new URL(request.url).pathname)}`);
  try {
    const item = await ctx.services.library.getBySlug(ctx.actor, orgSlug, itemId);
    if (!item.canManage) throw data(null, { status: 404 });
    return { ctx, item };
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") throw data(null, { status: 404 });
    throw error;
  }
}

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const { item } = await curatedItem(context, request, params.orgSlug, params.itemId);
  return { item };
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const { ctx, item } = await curatedItem(context, request, params.orgSlug, params.itemId);
  const form = await request.formData();
  const result = await formAction<{ ok: true } | ActionFailure>(async () => {
    await ctx.services.library.update(ctx.actor, item.organisation.id, item.id, itemInputFromForm(form, { edit: true }), { ipAddress: ctx.ipAddress, requestId: ctx.requestId });
    return { ok: true };
  }, itemFormValues(form));
  if (!result.ok) return data(result, { status: 400 });
  throw redirect(`/library/${item.organisation.slug}/${item.id}`);
}

export { LibraryPageError as ErrorBoundary };

export default function ItemEdit({ loaderData, actionData }: Route.ComponentProps) {
  const { item } = loaderData;
  return (
    <div className="page narrow">
      <p>
        <Link to={`/library/${item.organisation.slug}/${item.id}`}>
          <FormattedMessage id="library.back" />
        </Link>
      </p>
      <h1>
        <FormattedMessage id="library.form.editTitle" values={{ title: item.title }} />
      </h1>
      <ItemForm item={item} failure={actionData && !actionData.ok ? actionData : undefined} edit />
    </div>
  );
}
