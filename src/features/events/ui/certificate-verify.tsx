import { FormattedMessage, useIntl } from "react-intl";
import { Form, redirect } from "react-router";
import type { Route } from "./+types/certificate-verify";
import { getRequestContext } from "../../../ui/request-context.ts";

// Public: anyone holding a certificate's code can check it. Shows only what the certificate says.
export function meta() {
  return [{ title: "Check a certificate · Balint Commons" }, { name: "robots", content: "noindex" }];
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const typed = new URL(request.url).searchParams.get("code");
  if (!params.code && typed) throw redirect(`/verify/certificate/${encodeURIComponent(typed.trim().slice(0, 40))}`);
  if (!params.code) return { result: null };
  return { result: await ctx.services.eventRosters.verifyCertificate(params.code) };
}

export default function VerifyCertificate({ loaderData }: Route.ComponentProps) {
  const intl = useIntl();
  const { result } = loaderData;
  const day = (iso: string) => intl.formatDate(`${iso.slice(0, 10)}T12:00:00Z`, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  return (
    <div className="page">
      <h1>
        <FormattedMessage id="eventVerify.title" />
      </h1>
      {result && (
        <section className={result.status === "valid" ? "card notice notice--success" : "card notice"} aria-labelledby="verify-status">
          <h2 id="verify-status" data-status={result.status}>
            <FormattedMessage id={`eventVerify.${result.status}`} />
          </h2>
          {result.status === "unknown" ? (
            <p>
              <FormattedMessage id="eventVerify.unknownHint" />
            </p>
          ) : (
            <dl>
              <dt>
                <FormattedMessage id="eventVerify.person" />
              </dt>
              <dd>{result.personName}</dd>
              <dt>
                <FormattedMessage id="eventVerify.event" />
              </dt>
              <dd>{result.eventTitle}</dd>
              <dt>
                <FormattedMessage id="eventVerify.organisation" />
              </dt>
              <dd>{result.organisationName}</dd>
              <dt>
                <FormattedMessage id="eventVerify.dates" />
              </dt>
              <dd>{result.firstDay === result.lastDay ? day(result.firstDay!) : `${day(result.firstDay!)} – ${day(result.lastDay!)}`}</dd>
              <dt>
                <FormattedMessage id="eventVerify.hours" />
              </dt>
              <dd>{intl.formatNumber(result.hours ?? 0)}</dd>
              <dt>
                <FormattedMessage id="eventVerify.issuedAt" />
              </dt>
              <dd>{day(result.issuedAt!)}</dd>
            </dl>
          )}
          <p>
            <FormattedMessage id="eventVerify.code" />: <code>{result.code}</code>
          </p>
        </section>
      )}
      <Form method="get" action="/verify/certificate" className="card">
        <label htmlFor="verify-code">
          <FormattedMessage id="eventVerify.code" />
        </label>
        <input id="verify-code" name="code" required maxLength={40} autoComplete="off" spellCheck={false} defaultValue={result?.code ?? ""} />
        <button type="submit">
          <FormattedMessage id="eventVerify.check" />
        </button>
      </Form>
    </div>
  );
}
