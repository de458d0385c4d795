import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, data, redirect } from "react-router";
import type { Route } from "./+types/supervision";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, type ActionResult } from "../../../ui/forms.tsx";
import { attempt, loadOr, signInUrl } from "../../organisations/ui/shared.tsx";
import { can } from "../../../platform/policy/policy.ts";
import { AppError, isAppError } from "../../../platform/http/errors.ts";

// Supervision (brief Q): the organisation's supervisors list, asking one, agreements, meetings
// (log / confirm), supervised sessions and supervisor reports, and what waits for me. Plain forms:
// works without JavaScript. The organisation is chosen with ?org=<slug>.
export function meta() {
  return [{ title: "Supervision · Balint Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect(signInUrl(request));
  const orgs = await ctx.services.organisations.switcherFor(ctx.actor);
  const wanted = new URL(request.url).searchParams.get("org");
  const org = orgs.find((o) => o.slug === wanted) ?? orgs[0];
  if (!org) return { orgs, org: null, view: null };
  const svc = ctx.services.supervision;
  const [settings, supervisors, mine, queue] = await loadOr(request, () =>
    Promise.all([svc.getSettings(ctx.actor, org.organisationId), svc.listSupervisors(ctx.actor, org.organisationId), svc.listMine(ctx.actor, org.organisationId), svc.reviewQueue(ctx.actor, org.organisationId)]),
  );
  const canSupervise = can(ctx.actor, "accreditation:supervise", { organisationId: org.organisationId });
  // The supervised-session picker: the held meetings I led or co-led and have not marked yet, a
  // page at a time (?meetingsBefore=<cursor> for older ones). The same for each of my supervisions.
  const active = mine.asCandidate.find((s) => s.status === "active");
  const ledBefore = new URL(request.url).searchParams.get("meetingsBefore");
  let led = null;
  if (active) {
    try {
      led = await svc.ledMeetings(ctx.actor, org.organisationId, active.id, ledBefore ? { before: ledBefore } : {});
    } catch (error) {
      if (isAppError(error) && error.code === "validation_failed") throw data(null, { status: 400 });
      throw error;
    }
  }
  return { orgs, org, view: { settings, supervisors, mine, queue, canSupervise, me: ctx.user.id, led, ledBefore } };
}

export async function action({ request, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect(signInUrl(request));
  const form = await request.formData();
  const get = (k: string) => String(form.get(k) ?? "");
  const orgs = await ctx.services.organisations.switcherFor(ctx.actor);
  const org = orgs.find((o) => o.organisationId === get("orgId"));
  if (!org) throw data(null, { status: 404 });
  const o = org.organisationId;
  const svc = ctx.services.supervision;
  const id = get("id");
  const intent = get("intent");
  const values = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")) as Record<string, string>;
  const r = await attempt<unknown>(async () => {
    switch (intent) {
      case "optIn":
        return svc.optIn(ctx.actor, o, { capacity: Number(get("capacity")), languages: get("languages").split(",").map((s) => s.trim()).filter(Boolean), feeText: get("feeText"), mode: get("mode") }, ctx);
      case "optOut":
        return svc.optOut(ctx.actor, o, ctx);
      case "ask":
        return svc.requestSupervision(ctx.actor, o, { supervisorUserId: get("supervisorUserId") }, ctx);
      case "propose":
        return svc.propose(ctx.actor, o, id, { termsText: get("termsText"), feeText: get("feeText") }, ctx);
      case "accept":
        return svc.accept(ctx.actor, o, id, ctx);
      case "decline":
        return svc.decline(ctx.actor, o, id, ctx);
      case "end":
        return svc.end(ctx.actor, o, id, ctx);
      case "logMeeting":
        return svc.logMeeting(ctx.actor, o, id, { heldOn: get("heldOn"), minutes: Number(get("minutes")), mode: get("mode") }, ctx);
      case "decideMeeting":
        return svc.decideMeeting(ctx.actor, o, id, { confirm: get("confirm") === "true" }, ctx);
      case "markSession": {
        // The picker's value is "<groupId>|<start ISO>" (ledMeetings); the service checks it is a
        // meeting the candidate led in this organisation.
        const picked = /^([^|]{1,64})\|([^|]{1,64})$/.exec(get("meeting"));
        if (!picked) throw new AppError("validation_failed", "meeting: Choose a meeting.", [{ path: "meeting", message: "Choose a meeting." }]);
        return svc.markSupervisedSession(ctx.actor, o, id, { groupId: picked[1], occurrenceStart: picked[2] }, ctx);
      }
      case "decideSession":
        return svc.decideSupervisedSession(ctx.actor, o, id, { confirm: get("confirm") === "true" }, ctx);
      case "report": {
        const ratings: Record<string, number> = {};
        for (const [k, v] of form.entries()) if (k.startsWith("rating.") && typeof v === "string" && v) ratings[k.slice(7)] = Number(v);
        return svc.submitReport(ctx.actor, o, id, { periodStart: get("periodStart"), periodEnd: get("periodEnd"), ratings, narrative: get("narrative"), acknowledgeIdentifiers: get("acknowledgeIdentifiers") === "true" }, ctx);
      }
      default:
        throw new AppError("validation_failed", "Unknown action.", [{ path: "intent", message: "Unknown action." }]);
    }
  }, values);
  if (!r.ok) {
    if (intent === "markSession") {
      // The form has one field for the meeting: name it, whichever part the service refused.
      const toMeeting = (path: string) => (path === "groupId" || path === "occurrenceStart" ? "meeting" : path);
      const message = r.failure.message.replace(/^(groupId|occurrenceStart):/, "meeting:");
      return data({ ...r.failure, message, fields: r.failure.fields.map((f) => ({ ...f, path: toMeeting(f.path) })), intent, id }, { status: r.status });
    }
    return data({ ...r.failure, intent, id }, { status: r.status });
  }
  return { ok: true as const, intent, id };
}

type Outcome = (ActionResult & { intent?: string; id?: string }) | undefined;
type View = NonNullable<Route.ComponentProps["loaderData"]["view"]>;
type Sup = View["mine"]["asCandidate"][number];

function Hidden({ orgId, intent, id }: { orgId: string; intent: string; id?: string }) {
  return (
    <>
      <input type="hidden" name="orgId" value={orgId} />
      <input type="hidden" name="intent" value={intent} />
      {id && <input type="hidden" name="id" value={id} />}
    </>
  );
}

export default function Supervision({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const { orgs, org, view } = loaderData;
  const result = actionData as Outcome;
  const date = (iso: string | null) => (iso ? intl.formatDate(iso, { day: "numeric", month: "short", year: "numeric" }) : "—");
  if (!org || !view) {
    return (
      <div className="page narrow">
        <h1>
          <FormattedMessage id="supervision.title" />
        </h1>
        <p>
          <FormattedMessage id="supervision.none" />
        </p>
      </div>
    );
  }
  const orgId = org.organisationId;
  const q = view.queue;
  const errorFor = (intent: string, id?: string) => (result && !result.ok && result.intent === intent && (id === undefined || result.id === id) ? <ErrorSummary result={result} /> : null);
  const meetingFieldId = (supervisionId: string) => (result && !result.ok && result.intent === "markSession" && result.id === supervisionId ? "field-meeting" : `meeting-${supervisionId}`);
  const meetingTime = (iso: string, timeZone: string) => intl.formatDate(iso, { weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone });
  // A report's ratings: the current list in its order, then retired competencies it rated.
  const ratedCompetencies = (ratings: Record<string, number>) => [
    ...view.settings.competencies,
    ...view.settings.retiredCompetencies.filter((c) => c.key in ratings && !view.settings.competencies.some((a) => a.key === c.key)).map((c) => ({ key: c.key, label: intl.formatMessage({ id: "supervision.retiredCompetency" }, { label: c.label }) })),
  ];

  const supervisionCard = (s: Sup) => (
    <li key={s.id} className="card">
      <h3>
        <FormattedMessage id="supervision.with" values={{ candidate: s.candidate.name, supervisor: s.supervisor.name }} /> · <FormattedMessage id="supervision.status" values={{ status: s.status }} />
      </h3>
      {s.termsText && (
        <>
          <p>
            <strong>
              <FormattedMessage id="supervision.terms" />:
            </strong>{" "}
            {s.termsText}
          </p>
          <p>
            <FormattedMessage id="supervision.fee" values={{ fee: s.feeText ?? "" }} />
          </p>
          <p className="hint">
            <FormattedMessage id="supervision.acceptedBy" values={{ supervisorAt: date(s.supervisorAcceptedAt), candidateAt: date(s.candidateAcceptedAt) }} />
          </p>
        </>
      )}
      {s.nextReportDue && (
        <p>
          <FormattedMessage id="supervision.nextDue" values={{ date: date(s.nextReportDue) }} />
        </p>
      )}
      {s.myRole === "supervisor" && (s.status === "requested" || s.status === "proposed") && (
        <Form method="post">
          <Hidden orgId={orgId} intent="propose" id={s.id} />
          {errorFor("propose", s.id)}
          <label>
            <FormattedMessage id="supervision.termsField" />
            <textarea name="termsText" required maxLength={2000} defaultValue={s.termsText ?? ""} />
          </label>
          <label>
            <FormattedMessage id="supervision.feeField" />
            <input name="feeText" required maxLength={300} defaultValue={s.feeText ?? ""} />
          </label>
          <button type="submit">
            <FormattedMessage id="supervision.propose" />
          </button>
        </Form>
      )}
      <div className="actions">
        {s.myRole === "candidate" && s.status === "proposed" && (
          <Form method="post">
            <Hidden orgId={orgId} intent="accept" id={s.id} />
            <button type="submit">
              <FormattedMessage id="supervision.accept" />
            </button>
          </Form>
        )}
        {(s.status === "requested" || s.status === "proposed") && (
          <Form method="post">
            <Hidden orgId={orgId} intent="decline" id={s.id} />
            <button type="submit" className="secondary">
              <FormattedMessage id="supervision.decline" />
            </button>
          </Form>
        )}
        {s.status === "active" && (
          <Form method="post">
            <Hidden orgId={orgId} intent="end" id={s.id} />
            <button type="submit" className="secondary">
              <FormattedMessage id="supervision.end" />
            </button>
          </Form>
        )}
      </div>
      <h4>
        <FormattedMessage id="supervision.meetings" />
      </h4>
      <ul>
        {s.meetings.map((m) => (
          <li key={m.id}>
            <FormattedMessage id="supervision.meetingLine" values={{ date: m.heldOn, minutes: m.minutes, status: m.status }} />
            {m.status === "pending" && m.loggedByUserId !== view.me && (
              <Form method="post" className="inline">
                <Hidden orgId={orgId} intent="decideMeeting" id={m.id} />
                <button type="submit" name="confirm" value="true">
                  <FormattedMessage id="supervision.confirm" />
                </button>
                <button type="submit" name="confirm" value="false" className="secondary">
                  <FormattedMessage id="supervision.reject" />
                </button>
              </Form>
            )}
          </li>
        ))}
      </ul>
      {s.status === "active" && (
        <Form method="post">
          <Hidden orgId={orgId} intent="logMeeting" id={s.id} />
          {errorFor("logMeeting", s.id)}
          <fieldset>
            <legend>
              <FormattedMessage id="supervision.logMeeting" />
            </legend>
            <label>
              <FormattedMessage id="supervision.heldOn" />
              <input type="date" name="heldOn" required />
            </label>
            <label>
              <FormattedMessage id="supervision.minutes" />
              <input type="number" name="minutes" min={5} max={600} defaultValue={60} required />
            </label>
            <label>
              <FormattedMessage id="supervision.modeField" />
              <select name="mode" defaultValue="online">
                <option value="online">{intl.formatMessage({ id: "supervision.modeOnline" })}</option>
                <option value="in_person">{intl.formatMessage({ id: "supervision.modeInPerson" })}</option>
              </select>
            </label>
            <button type="submit">
              <FormattedMessage id="supervision.logMeeting" />
            </button>
          </fieldset>
        </Form>
      )}
      <h4>
        <FormattedMessage id="supervision.sessions" />
      </h4>
      <ul>
        {s.supervisedSessions.map((x) => (
          <li key={x.id}>
            <FormattedMessage id="supervision.sessionLine" values={{ date: date(x.occurrenceStart), status: x.status }} />
            {x.status === "pending" && s.myRole === "supervisor" && (
              <Form method="post" className="inline">
                <Hidden orgId={orgId} intent="decideSession" id={x.id} />
                <button type="submit" name="confirm" value="true">
                  <FormattedMessage id="supervision.confirm" />
                </button>
                <button type="submit" name="confirm" value="false" className="secondary">
                  <FormattedMessage id="supervision.reject" />
                </button>
              </Form>
            )}
          </li>
        ))}
      </ul>
      {s.status === "active" && s.myRole === "candidate" && view.led && (
        <Form method="post">
          <Hidden orgId={orgId} intent="markSession" id={s.id} />
          {errorFor("markSession", s.id)}
          <fieldset>
            <legend>
              <FormattedMessage id="supervision.markSession" />
            </legend>
            {view.led.items.length === 0 ? (
              <p>
                <FormattedMessage id="supervision.noLedMeetings" />
              </p>
            ) : (
              <>
                {/* The error summary links to #field-meeting: that id goes to the form that failed. */}
                <label htmlFor={meetingFieldId(s.id)}>
                  <FormattedMessage id="supervision.meetingField" />
                </label>
                <p className="field__hint" id={`${meetingFieldId(s.id)}-hint`}>
                  <FormattedMessage id="supervision.meetingHint" values={{ timeZone: view.led.timeZone }} />
                </p>
                <select id={meetingFieldId(s.id)} name="meeting" required defaultValue="" aria-describedby={`${meetingFieldId(s.id)}-hint`}>
                  <option value="" disabled>
                    {intl.formatMessage({ id: "supervision.chooseMeeting" })}
                  </option>
                  {view.led.items.map((m) => (
                    <option key={m.value} value={m.value}>
                      {intl.formatMessage({ id: "supervision.meetingOption" }, { group: m.groupName, date: meetingTime(m.occurrenceStart, view.led!.timeZone), kind: m.kind })}
                    </option>
                  ))}
                </select>
                <button type="submit">
                  <FormattedMessage id="supervision.markSession" />
                </button>
              </>
            )}
            {(view.led.nextBefore || view.ledBefore) && (
              <p>
                {view.ledBefore && (
                  <Link to={`?org=${encodeURIComponent(org.slug)}`}>
                    <FormattedMessage id="supervision.newestMeetings" />
                  </Link>
                )}
                {view.ledBefore && view.led.nextBefore && " · "}
                {view.led.nextBefore && (
                  <Link to={`?org=${encodeURIComponent(org.slug)}&meetingsBefore=${encodeURIComponent(view.led.nextBefore)}`}>
                    <FormattedMessage id="supervision.olderMeetings" />
                  </Link>
                )}
              </p>
            )}
          </fieldset>
        </Form>
      )}
      <h4>
        <FormattedMessage id="supervision.reports" />
      </h4>
      {s.reports.map((r) => (
        <article key={r.id} className="report">
          <p>
            <strong>
              <FormattedMessage id="supervision.reportFor" values={{ start: r.periodStart, end: r.periodEnd, supervisor: r.supervisorName }} />
            </strong>
          </p>
          <dl>
            {ratedCompetencies(r.ratings).map((c) => (
              <div key={c.key}>
                <dt>{c.label}</dt>
                <dd>
                  {r.ratings[c.key] ?? "—"} / {r.maxLevel}
                </dd>
              </div>
            ))}
          </dl>
          <p>{r.narrative}</p>
        </article>
      ))}
      {s.myRole === "supervisor" && (s.status === "active" || s.status === "ended") && (
        <Form method="post">
          <Hidden orgId={orgId} intent="report" id={s.id} />
          {errorFor("report", s.id)}
          <fieldset>
            <legend>
              <FormattedMessage id="supervision.writeReport" />
            </legend>
            <label>
              <FormattedMessage id="supervision.periodStart" />
              <input type="date" name="periodStart" required />
            </label>
            <label>
              <FormattedMessage id="supervision.periodEnd" />
              <input type="date" name="periodEnd" required />
            </label>
            {view.settings.competencies.map((c) => (
              <label key={c.key}>
                {c.label}
                <select name={`rating.${c.key}`} required defaultValue="">
                  <option value="" disabled>
                    —
                  </option>
                  {Array.from({ length: view.settings.maxLevel }, (_, i) => i + 1).map((l) => (
                    <option key={l} value={l}>
                      {l}
                    </option>
                  ))}
                </select>
              </label>
            ))}
            <label>
              <FormattedMessage id="supervision.narrative" />
              <textarea name="narrative" required maxLength={4000} />
            </label>
            <label className="checkbox">
              <input type="checkbox" name="acknowledgeIdentifiers" value="true" /> <FormattedMessage id="supervision.acknowledge" />
            </label>
            <button type="submit">
              <FormattedMessage id="supervision.writeReport" />
            </button>
          </fieldset>
        </Form>
      )}
    </li>
  );

  const mineSupervisor = view.supervisors.find((s) => s.userId === view.me);
  return (
    <div className="page supervision">
      <h1>
        <FormattedMessage id="supervision.title" />
      </h1>
      <p className="lead">
        <FormattedMessage id="supervision.intro" values={{ organisation: org.name }} />
      </p>
      {orgs.length > 1 && (
        <Form method="get">
          <label>
            <FormattedMessage id="supervision.chooseOrg" />
            <select name="org" defaultValue={org.slug}>
              {orgs.map((o) => (
                <option key={o.organisationId} value={o.slug}>
                  {o.name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="secondary">
            <FormattedMessage id="supervision.show" />
          </button>
        </Form>
      )}
      {result?.ok && (
        <p role="status" className="notice">
          <FormattedMessage id="supervision.saved" />
        </p>
      )}

      <section aria-labelledby="queue">
        <h2 id="queue">
          <FormattedMessage id="supervision.queueTitle" />
        </h2>
        {q.requests.length + q.meetingsToConfirm.length + q.sessionsToConfirm.length + q.reportsDue.length + q.evidenceToVerify.length === 0 ? (
          <p>
            <FormattedMessage id="supervision.queueEmpty" />
          </p>
        ) : (
          <ul>
            {q.requests.length > 0 && (
              <li>
                <FormattedMessage id="supervision.queueRequests" values={{ count: q.requests.length }} />
              </li>
            )}
            {q.meetingsToConfirm.length > 0 && (
              <li>
                <FormattedMessage id="supervision.queueMeetings" values={{ count: q.meetingsToConfirm.length }} />
              </li>
            )}
            {q.sessionsToConfirm.length > 0 && (
              <li>
                <FormattedMessage id="supervision.queueSessions" values={{ count: q.sessionsToConfirm.length }} />
              </li>
            )}
            {q.reportsDue.length > 0 && (
              <li>
                <FormattedMessage id="supervision.queueReports" values={{ count: q.reportsDue.length }} /> ({q.reportsDue.map((r) => `${r.candidateName} ${r.dueOn}`).join(", ")})
              </li>
            )}
            {q.evidenceToVerify.length > 0 && (
              <li>
                <FormattedMessage id="supervision.queueEvidence" values={{ count: q.evidenceToVerify.length }} />
              </li>
            )}
          </ul>
        )}
      </section>

      <section aria-labelledby="list">
        <h2 id="list">
          <FormattedMessage id="supervision.listTitle" />
        </h2>
        {errorFor("ask")}
        {view.supervisors.length === 0 ? (
          <p>
            <FormattedMessage id="supervision.listEmpty" />
          </p>
        ) : (
          <ul className="cards">
            {view.supervisors.map((s) => (
              <li key={s.userId} className="card">
                <h3>{s.name}</h3>
                <p>
                  <FormattedMessage id="supervision.places" values={{ taken: s.taken, capacity: s.capacity }} /> · <FormattedMessage id="supervision.mode" values={{ mode: s.mode }} />
                </p>
                <p>
                  <FormattedMessage id="supervision.languages" values={{ languages: s.languages.join(", ") }} />
                </p>
                {s.feeText && (
                  <p>
                    <FormattedMessage id="supervision.fee" values={{ fee: s.feeText }} />
                  </p>
                )}
                {s.userId !== view.me && s.active && s.taken < s.capacity && (
                  <Form method="post">
                    <Hidden orgId={orgId} intent="ask" />
                    <input type="hidden" name="supervisorUserId" value={s.userId} />
                    <button type="submit">
                      <FormattedMessage id="supervision.ask" />
                    </button>
                  </Form>
                )}
              </li>
            ))}
          </ul>
        )}
        {view.canSupervise && (
          <Form method="post">
            <Hidden orgId={orgId} intent="optIn" />
            {errorFor("optIn")}
            <fieldset>
              <legend>
                <FormattedMessage id="supervision.optInTitle" />
              </legend>
              <label>
                <FormattedMessage id="supervision.capacity" />
                <input type="number" name="capacity" min={0} max={100} required defaultValue={mineSupervisor?.capacity ?? 3} />
              </label>
              <label>
                <FormattedMessage id="supervision.languagesField" />
                <input name="languages" required defaultValue={mineSupervisor?.languages.join(", ") ?? "en"} />
              </label>
              <label>
                <FormattedMessage id="supervision.feeField" />
                <input name="feeText" maxLength={300} defaultValue={mineSupervisor?.feeText ?? ""} />
              </label>
              <label>
                <FormattedMessage id="supervision.modeField" />
                <select name="mode" defaultValue={mineSupervisor?.mode ?? "online"}>
                  <option value="online">{intl.formatMessage({ id: "supervision.modeOnline" })}</option>
                  <option value="in_person">{intl.formatMessage({ id: "supervision.modeInPerson" })}</option>
                  <option value="both">{intl.formatMessage({ id: "supervision.modeBoth" })}</option>
                </select>
              </label>
              <button type="submit">
                <FormattedMessage id="supervision.optIn" />
              </button>
            </fieldset>
          </Form>
        )}
        {mineSupervisor?.active && (
          <Form method="post">
            <Hidden orgId={orgId} intent="optOut" />
            <button type="submit" className="secondary">
              <FormattedMessage id="supervision.optOut" />
            </button>
          </Form>
        )}
      </section>

      <section aria-labelledby="mine">
        <h2 id="mine">
          <FormattedMessage id="supervision.mineTitle" />
        </h2>
        <h3>
          <FormattedMessage id="supervision.asCandidate" />
        </h3>
        {view.mine.asCandidate.length ? (
          <ul className="cards">{view.mine.asCandidate.map(supervisionCard)}</ul>
        ) : (
          <p>
            <FormattedMessage id="supervision.none" />
          </p>
        )}
        {(view.canSupervise || view.mine.asSupervisor.length > 0) && (
          <>
            <h3>
              <FormattedMessage id="supervision.asSupervisor" />
            </h3>
            {view.mine.asSupervisor.length ? (
              <ul className="cards">{view.mine.asSupervisor.map(supervisionCard)}</ul>
            ) : (
              <p>
                <FormattedMessage id="supervision.none" />
              </p>
            )}
          </>
        )}
      </section>
      <p>
        <Link to={`/o/${org.slug}/accreditation/applications`}>
          <FormattedMessage id="application.title" />
        </Link>
      </p>
    </div>
  );
}
