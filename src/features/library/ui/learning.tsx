import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, data, redirect } from "react-router";
import type { Route } from "./+types/learning";
import { getRequestContext } from "../../../ui/request-context.ts";
import { AccountNav } from "../../../ui/account-nav.tsx";
import { formAction } from "../../../ui/actions.ts";
import { ErrorSummary, type ActionFailure } from "../../../ui/forms.tsx";
import libraryStyles from "./library.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: libraryStyles }];

export function meta() {
  return [{ title: "My learning · Balint Commons" }];
}

export async function loader({ context, request }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect(`/sign-in?redirectTo=${encodeURIComponent(new URL(request.url).pathname)}`);
  return ctx.services.library.myLearning(ctx.actor);
}

export async function action({ context, request }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect("/sign-in");
  const form = await request.formData();
  const result = await formAction<{ ok: true } | ActionFailure>(async () => {
    await ctx.services.library.deleteEntry(ctx.actor, String(form.get("entryId") ?? ""));
    return { ok: true };
  });
  if (!result.ok) return data(result, { status: 404 });
  return result;
}

/** "My learning": my reading log, totals per year, CSV export. Private to me. */
export default function Learning({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const { entries, totals, years } = loaderData;
  const date = (iso: string) => intl.formatDate(`${iso}T12:00:00Z`, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  const num = (n: number) => intl.formatNumber(n, { maximumFractionDigits: 2 });
  return (
    <div className="page narrow">
      <AccountNav />
      <h1>
        <FormattedMessage id="library.learning.title" />
      </h1>
      <p className="lead">
        <FormattedMessage id="library.learning.intro" />
      </p>
      {actionData?.ok && (
        <div className="notice notice--success" role="status">
          <FormattedMessage id="library.learning.deleted" />
        </div>
      )}
      {actionData && !actionData.ok && <ErrorSummary result={actionData} />}
      <div className="card" data-testid="learning-totals">
        <p>
          <strong>
            <FormattedMessage id="library.learning.totals" values={{ entries: totals.entries, hours: num(totals.hours) }} />
          </strong>
        </p>
        {totals.ceEligibleMinutes > 0 && (
          <p>
            <FormattedMessage id="library.learning.ce" values={{ hours: num(totals.ceEligibleMinutes / 60) }} />
          </p>
        )}
        {entries.length > 0 && (
          <p>
            <a href="/api/v1/me/learning/export.csv" download>
              <FormattedMessage id="library.learning.csv" />
            </a>
            {" · "}
            <a href="/api/v1/me/learning/export.csv?includeReflections=true" download>
              <FormattedMessage id="library.learning.csvReflections" />
            </a>
          </p>
        )}
      </div>
      {entries.length === 0 ? (
        <div className="empty-state card">
          <p>
            <FormattedMessage id="library.learning.empty" />
          </p>
          <Link to="/library">
            <FormattedMessage id="library.learning.browse" />
          </Link>
        </div>
      ) : (
        <>
          <section aria-labelledby="years-title">
            <h2 id="years-title">
              <FormattedMessage id="library.learning.yearsTitle" />
            </h2>
            <table className="library-table">
              <thead>
                <tr>
                  <th scope="col">
                    <FormattedMessage id="library.learning.year" />
                  </th>
                  <th scope="col">
                    <FormattedMessage id="library.learning.entries" />
                  </th>
                  <th scope="col">
                    <FormattedMessage id="library.learning.minutes" />
                  </th>
                  <th scope="col">
                    <FormattedMessage id="library.learning.hours" />
                  </th>
                </tr>
              </thead>
              <tbody>
                {years.map((y) => (
                  <tr key={y.year}>
                    <th scope="row">{y.year}</th>
                    <td>{y.entries}</td>
                    <td>{y.minutes}</td>
                    <td>{num(y.hours)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section aria-labelledby="log-title">
            <h2 id="log-title">
              <FormattedMessage id="library.learning.logTitle" />
            </h2>
            <ul className="library-cards" data-testid="learning-entries">
              {entries.map((e) => (
                <li key={e.id} className="card library-card">
                  <h3>
                    <Link to={`/library/${e.item.organisationSlug}/${e.item.id}`}>{e.item.title}</Link>
                  </h3>
                  <p className="library-card__meta">
                    <FormattedMessage id="library.log.entry" values={{ date: date(e.readOn), minutes: e.minutes }} /> · {intl.formatMessage({ id: `library.kind.${e.item.kind}` })}
                  </p>
                  {e.reflection && (
                    <div>
                      <p className="field__hint">
                        <FormattedMessage id="library.learning.reflection" />
                      </p>
                      <p>{e.reflection}</p>
                    </div>
                  )}
                  {e.reflectionUnreadable && (
                    <p className="field__hint">
                      <FormattedMessage id="library.learning.unreadable" />
                    </p>
                  )}
                  <Form method="post">
                    <input type="hidden" name="entryId" value={e.id} />
                    <button type="submit" className="button--secondary" aria-label={`${intl.formatMessage({ id: "library.learning.delete" })}: ${e.item.title}, ${date(e.readOn)}`}>
                      <FormattedMessage id="library.learning.delete" />
                    </button>
                  </Form>
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
    </div>
  );
}
