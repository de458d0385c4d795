// /o/:slug/wellbeing/reports — program reports over frozen atoms (ADR 015). Filters are a plain GET
// form (works without JavaScript); each figure has an SVG bar chart (role="img", title and
// description) AND a table with the same numbers; suppressed cells read "fewer than k", never a number.
import { FormattedMessage, useIntl, type IntlShape } from "react-intl";
import { Form, Link } from "react-router";
import type { Route } from "./+types/reports";
import { getRequestContext } from "../../../ui/request-context.ts";
import { FieldMessage } from "../../../ui/forms.tsx";
import { isAppError, type FieldError } from "../../../platform/http/errors.ts";
import { loadOr, OrgPageError } from "../../organisations/ui/shared.tsx";
import type { ReportCell, WellbeingReport } from "../report.service.server.ts";
import styles from "./wellbeing.css?url";
import reportStyles from "./reports.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: styles }, { rel: "stylesheet", href: reportStyles }];

export function meta() {
  return [{ title: "Well-being reports · Balint Commons" }];
}

const KEYS = ["campaignId", "instrumentId", "group", "discipline", "by"] as const;

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  const campaigns = (await loadOr(request, () => ctx.services.wellbeingReports.campaigns(ctx.actor, org.id))).items;
  const url = new URL(request.url);
  const query: Record<string, string> = {};
  for (const k of KEYS) {
    const v = url.searchParams.get(k);
    if (v) query[k] = v;
  }
  const waves = url.searchParams.getAll("waves").filter(Boolean);
  if (waves.length) query.waves = waves.join(",");
  query.campaignId ??= campaigns.find((c) => c.closedWaves > 0)?.id ?? "";
  const base = { org: { id: org.id, slug: org.slug, name: org.name, minCell: Math.max(5, org.settings.minimumCellSize) }, campaigns, query };
  if (!query.campaignId) return { ...base, report: null, fields: [] as FieldError[] };
  try {
    const report = await ctx.services.wellbeingReports.report(ctx.actor, org.id, query);
    return { ...base, report, fields: [] as FieldError[] };
  } catch (error) {
    if (isAppError(error) && error.code === "validation_failed") {
      // Another campaign was chosen with the previous campaign's check-ins or questionnaire still ticked: show its defaults.
      const stale = (error.fields ?? []).every((f) => f.path.startsWith("waves") || f.path === "instrumentId");
      if (stale && (query.waves || query.instrumentId)) {
        const { waves: _w, instrumentId: _i, ...rest } = query;
        const report = await loadOr(request, () => ctx.services.wellbeingReports.report(ctx.actor, org.id, rest));
        return { ...base, query: rest as Record<string, string>, report, fields: [] as FieldError[] };
      }
      return { ...base, report: null, fields: error.fields ?? [] };
    }
    return loadOr(request, () => Promise.reject(error));
  }
}

export { OrgPageError as ErrorBoundary };

function msg(intl: IntlShape, id: string, fallback: string): string {
  return intl.messages[id] ? intl.formatMessage({ id }) : fallback;
}

function waveName(intl: IntlShape, r: WellbeingReport, id: string): string {
  const w = r.closedWaves.find((x) => x.id === id);
  if (!w) return id;
  const label = w.label ? ` (${msg(intl, `wellbeingAdmin.waveLabel.${w.label}`, w.label)})` : "";
  return `${intl.formatMessage({ id: "wellbeingAdmin.wave" }, { seq: w.seq })}${label} · ${intl.formatDate(w.closesAt, { year: "numeric", month: "short", day: "numeric" })}`;
}

function valueName(intl: IntlShape, r: WellbeingReport, dim: string, value: string): string {
  if (dim === "group") return value === "none" ? intl.formatMessage({ id: "wellbeingReports.noneValue" }) : (r.labels.group[value] ?? value);
  if (dim === "discipline") return value === "unspecified" ? intl.formatMessage({ id: "wellbeingReports.unspecified" }) : msg(intl, `profile.discipline.${value}`, value);
  return value;
}

