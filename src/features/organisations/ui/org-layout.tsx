import { FormattedMessage } from "react-intl";
import { Outlet, useRouteLoaderData } from "react-router";
import type { Route } from "./+types/org-layout";
import { getRequestContext } from "../../../ui/request-context.ts";
import { OrgNav } from "./org-nav.tsx";
import { loadOr } from "./shared.tsx";
import orgStyles from "./organisations.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: orgStyles }];

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  return { org };
}

export type OrgLayoutData = Awaited<ReturnType<typeof loader>>;

/** The organisation the current page belongs to (loaded once by the layout). */
export function useOrg(): OrgLayoutData["org"] {
  return useRouteLoaderData<OrgLayoutData>("org-layout")!.org;
}

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `${loaderData.org.name} · Balint Commons` : "Balint Commons" }];
}

export default function OrgLayout({ loaderData }: Route.ComponentProps) {
  const { org } = loaderData;
  return (
    <div className="page">
      <p className="eyebrow">
        <FormattedMessage id="organisations.eyebrow" />
      </p>
      <h1>{org.name}</h1>
      <OrgNav slug={org.slug} permissions={org.permissions} name={org.name} />
      <Outlet />
    </div>
  );
}
