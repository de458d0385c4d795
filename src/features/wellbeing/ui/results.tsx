// /wellbeing/results — my confidential-mode results over time: one small SVG line chart per scale
// (role="img" with a title and description; no chart library) and the same figures as a table,
// calm band labels, the support resources when the latest result has the distress flag (shown to
// me only; the flag is computed on the fly, never stored), download (FHIR Bundle, CSV) and delete.
import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, data, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/results";
import { getRequestContext } from "../../../ui/request-context.ts";
import { isAppError } from "../../../platform/http/errors.ts";
import type { MyResult } from "../service.server.ts";
import styles from "./wellbeing.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export function meta() {
  return [{ title: "My well-being results · Balint Commons" }];
}

export async function loader({ context, request }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect(`/sign-in?redirectTo=${encodeURIComponent(new URL(request.url).pathname)}`);
  return ctx.services.wellbeing.myResults(ctx.actor);
}

export async function action({ context, request }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect("/sign-in");
  const form = await request.formData();
  if (form.get("intent") !== "delete") throw data(null, { status: 400 });
  if (form.get("confirm") !== "yes") return data({ ok: false as const, needConfirm: true }, { status: 400 });
  try {
    const out = await ctx.services.wellbeing.deleteMyData(ctx.actor);
    return { ok: true as const, deleted: out.deletedResponses };
  } catch (error) {
    if (isAppError(error)) throw data(null, { status: error.status });
    throw error;
  }
}

interface Series {
  key: string;
  scale: string;
  title: string;
  range: [number, number];
  points: { date: string; score: number; band: string | null }[];
}

function seriesOf(items: readonly MyResult[]): Series[] {
  const map = new Map<string, Series>();
  for (const r of items) {
    for (const s of r.scales) {
      if (s.score === null) continue;
      const key = `${r.instrumentId}:${s.id}`;
      let series = map.get(key);
      if (!series) {
        series = { key, scale: s.id, title: r.instrumentTitle, range: s.range, points: [] };
        map.set(key, series);
      }
      series.points.push({ date: r.answeredAt, score: s.score, band: s.band?.labelKey ?? null });
    }
  }
  return [...map.values()];
}

const W = 600;
const H = 220;
const PAD = { left: 44, right: 16, top: 16, bottom: 36 };

function Chart({ series, title, desc, dateLabel }: { series: Series; title: string; desc: string; dateLabel: (d: string) => string }) {
  const id = `wb-chart-${series.key.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  const [lo, hi] = series.range;
  const times = series.points.map((p) => new Date(p.date).getTime());
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const x = (t: number) => (t1 === t0 ? PAD.left + (W - PAD.left - PAD.right) / 2 : PAD.left + ((t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right));
  const y = (v: number) => PAD.top + (1 - (v - lo) / (hi - lo || 1)) * (H - PAD.top - PAD.bottom);
  const pts = series.points.map((p, i) => [x(times[i]!), y(p.score)] as const);
  return (
    <svg className="wb-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-title ${id}-desc`}>
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{desc}</desc>
      <line className="wb-chart__axis" x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={H - PAD.bottom} />
      <line className="wb-chart__axis" x1={PAD.left} y1={H - PAD.bottom} x2={W - PAD.right} y2={H - PAD.bottom} />
      <text x={PAD.left - 6} y={y(hi) + 4} textAnchor="end" aria-hidden="true">
        {hi}
      </text>
      <text x={PAD.left - 6} y={y(lo) + 4} textAnchor="end" aria-hidden="true">
        {lo}
      </text>
      <text x={PAD.left} y={H - 12} aria-hidden="true">
        {dateLabel(series.points[0]!.date)}
      </text>
      {series.points.length > 1 && (
        <text x={W - PAD.right} y={H - 12} textAnchor="end" aria-hidden="true">
          {dateLabel(series.points[series.points.length - 1]!.date)}
        </text>
      )}
      {pts.length > 1 && <polyline className="wb-chart__line" points={pts.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(" ")} />}
      {pts.map(([a, b], i) => (
        <circle key={i} className="wb-chart__point" cx={a} cy={b} r={4} aria-hidden="true" />
      ))}
    </svg>
  );
}

