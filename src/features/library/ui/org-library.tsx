import { FormattedMessage } from "react-intl";
import { Link, data } from "react-router";
import type { Route } from "./+types/org-library";
import { getRequestContext } from "../../../ui/request-context.ts";
import { isAppError } from "../../../platform/http/errors.ts";
import { LibraryPageError, LibrarySearch, PAGE_SIZE, failureOf, queryValues } from "./shared.tsx";
import libraryStyles from "./library.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: libraryStyles }];

export function meta({ loaderData: d }: Route.MetaArgs) {
  return [{ title: `${d && "organisation" in d && d.organisation ? d.organisation.name : "Library"} · Learning library · Balint Commons` }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const values = queryValues(request);
  let organisation;
  try {
    organisation = await ctx.services.library.organisationBySlug(params.orgSlug);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") throw data(null, { status: 404 });
    throw error;
  }
  try {
    const r = await ctx.services.library.organisationLibrary(ctx.actor, params.orgSlug, { ...values, pageSize: PAGE_SIZE });
    return { values, organisation, results: r.results, canManage: r.canManage, failure: null };
  } catch (error) {
    if (!isAppError(error) || error.code !== "validation_failed") throw error;
    return data({ values, organisation, results: null, canManage: false, failure: failureOf(error) }, { status: 400 });
  }
}

export { LibraryPageError as ErrorBoundary };

export default function OrgLibrary({ loaderData }: Route.ComponentProps) {
  const { values, organisation, results, canManage, failure } = loaderData;
  return (
    <div className="page">
      <p className="eyebrow">
        <Link to="/library">
          <FormattedMessage id="library.allLibraries" />
        </Link>
      </p>
      <h1>
        <FormattedMessage id="library.orgTitle" values={{ name: organisation.name }} />
      </h1>
      <p className="lead">
        <FormattedMessage id="library.orgLead" values={{ name: organisation.name }} />
      </p>
      {canManage && (
        <p>
          <Link to={`/library/${organisation.slug}/new`} className="button">
            <FormattedMessage id="library.add" />
          </Link>
        </p>
      )}
      <LibrarySearch basePath={`/library/${organisation.slug}`} values={values} results={results} failure={failure} />
    </div>
  );
}
