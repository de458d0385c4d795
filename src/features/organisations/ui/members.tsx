import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, data } from "react-router";
import type { Route } from "./+types/members";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, type ActionResult } from "../../../ui/forms.tsx";
import { formValues } from "../../../ui/actions.ts";
import { assignableRoles, mayRemoveMember } from "../../../platform/policy/permissions.ts";
import { ROLE_NAMES, isRoleName } from "../../../platform/tenancy/roles.ts";
import { NoticeBanner, OrgPageError, Pagination, RoleTag, attempt, loadOr, type Notice } from "./shared.tsx";

const PAGE_SIZE = 25;

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const svc = ctx.services.organisations;
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").trim().slice(0, 120);
  const roleParam = url.searchParams.get("role");
  const role = isRoleName(roleParam) ? roleParam : null;
  const page = Math.max(1, Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1);
  const org = await loadOr(request, () => svc.getBySlug(ctx.actor, params.slug));
  const members = await loadOr(request, () => svc.listMembers(ctx.actor, org.id, { q: q || undefined, role: role ?? undefined, page, pageSize: PAGE_SIZE }));
  return { org, members, q, role, me: ctx.user?.id ?? null, confirmRemove: url.searchParams.get("remove") };
}

type MembersAction = ActionResult<{ notice: Notice }>;

