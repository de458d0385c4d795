import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link } from "react-router";
import type { Route } from "./+types/org-groups";
import { getRequestContext } from "../../../ui/request-context.ts";
import { loadOr, OrgPageError, Pagination } from "../../organisations/ui/shared.tsx";
import groupStyles from "./groups.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: groupStyles }];

const PAGE_SIZE = 20;

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const url = new URL(request.url);
  const includeArchived = url.searchParams.get("archived") === "1";
  const page = Math.max(1, Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1);
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  const groups = await loadOr(request, () => ctx.services.groups.list(ctx.actor, org.id, { includeArchived, page, pageSize: PAGE_SIZE }));
  const manages = org.permissions.includes("groups:manage");
  // Pending requests: only for the groups the person may run (coordinators: all; leaders: theirs).
  const pending: Record<string, number> = {};
  for (const g of groups.items) {
    if (manages || g.myStatus === "leader" || g.myStatus === "co_leader") {
      const members = await ctx.services.groups.members(ctx.actor, org.id, g.id);
      pending[g.id] = members.items.filter((m) => m.status === "pending").length;
    }
  }
  return {
    org: { slug: org.slug, name: org.name },
    manages,
    includeArchived,
    groups: { ...groups, items: groups.items.map((g) => ({ id: g.id, name: g.name, slug: g.slug, visibility: g.visibility, archivedAt: g.archivedAt, capacity: g.capacity, seatsLeft: g.seatsLeft, activeMembers: g.activeMembers, myStatus: g.myStatus })) },
    pending,
  };
}

export { OrgPageError as ErrorBoundary };

export default function OrgGroups({ loaderData }: Route.ComponentProps) {
  const intl = useIntl();
  const { org, manages, includeArchived, groups, pending } = loaderData;
  const base = `/o/${org.slug}/groups`;
  return (
    <section aria-labelledby="groups-title">
      <h2 id="groups-title">
        <FormattedMessage id="groups.org.title" />
      </h2>
      <div className="actions">
        {manages && (
          <Link to={`${base}/new`} className="button">
            <FormattedMessage id="groups.org.new" />
          </Link>
        )}
      </div>
      <Form method="get" className="actions" aria-label={intl.formatMessage({ id: "groups.org.filterLabel" })}>
        <div className="field field--checkbox">
          <input type="checkbox" id="groups-archived" name="archived" value="1" defaultChecked={includeArchived} />
          <label htmlFor="groups-archived">
            <FormattedMessage id="groups.org.includeArchived" />
          </label>
        </div>
        <button type="submit" className="button--secondary">
          <FormattedMessage id="groups.org.apply" />
        </button>
      </Form>
      {groups.items.length === 0 ? (
        <div className="empty-state card">
          <p>
            <FormattedMessage id={manages ? "groups.org.emptyManager" : "groups.org.empty"} />
          </p>
        </div>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">
              <FormattedMessage id="groups.org.caption" values={{ count: groups.total }} />
            </caption>
            <thead>
              <tr>
                <th scope="col">
                  <FormattedMessage id="groups.org.colName" />
                </th>
                <th scope="col">
                  <FormattedMessage id="groups.org.colVisibility" />
                </th>
                <th scope="col">
                  <FormattedMessage id="groups.org.colSeats" />
                </th>
                <th scope="col">
                  <FormattedMessage id="groups.org.colPending" />
                </th>
              </tr>
            </thead>
            <tbody>
              {groups.items.map((g) => (
                <tr key={g.id}>
                  <td>
                    {manages || g.myStatus === "leader" || g.myStatus === "co_leader" ? <Link to={`${base}/${g.id}`}>{g.name}</Link> : <Link to={`/groups/${org.slug}/${g.slug}`}>{g.name}</Link>}
                    {g.archivedAt && (
                      <>
                        {" "}
                        <span className="tag">
                          <FormattedMessage id="groups.org.archived" />
                        </span>
                      </>
                    )}
                  </td>
                  <td>
                    <FormattedMessage id={`groups.visibility.${g.visibility}`} />
                  </td>
                  <td>
                    <FormattedMessage id="groups.seatsLeft" values={{ count: g.seatsLeft, capacity: g.capacity }} />
                  </td>
                  <td>{pending[g.id] ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={groups.page} pageSize={groups.pageSize} total={groups.total} href={(p) => `${base}?${new URLSearchParams({ ...(includeArchived ? { archived: "1" } : {}), page: String(p) }).toString()}`} />
    </section>
  );
}
