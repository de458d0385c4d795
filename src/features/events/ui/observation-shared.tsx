import { FormattedMessage, useIntl } from "react-intl";
import { isDefaultCompetency } from "../competencies.ts";

/** A competency's name: translated for the built-in ones, the organisation's label otherwise. */
export function CompetencyName({ competency, label }: { competency: string; label: string }) {
  const intl = useIntl();
  return <>{isDefaultCompetency(competency) ? intl.formatMessage({ id: `events.competency.${competency}` }) : label}</>;
}

export interface ObservationCardData {
  id: string;
  event: { title: string };
  session: { title: string } | null;
  observer: { name: string | null };
  leader: { name: string };
  organisation: { name: string };
  observedOn: string;
  ratings: { competency: string; label: string; level: number }[];
  narrative: string;
}

export function ObservationCard({ observation: o, showLeader }: { observation: ObservationCardData; showLeader: boolean }) {
  const intl = useIntl();
  const day = intl.formatDate(`${o.observedOn}T12:00:00Z`, { dateStyle: "long", timeZone: "UTC" });
  return (
    <li className="card" data-testid="observation">
      <h3>
        {showLeader ? (
          <FormattedMessage id="events.observation.cardLeader" values={{ leader: o.leader.name, date: day }} />
        ) : (
          <FormattedMessage id="events.observation.cardEvent" values={{ event: o.event.title, date: day }} />
        )}
      </h3>
      <p>
        <FormattedMessage id="events.observation.by" values={{ observer: o.observer.name ?? "—", organisation: o.organisation.name }} />
        {o.session && <> · {o.session.title}</>}
      </p>
      <table>
        <caption className="visually-hidden"><FormattedMessage id="events.observation.ratings" /></caption>
        <thead>
          <tr>
            <th scope="col"><FormattedMessage id="events.observation.competency" /></th>
            <th scope="col"><FormattedMessage id="events.observation.levelCol" /></th>
          </tr>
        </thead>
        <tbody>
          {o.ratings.map((r) => (
            <tr key={r.competency}>
              <th scope="row"><CompetencyName competency={r.competency} label={r.label} /></th>
              <td>{intl.formatMessage({ id: "events.observation.levelOption" }, { level: r.level, label: intl.formatMessage({ id: `events.observation.level.${r.level}` }) })}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {o.narrative && <p className="prewrap">{o.narrative}</p>}
    </li>
  );
}
