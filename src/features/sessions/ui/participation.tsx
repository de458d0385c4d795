import { FormattedMessage, useIntl } from "react-intl";
import { redirect } from "react-router";
import type { Route } from "./+types/participation";
import { getRequestContext } from "../../../ui/request-context.ts";
import { AccountNav } from "../../../ui/account-nav.tsx";

export function meta() {
  return [{ title: "My Balint record · Balint Commons" }];
}

export async function loader({ context, request }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect(`/sign-in?redirectTo=${encodeURIComponent(new URL(request.url).pathname)}`);
  return ctx.services.sessions.myParticipationRecord(ctx.actor);
}

/** "My Balint record": meetings attended per group and meetings led or co-led, in the viewer's time zone. */
export default function Participation({ loaderData }: Route.ComponentProps) {
  const intl = useIntl();
  const when = (iso: string) => intl.formatDate(iso, { weekday: "short", day: "numeric", month: "long", year: "numeric", hour: "numeric", minute: "2-digit" });
  const { groups, attendedCount, ledCount, coLedCount } = loaderData;
  return (
    <div className="page narrow">
      <AccountNav />
      <h1>
        <FormattedMessage id="sessions.record.title" />
      </h1>
      <p className="lead">
        <FormattedMessage id="sessions.record.intro" />
      </p>
      <p className="card" data-testid="record-totals">
        <strong>
          <FormattedMessage id="sessions.record.totals" values={{ attended: attendedCount, led: ledCount, coLed: coLedCount }} />
        </strong>
      </p>
      {groups.length === 0 ? (
        <p className="empty-state">
          <FormattedMessage id="sessions.record.empty" />
        </p>
      ) : (
        groups.map((g) => (
          <section key={g.groupId} className="card" aria-labelledby={`record-${g.groupId}`}>
            <h2 id={`record-${g.groupId}`}>
              {g.groupName} <span className="field__hint">· {g.organisationName}</span>
            </h2>
            {g.attended.length > 0 && (
              <>
                <h3>
                  <FormattedMessage id="sessions.record.attended" values={{ count: g.attended.length }} />
                </h3>
                <ul>
                  {g.attended.map((start) => (
                    <li key={start}>
                      <time dateTime={start}>{when(start)}</time>
                    </li>
                  ))}
                </ul>
              </>
            )}
            {g.led.length > 0 && (
              <>
                <h3>
                  <FormattedMessage id="sessions.record.led" values={{ count: g.led.length }} />
                </h3>
                <ul>
                  {g.led.map((l) => (
                    <li key={l.occurrenceStart}>
                      <time dateTime={l.occurrenceStart}>{when(l.occurrenceStart)}</time> · <FormattedMessage id={`sessions.record.kind.${l.kind}`} />
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
        ))
      )}
    </div>
  );
}
