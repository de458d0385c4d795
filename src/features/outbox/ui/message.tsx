import { Fragment, useSyncExternalStore } from "react";
import { FormattedMessage, useIntl } from "react-intl";
import { Link, data } from "react-router";
import type { Route } from "./+types/message";
import { getRequestContext } from "../../../ui/request-context.ts";
import { isAppError } from "../../../platform/http/errors.ts";
import { DevOnlyNote } from "./outbox.tsx";
import stylesUrl from "./outbox.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: stylesUrl }];

export function meta() {
  return [{ title: "Email · Development outbox · Balint Commons" }, { name: "robots", content: "noindex" }];
}

export async function loader({ context, params }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  try {
    return { message: await ctx.services.outbox.get(params.id), from: ctx.services.kernel.config.mailFrom };
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") throw data(null, { status: 404 });
    throw error;
  }
}

const noSubscription = () => () => {};

/**
 * The HTML version in a fully sandboxed frame. The frame is created afresh once the page is
 * hydrated: a server-rendered srcdoc frame that React hydrates stays blank in Chromium.
 */
function HtmlPreview({ html, title }: { html: string; title: string }) {
  const hydrated = useSyncExternalStore(noSubscription, () => true, () => false);
  return <iframe key={hydrated ? "client" : "server"} className="mail-html" title={title} sandbox="" srcDoc={html} />;
}

const URL_PATTERN = /(https?:\/\/[^\s<>"']+)/g;

/** Plain text with its web addresses turned into links. */
function LinkedText({ text }: { text: string }) {
  const parts = text.split(URL_PATTERN);
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <a key={i} href={part}>
            {part}
          </a>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </>
  );
}

export default function OutboxMessage({ loaderData }: Route.ComponentProps) {
  const intl = useIntl();
  const { message: m, from } = loaderData;
  return (
    <div className="page">
      <p>
        <Link to="/dev/outbox">
          <FormattedMessage id="outbox.backToList" />
        </Link>
      </p>
      <h1>{m.subject}</h1>
      <DevOnlyNote />
      <section aria-labelledby="headers-title" className="card">
        <h2 id="headers-title" className="visually-hidden">
          <FormattedMessage id="outbox.headers" />
        </h2>
        <dl className="mail-headers">
          <dt><FormattedMessage id="outbox.from" /></dt>
          <dd>{from}</dd>
          <dt><FormattedMessage id="outbox.col.to" /></dt>
          <dd>{m.toAddress}</dd>
          <dt><FormattedMessage id="outbox.col.subject" /></dt>
          <dd>{m.subject}</dd>
          <dt><FormattedMessage id="outbox.col.time" /></dt>
          <dd>
            <time dateTime={new Date(m.createdAt).toISOString()}>{intl.formatDate(m.createdAt, { dateStyle: "medium", timeStyle: "medium" })}</time>
          </dd>
          <dt><FormattedMessage id="outbox.col.status" /></dt>
          <dd>
            <FormattedMessage id={`outbox.status.${m.status}`} />
            {m.error ? ` (${m.error})` : null}
          </dd>
          <dt><FormattedMessage id="outbox.template" /></dt>
          <dd>
            <code>{m.template}</code>
          </dd>
        </dl>
      </section>
      <section aria-labelledby="text-title">
        <h2 id="text-title">
          <FormattedMessage id="outbox.textVersion" />
        </h2>
        {m.textBody ? (
          <pre className="mail-text">
            <LinkedText text={m.textBody} />
          </pre>
        ) : (
          <p className="empty-state">
            <FormattedMessage id="outbox.noBody" />
          </p>
        )}
      </section>
      <section aria-labelledby="html-title">
        <h2 id="html-title">
          <FormattedMessage id="outbox.htmlVersion" />
        </h2>
        {m.htmlBody ? (
          <HtmlPreview html={m.htmlBody} title={intl.formatMessage({ id: "outbox.htmlFrameTitle" }, { subject: m.subject })} />
        ) : (
          <p className="empty-state">
            <FormattedMessage id="outbox.noBody" />
          </p>
        )}
      </section>
    </div>
  );
}
