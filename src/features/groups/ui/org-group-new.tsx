import { useIntl } from "react-intl";
import { data, redirect } from "react-router";
import type { Route } from "./+types/org-group-new";
import { getRequestContext } from "../../../ui/request-context.ts";
import { formValues } from "../../../ui/actions.ts";
import type { ActionResult } from "../../../ui/forms.tsx";
import { loadOr, OrgPageError } from "../../organisations/ui/shared.tsx";
import { groupInputFromForm } from "./form-input.ts";
import { GroupForm } from "./group-form.tsx";
import { leaderCandidates, saveGroup } from "./org-shared.ts";
import groupStyles from "./groups.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: groupStyles }];

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  if (!org.permissions.includes("groups:manage")) throw data(null, { status: 403 });
  const candidates = await loadOr(request, () => leaderCandidates(ctx, org.id));
  return { org: { slug: org.slug, timeZone: org.timeZone }, candidates };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  const form = await request.formData();
  const values = formValues(form);
  values["languages"] = form.getAll("languages").filter((x) => typeof x === "string").join(",");
  const result = await saveGroup(() => ctx.services.groups.create(ctx.actor, org.id, groupInputFromForm(values, form), ctx), values);
  if (!result.ok) return data(result.failure, { status: result.status });
  return redirect(`/o/${org.slug}/groups/${result.value.id}?created=1`);
}

export { OrgPageError as ErrorBoundary };

export default function NewGroup({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const result = actionData as ActionResult | undefined;
  const values = result && !result.ok ? (result.values ?? {}) : {};
  return (
    <section aria-labelledby="new-group-title">
      <h2 id="new-group-title">{intl.formatMessage({ id: "groups.org.newTitle" })}</h2>
      <GroupForm values={values} result={result} candidates={loaderData.candidates} submitLabel={intl.formatMessage({ id: "groups.form.create" })} timeZoneDefault={loaderData.org.timeZone} />
    </section>
  );
}