export default function WellbeingResults({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const navigation = useNavigation();
  const label = (key: string, fallback: string) => (intl.messages[key] ? intl.formatMessage({ id: key }) : fallback);
  const dateLabel = (d: string) => intl.formatDate(d, { day: "numeric", month: "short", year: "numeric" });
  const series = seriesOf(loaderData.items);
  const latest = loaderData.items[loaderData.items.length - 1];
  const support = latest?.distressFlag ? loaderData.support[latest.organisationId] : undefined;
  const result = actionData as { ok: true; deleted: number } | { ok: false; needConfirm: true } | undefined;
  return (
    <div className="page narrow">
      <h1>
        <FormattedMessage id="wellbeing.results.title" />
      </h1>
      {result?.ok && (
        <p className="notice notice--success" role="status">
          <FormattedMessage id="wellbeing.delete.done" values={{ count: result.deleted }} />
        </p>
      )}
      {support && (
        <section className="wb-support" aria-labelledby="wb-support-title">
          <h2 id="wb-support-title">
            <FormattedMessage id="wellbeing.support.title" />
          </h2>
          <p>
            <FormattedMessage id="wellbeing.support.body" />
          </p>
          <ul>
            {support.supportUrl && (
              <li>
                <a href={support.supportUrl} rel="noopener noreferrer">
                  <FormattedMessage id="wellbeing.support.url" />
                </a>
              </li>
            )}
            {support.contactEmail && (
              <li>
                <a href={`mailto:${support.contactEmail}`}>
                  <FormattedMessage id="wellbeing.support.email" values={{ email: support.contactEmail }} />
                </a>
              </li>
            )}
          </ul>
          <p>
            <FormattedMessage id="wellbeing.support.emergency" />
          </p>
        </section>
      )}
      {series.length === 0 ? (
        <p>
          <FormattedMessage id="wellbeing.results.none" />
        </p>
      ) : (
        series.map((s) => {
          const name = label(`wellbeing.scale.${s.scale}`, `${s.title} (${s.scale})`);
          const title = intl.formatMessage({ id: "wellbeing.results.chart" }, { scale: name });
          const desc = intl.formatMessage({ id: "wellbeing.results.chartDesc" }, { count: s.points.length, first: dateLabel(s.points[0]!.date), last: dateLabel(s.points[s.points.length - 1]!.date) });
          return (
            <section key={s.key}>
              <h2>{title}</h2>
              <Chart series={s} title={title} desc={desc} dateLabel={dateLabel} />
              <table className="wb-table">
                <caption className="visually-hidden">{title}</caption>
                <thead>
                  <tr>
                    <th scope="col">
                      <FormattedMessage id="wellbeing.results.date" />
                    </th>
                    <th scope="col">
                      <FormattedMessage id="wellbeing.results.score" />
                    </th>
                    <th scope="col">
                      <FormattedMessage id="wellbeing.results.meaning" />
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {s.points.map((p, i) => (
                    <tr key={i}>
                      <td>{dateLabel(p.date)}</td>
                      <td>{`${p.score} / ${s.range[1]}`}</td>
                      <td>{p.band ? label(p.band, p.band) : ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          );
        })
      )}
      {series.length > 0 && (
        <p>
          <FormattedMessage id="wellbeing.result.calm" />
        </p>
      )}
      <h2>
        <FormattedMessage id="wellbeing.results.download" />
      </h2>
      <ul>
        <li>
          <a href="/api/v1/me/wellbeing/export/fhir" download>
            <FormattedMessage id="wellbeing.results.fhir" />
          </a>
        </li>
        <li>
          <a href="/api/v1/me/wellbeing/export/csv" download>
            <FormattedMessage id="wellbeing.results.csv" />
          </a>
        </li>
      </ul>
      <h2>
        <FormattedMessage id="wellbeing.delete.title" />
      </h2>
      <p>
        <FormattedMessage id="wellbeing.delete.body" />
      </p>
      <Form method="post">
        <input type="hidden" name="intent" value="delete" />
        <div className={`field${result && !result.ok ? " field--error" : ""}`}>
          {result && !result.ok && (
            <p className="field__error" id="wb-confirm-error" role="alert">
              <FormattedMessage id="wellbeing.delete.confirmRequired" />
            </p>
          )}
          <label>
            <input type="checkbox" name="confirm" value="yes" aria-describedby={result && !result.ok ? "wb-confirm-error" : undefined} /> <FormattedMessage id="wellbeing.delete.confirm" />
          </label>
        </div>
        <div className="actions">
          <button type="submit" className="button--danger" disabled={navigation.state === "submitting"}>
            <FormattedMessage id="wellbeing.delete.button" />
          </button>
        </div>
      </Form>
      <p>
        <Link to="/wellbeing">
          <FormattedMessage id="wellbeing.back" />
        </Link>
      </p>
    </div>
  );
}
