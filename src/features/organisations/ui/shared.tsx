import { FormattedMessage, useIntl } from "react-intl";
import { Link, data, isRouteErrorResponse, redirect, useRouteError } from "react-router";
import { isAppError } from "../../../platform/http/errors.ts";
import type { RoleName } from "../../../platform/tenancy/roles.ts";
import type { ActionFailure } from "../../../ui/forms.tsx";

/** Where to send a signed-out visitor so that they come back here afterwards. */
export function signInUrl(request: Request): string {
  const url = new URL(request.url);
  return `/sign-in?redirectTo=${encodeURIComponent(url.pathname + url.search)}`;
}

/**
 * Runs a service call in a loader and turns the expected failures into pages: signed out → sign
 * in and come back; not found or not yours → 404; not allowed for your role → 403.
 */
export async function loadOr<T>(request: Request, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isAppError(error)) {
      if (error.code === "unauthenticated") throw redirect(signInUrl(request));
      if (error.code === "not_found") throw data(null, { status: 404 });
      if (error.code === "forbidden") throw data(null, { status: 403 });
    }
    throw error;
  }
}

export function RoleTag({ role }: { role: RoleName }) {
  return (
    <span className="tag">
      <FormattedMessage id={`organisations.roleLabel.${role}`} />
    </span>
  );
}

/** Previous / page x of y / next, as plain links (works without JavaScript). */
export function Pagination({ page, pageSize, total, href }: { page: number; pageSize: number; total: number; href: (page: number) => string }) {
  const intl = useIntl();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  return (
    <nav className="pagination" aria-label={intl.formatMessage({ id: "organisations.pagination" })}>
      {page > 1 ? (
        <Link to={href(page - 1)} rel="prev">
          <FormattedMessage id="common.previous" />
        </Link>
      ) : (
        <span aria-hidden="true" />
      )}
      <span aria-current="page">
        <FormattedMessage id="common.pageOf" values={{ page, pages }} />
      </span>
      {page < pages ? (
        <Link to={href(page + 1)} rel="next">
          <FormattedMessage id="common.next" />
        </Link>
      ) : (
        <span aria-hidden="true" />
      )}
    </nav>
  );
}

/**
 * Error boundary for pages inside an organisation: rendered inside the organisation layout, so
 * the sub-navigation stays. 403 explains calmly; anything else reads as "not found" or a fault.
 */
export function OrgPageError() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return (
    <div role="alert" className="card">
      <h2>
        <FormattedMessage id={status === 403 ? "organisations.forbiddenTitle" : status === 404 ? "common.notFoundTitle" : "common.errorTitle"} />
      </h2>
      <p>
        <FormattedMessage id={status === 403 ? "organisations.forbiddenBody" : status === 404 ? "common.notFoundBody" : "organisations.errorBody"} />
      </p>
    </div>
  );
}

/** A success message from a form action, as a message id and its values. */
export interface Notice {
  id: string;
  values?: Record<string, string | number>;
}

export function NoticeBanner({ notice }: { notice: Notice | null | undefined }) {
  if (!notice) return null;
  return (
    <div className="notice notice--success" role="status">
      <FormattedMessage id={notice.id} values={notice.values} />
    </div>
  );
}

/**
 * Runs a form action's work. An AppError becomes the form's failure result with the error's own
 * HTTP status (400, 403, 409, 410…), so the form re-renders with the person's values.
 */
export async function attempt<T>(work: () => Promise<T>, values?: Record<string, string>): Promise<{ ok: true; value: T } | { ok: false; status: number; failure: ActionFailure }> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (isAppError(error)) {
      return { ok: false, status: error.status, failure: { ok: false, message: error.message, fields: error.fields ?? [], ...(values ? { values } : {}) } };
    }
    throw error;
  }
}
