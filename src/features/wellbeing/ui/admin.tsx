// /o/:slug/wellbeing — administering check-ins (owners, admins, coordinators: wellbeing:manage): campaigns
// with their waves (close now, send invitations now, end), a new campaign (questionnaires, cohort,
// schedule, mode explained plainly), questionnaires (import as JSON text or file, retire), and a
// pointer to the support resources in the organisation settings (linked for those who may change them).
// Works without JavaScript.
import { Temporal } from "temporal-polyfill";
import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, data } from "react-router";
import type { Route } from "./+types/admin";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, FieldMessage, fieldError, type ActionResult } from "../../../ui/forms.tsx";
import { formValues } from "../../../ui/actions.ts";
import { attempt, loadOr, NoticeBanner, OrgPageError, type Notice } from "../../organisations/ui/shared.tsx";
import { DISCIPLINES } from "../../profile/disciplines.ts";
import styles from "./wellbeing.css?url";
import reportStyles from "./reports.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: styles }, { rel: "stylesheet", href: reportStyles }];

export function meta() {
  return [{ title: "Well-being check-ins · Balint Commons" }];
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  const campaigns = await loadOr(request, () => ctx.services.wellbeing.listCampaigns(ctx.actor, org.id));
  const instruments = await loadOr(request, () => ctx.services.wellbeing.listInstruments(ctx.actor, org.id));
  const groups = await loadOr(request, () => ctx.services.wellbeingReports.groupNames(ctx.actor, org.id));
  return {
    org: { id: org.id, slug: org.slug, name: org.name, timeZone: org.timeZone, minCell: Math.max(5, org.settings.minimumCellSize), canEditSettings: org.permissions.includes("organisation:update") },
    campaigns: campaigns.items,
    instruments: instruments.items,
    groups,
  };
}

type AdminAction = ActionResult & { intent?: string; notice?: Notice };