function Suppressed({ k }: { k: number }) {
  return (
    <span className="wb-suppressed">
      <FormattedMessage id="wellbeingReports.suppressed" values={{ k }} />
    </span>
  );
}

const fmt = (x: number | null | undefined, d = 1) => (x === null || x === undefined ? "—" : x.toFixed(d));

/** Bars of the mean per wave: a suppressed wave has no bar (and is labelled so in the table). */
function MeanChart({ id, title, desc, bars, range }: { id: string; title: string; desc: string; bars: { label: string; value: number | null }[]; range: [number, number] }) {
  const W = 560;
  const H = 220;
  const pad = { l: 40, r: 10, t: 10, b: 40 };
  const bw = (W - pad.l - pad.r) / Math.max(1, bars.length);
  const y = (v: number) => pad.t + (H - pad.t - pad.b) * (1 - (v - range[0]) / (range[1] - range[0] || 1));
  return (
    <svg className="wb-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-title ${id}-desc`}>
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{desc}</desc>
      <line className="wb-chart__axis" x1={pad.l} x2={W - pad.r} y1={y(range[0])} y2={y(range[0])} />
      <text x={pad.l - 6} y={y(range[1]) + 4} textAnchor="end">{range[1]}</text>
      <text x={pad.l - 6} y={y(range[0]) + 4} textAnchor="end">{range[0]}</text>
      {bars.map((b, i) => (
        <g key={i}>
          {b.value !== null && <rect className="wb-chart__bar" x={pad.l + i * bw + bw * 0.15} width={bw * 0.7} y={y(b.value)} height={Math.max(0, y(range[0]) - y(b.value))} />}
          <text x={pad.l + i * bw + bw / 2} y={H - pad.b + 16} textAnchor="middle">{b.label}</text>
          {b.value !== null && <text x={pad.l + i * bw + bw / 2} y={y(b.value) - 4} textAnchor="middle">{b.value.toFixed(1)}</text>}
        </g>
      ))}
    </svg>
  );
}

function DistChart({ id, title, desc, counts, labels }: { id: string; title: string; desc: string; counts: number[]; labels: string[] }) {
  const W = 560;
  const H = 180;
  const pad = { l: 10, r: 10, t: 16, b: 30 };
  const max = Math.max(1, ...counts);
  const bw = (W - pad.l - pad.r) / Math.max(1, counts.length);
  return (
    <svg className="wb-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-title ${id}-desc`}>
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{desc}</desc>
      {counts.map((c, i) => {
        const h = ((H - pad.t - pad.b) * c) / max;
        return (
          <g key={i}>
            <rect className="wb-chart__bar" x={pad.l + i * bw + bw * 0.1} width={bw * 0.8} y={H - pad.b - h} height={h} />
            <text x={pad.l + i * bw + bw / 2} y={H - pad.b + 14} textAnchor="middle">{labels[i]}</text>
          </g>
        );
      })}
    </svg>
  );
}

function cellFigures(cell: ReportCell | undefined, scale: string) {
  if (!cell || cell.status !== "ok") return null;
  return { respondents: cell.respondents, fig: cell.scales.find((s) => s.scale === scale)! };
}

