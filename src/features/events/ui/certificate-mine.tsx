import { FormattedMessage, useIntl } from "react-intl";
import { Link } from "react-router";
import type { Route } from "./+types/certificate-mine";
import { getRequestContext } from "../../../ui/request-context.ts";
import { loadOr } from "../../organisations/ui/shared.tsx";

// The participant's own page: published small groups, attendance and CE certificates.
export function meta() {
  return [{ title: "My intensives · Balint Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const svc = ctx.services.eventRosters;
  const [groups, attended, certificates] = await loadOr(request, () => Promise.all([svc.myRosterGroups(ctx.actor), svc.myAttendance(ctx.actor), svc.myCertificates(ctx.actor)]));
  return { groups, attended, certificates };
}

export default function MyIntensives({ loaderData }: Route.ComponentProps) {
  const intl = useIntl();
  const { groups, attended, certificates } = loaderData;
  const list = (names: string[]) => intl.formatList(names, { type: "conjunction" });
  return (
    <div className="page">
      <h1>
        <FormattedMessage id="eventRoster.mine.title" />
      </h1>
      <p>
        <Link to="/account/observations"><FormattedMessage id="events.observation.mineLink" /></Link>
      </p>
      <section aria-labelledby="mine-groups">
        <h2 id="mine-groups">
          <FormattedMessage id="eventRoster.mine.groups" />
        </h2>
        {groups.length === 0 ? (
          <p>
            <FormattedMessage id="eventRoster.mine.noGroups" />
          </p>
        ) : (
          <ul className="stack">
            {groups.map((g) => (
              <li key={g.eventId} className="card" data-testid="my-group">
                <strong>
                  <FormattedMessage id="eventRoster.mine.groupAt" values={{ group: g.groupName, event: g.eventTitle, organisation: g.organisationName }} />
                </strong>
                <p>{g.members.length ? <FormattedMessage id="eventRoster.mine.with" values={{ names: list(g.members) }} /> : <FormattedMessage id="eventRoster.mine.alone" />}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="mine-certificates">
        <h2 id="mine-certificates">
          <FormattedMessage id="eventRoster.mine.certificates" />
        </h2>
        {certificates.length === 0 ? (
          <p>
            <FormattedMessage id="eventRoster.mine.noCertificates" />
          </p>
        ) : (
          <ul className="stack">
            {certificates.map((c) => (
              <li key={c.id} className="card" data-testid="my-certificate">
                <FormattedMessage id="eventRoster.mine.certificate" values={{ event: c.eventTitle, hours: intl.formatNumber(c.hours), code: c.code }} />
                {c.revoked ? (
                  <>
                    {" "}
                    (<FormattedMessage id="eventRoster.mine.revoked" />)
                  </>
                ) : (
                  <p>
                    <a href={`/api/v1/certificates/${c.code}/pdf`} download>
                      <FormattedMessage id="eventRoster.mine.download" />
                    </a>
                    {" · "}
                    <a href={`/verify/certificate/${c.code}`}>
                      <FormattedMessage id="eventRoster.mine.verify" />
                    </a>
                  </p>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="mine-attended">
        <h2 id="mine-attended">
          <FormattedMessage id="eventRoster.mine.attended" />
        </h2>
        {attended.length === 0 ? (
          <p>
            <FormattedMessage id="eventRoster.mine.noAttendance" />
          </p>
        ) : (
          <ul>
            {attended.map((a) => (
              <li key={a.eventId}>
                <FormattedMessage id="eventRoster.mine.attendedRow" values={{ event: a.title, days: a.daysAttended, hours: intl.formatNumber(a.creditHours) }} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