export async function action({ request, params, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  const svc = ctx.services.organisations;
  const org = await loadOr(request, () => svc.getBySlug(ctx.actor, params.slug));
  const form = await request.formData();
  const values = formValues(form);
  const userId = values["userId"] ?? "";
  const name = values["name"] ?? "";
  if (values["intent"] === "changeRole") {
    const result = await attempt(() => svc.changeRole(ctx.actor, org.id, userId, values["role"] ?? "", ctx), values);
    if (!result.ok) return data(result.failure satisfies MembersAction, { status: result.status });
    return { ok: true, data: { notice: { id: "organisations.members.roleChanged", values: { name: result.value.name, role: result.value.role } } } } satisfies MembersAction;
  }
  if (values["intent"] === "remove") {
    const result = await attempt(() => svc.removeMember(ctx.actor, org.id, userId, ctx), values);
    if (!result.ok) return data(result.failure satisfies MembersAction, { status: result.status });
    return { ok: true, data: { notice: { id: "organisations.members.removed", values: { name } } } } satisfies MembersAction;
  }
  return data({ ok: false, message: "Unknown action.", fields: [] } satisfies MembersAction, { status: 400 });
}

export { OrgPageError as ErrorBoundary };

export default function Members({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const { org, members, q, role, me, confirmRemove } = loaderData;
  const result = actionData as MembersAction | undefined;
  const base = `/o/${org.slug}/members`;
  const canChange = org.permissions.includes("members:change-role");
  const canRemove = org.permissions.includes("members:remove");
  const query = (extra: Record<string, string | number | null>) => {
    const sp = new URLSearchParams();
    if (q) sp.set("q", q);
    if (role) sp.set("role", role);
    if (members.page > 1) sp.set("page", String(members.page));
    for (const [k, v] of Object.entries(extra)) {
      if (v === null) sp.delete(k);
      else sp.set(k, String(v));
    }
    const s = sp.toString();
    return s ? `${base}?${s}` : base;
  };
  const removing = confirmRemove ? members.items.find((m) => m.userId === confirmRemove && m.userId !== me) : undefined;
  const filtered = Boolean(q || role);
  const notice = result?.ok ? (result.data?.notice ?? null) : null;
  const roleName = (r: string) => intl.formatMessage({ id: `organisations.roleLabel.${r}` });
  const label = (id: string) => intl.formatMessage({ id });
  return (
    <section aria-labelledby="members-title">
      <h2 id="members-title">
        <FormattedMessage id="organisations.members.title" />
      </h2>
      <NoticeBanner notice={notice && notice.values?.["role"] ? { ...notice, values: { ...notice.values, role: roleName(String(notice.values["role"])) } } : notice} />
      <ErrorSummary result={result} />
      <Form method="get" className="org-filters" role="search" aria-label={intl.formatMessage({ id: "organisations.members.searchLabel" })}>
        <div className="field">
          <label htmlFor="members-q">
            <FormattedMessage id="organisations.members.search" />
          </label>
          <input id="members-q" name="q" type="search" defaultValue={q} maxLength={120} />
        </div>
        <div className="field">
          <label htmlFor="members-role">
            <FormattedMessage id="organisations.members.roleFilter" />
          </label>
          <select id="members-role" name="role" defaultValue={role ?? ""}>
            <option value="">{intl.formatMessage({ id: "organisations.members.allRoles" })}</option>
            {ROLE_NAMES.map((r) => (
              <option key={r} value={r}>
                {roleName(r)}
              </option>
            ))}
          </select>
        </div>
        <div className="actions">
          <button type="submit">
            <FormattedMessage id="organisations.members.searchButton" />
          </button>
          {filtered && (
            <Link to={base}>
              <FormattedMessage id="organisations.members.clear" />
            </Link>
          )}
        </div>
      </Form>

      {removing && (
        <div className="card org-confirm" role="alertdialog" aria-labelledby="remove-title">
          <h3 id="remove-title">
            <FormattedMessage id="organisations.members.removeTitle" values={{ name: removing.name }} />
          </h3>
          <p>
            <FormattedMessage id="organisations.members.removeBody" values={{ name: removing.name, organisation: org.name }} />
          </p>
          <Form method="post" action={query({ remove: null })} className="actions">
            <input type="hidden" name="intent" value="remove" />
            <input type="hidden" name="userId" value={removing.userId} />
            <input type="hidden" name="name" value={removing.name} />
            <button type="submit" className="button--danger">
              <FormattedMessage id="organisations.members.removeYes" />
            </button>
            <Link to={query({ remove: null })}>
              <FormattedMessage id="common.cancel" />
            </Link>
          </Form>
        </div>
      )}

      <p className="org-count" aria-live="polite">
        <FormattedMessage id={filtered ? "organisations.members.countFiltered" : "organisations.members.count"} values={{ count: members.total }} />
      </p>
      {members.items.length === 0 ? (
        <div className="empty-state card">
          <p>
            <FormattedMessage id={filtered ? "organisations.members.emptyFiltered" : "organisations.members.empty"} />
          </p>
          {filtered && (
            <Link to={base}>
              <FormattedMessage id="organisations.members.clear" />
            </Link>
          )}
        </div>
      ) : (
        <div className="table-wrap">
          <table className="org-table">
            <caption className="visually-hidden">
              <FormattedMessage id="organisations.members.caption" values={{ page: members.page }} />
            </caption>
            <thead>
              <tr>
                <th scope="col">
                  <FormattedMessage id="organisations.members.name" />
                </th>
                <th scope="col">
                  <FormattedMessage id="organisations.members.email" />
                </th>
                <th scope="col">
                  <FormattedMessage id="organisations.members.role" />
                </th>
                <th scope="col">
                  <FormattedMessage id="organisations.members.joined" />
                </th>
                {(canChange || canRemove) && (
                  <th scope="col">
                    <FormattedMessage id="organisations.members.actions" />
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {members.items.map((m) => {
                const isMe = m.userId === me;
                const options = canChange ? assignableRoles(org.myRole, m.role, ROLE_NAMES) : [];
                const removable = canRemove && !isMe && mayRemoveMember(org.myRole, m.role);
                return (
                  <tr key={m.userId}>
                    <th scope="row" className="org-wrap">
                      {m.name}
                      {isMe && (
                        <>
                          {" "}
                          <span className="tag tag--muted">
                            <FormattedMessage id="organisations.members.you" />
                          </span>
                        </>
                      )}
                    </th>
                    <td className="org-wrap" data-label={label("organisations.members.email")}>
                      {m.email}
                      {!m.emailVerified && (
                        <>
                          {" "}
                          <span className="tag tag--muted">
                            <FormattedMessage id="organisations.members.unverified" />
                          </span>
                        </>
                      )}
                    </td>
                    <td data-label={label("organisations.members.role")}>
                      <RoleTag role={m.role} />
                    </td>
                    <td data-label={label("organisations.members.joined")}>{intl.formatDate(m.joinedAt, { dateStyle: "medium" })}</td>
                    {(canChange || canRemove) && (
                      <td data-label="">
                        <div className="org-inline-form">
                          {options.length > 1 && (
                            <Form method="post" action={query({})} className="org-inline-form">
                              <input type="hidden" name="intent" value="changeRole" />
                              <input type="hidden" name="userId" value={m.userId} />
                              <label className="visually-hidden" htmlFor={`role-${m.userId}`}>
                                <FormattedMessage id="organisations.members.roleFor" values={{ name: m.name }} />
                              </label>
                              <select id={`role-${m.userId}`} name="role" defaultValue={m.role}>
                                {options.map((r) => (
                                  <option key={r} value={r}>
                                    {roleName(r)}
                                  </option>
                                ))}
                              </select>
                              <button type="submit" className="button--secondary button--small">
                                <FormattedMessage id="organisations.members.changeRole" />
                                <span className="visually-hidden">
                                  {" "}
                                  <FormattedMessage id="organisations.members.forName" values={{ name: m.name }} />
                                </span>
                              </button>
                            </Form>
                          )}
                          {removable && (
                            <Link to={query({ remove: m.userId })} className="button button--secondary button--small">
                              <FormattedMessage id="organisations.members.remove" />
                              <span className="visually-hidden">
                                {" "}
                                <FormattedMessage id="organisations.members.forName" values={{ name: m.name }} />
                              </span>
                            </Link>
                          )}
                        </div>
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={members.page} pageSize={members.pageSize} total={members.total} href={(p) => query({ page: p === 1 ? null : p, remove: null })} />
    </section>
  );
}