export default function WellbeingReports({ loaderData }: Route.ComponentProps) {
  const intl = useIntl();
  const { org, campaigns, query, report: r, fields } = loaderData;
  const k = r?.minCell ?? org.minCell;
  const exportQuery = (format: string) => {
    const q = new URLSearchParams();
    for (const [key, v] of Object.entries(query)) if (key !== "by" && v) q.set(key, v);
    q.set("format", format);
    return `/api/v1/orgs/${org.id}/wellbeing/reports/export?${q}`;
  };
  const selectedWaves = new Set(r?.waves ?? []);

  return (
    <section aria-labelledby="wb-reports-title" className="wb-reports">
      <h2 id="wb-reports-title">
        <FormattedMessage id="wellbeingReports.title" />
      </h2>
      <p className="lead">
        <FormattedMessage id="wellbeingReports.intro" values={{ k }} />
      </p>
      {campaigns.every((c) => c.closedWaves === 0) ? (
        <p>
          <FormattedMessage id="wellbeingReports.noCampaigns" />
        </p>
      ) : (
        <Form method="get" className="filters" aria-labelledby="wb-filters">
          <h3 id="wb-filters">
            <FormattedMessage id="wellbeingReports.filters" />
          </h3>
          {fields.length > 0 && (
            <div className="error-summary" role="alert">
              <p>
                <strong>
                  <FormattedMessage id="wellbeingReports.invalid" />
                </strong>
              </p>
              <ul>
                {fields.map((f) => (
                  <li key={f.path}>
                    {f.path}: <FieldMessage message={f.message} />
                  </li>
                ))}
              </ul>
            </div>
          )}
          <div className="filters__row">
            <div className="field">
              <label htmlFor="f-campaign">
                <FormattedMessage id="wellbeingReports.campaign" />
              </label>
              <select id="f-campaign" name="campaignId" defaultValue={query.campaignId}>
                {campaigns
                  .filter((c) => c.closedWaves > 0)
                  .map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name} ({intl.formatMessage({ id: `wellbeingAdmin.mode.${c.mode}` })})
                    </option>
                  ))}
              </select>
            </div>
            {r && r.instruments.length > 1 && (
              <div className="field">
                <label htmlFor="f-instrument">
                  <FormattedMessage id="wellbeingReports.instrument" />
                </label>
                <select id="f-instrument" name="instrumentId" defaultValue={r.instrument.id}>
                  {r.instruments.map((i) => (
                    <option key={i.id} value={i.id}>
                      {i.title}
                    </option>
                  ))}
                </select>
              </div>
            )}
            {r && (
              <>
                <div className="field">
                  <label htmlFor="f-group">
                    <FormattedMessage id="wellbeingReports.group" />
                  </label>
                  <select id="f-group" name="group" defaultValue={query.group ?? ""}>
                    <option value="">{intl.formatMessage({ id: "wellbeingReports.any" })}</option>
                    {Object.entries(r.labels.group).map(([id, name]) => (
                      <option key={id} value={id}>
                        {name}
                      </option>
                    ))}
                    <option value="none">{intl.formatMessage({ id: "wellbeingReports.noneValue" })}</option>
                  </select>
                </div>
                <div className="field">
                  <label htmlFor="f-discipline">
                    <FormattedMessage id="wellbeingReports.discipline" />
                  </label>
                  <select id="f-discipline" name="discipline" defaultValue={query.discipline ?? ""}>
                    <option value="">{intl.formatMessage({ id: "wellbeingReports.any" })}</option>
                    {r.labels.discipline.map((d) => (
                      <option key={d} value={d}>
                        {valueName(intl, r, "discipline", d)}
                      </option>
                    ))}
                  </select>
                </div>
              </>
            )}
            <div className="field">
              <label htmlFor="f-by">
                <FormattedMessage id="wellbeingReports.by" />
              </label>
              <select id="f-by" name="by" defaultValue={query.by ?? "none"}>
                {["none", "group", "discipline", "cohort"].map((b) => (
                  <option key={b} value={b}>
                    {intl.formatMessage({ id: `wellbeingReports.by.${b}` })}
                  </option>
                ))}
              </select>
            </div>
          </div>
          {r && (
            <fieldset>
              <legend>
                <FormattedMessage id="wellbeingReports.waves" />
              </legend>
              <ul className="wb-checks">
                {r.closedWaves.map((w) => (
                  <li key={w.id}>
                    <label>
                      <input type="checkbox" name="waves" value={w.id} defaultChecked={selectedWaves.has(w.id)} /> {waveName(intl, r, w.id)}
                    </label>
                  </li>
                ))}
              </ul>
            </fieldset>
          )}
          <div className="actions">
            <button type="submit">
              <FormattedMessage id="wellbeingReports.apply" />
            </button>
          </div>
        </Form>
      )}

      {r && (
        <>
          <p className="wb-mode">
            <FormattedMessage id={`wellbeingReports.modeNote.${r.campaign.mode}`} />
          </p>
          <p className="field__hint">
            <FormattedMessage id="wellbeingReports.suppressedExplain" values={{ k }} />
          </p>
          {r.instrument.scales.map((scale) => {
            const scaleName = msg(intl, `wellbeing.scale.${scale.id}`, scale.id);
            const lastOk = r.all.findLast((c) => c.status === "ok");
            const lastFig = cellFigures(lastOk, scale.id);
            const binLabels = scale.binEdges.map((e, i) => `${Math.round(e)}–${Math.round(scale.binEdges[i + 1] ?? scale.range[1])}`);
            const change = r.change?.scales.find((c) => c.scale === scale.id);
            return (
              <section key={scale.id} aria-labelledby={`scale-${scale.id}`} className="wb-report-scale">
                <h3 id={`scale-${scale.id}`}>{scaleName}</h3>
                <MeanChart
                  id={`mean-${scale.id}`}
                  title={intl.formatMessage({ id: "wellbeingReports.chartTitle" }, { scale: scaleName })}
                  desc={intl.formatMessage({ id: "wellbeingReports.chartDesc" }, { low: scale.range[0], high: scale.range[1], k })}
                  range={scale.range}
                  bars={r.all.map((c) => ({ label: `${r.closedWaves.find((w) => w.id === c.wave)?.seq ?? ""}`, value: cellFigures(c, scale.id)?.fig.mean ?? null }))}
                />
                <table className="wb-table" data-testid={`report-table-${scale.id}`}>
                  <caption className="visually-hidden">{intl.formatMessage({ id: "wellbeingReports.chartTitle" }, { scale: scaleName })}</caption>
                  <thead>
                    <tr>
                      <th scope="col"><FormattedMessage id="wellbeingReports.col.wave" /></th>
                      <th scope="col"><FormattedMessage id="wellbeingReports.col.respondents" /></th>
                      <th scope="col"><FormattedMessage id="wellbeingReports.col.mean" /></th>
                      <th scope="col"><FormattedMessage id="wellbeingReports.col.sd" /></th>
                      {scale.bands.map((b) => (
                        <th scope="col" key={b.labelKey}>{msg(intl, b.labelKey, b.labelKey)}</th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {r.all.map((c) => {
                      const f = cellFigures(c, scale.id);
                      return (
                        <tr key={c.wave}>
                          <th scope="row">{waveName(intl, r, c.wave)}</th>
                          {f ? (
                            <>
                              <td>{f.respondents}</td>
                              <td>{fmt(f.fig.mean)}</td>
                              <td>{fmt(f.fig.sd)}</td>
                              {scale.bands.map((b) => (
                                <td key={b.labelKey}>{intl.formatNumber(f.fig.bandShares[b.labelKey] ?? 0, { style: "percent", maximumFractionDigits: 0 })}</td>
                              ))}
                            </>
                          ) : (
                            <td colSpan={3 + scale.bands.length}>
                              <Suppressed k={k} />
                            </td>
                          )}
                        </tr>
                      );
                    })}
                  </tbody>
                </table>

                {r.by !== "none" && (
                  <>
                    <h4>
                      <FormattedMessage id="wellbeingReports.breakdown" values={{ dimension: intl.formatMessage({ id: `wellbeingReports.by.${r.by}` }).toLowerCase() }} />
                    </h4>
                    <table className="wb-table">
                      <thead>
                        <tr>
                          <th scope="col"><FormattedMessage id="wellbeingReports.col.value" /></th>
                          {r.waves.map((w) => (
                            <th scope="col" key={w}>{waveName(intl, r, w)}</th>
                          ))}
                        </tr>
                      </thead>
                      <tbody>
                        {r.rows.map((row) => (
                          <tr key={row.value}>
                            <th scope="row">{valueName(intl, r, r.by, row.value)}</th>
                            {row.cells.map((c) => {
                              const f = cellFigures(c, scale.id);
                              return <td key={c.wave}>{f ? `${fmt(f.fig.mean)} (n = ${f.respondents})` : <Suppressed k={k} />}</td>;
                            })}
                          </tr>
                        ))}
                        <tr>
                          <th scope="row"><FormattedMessage id="wellbeingReports.allRow" /></th>
                          {r.all.map((c) => {
                            const f = cellFigures(c, scale.id);
                            return <td key={c.wave}>{f ? `${fmt(f.fig.mean)} (n = ${f.respondents})` : <Suppressed k={k} />}</td>;
                          })}
                        </tr>
                      </tbody>
                    </table>
                  </>
                )}

                {lastFig && lastOk && (
                  <>
                    <h4>
                      <FormattedMessage id="wellbeingReports.distribution" />
                    </h4>
                    <DistChart id={`dist-${scale.id}`} title={intl.formatMessage({ id: "wellbeingReports.distTitle" }, { scale: scaleName, wave: waveName(intl, r, lastOk.wave) })} desc={intl.formatMessage({ id: "wellbeingReports.distDesc" })} counts={lastFig.fig.distribution} labels={binLabels} />
                    <table className="wb-table">
                      <thead>
                        <tr>
                          <th scope="col"><FormattedMessage id="wellbeingReports.range" /></th>
                          <th scope="col"><FormattedMessage id="wellbeingReports.count" /></th>
                        </tr>
                      </thead>
                      <tbody>
                        {lastFig.fig.distribution.map((c, i) => (
                          <tr key={i}>
                            <th scope="row">{binLabels[i]}</th>
                            <td>{c}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </>
                )}

                <h4>
                  <FormattedMessage id="wellbeingReports.change" />
                </h4>
                {!change ? (
                  <p><FormattedMessage id="wellbeingReports.change.needTwo" /></p>
                ) : change.status !== "ok" ? (
                  <p><FormattedMessage id="wellbeingReports.change.suppressed" values={{ k }} /></p>
                ) : (
                  <table className="wb-table">
                    <tbody>
                      <tr>
                        <th scope="row"><FormattedMessage id="wellbeingReports.change.diff" /></th>
                        <td>{fmt(change.diff, 2)} ({intl.formatMessage({ id: `wellbeingReports.change.kind.${change.kind}` })})</td>
                      </tr>
                      <tr>
                        <th scope="row"><FormattedMessage id="wellbeingReports.change.ci" /></th>
                        <td>{fmt(change.ciLow, 2)} – {fmt(change.ciHigh, 2)}</td>
                      </tr>
                      <tr>
                        <th scope="row"><FormattedMessage id="wellbeingReports.change.effect" /></th>
                        <td>{fmt(change.effectSize, 2)} ({change.kind === "paired" ? "dz" : "d"})</td>
                      </tr>
                      <tr>
                        <th scope="row"><FormattedMessage id="wellbeingReports.change.n" /></th>
                        <td>{change.kind === "paired" ? change.n : `${change.nBefore} → ${change.nAfter}`}</td>
                      </tr>
                    </tbody>
                  </table>
                )}
              </section>
            );
          })}

          <section aria-labelledby="wb-export">
            <h3 id="wb-export">
              <FormattedMessage id="wellbeingReports.export" />
            </h3>
            <p>
              <FormattedMessage id="wellbeingReports.exportHint" values={{ k }} />
            </p>
            <p className="actions">
              <a className="button button--secondary" href={exportQuery("csv")} download>
                <FormattedMessage id="wellbeingReports.exportCsv" />
              </a>{" "}
              <a className="button button--secondary" href={exportQuery("fhir")} download>
                <FormattedMessage id="wellbeingReports.exportFhir" />
              </a>
            </p>
          </section>
        </>
      )}
      <p>
        <Link to={`/o/${org.slug}/wellbeing`}>
          <FormattedMessage id="wellbeingAdmin.title" />
        </Link>
      </p>
    </section>
  );
}
