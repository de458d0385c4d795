import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, data, useNavigation } from "react-router";
import type { Route } from "./+types/invitations";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, FieldMessage, Field, fieldError, type ActionResult } from "../../../ui/forms.tsx";
import { formValues } from "../../../ui/actions.ts";
import { assignableRoles } from "../../../platform/policy/permissions.ts";
import { ROLE_NAMES } from "../../../platform/tenancy/roles.ts";
import { INVITATION_STATUSES } from "../schemas.ts";
import { NoticeBanner, OrgPageError, Pagination, RoleTag, attempt, loadOr, type Notice } from "./shared.tsx";

const PAGE_SIZE = 25;
type Status = (typeof INVITATION_STATUSES)[number];

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const svc = ctx.services.organisations;
  const url = new URL(request.url);
  const statusParam = url.searchParams.get("status");
  const status: Status = (INVITATION_STATUSES as readonly string[]).includes(statusParam ?? "") ? (statusParam as Status) : "pending";
  const page = Math.max(1, Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1);
  const org = await loadOr(request, () => svc.getBySlug(ctx.actor, params.slug));
  const invitations = await loadOr(request, () => svc.listInvitations(ctx.actor, org.id, { status, page, pageSize: PAGE_SIZE }));
  return { org, invitations, status };
}

type InvitationsAction = ActionResult<{ notice: Notice }>;

