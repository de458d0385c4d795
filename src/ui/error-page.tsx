import { FormattedMessage, useIntl } from "react-intl";
import { Link } from "react-router";

/** The friendly 404, 403 and error page: says what happened, reassures, offers a way on. */
export function ErrorPage({ status, requestId }: { status: number; requestId: string }) {
  const intl = useIntl();
  const kind = status === 404 ? "notFound" : status === 403 ? "forbidden" : "error";
  return (
    <div className="page narrow" data-testid={kind === "notFound" ? "not-found" : kind === "forbidden" ? "forbidden" : "error-page"}>
      <title>{`${intl.formatMessage({ id: `common.${kind}Title` })} · Balint Commons`}</title>
      <p className="eyebrow">{status}</p>
      <h1>
        <FormattedMessage id={`common.${kind}Title`} />
      </h1>
      <p className="lead">
        <FormattedMessage id={`common.${kind}Body`} values={{ requestId }} />
      </p>
      <p>
        <Link className="button" to="/">
          <FormattedMessage id="common.goHome" />
        </Link>
      </p>
    </div>
  );
}
