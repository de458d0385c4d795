import { FormattedMessage, useIntl, type IntlShape } from "react-intl";
import { Form, Link, data, redirect } from "react-router";
import type { Route } from "./+types/audit";
import { getRequestContext } from "../../../ui/request-context.ts";
import { FieldMessage } from "../../../ui/forms.tsx";
import { isAppError, type FieldError } from "../../../platform/http/errors.ts";
import { AUDIT_PAGE_SIZE_DEFAULT } from "../schemas.ts";
import stylesUrl from "./audit.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: stylesUrl }];

export function meta() {
  return [{ title: "Audit log · Balint Commons" }];
}

const FILTERS = ["action", "from", "to"] as const;

export async function loader({ context, params, request }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const url = new URL(request.url);
  if (!ctx.user) throw redirect(`/sign-in?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  const orgs = await ctx.services.organisations.switcherFor(ctx.actor);
  const org = orgs.find((o) => o.slug === params.slug);
  if (!org) throw data(null, { status: 404 });
  const filters = Object.fromEntries(FILTERS.map((k) => [k, url.searchParams.get(k) ?? ""])) as Record<(typeof FILTERS)[number], string>;
  const page = url.searchParams.get("page") ?? "1";
  const base = { organisation: { id: org.organisationId, name: org.name, slug: org.slug }, filters };
  try {
    const [result, actions] = await Promise.all([
      ctx.services.auditLog.list(ctx.actor, org.organisationId, { ...filters, page, pageSize: String(AUDIT_PAGE_SIZE_DEFAULT) }, { timeZone: ctx.timeZone }),
      ctx.services.auditLog.actions(ctx.actor, org.organisationId),
    ]);
    return { ...base, state: "ok" as const, result, actions, fields: [] as FieldError[] };
  } catch (error) {
    if (isAppError(error) && error.code === "forbidden") return { ...base, state: "forbidden" as const, result: null, actions: [], fields: [] as FieldError[] };
    if (isAppError(error) && error.code === "validation_failed") {
      const actions = await ctx.services.auditLog.actions(ctx.actor, org.organisationId);
      return { ...base, state: "invalid" as const, result: null, actions, fields: error.fields ?? [] };
    }
    if (isAppError(error) && error.code === "not_found") throw data(null, { status: 404 });
    throw error;
  }
}

function actionLabel(intl: IntlShape, action: string): string {
  const id = `auditLog.action.${action}`;
  return intl.messages[id] ? intl.formatMessage({ id }) : action;
}

function query(filters: Record<string, string>, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...filters, ...extra })) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : "";
}

export default function AuditLog({ loaderData }: Route.ComponentProps) {
  const intl = useIntl();
  const { organisation, filters, state, result, actions, fields } = loaderData;
  const fieldMessage = (name: string) => fields.find((f) => f.path === name)?.message;
  const pages = result ? Math.max(1, Math.ceil(result.total / result.pageSize)) : 1;
  const filtered = FILTERS.some((k) => filters[k]);
  const label = {
    time: intl.formatMessage({ id: "auditLog.col.time" }),
    actor: intl.formatMessage({ id: "auditLog.col.actor" }),
    action: intl.formatMessage({ id: "auditLog.col.action" }),
    target: intl.formatMessage({ id: "auditLog.col.target" }),
    details: intl.formatMessage({ id: "auditLog.col.details" }),
  };
  const exportHref = `/api/v1/orgs/${organisation.id}/audit-events/export${query(filters)}`;

  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">
        <FormattedMessage id="auditLog.title" />
      </h2>
      <p className="lead">
        <FormattedMessage id="auditLog.intro" />
      </p>

      {state === "forbidden" ? (
        <div className="notice" role="status">
          <p>
            <FormattedMessage id="auditLog.forbidden" />
          </p>
        </div>
      ) : (
        <>
          <Form method="get" className="filters" aria-labelledby="filters-title">
            <h2 id="filters-title" className="visually-hidden">
              <FormattedMessage id="auditLog.filters" />
            </h2>
            {state === "invalid" && (
              <div className="error-summary" role="alert">
                <p>
                  <strong>
                    <FormattedMessage id="auditLog.invalidFilters" />
                  </strong>
                </p>
                <ul>
                  {fields.map((f) => (
                    <li key={f.path}>
                      <a href={`#filter-${f.path}`}>
                        {f.path}: <FieldMessage message={f.message} />
                      </a>
                    </li>
                  ))}
                </ul>
              </div>
            )}
            <div className="filters__row">
              <div className={`field${fieldMessage("action") ? " field--error" : ""}`}>
                <label htmlFor="filter-action">
                  <FormattedMessage id="auditLog.filterAction" />
                </label>
                <select id="filter-action" name="action" defaultValue={filters.action}>
                  <option value="">{intl.formatMessage({ id: "auditLog.allActions" })}</option>
                  {actions.map((a) => (
                    <option key={a} value={a}>
                      {actionLabel(intl, a)}
                    </option>
                  ))}
                </select>
              </div>
              <div className={`field${fieldMessage("from") ? " field--error" : ""}`}>
                <label htmlFor="filter-from">
                  <FormattedMessage id="auditLog.from" />
                </label>
                <input id="filter-from" type="date" name="from" defaultValue={filters.from} aria-invalid={fieldMessage("from") ? true : undefined} />
              </div>
              <div className={`field${fieldMessage("to") ? " field--error" : ""}`}>
                <label htmlFor="filter-to">
                  <FormattedMessage id="auditLog.to" />
                </label>
                <input id="filter-to" type="date" name="to" defaultValue={filters.to} aria-invalid={fieldMessage("to") ? true : undefined} />
              </div>
            </div>
            <div className="actions">
              <button type="submit">
                <FormattedMessage id="auditLog.apply" />
              </button>
              {filtered && (
                <Link to={`/o/${organisation.slug}/audit`}>
                  <FormattedMessage id="auditLog.clear" />
                </Link>
              )}
              {result && result.total > 0 && (
                <a className="button button--secondary" href={exportHref} download>
                  <FormattedMessage id="auditLog.export" />
                </a>
              )}
            </div>
          </Form>

          {result && result.items.length === 0 && (
            <p className="empty-state">
              <FormattedMessage id={filtered ? "auditLog.emptyFiltered" : "auditLog.empty"} />
            </p>
          )}
          {result && result.items.length > 0 && (
            <>
              <p aria-live="polite">
                <FormattedMessage id="auditLog.count" values={{ total: result.total }} />
              </p>
              <div className="table-wrap">
                <table className="stack-table">
                  <caption className="visually-hidden">
                    <FormattedMessage id="auditLog.title" />
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col"><FormattedMessage id="auditLog.col.time" /></th>
                      <th scope="col"><FormattedMessage id="auditLog.col.actor" /></th>
                      <th scope="col"><FormattedMessage id="auditLog.col.action" /></th>
                      <th scope="col"><FormattedMessage id="auditLog.col.target" /></th>
                      <th scope="col"><FormattedMessage id="auditLog.col.details" /></th>
                    </tr>
                  </thead>
                  <tbody>
                    {result.items.map((e) => (
                      <tr key={e.id}>
                        <td className="nowrap" data-label={label.time}>
                          <time dateTime={new Date(e.createdAt).toISOString()}>
                            {intl.formatDate(e.createdAt, { dateStyle: "medium" })}
                            <br />
                            {intl.formatTime(e.createdAt, { timeStyle: "short" })}
                          </time>
                        </td>
                        <td data-label={label.actor}>
                          {e.actorUserId ? (
                            <>
                              {e.actorName ?? <FormattedMessage id="auditLog.formerAccount" />}
                              {e.actorEmail && (
                                <>
                                  <br />
                                  <span className="muted">{e.actorEmail}</span>
                                </>
                              )}
                              {e.actorKind === "token" && (
                                <>
                                  <br />
                                  <span className="tag">
                                    <FormattedMessage id="auditLog.viaToken" />
                                  </span>
                                </>
                              )}
                            </>
                          ) : (
                            <FormattedMessage id="auditLog.system" />
                          )}
                        </td>
                        <td data-label={label.action}>
                          {actionLabel(intl, e.action)}
                          <br />
                          <code className="muted">{e.action}</code>
                        </td>
                        <td data-label={label.target}>
                          {e.targetType || e.targetId ? (
                            <>
                              {e.targetType}
                              {e.targetId && (
                                <>
                                  <br />
                                  <code className="muted break">{e.targetId}</code>
                                </>
                              )}
                            </>
                          ) : (
                            <span className="muted">—</span>
                          )}
                        </td>
                        <td data-label={label.details}>
                          {Object.keys(e.details).length === 0 ? (
                            <span className="muted">—</span>
                          ) : (
                            <dl className="details">
                              {Object.entries(e.details).map(([k, val]) => (
                                <div key={k}>
                                  <dt>{k}</dt>
                                  <dd>{val === null ? "—" : String(val)}</dd>
                                </div>
                              ))}
                            </dl>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {pages > 1 && (
                <nav className="pagination" aria-label={intl.formatMessage({ id: "auditLog.pagination" })}>
                  {result.page > 1 ? (
                    <Link to={query(filters, { page: String(result.page - 1) })} rel="prev">
                      <FormattedMessage id="common.previous" />
                    </Link>
                  ) : (
                    <span aria-hidden="true" className="muted"><FormattedMessage id="common.previous" /></span>
                  )}
                  <span>
                    <FormattedMessage id="common.pageOf" values={{ page: result.page, pages }} />
                  </span>
                  {result.page < pages ? (
                    <Link to={query(filters, { page: String(result.page + 1) })} rel="next">
                      <FormattedMessage id="common.next" />
                    </Link>
                  ) : (
                    <span aria-hidden="true" className="muted"><FormattedMessage id="common.next" /></span>
                  )}
                </nav>
              )}
            </>
          )}
        </>
      )}
    </section>
  );
}
