import { FormattedMessage, useIntl } from "react-intl";
import { Link, data } from "react-router";
import type { Route } from "./+types/public-list";
import { getRequestContext } from "../../../ui/request-context.ts";
import { isAppError } from "../../../platform/http/errors.ts";
import { When } from "./shared.tsx";

export async function loader({ params, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  try {
    return await ctx.services.events.publicEvents(params.orgSlug);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") throw data(null, { status: 404 });
    throw error;
  }
}

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `${loaderData.organisation.name} · Balint Commons` : "Balint Commons" }];
}

type EventItem = Route.ComponentProps["loaderData"]["upcoming"][number];

function EventList({ items, orgSlug }: { items: EventItem[]; orgSlug: string }) {
  const intl = useIntl();
  if (items.length === 0) return <p><FormattedMessage id="events.public.none" /></p>;
  return (
    <ul className="card-list">
      {items.map((e) => (
        <li key={e.id} className="card">
          <h3>
            <Link to={`/events/${orgSlug}/${e.slug}`}>{e.title}</Link>
          </h3>
          <p>
            {intl.formatMessage({ id: `events.kind.${e.kind}` })} · {intl.formatMessage({ id: `events.format.${e.format}` })}
            {e.startsAt && (
              <>
                {" · "}
                <When iso={e.startsAt} timeZone={e.timeZone} dateOnly /> – <When iso={e.endsAt} timeZone={e.timeZone} dateOnly />
              </>
            )}
          </p>
          {e.status === "cancelled" ? (
            <p><FormattedMessage id="events.page.cancelled" /></p>
          ) : (
            <p><FormattedMessage id="events.public.seatsLeft" values={{ count: e.seatsLeft }} /></p>
          )}
        </li>
      ))}
    </ul>
  );
}

export default function PublicEvents({ loaderData }: Route.ComponentProps) {
  const { organisation, upcoming, past, packages } = loaderData;
  return (
    <div className="page">
      <h1><FormattedMessage id="events.public.title" values={{ organisation: organisation.name }} /></h1>
      <section aria-labelledby="upcoming">
        <h2 id="upcoming"><FormattedMessage id="events.public.upcoming" /></h2>
        <EventList items={upcoming} orgSlug={organisation.slug} />
      </section>
      {packages.length > 0 && (
        <section aria-labelledby="packages">
          <h2 id="packages"><FormattedMessage id="events.public.packages" /></h2>
          <ul>
            {packages.map((p) => (
              <li key={p.id}>
                <Link to={`/events/${organisation.slug}/series/${p.slug}`}><strong>{p.title}</strong></Link>: {p.events.map((e) => e.title).join(" · ")}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="past">
        <h2 id="past"><FormattedMessage id="events.public.past" /></h2>
        <EventList items={past} orgSlug={organisation.slug} />
      </section>
    </div>
  );
}
