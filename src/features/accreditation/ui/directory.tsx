import { FormattedMessage, useIntl } from "react-intl";
import { Form, data } from "react-router";
import type { Route } from "./+types/directory";
import { getRequestContext } from "../../../ui/request-context.ts";
import { isAppError } from "../../../platform/http/errors.ts";

// Public, server-rendered directory of accredited leaders who opted in (brief R). Each listing is
// shown only while its person holds a valid credential of the listing's organisation.
export function meta() {
  return [{ title: "Accredited Balint group leaders · Balint Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const url = new URL(request.url);
  const filters = {
    q: url.searchParams.get("q") ?? "",
    language: url.searchParams.get("language") ?? "",
    region: url.searchParams.get("region") ?? "",
    online: url.searchParams.get("online") ?? "",
    inPerson: url.searchParams.get("inPerson") ?? "",
    coLeading: url.searchParams.get("coLeading") ?? "",
  };
  const query = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== ""));
  try {
    return { filters, leaders: await ctx.services.credentials.searchDirectory(query) };
  } catch (error) {
    if (isAppError(error) && error.code === "validation_failed") throw data(null, { status: 400 });
    throw error;
  }
}

export default function Directory({ loaderData }: Route.ComponentProps) {
  const intl = useIntl();
  const { filters, leaders } = loaderData;
  const languageName = (tag: string) => {
    try {
      return new Intl.DisplayNames([intl.locale], { type: "language" }).of(tag) ?? tag;
    } catch {
      return tag;
    }
  };
  return (
    <div className="page">
      <h1>
        <FormattedMessage id="directory.title" />
      </h1>
      <p>
        <FormattedMessage id="directory.intro" />
      </p>
      <Form method="get" className="card" role="search">
        <label htmlFor="directory-q"><FormattedMessage id="directory.q" /></label>
        <input id="directory-q" name="q" maxLength={80} defaultValue={filters.q} />
        <label htmlFor="directory-language"><FormattedMessage id="directory.language" /></label>
        <input id="directory-language" name="language" maxLength={12} defaultValue={filters.language} placeholder="en" />
        <label htmlFor="directory-region"><FormattedMessage id="directory.region" /></label>
        <input id="directory-region" name="region" maxLength={80} defaultValue={filters.region} />
        {(["online", "inPerson", "coLeading"] as const).map((k) => (
          <div key={k} className="checkbox">
            <input id={`directory-${k}`} type="checkbox" name={k} value="1" defaultChecked={filters[k] !== ""} />
            <label htmlFor={`directory-${k}`}><FormattedMessage id={`directory.${k}`} /></label>
          </div>
        ))}
        <button type="submit"><FormattedMessage id="directory.search" /></button>
      </Form>
      <p role="status">
        <FormattedMessage id="directory.count" values={{ count: leaders.length }} />
      </p>
      {leaders.length === 0 ? (
        <p><FormattedMessage id="directory.empty" /></p>
      ) : (
        <ul className="stack">
          {leaders.map((l) => (
            <li key={`${l.organisationId}-${l.displayName}-${l.achievements[0]?.credentialId}`} className="card" data-testid="directory-leader">
              <h2>{l.displayName}</h2>
              <p>
                {l.organisationName}
                {l.region ? ` · ${l.region}` : ""}
              </p>
              {l.languages.length > 0 && (
                <p>
                  <FormattedMessage id="directory.languages" />: {intl.formatList(l.languages.map(languageName), { type: "conjunction" })}
                </p>
              )}
              <p>
                <FormattedMessage id="directory.modes" />:{" "}
                {intl.formatList(
                  [l.online ? intl.formatMessage({ id: "directory.online" }) : null, l.inPerson ? intl.formatMessage({ id: "directory.inPerson" }) : null, l.openToCoLeading ? intl.formatMessage({ id: "directory.coLeading" }) : null].filter((x): x is string => x !== null),
                  { type: "conjunction" },
                ) || "—"}
              </p>
              <ul>
                {l.achievements.map((a) => (
                  <li key={a.credentialId}>
                    {a.name} — <a href={`/verify/credential/${a.credentialId}`}><FormattedMessage id="directory.verify" /></a>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
