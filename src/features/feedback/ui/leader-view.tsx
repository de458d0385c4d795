import { FormattedMessage, useIntl } from "react-intl";
import { Link } from "react-router";
import type { Route } from "./+types/leader-view";
import { getRequestContext } from "../../../ui/request-context.ts";
import { loadOr } from "../../organisations/ui/shared.tsx";
import { FEEDBACK_SCALE, FEEDBACK_VALUES } from "../privacy.ts";
import styles from "./feedback.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export function meta() {
  return [{ title: "Group feedback · Balint Commons" }];
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  const view = await loadOr(request, () => ctx.services.feedback.leaderView(ctx.actor, org.id, params.groupId));
  return { slug: org.slug, view };
}

type Item = Route.ComponentProps["loaderData"]["view"]["scoreBins"][number]["summary"]["items"][number];

function Distribution({ item, label }: { item: Item; label: string }) {
  const intl = useIntl();
  const max = Math.max(1, ...item.distribution);
  const scale = (p: number) => `${p} · ${intl.formatMessage({ id: `feedback.scale.${p}` })}`;
  const chartId = `chart-${item.item}`;
  return (
    <>
      <figure className="feedback-figure" aria-labelledby={chartId}>
        <figcaption id={chartId}>
          <strong>{label}</strong> — <FormattedMessage id="feedback.leaders.mean" values={{ mean: intl.formatNumber(item.mean, { maximumFractionDigits: 2 }) }} />
        </figcaption>
        <ul className="feedback-chart" aria-label={intl.formatMessage({ id: "feedback.leaders.chartLabel" }, { item: label })}>
          {FEEDBACK_SCALE.map((p, i) => (
            <li key={p}>
              <span>{scale(p)}</span>
              <span className="feedback-chart__bar" style={{ width: `${(item.distribution[i]! / max) * 100}%` }} aria-hidden="true" />
              <span>{item.distribution[i]}</span>
            </li>
          ))}
        </ul>
      </figure>
      <details>
        <summary>
          <FormattedMessage id="feedback.leaders.tableCaption" values={{ item: label }} />
        </summary>
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">
              <FormattedMessage id="feedback.leaders.tableCaption" values={{ item: label }} />
            </caption>
            <thead>
              <tr>
                <th scope="col">
                  <FormattedMessage id="feedback.leaders.point" />
                </th>
                <th scope="col">
                  <FormattedMessage id="feedback.leaders.count" />
                </th>
              </tr>
            </thead>
            <tbody>
              {FEEDBACK_SCALE.map((p, i) => (
                <tr key={p}>
                  <th scope="row">{scale(p)}</th>
                  <td>{item.distribution[i]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}

export default function LeaderFeedback({ loaderData }: Route.ComponentProps) {
  const intl = useIntl();
  const { view, slug } = loaderData;
  const day = (iso: string) => intl.formatDate(iso, { day: "numeric", month: "long", year: "numeric" });
  const range = (b: { fromOccurrence: string; toOccurrence: string }) =>
    b.fromOccurrence === b.toOccurrence ? intl.formatMessage({ id: "feedback.leaders.binOne" }, { from: day(b.fromOccurrence) }) : intl.formatMessage({ id: "feedback.leaders.bin" }, { from: day(b.fromOccurrence), to: day(b.toOccurrence) });
  return (
    <div className="page feedback">
      <p>
        <Link to={`/o/${slug}/groups/${view.groupId}`}>
          <FormattedMessage id="feedback.leaders.back" />
        </Link>
      </p>
      <h1>
        <FormattedMessage id="feedback.leaders.title" values={{ group: view.groupName }} />
      </h1>
      <p className="lead">
        <FormattedMessage id="feedback.leaders.intro" values={{ min: view.minCell, commentMin: view.commentMinCell }} />
      </p>
      <p>
        <FormattedMessage id="feedback.leaders.rules" values={{ days: view.windowDays }} />
      </p>
      <p className="notice" role="status">
        {view.gatheringAfter ? <FormattedMessage id="feedback.leaders.gatheringAfter" values={{ date: day(view.gatheringAfter) }} /> : view.scoreBins.length === 0 ? <FormattedMessage id="feedback.leaders.none" /> : <FormattedMessage id="feedback.leaders.gathering" />}
      </p>
      {view.scoreBins.map((b) => (
        <section key={`s${b.seq}`} className="card feedback-bin" aria-labelledby={`bin-${b.seq}`}>
          <h2 id={`bin-${b.seq}`}>{range(b)}</h2>
          <p>
            <FormattedMessage id="feedback.leaders.responses" values={{ count: b.responses, min: b.minCell }} />
          </p>
          {b.summary.items.map((item) => (
            <Distribution key={item.item} item={item} label={intl.formatMessage({ id: `feedback.item.${item.item}` })} />
          ))}
          <h3>
            <FormattedMessage id="feedback.leaders.values" />
          </h3>
          <ul>
            {FEEDBACK_VALUES.map((v) => (
              <li key={v}>
                <FormattedMessage id="feedback.leaders.valueCount" values={{ value: intl.formatMessage({ id: `feedback.value.${v}` }), count: b.summary.values[v] }} />
              </li>
            ))}
          </ul>
        </section>
      ))}
      {view.commentBins.length > 0 && (
        <section aria-labelledby="comments-title">
          <h2 id="comments-title">
            <FormattedMessage id="feedback.leaders.comments" />
          </h2>
          {view.commentBins.map((b) => (
            <section key={`c${b.seq}`} className="card feedback-bin">
              <h3>
                <FormattedMessage id="feedback.leaders.commentBin" values={{ from: day(b.fromOccurrence), to: day(b.toOccurrence), count: b.comments.length }} />
              </h3>
              <ul>
                {b.comments.map((c, i) => (
                  <li key={i}>{c}</li>
                ))}
              </ul>
            </section>
          ))}
        </section>
      )}
    </div>
  );
}