/** A date-time typed in the organisation's time zone → ISO instant (or the raw text, for zod to name). */
function instant(local: string | undefined, timeZone: string): string | undefined {
  if (!local) return undefined;
  try {
    return Temporal.PlainDateTime.from(local).toZonedDateTime(timeZone, { disambiguation: "compatible" }).toInstant().toString();
  } catch {
    return local;
  }
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  const form = await request.formData();
  const values = formValues(form);
  const intent = values.intent ?? "";
  const svc = ctx.services.wellbeing;
  const fail = (r: { status: number; failure: ActionResult }) => data({ ...r.failure, intent } as AdminAction, { status: r.status });

  if (intent === "close" || intent === "send") {
    const waveId = values.waveId ?? "";
    const r = await attempt(() => (intent === "close" ? svc.closeWave(ctx.actor, org.id, waveId).then(() => 0) : svc.sendInvitations(ctx.actor, org.id, waveId).then((x) => x.invited)));
    if (!r.ok) return fail(r);
    return { ok: true, intent, notice: intent === "close" ? { id: "wellbeingAdmin.closed" } : { id: "wellbeingAdmin.sent", values: { count: r.value } } } satisfies AdminAction;
  }
  if (intent === "end") {
    const r = await attempt(() => svc.endCampaign(ctx.actor, org.id, values.campaignId ?? ""));
    if (!r.ok) return fail(r);
    return { ok: true, intent, notice: { id: "wellbeingAdmin.endedNotice" } } satisfies AdminAction;
  }
  if (intent === "retire") {
    const r = await attempt(() => svc.retireInstrument(ctx.actor, org.id, values.instrumentId ?? ""));
    if (!r.ok) return fail(r);
    return { ok: true, intent, notice: { id: "wellbeingAdmin.retiredNotice" } } satisfies AdminAction;
  }
  if (intent === "import") {
    const file = form.get("file");
    let text = values.json ?? "";
    if (file && typeof file !== "string" && file.size > 0) text = await file.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return data({ ok: false, intent, message: "Invalid json: this is not valid JSON.", fields: [{ path: "json", message: "is not valid JSON" }], values } as AdminAction, { status: 400 });
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      return data({ ok: false, intent, message: 'Invalid json: must be an object holding "questionnaire" and "scoring".', fields: [{ path: "json", message: 'must be an object holding "questionnaire" and "scoring"' }], values } as AdminAction, { status: 400 });
    }
    const r = await attempt(() => svc.importInstrument(ctx.actor, org.id, parsed), values);
    if (!r.ok) return fail(r);
    return { ok: true, intent, notice: { id: "wellbeingAdmin.imported" } } satisfies AdminAction;
  }
  if (intent === "create") {
    const cohortKind = values.cohortKind ?? "organisation";
    const scheduleKind = values.scheduleKind ?? "once";
    const opensAt = instant(values.opensAt, org.timeZone);
    const num = (v: string | undefined) => (v === undefined || v === "" ? undefined : Number(v));
    const input = {
      name: values.name ?? "",
      mode: values.mode,
      instrumentIds: form.getAll("instrumentIds").map(String),
      cohort: cohortKind === "groups" ? { kind: "groups", groupIds: form.getAll("groupIds").map(String) } : cohortKind === "discipline" ? { kind: "discipline", discipline: values.discipline } : { kind: cohortKind },
      ...(values.cohortLabel ? { cohortLabel: values.cohortLabel } : {}),
      schedule: scheduleKind === "every" ? { kind: "every", opensAt, everyMonths: num(values.everyMonths), until: instant(values.until, org.timeZone) } : { kind: scheduleKind, opensAt },
      ...(num(values.windowDays) !== undefined ? { windowDays: num(values.windowDays) } : {}),
      ...(num(values.reminderDaysBefore) !== undefined ? { reminderDaysBefore: num(values.reminderDaysBefore) } : {}),
    };
    const r = await attempt(() => svc.createCampaign(ctx.actor, org.id, input), values);
    if (!r.ok) return fail(r);
    return { ok: true, intent, notice: { id: "wellbeingAdmin.created" } } satisfies AdminAction;
  }
  return data({ ok: false, intent, message: "Invalid intent: unknown action.", fields: [{ path: "intent", message: "unknown action" }] } as AdminAction, { status: 400 });
}

export { OrgPageError as ErrorBoundary };

const EXAMPLE = '{ "questionnaire": { "resourceType": "Questionnaire", … }, "scoring": { "scales": [ … ], "bands": [ … ] } }';

