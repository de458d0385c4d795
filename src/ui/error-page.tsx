import { FormattedMessage } from "react-intl";
import { Link } from "react-router";

/** The friendly 404 and error page: says what happened, reassures, offers a way on. */
export function ErrorPage({ status, requestId }: { status: number; requestId: string }) {
  const notFound = status === 404;
  return (
    <div className="page narrow" data-testid={notFound ? "not-found" : "error-page"}>
      <p className="eyebrow">{status}</p>
      <h1>{notFound ? <FormattedMessage id="common.notFoundTitle" /> : <FormattedMessage id="common.errorTitle" />}</h1>
      <p className="lead">
        {notFound ? <FormattedMessage id="common.notFoundBody" /> : <FormattedMessage id="common.errorBody" values={{ requestId }} />}
      </p>
      <p>
        <Link className="button" to="/">
          <FormattedMessage id="common.goHome" />
        </Link>
      </p>
    </div>
  );
}
