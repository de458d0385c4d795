import { FormattedMessage } from "react-intl";
import { Link, redirect } from "react-router";
import type { Route } from "./+types/observation-mine";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ObservationCard } from "./observation-shared.tsx";

// /account/observations: what faculty observed of me as a leader in training, and the events
// where I observe leaders in training (links to the form).

export function meta() {
  return [{ title: "Observations · Balint Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect(`/sign-in?redirectTo=${encodeURIComponent(new URL(request.url).pathname)}`);
  const svc = ctx.services.eventObservations;
  const [mine, observing] = await Promise.all([svc.mine(ctx.actor), svc.eventsIObserve(ctx.actor)]);
  return { observations: mine.items, observing: observing.items };
}

export default function MyObservations({ loaderData }: Route.ComponentProps) {
  const { observations, observing } = loaderData;
  return (
    <div className="page narrow">
      <h1><FormattedMessage id="events.observation.mineTitle" /></h1>
      <p><Link to="/account/intensives"><FormattedMessage id="events.mine.intensivesLink" /></Link></p>
      <section aria-labelledby="about-me">
        <h2 id="about-me"><FormattedMessage id="events.observation.aboutMe" /></h2>
        {observations.length === 0 ? (
          <p><FormattedMessage id="events.observation.noneAboutMe" /></p>
        ) : (
          <ul className="card-list">
            {observations.map((o) => (
              <ObservationCard key={o.id} observation={o} showLeader={false} />
            ))}
          </ul>
        )}
      </section>
      {observing.length > 0 && (
        <section aria-labelledby="observing">
          <h2 id="observing"><FormattedMessage id="events.observation.observing" /></h2>
          <ul>
            {observing.map((e) => (
              <li key={e.eventId}>
                <Link to={`/observe/${e.organisationId}/${e.eventId}`}>{e.title}</Link> ({e.orgName})
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
