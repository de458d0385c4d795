import { FormattedMessage, useIntl } from "react-intl";
import { Link, data } from "react-router";
import type { Route } from "./+types/outbox";
import { getRequestContext } from "../../../ui/request-context.ts";
import stylesUrl from "./outbox.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: stylesUrl }];

export function meta() {
  return [{ title: "Development outbox · Balint Commons" }, { name: "robots", content: "noindex" }];
}

export async function loader({ context, request }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.services.outbox.enabled()) throw data(null, { status: 404 });
  const page = Number.parseInt(new URL(request.url).searchParams.get("page") ?? "1", 10);
  return ctx.services.outbox.list(Number.isFinite(page) ? page : 1);
}

const codeChunk = (chunks: React.ReactNode[]) => <code>{chunks}</code>;

export function DevOnlyNote() {
  return (
    <div className="notice" role="note">
      <FormattedMessage id="outbox.devOnly" values={{ code: codeChunk }} />
    </div>
  );
}

export default function Outbox({ loaderData }: Route.ComponentProps) {
  const intl = useIntl();
  const { items, page, pageSize, total } = loaderData;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <div className="page">
      <h1>
        <FormattedMessage id="outbox.title" />
      </h1>
      <DevOnlyNote />
      {items.length === 0 ? (
        <p className="empty-state">
          <FormattedMessage id={total === 0 ? "outbox.empty" : "outbox.emptyPage"} values={{ code: codeChunk }} />
        </p>
      ) : (
        <>
          <div className="table-wrap">
            <table className="stack-table">
              <caption className="visually-hidden">
                <FormattedMessage id="outbox.title" />
              </caption>
              <thead>
                <tr>
                  <th scope="col"><FormattedMessage id="outbox.col.time" /></th>
                  <th scope="col"><FormattedMessage id="outbox.col.to" /></th>
                  <th scope="col"><FormattedMessage id="outbox.col.subject" /></th>
                  <th scope="col"><FormattedMessage id="outbox.col.status" /></th>
                </tr>
              </thead>
              <tbody>
                {items.map((m) => (
                  <tr key={m.id}>
                    <td className="nowrap" data-label={intl.formatMessage({ id: "outbox.col.time" })}>
                      <time dateTime={new Date(m.createdAt).toISOString()}>{intl.formatDate(m.createdAt, { dateStyle: "medium", timeStyle: "short" })}</time>
                    </td>
                    <td data-label={intl.formatMessage({ id: "outbox.col.to" })}>{m.toAddress}</td>
                    <td data-label={intl.formatMessage({ id: "outbox.col.subject" })}>
                      <Link to={`/dev/outbox/${m.id}`}>{m.subject}</Link>
                    </td>
                    <td data-label={intl.formatMessage({ id: "outbox.col.status" })}>
                      <span className="tag">
                        <FormattedMessage id={`outbox.status.${m.status}`} />
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {pages > 1 && (
        <nav className="pagination" aria-label={intl.formatMessage({ id: "outbox.pagination" })}>
          {page > 1 ? (
            <Link to={`?page=${page - 1}`} rel="prev">
              <FormattedMessage id="common.previous" />
            </Link>
          ) : (
            <span aria-hidden="true" className="muted"><FormattedMessage id="common.previous" /></span>
          )}
          <span>
            <FormattedMessage id="common.pageOf" values={{ page, pages }} />
          </span>
          {page < pages ? (
            <Link to={`?page=${page + 1}`} rel="next">
              <FormattedMessage id="common.next" />
            </Link>
          ) : (
            <span aria-hidden="true" className="muted"><FormattedMessage id="common.next" /></span>
          )}
        </nav>
      )}
    </div>
  );
}