export default function WellbeingAdmin({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const { org, campaigns, instruments, groups } = loaderData;
  const result = actionData as AdminAction | undefined;
  const createResult = result?.intent === "create" ? result : undefined;
  const importResult = result?.intent === "import" ? result : undefined;
  const rowResult = result && !["create", "import"].includes(result.intent ?? "") ? result : undefined;
  const v = (name: string) => (result && !result.ok ? result.values?.[name] : undefined);
  const when = (iso: string) => intl.formatDate(iso, { dateStyle: "medium", timeStyle: "short", timeZone: org.timeZone });
  const active = instruments.filter((i) => !i.retired);

  return (
    <section aria-labelledby="wb-admin-title" className="wb-admin">
      <h2 id="wb-admin-title">
        <FormattedMessage id="wellbeingAdmin.title" />
      </h2>
      <p className="lead">
        <FormattedMessage id="wellbeingAdmin.intro" values={{ k: org.minCell }} />
      </p>
      <p>
        <Link to={`/o/${org.slug}/wellbeing/reports`}>
          <FormattedMessage id="wellbeingAdmin.reportsLink" />
        </Link>
      </p>
      <p>
        <FormattedMessage id="wellbeingAdmin.supportLink" />
        {org.canEditSettings && (
          <>
            {" "}
            <Link to={`/o/${org.slug}/settings`}>
              <FormattedMessage id="wellbeingAdmin.supportAction" />
            </Link>
          </>
        )}
      </p>
      {result?.ok && <NoticeBanner notice={result.notice} />}
      <ErrorSummary result={rowResult} />

      <h3>
        <FormattedMessage id="wellbeingAdmin.campaigns" />
      </h3>
      {campaigns.length === 0 ? (
        <p>
          <FormattedMessage id="wellbeingAdmin.none" />
        </p>
      ) : (
        campaigns.map((c) => (
          <article key={c.id} className="card" aria-labelledby={`c-${c.id}`}>
            <h4 id={`c-${c.id}`}>{c.name}</h4>
            <p>
              <FormattedMessage id={`wellbeingAdmin.mode.${c.mode}`} /> · {c.instruments.map((i) => i.title).join(", ")} · {c.cohortLabel}
              {c.endedAt && (
                <>
                  {" "}
                  · <FormattedMessage id="wellbeingAdmin.ended" />
                </>
              )}
            </p>
            <table className="wb-table">
              <caption className="visually-hidden">
                <FormattedMessage id="wellbeingAdmin.waves" />
              </caption>
              <thead>
                <tr>
                  <th scope="col"><FormattedMessage id="wellbeingAdmin.waves" /></th>
                  <th scope="col"><FormattedMessage id="wellbeingAdmin.opens" /></th>
                  <th scope="col"><FormattedMessage id="wellbeingAdmin.closes" /></th>
                  <th scope="col"><FormattedMessage id="wellbeingAdmin.status" /></th>
                  <th scope="col"><FormattedMessage id="wellbeingAdmin.invited" /></th>
                  <th scope="col"><span className="visually-hidden">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {c.waves.map((w) => (
                  <tr key={w.id}>
                    <th scope="row">
                      <FormattedMessage id="wellbeingAdmin.wave" values={{ seq: w.seq }} />
                      {w.label && <> ({intl.formatMessage({ id: `wellbeingAdmin.waveLabel.${w.label}` })})</>}
                    </th>
                    <td>{when(w.opensAt)}</td>
                    <td>{when(w.closesAt)}</td>
                    <td><FormattedMessage id={`wellbeingAdmin.status.${w.status}`} /></td>
                    <td>{w.invited ?? "—"}</td>
                    <td>
                      {w.status === "open" && w.invited === null && (
                        <Form method="post" className="inline-form">
                          <input type="hidden" name="intent" value="send" />
                          <input type="hidden" name="waveId" value={w.id} />
                          <button type="submit" className="button--secondary"><FormattedMessage id="wellbeingAdmin.sendNow" /></button>
                        </Form>
                      )}
                      {(w.status === "open" || w.status === "closing") && (
                        <Form method="post" className="inline-form">
                          <input type="hidden" name="intent" value="close" />
                          <input type="hidden" name="waveId" value={w.id} />
                          <button type="submit" className="button--secondary" aria-label={`${intl.formatMessage({ id: "wellbeingAdmin.closeNow" })}: ${c.name}, ${intl.formatMessage({ id: "wellbeingAdmin.wave" }, { seq: w.seq })}`}>
                            <FormattedMessage id="wellbeingAdmin.closeNow" />
                          </button>
                        </Form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {!c.endedAt && (
              <Form method="post">
                <input type="hidden" name="intent" value="end" />
                <input type="hidden" name="campaignId" value={c.id} />
                <button type="submit" className="button--secondary"><FormattedMessage id="wellbeingAdmin.endCampaign" /></button>
              </Form>
            )}
          </article>
        ))
      )}

      <section aria-labelledby="wb-new">
        <h3 id="wb-new"><FormattedMessage id="wellbeingAdmin.new" /></h3>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="create" />
          <ErrorSummary result={createResult} />
          <div className={`field${fieldError(createResult, "name") ? " field--error" : ""}`}>
            <label htmlFor="field-name"><FormattedMessage id="wellbeingAdmin.name" /></label>
            {fieldError(createResult, "name") && <p className="field__error"><FieldMessage message={fieldError(createResult, "name")} /></p>}
            <input id="field-name" name="name" maxLength={120} required defaultValue={v("name")} />
          </div>
          <fieldset id="field-instrumentIds">
            <legend><FormattedMessage id="wellbeingAdmin.instruments" /></legend>
            {fieldError(createResult, "instrumentIds") && <p className="field__error"><FieldMessage message={fieldError(createResult, "instrumentIds")} /></p>}
            <ul className="wb-checks">
              {active.map((i) => (
                <li key={i.id}>
                  <label><input type="checkbox" name="instrumentIds" value={i.id} /> {i.title}</label>
                </li>
              ))}
            </ul>
          </fieldset>
          <fieldset id="field-mode">
            <legend><FormattedMessage id="wellbeingAdmin.modeChoice" /></legend>
            {fieldError(createResult, "mode") && <p className="field__error"><FieldMessage message={fieldError(createResult, "mode")} /></p>}
            <ul className="wb-options">
              {(["confidential", "anonymous"] as const).map((m) => (
                <li key={m}>
                  <label>
                    <input type="radio" name="mode" value={m} defaultChecked={(v("mode") ?? "confidential") === m} />
                    <span><FormattedMessage id={`wellbeingAdmin.mode.${m}.explain`} values={{ k: org.minCell }} /></span>
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
          <fieldset id="field-cohort">
            <legend><FormattedMessage id="wellbeingAdmin.cohort" /></legend>
            {fieldError(createResult, "cohort") && <p className="field__error"><FieldMessage message={fieldError(createResult, "cohort")} /></p>}
            <ul className="wb-checks">
              {(["organisation", "groups", "discipline"] as const).map((kind) => (
                <li key={kind}>
                  <label><input type="radio" name="cohortKind" value={kind} defaultChecked={(v("cohortKind") ?? "organisation") === kind} /> <FormattedMessage id={`wellbeingAdmin.cohort.${kind}`} /></label>
                </li>
              ))}
            </ul>
            {Object.keys(groups).length > 0 && (
              <fieldset>
                <legend><FormattedMessage id="wellbeingAdmin.groups" /></legend>
                <ul className="wb-checks">
                  {Object.entries(groups).map(([id, name]) => (
                    <li key={id}>
                      <label><input type="checkbox" name="groupIds" value={id} /> {name}</label>
                    </li>
                  ))}
                </ul>
              </fieldset>
            )}
            <div className="field">
              <label htmlFor="field-discipline"><FormattedMessage id="wellbeingAdmin.discipline" /></label>
              <select id="field-discipline" name="discipline" defaultValue={v("discipline") ?? DISCIPLINES[0]}>
                {DISCIPLINES.map((d) => (
                  <option key={d} value={d}>{intl.messages[`profile.discipline.${d}`] ? intl.formatMessage({ id: `profile.discipline.${d}` }) : d}</option>
                ))}
              </select>
            </div>
          </fieldset>
          <div className={`field${fieldError(createResult, "cohortLabel") ? " field--error" : ""}`}>
            <label htmlFor="field-cohortLabel"><FormattedMessage id="wellbeingAdmin.cohortLabel" /></label>
            {fieldError(createResult, "cohortLabel") && <p className="field__error"><FieldMessage message={fieldError(createResult, "cohortLabel")} /></p>}
            <input id="field-cohortLabel" name="cohortLabel" maxLength={40} defaultValue={v("cohortLabel")} />
          </div>
          <fieldset id="field-schedule">
            <legend><FormattedMessage id="wellbeingAdmin.schedule" /></legend>
            {fieldError(createResult, "schedule") && <p className="field__error"><FieldMessage message={fieldError(createResult, "schedule")} /></p>}
            <ul className="wb-checks">
              {(["once", "term", "every"] as const).map((kind) => (
                <li key={kind}>
                  <label><input type="radio" name="scheduleKind" value={kind} defaultChecked={(v("scheduleKind") ?? "once") === kind} /> <FormattedMessage id={`wellbeingAdmin.schedule.${kind}`} /></label>
                </li>
              ))}
            </ul>
            <div className="field">
              <label htmlFor="field-opensAt"><FormattedMessage id="wellbeingAdmin.opensAt" /> ({org.timeZone})</label>
              <input id="field-opensAt" name="opensAt" type="datetime-local" required defaultValue={v("opensAt")} />
            </div>
            <div className="field">
              <label htmlFor="field-everyMonths"><FormattedMessage id="wellbeingAdmin.everyMonths" /></label>
              <input id="field-everyMonths" name="everyMonths" type="number" min={1} max={24} defaultValue={v("everyMonths") ?? "6"} />
            </div>
            <div className="field">
              <label htmlFor="field-until"><FormattedMessage id="wellbeingAdmin.until" /> ({org.timeZone})</label>
              <input id="field-until" name="until" type="datetime-local" defaultValue={v("until")} />
            </div>
          </fieldset>
          <div className={`field${fieldError(createResult, "windowDays") ? " field--error" : ""}`}>
            <label htmlFor="field-windowDays"><FormattedMessage id="wellbeingAdmin.windowDays" /></label>
            {fieldError(createResult, "windowDays") && <p className="field__error"><FieldMessage message={fieldError(createResult, "windowDays")} /></p>}
            <input id="field-windowDays" name="windowDays" type="number" min={1} max={90} defaultValue={v("windowDays") ?? "14"} />
          </div>
          <div className="field">
            <label htmlFor="field-reminderDaysBefore"><FormattedMessage id="wellbeingAdmin.reminderDaysBefore" /></label>
            <input id="field-reminderDaysBefore" name="reminderDaysBefore" type="number" min={0} max={90} defaultValue={v("reminderDaysBefore") ?? "3"} />
          </div>
          <button type="submit"><FormattedMessage id="wellbeingAdmin.create" /></button>
        </Form>
      </section>

      <section aria-labelledby="wb-instruments">
        <h3 id="wb-instruments"><FormattedMessage id="wellbeingAdmin.instrumentsTitle" /></h3>
        <ul className="wb-list">
          {instruments.map((i) => (
            <li key={i.id}>
              {i.title} {i.version && <>({i.version})</>} {i.builtInKey ? <span className="tag"><FormattedMessage id="wellbeingAdmin.builtIn" /></span> : null}{" "}
              {i.retired ? (
                <span className="tag"><FormattedMessage id="wellbeingAdmin.retired" /></span>
              ) : (
                i.organisationId && (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="retire" />
                    <input type="hidden" name="instrumentId" value={i.id} />
                    <button type="submit" className="button--secondary" aria-label={`${intl.formatMessage({ id: "wellbeingAdmin.retire" })}: ${i.title}`}>
                      <FormattedMessage id="wellbeingAdmin.retire" />
                    </button>
                  </Form>
                )
              )}
            </li>
          ))}
        </ul>
        <h4><FormattedMessage id="wellbeingAdmin.import" /></h4>
        <Form method="post" encType="multipart/form-data" noValidate>
          <input type="hidden" name="intent" value="import" />
          <ErrorSummary result={importResult} />
          <p className="field__hint" id="import-hint"><FormattedMessage id="wellbeingAdmin.importHint" values={{ example: EXAMPLE }} /></p>
          <div className="field">
            <label htmlFor="field-json"><FormattedMessage id="wellbeingAdmin.importJson" /></label>
            <textarea id="field-json" name="json" aria-describedby="import-hint" defaultValue={v("json")} spellCheck={false} />
          </div>
          <div className="field">
            <label htmlFor="field-file"><FormattedMessage id="wellbeingAdmin.importFile" /></label>
            <input id="field-file" name="file" type="file" accept="application/json,.json" />
          </div>
          <button type="submit"><FormattedMessage id="wellbeingAdmin.importButton" /></button>
        </Form>
      </section>
    </section>
  );
}
