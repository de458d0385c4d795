import { FormattedMessage } from "react-intl";
import { data } from "react-router";
import type { Route } from "./+types/library";
import { getRequestContext } from "../../../ui/request-context.ts";
import { isAppError } from "../../../platform/http/errors.ts";
import { LibraryPageError, LibrarySearch, PAGE_SIZE, failureOf, queryValues } from "./shared.tsx";
import libraryStyles from "./library.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: libraryStyles }];

export function meta() {
  return [{ title: "Learning library · Balint Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const values = queryValues(request);
  try {
    const results = await ctx.services.library.search(ctx.actor, { ...values, pageSize: PAGE_SIZE });
    return { values, results, failure: null };
  } catch (error) {
    if (!isAppError(error) || error.code !== "validation_failed") throw error;
    return data({ values, results: null, failure: failureOf(error) }, { status: 400 });
  }
}

export { LibraryPageError as ErrorBoundary };

export default function Library({ loaderData }: Route.ComponentProps) {
  const { values, results, failure } = loaderData;
  return (
    <div className="page">
      <p className="eyebrow">
        <FormattedMessage id="library.eyebrow" />
      </p>
      <h1>
        <FormattedMessage id="library.title" />
      </h1>
      <p className="lead">
        <FormattedMessage id="library.lead" />
      </p>
      <LibrarySearch basePath="/library" values={values} results={results} failure={failure} />
    </div>
  );
}