export async function action({ request, params, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  const svc = ctx.services.organisations;
  const org = await loadOr(request, () => svc.getBySlug(ctx.actor, params.slug));
  const form = await request.formData();
  const values = formValues(form);
  const intent = values["intent"];
  if (intent === "invite") {
    const result = await attempt(() => svc.invite(ctx.actor, org.id, { email: values["email"] ?? "", role: values["role"] ?? "" }, ctx), values);
    if (!result.ok) return data(result.failure satisfies InvitationsAction, { status: result.status });
    return { ok: true, data: { notice: { id: "organisations.invitations.sent", values: { email: result.value.email } } } } satisfies InvitationsAction;
  }
  if (intent === "resend" || intent === "revoke") {
    const id = values["invitationId"] ?? "";
    const result = await attempt(() => (intent === "resend" ? svc.resendInvitation(ctx.actor, org.id, id, ctx) : svc.revokeInvitation(ctx.actor, org.id, id, ctx)));
    if (!result.ok) return data(result.failure satisfies InvitationsAction, { status: result.status });
    return { ok: true, data: { notice: { id: `organisations.invitations.${intent === "resend" ? "resent" : "revoked"}`, values: { email: result.value.email } } } } satisfies InvitationsAction;
  }
  return data({ ok: false, message: "Unknown action.", fields: [] } satisfies InvitationsAction, { status: 400 });
}

export { OrgPageError as ErrorBoundary };

export default function Invitations({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const navigation = useNavigation();
  const { org, invitations, status } = loaderData;
  const result = actionData as InvitationsAction | undefined;
  const base = `/o/${org.slug}/invitations`;
  const canInvite = org.permissions.includes("members:invite");
  const canRevoke = org.permissions.includes("invitations:revoke");
  const offer = canInvite ? assignableRoles(org.myRole, null, ROLE_NAMES) : [];
  const failedInvite = result && !result.ok && result.values?.["intent"] === "invite";
  const v = failedInvite ? (result.values ?? {}) : {};
  const href = (s: Status, page = 1) => {
    const sp = new URLSearchParams();
    if (s !== "pending") sp.set("status", s);
    if (page > 1) sp.set("page", String(page));
    const q = sp.toString();
    return q ? `${base}?${q}` : base;
  };
  const roleName = (r: string) => intl.formatMessage({ id: `organisations.roleLabel.${r}` });
  const label = (id: string) => intl.formatMessage({ id });
  const submitting = navigation.state === "submitting";
  return (
    <>
      <NoticeBanner notice={result?.ok ? result.data?.notice : null} />
      {!failedInvite && <ErrorSummary result={result} />}
      {canInvite && offer.length > 0 && (
        <section className="card org-card" aria-labelledby="invite-title">
          <h2 id="invite-title">
            <FormattedMessage id="organisations.invitations.inviteTitle" />
          </h2>
          <p className="field__hint">
            <FormattedMessage id="organisations.invitations.inviteHint" />
          </p>
          {failedInvite && <ErrorSummary result={result} />}
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="invite" />
            <Field
              name="email"
              type="email"
              label={intl.formatMessage({ id: "organisations.invitations.email" })}
              required
              autoComplete="off"
              defaultValue={v["email"]}
              error={fieldError(failedInvite ? result : undefined, "email")}
              key={result?.ok ? "sent" : "form"}
            />
            <div className={`field${fieldError(failedInvite ? result : undefined, "role") ? " field--error" : ""}`}>
              <label htmlFor="field-role">
                <FormattedMessage id="organisations.invitations.role" />
              </label>
              <p className="field__hint" id="role-hint">
                <FormattedMessage id="organisations.invitations.roleHint" />
              </p>
              {fieldError(failedInvite ? result : undefined, "role") && (
                <p className="field__error" id="role-error">
                  <FieldMessage message={fieldError(failedInvite ? result : undefined, "role")} />
                </p>
              )}
              <select id="field-role" name="role" aria-describedby="role-hint" defaultValue={v["role"] ?? "member"}>
                {offer.map((r) => (
                  <option key={r} value={r}>
                    {roleName(r)}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" disabled={submitting}>
              <FormattedMessage id="organisations.invitations.send" />
            </button>
          </Form>
        </section>
      )}

      <section aria-labelledby="list-title">
        <h2 id="list-title">
          <FormattedMessage id="organisations.invitations.listTitle" />
        </h2>
        <nav className="subnav org-status-nav" aria-label={intl.formatMessage({ id: "organisations.invitations.filterLabel" })}>
          <ul>
            {INVITATION_STATUSES.map((s) => (
              <li key={s}>
                <Link to={href(s)} aria-current={s === status ? "page" : undefined}>
                  <FormattedMessage id={`organisations.invitations.status.${s}`} />
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        {invitations.items.length === 0 ? (
          <div className="empty-state card">
            <p>
              <FormattedMessage id={status === "pending" ? "organisations.invitations.emptyPending" : "organisations.invitations.empty"} />
            </p>
          </div>
        ) : (
          <div className="table-wrap">
            <table className="org-table">
              <thead>
                <tr>
                  <th scope="col">
                    <FormattedMessage id="organisations.invitations.email" />
                  </th>
                  <th scope="col">
                    <FormattedMessage id="organisations.invitations.role" />
                  </th>
                  <th scope="col">
                    <FormattedMessage id="organisations.invitations.state" />
                  </th>
                  <th scope="col">
                    <FormattedMessage id="organisations.invitations.sentOn" />
                  </th>
                  <th scope="col">
                    <FormattedMessage id="organisations.invitations.expiresOn" />
                  </th>
                  <th scope="col">
                    <FormattedMessage id="organisations.invitations.invitedBy" />
                  </th>
                  {(canInvite || canRevoke) && status !== "accepted" && status !== "revoked" && (
                    <th scope="col">
                      <FormattedMessage id="organisations.members.actions" />
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {invitations.items.map((inv) => {
                  const mine = offer.includes(inv.role);
                  return (
                    <tr key={inv.id}>
                      <th scope="row" className="org-wrap">
                        {inv.email}
                      </th>
                      <td data-label={label("organisations.invitations.role")}>
                        <RoleTag role={inv.role} />
                      </td>
                      <td data-label={label("organisations.invitations.state")}>
                        <span className={`tag${inv.state === "expired" ? " tag--warning" : ""}`}>
                          <FormattedMessage id={`organisations.invitations.state.${inv.state}`} />
                        </span>
                      </td>
                      <td data-label={label("organisations.invitations.sentOn")}>{intl.formatDate(inv.createdAt, { dateStyle: "medium" })}</td>
                      <td data-label={label("organisations.invitations.expiresOn")}>{inv.state === "pending" || inv.state === "expired" ? intl.formatDate(inv.expiresAt, { dateStyle: "medium", timeStyle: "short" }) : "—"}</td>
                      <td className="org-wrap" data-label={label("organisations.invitations.invitedBy")}>{inv.invitedBy ?? "—"}</td>
                      {(canInvite || canRevoke) && status !== "accepted" && status !== "revoked" && (
                        <td data-label="">
                          {inv.status === "pending" && mine && (
                            <div className="org-inline-form">
                              {canInvite && (
                                <Form method="post" action={href(status, invitations.page)}>
                                  <input type="hidden" name="intent" value="resend" />
                                  <input type="hidden" name="invitationId" value={inv.id} />
                                  <button type="submit" className="button--secondary button--small" disabled={submitting}>
                                    <FormattedMessage id="organisations.invitations.resend" />
                                    <span className="visually-hidden"> {inv.email}</span>
                                  </button>
                                </Form>
                              )}
                              {canRevoke && (
                                <Form method="post" action={href(status, invitations.page)}>
                                  <input type="hidden" name="intent" value="revoke" />
                                  <input type="hidden" name="invitationId" value={inv.id} />
                                  <button type="submit" className="button--secondary button--small" disabled={submitting}>
                                    <FormattedMessage id="organisations.invitations.revoke" />
                                    <span className="visually-hidden"> {inv.email}</span>
                                  </button>
                                </Form>
                              )}
                            </div>
                          )}
                        </td>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <Pagination page={invitations.page} pageSize={invitations.pageSize} total={invitations.total} href={(p) => href(status, p)} />
      </section>
    </>
  );
}
