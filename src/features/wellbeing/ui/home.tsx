// /wellbeing — my open check-ins and a way to my results.
import { FormattedMessage, useIntl } from "react-intl";
import { Link, redirect } from "react-router";
import type { Route } from "./+types/home";
import { getRequestContext } from "../../../ui/request-context.ts";
import styles from "./wellbeing.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export function meta() {
  return [{ title: "Well-being check-ins · Balint Commons" }];
}

export async function loader({ context, request }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect(`/sign-in?redirectTo=${encodeURIComponent(new URL(request.url).pathname)}`);
  return ctx.services.wellbeing.myInvitations(ctx.actor);
}

export default function WellbeingHome({ loaderData }: Route.ComponentProps) {
  const intl = useIntl();
  return (
    <div className="page narrow">
      <h1>
        <FormattedMessage id="wellbeing.title" />
      </h1>
      <p className="lead">
        <FormattedMessage id="wellbeing.intro" />
      </p>
      <h2>
        <FormattedMessage id="wellbeing.open.title" />
      </h2>
      {loaderData.items.length === 0 ? (
        <p>
          <FormattedMessage id="wellbeing.open.none" />
        </p>
      ) : (
        <ul className="wb-list">
          {loaderData.items.map((i) => (
            <li key={i.waveId}>
              <FormattedMessage id="wellbeing.open.item" values={{ campaign: i.campaignName, organisation: i.organisationName, date: intl.formatDate(i.closesAt, { day: "numeric", month: "long", year: "numeric" }) }} />{" "}
              (<FormattedMessage id={`wellbeing.mode.${i.mode}`} />){" "}
              <Link to={`/wellbeing/checkin/${i.organisationId}/${i.waveId}`}>
                <FormattedMessage id="wellbeing.open.action" />
              </Link>
            </li>
          ))}
        </ul>
      )}
      <p>
        <Link to="/wellbeing/results">
          <FormattedMessage id="wellbeing.results.link" />
        </Link>
      </p>
    </div>
  );
}
