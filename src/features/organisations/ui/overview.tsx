import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, data, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/overview";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, type ActionResult } from "../../../ui/forms.tsx";
import { LOCALE_NAMES, isLocale } from "../../../platform/i18n/locales.ts";
import { OrgPageError, RoleTag, attempt, loadOr } from "./shared.tsx";

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const svc = ctx.services.organisations;
  const org = await loadOr(request, () => svc.getBySlug(ctx.actor, params.slug));
  const [members, invitations] = await Promise.all([
    org.permissions.includes("members:read") ? svc.listMembers(ctx.actor, org.id, { pageSize: 1 }).then((p) => p.total) : null,
    org.permissions.includes("invitations:read") ? svc.listInvitations(ctx.actor, org.id, { status: "pending", pageSize: 1 }).then((p) => p.total) : null,
  ]);
  const url = new URL(request.url);
  return {
    org,
    memberCount: members,
    pendingInvitations: invitations,
    welcome: url.searchParams.get("welcome") === "1",
    joined: url.searchParams.get("joined") === "1",
    confirmLeave: url.searchParams.get("leave") === "1",
    emailVerified: ctx.user?.emailVerified ?? true,
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  const form = await request.formData();
  const svc = ctx.services.organisations;
  const org = await loadOr(request, () => svc.getBySlug(ctx.actor, params.slug));
  if (form.get("intent") !== "leave") return data({ ok: false, message: "Unknown action.", fields: [] } satisfies ActionResult, { status: 400 });
  const result = await attempt(() => svc.leave(ctx.actor, org.id, ctx));
  if (!result.ok) return data(result.failure, { status: result.status });
  return redirect("/home");
}

export { OrgPageError as ErrorBoundary };

export default function Overview({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const navigation = useNavigation();
  const { org, memberCount, pendingInvitations, welcome, joined, confirmLeave, emailVerified } = loaderData;
  const result = actionData as ActionResult | undefined;
  const base = `/o/${org.slug}`;
  const can = (p: string) => org.permissions.includes(p as never);
  return (
    <>
      {welcome && (
        <section className="notice notice--success" aria-labelledby="welcome-title">
          <h2 id="welcome-title">
            <FormattedMessage id="organisations.overview.welcomeTitle" />
          </h2>
          <p>
            <FormattedMessage id="organisations.overview.welcomeBody" />
          </p>
          <ol>
            {!emailVerified && (
              <li>
                <Link to="/account/security">
                  <FormattedMessage id="organisations.overview.welcomeVerify" />
                </Link>
              </li>
            )}
            {can("organisation:update") && (
              <li>
                <Link to={`${base}/settings`}>
                  <FormattedMessage id="organisations.overview.welcomeSettings" />
                </Link>
              </li>
            )}
            {can("members:invite") && (
              <li>
                <Link to={`${base}/invitations`}>
                  <FormattedMessage id="organisations.overview.welcomeInvite" />
                </Link>
              </li>
            )}
          </ol>
        </section>
      )}
      {joined && (
        <div className="notice notice--success" role="status">
          <FormattedMessage id="organisations.overview.joined" values={{ name: org.name }} />
        </div>
      )}
      <ErrorSummary result={result} />
      <div className="grid">
        <section className="card org-card" aria-labelledby="about-title">
          <h2 id="about-title">
            <FormattedMessage id="organisations.overview.about" />
          </h2>
          <dl className="org-facts">
            <dt>
              <FormattedMessage id="organisations.overview.yourRole" />
            </dt>
            <dd>
              <RoleTag role={org.myRole} />
            </dd>
            <dt>
              <FormattedMessage id="organisations.overview.kind" />
            </dt>
            <dd>{intl.formatMessage({ id: `setup.kind.${org.kind}` })}</dd>
            <dt>
              <FormattedMessage id="organisations.overview.timeZone" />
            </dt>
            <dd>{org.timeZone}</dd>
            <dt>
              <FormattedMessage id="organisations.overview.defaultLocale" />
            </dt>
            <dd>{isLocale(org.defaultLocale) ? LOCALE_NAMES[org.defaultLocale] : org.defaultLocale}</dd>
            {memberCount !== null && (
              <>
                <dt>
                  <FormattedMessage id="organisations.overview.members" />
                </dt>
                <dd>
                  <Link to={`${base}/members`}>
                    <FormattedMessage id="organisations.overview.memberCount" values={{ count: memberCount }} />
                  </Link>
                </dd>
              </>
            )}
            {pendingInvitations !== null && (
              <>
                <dt>
                  <FormattedMessage id="organisations.overview.invitations" />
                </dt>
                <dd>
                  <Link to={`${base}/invitations`}>
                    <FormattedMessage id="organisations.overview.pendingCount" values={{ count: pendingInvitations }} />
                  </Link>
                </dd>
              </>
            )}
          </dl>
        </section>
        <section className="card org-card" aria-labelledby="support-title">
          <h2 id="support-title">
            <FormattedMessage id="organisations.overview.support" />
          </h2>
          {org.settings.supportUrl || org.settings.contactEmail ? (
            <ul>
              {org.settings.supportUrl && (
                <li>
                  <a href={org.settings.supportUrl} rel="noopener noreferrer">
                    <FormattedMessage id="organisations.overview.supportLink" />
                  </a>
                </li>
              )}
              {org.settings.contactEmail && (
                <li>
                  <FormattedMessage id="organisations.overview.contact" />{" "}
                  <a href={`mailto:${org.settings.contactEmail}`}>{org.settings.contactEmail}</a>
                </li>
              )}
            </ul>
          ) : (
            <p className="org-count">
              <FormattedMessage id="organisations.overview.noSupport" />
            </p>
          )}
          <p>
            <FormattedMessage id="organisations.overview.privacy" values={{ size: org.settings.minimumCellSize }} />
          </p>
        </section>
      </div>
      <section aria-labelledby="leave-title">
        <h2 id="leave-title">
          <FormattedMessage id="organisations.overview.leaveTitle" />
        </h2>
        {confirmLeave ? (
          <div className="card org-confirm">
            <p>
              <FormattedMessage id="organisations.overview.leaveConfirm" values={{ name: org.name }} />
            </p>
            <Form method="post" className="actions">
              <input type="hidden" name="intent" value="leave" />
              <button type="submit" className="button--danger" disabled={navigation.state === "submitting"}>
                <FormattedMessage id="organisations.overview.leaveYes" />
              </button>
              <Link to={base}>
                <FormattedMessage id="common.cancel" />
              </Link>
            </Form>
          </div>
        ) : (
          <p>
            <FormattedMessage id="organisations.overview.leaveBody" />{" "}
            <Link to={`${base}?leave=1`}>
              <FormattedMessage id="organisations.overview.leaveLink" />
            </Link>
          </p>
        )}
      </section>
    </>
  );
}
