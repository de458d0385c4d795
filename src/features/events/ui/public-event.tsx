import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, data, redirect } from "react-router";
import type { Route } from "./+types/public-event";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, FieldMessage, fieldError, type ActionResult } from "../../../ui/forms.tsx";
import { formValues } from "../../../ui/actions.ts";
import { isAppError } from "../../../platform/http/errors.ts";
import { attempt } from "../../organisations/ui/shared.tsx";
import { DISCIPLINES, EXPERIENCE_LEVELS, TRAINEE_STAGES } from "../constants.ts";
import { Price, Select, When, registrationInput } from "./shared.tsx";

function signInUrl(request: Request) {
  return `/sign-in?redirectTo=${encodeURIComponent(new URL(request.url).pathname)}`;
}

async function load(ctx: ReturnType<typeof getRequestContext>, orgSlug: string, eventSlug: string) {
  try {
    return await ctx.services.events.publicEvent(orgSlug, eventSlug);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") throw data(null, { status: 404 });
    throw error;
  }
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const event = await load(ctx, params.orgSlug, params.eventSlug);
  const mine = ctx.user ? (await ctx.services.events.myRegistrations(ctx.actor)).items.find((r) => r.organisation.slug === event.organisation.slug && r.target.kind === "event" && r.target.slug === event.slug && r.status !== "cancelled") : undefined;
  return { event, signedIn: Boolean(ctx.user), signInHref: signInUrl(request), mine: mine ? { status: mine.status } : null };
}

type RegisterAction = ActionResult<{ status: string }>;

export async function action({ request, params, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect(signInUrl(request));
  const values = formValues(await request.formData());
  const input = registrationInput(values);
  const result = await attempt(() => ctx.services.events.register(ctx.actor, params.orgSlug, { kind: "event", slug: params.eventSlug }, input, ctx), values);
  if (!result.ok) return data(result.failure satisfies RegisterAction, { status: result.status });
  return { ok: true, data: { status: result.value.status } } satisfies RegisterAction;
}

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `${loaderData.event.title} · Balint Commons` : "Balint Commons" }];
}

export default function PublicEvent({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const { event, signedIn, signInHref, mine } = loaderData;
  const result = actionData as RegisterAction | undefined;
  const org = event.organisation;
  const done = result?.ok ? result.data?.status : null;
  const plain = (v: string) => ({ value: v, label: v.replace(/_/g, " ") });
  return (
    <div className="page narrow">
      <p className="eyebrow">
        <Link to={`/events/${org.slug}`}>{intl.formatMessage({ id: "events.public.back" }, { organisation: org.name })}</Link>
      </p>
      <h1>{event.title}</h1>
      <p>
        {intl.formatMessage({ id: `events.kind.${event.kind}` })} · {intl.formatMessage({ id: `events.format.${event.format}` })} · <FormattedMessage id="events.page.language" values={{ language: event.language }} />
      </p>
      {event.status === "cancelled" && <p className="notice notice--warning"><FormattedMessage id="events.page.cancelled" /></p>}
      {event.description && <p className="lead">{event.description}</p>}
      {event.venue && (
        <p>
          <strong><FormattedMessage id="events.page.venue" /></strong>: {event.venue}
        </p>
      )}
      {event.format !== "in_person" && <p><FormattedMessage id="events.page.online" /></p>}
      {event.ceHours !== null && (
        <p>
          <FormattedMessage id="events.page.ce" values={{ hours: event.ceHours }} />
          {event.ceStatement && <> — {event.ceStatement}</>}
        </p>
      )}
      <p>
        <a href={`/api/v1/public/events/${org.slug}/${event.slug}/calendar`} download>
          <FormattedMessage id="events.page.ics" />
        </a>
      </p>

      <section aria-labelledby="programme">
        <h2 id="programme"><FormattedMessage id="events.page.programme" /></h2>
        {event.days.map((d) => (
          <div key={d.id}>
            <h3><When iso={`${d.date}T12:00:00Z`} timeZone="UTC" dateOnly />{d.label ? ` — ${d.label}` : ""}</h3>
            <ul>
              {d.sessions.map((s) => (
                <li key={s.id}>
                  {intl.formatDate(s.start, { hour: "2-digit", minute: "2-digit", timeZone: event.timeZone })}–{intl.formatDate(s.end, { hour: "2-digit", minute: "2-digit", timeZone: event.timeZone, timeZoneName: "short" })}: {s.title} ({intl.formatMessage({ id: `events.session.${s.kind}` })})
                </li>
              ))}
            </ul>
          </div>
        ))}
      </section>

      {event.faculty.length > 0 && (
        <section aria-labelledby="faculty">
          <h2 id="faculty"><FormattedMessage id="events.page.faculty" /></h2>
          <ul>
            {event.faculty.map((f) => (
              <li key={f.name}>
                {f.name} ({intl.formatMessage({ id: `events.facultyRole.${f.role}` })})
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="prices">
        <h2 id="prices"><FormattedMessage id="events.page.prices" /></h2>
        <ul>
          {event.tiers.map((t) => (
            <li key={t.id}>
              <strong>{t.name}</strong>: <Price amountMinor={t.amountMinor} currency={t.currency} /> — {intl.formatMessage({ id: `events.eligibility.${t.eligibility}` }, { organisation: org.name })}
              {t.discountLabel && <> ({t.discountLabel})</>}
            </li>
          ))}
        </ul>
        <p><FormattedMessage id="events.public.seatsLeft" values={{ count: event.seatsLeft }} /></p>
        {event.registrationClosesAt && (
          <p><FormattedMessage id="events.page.closes" values={{ date: <When iso={event.registrationClosesAt} timeZone={event.timeZone} /> }} /></p>
        )}
      </section>

      <section aria-labelledby="register">
        <h2 id="register"><FormattedMessage id="events.page.register" /></h2>
        {done ? (
          <p className="notice notice--success" role="status">
            <FormattedMessage id={done === "confirmed" ? "events.page.registered" : "events.page.waitlisted"} /> <Link to="/account/events"><FormattedMessage id="events.mine.title" /></Link>
          </p>
        ) : mine ? (
          <p>
            <Link to="/account/events"><FormattedMessage id="events.page.mine" /></Link>
          </p>
        ) : !event.registrationOpen ? (
          <p><FormattedMessage id="events.page.closed" /></p>
        ) : !signedIn ? (
          <p><Link to={signInHref}><FormattedMessage id="events.page.signIn" /></Link></p>
        ) : (
          <Form method="post" noValidate>
            <ErrorSummary result={result} />
            <fieldset>
              <legend><FormattedMessage id="events.page.tier" /></legend>
              {fieldError(result, "tierId") && <p className="field__error"><FieldMessage message={fieldError(result, "tierId")} /></p>}
              {event.tiers.map((t) => (
                <div key={t.id} className="choice">
                  <input type="radio" id={`tier-${t.id}`} name="tierId" value={t.id} required />
                  <label htmlFor={`tier-${t.id}`}>
                    {t.name} — <Price amountMinor={t.amountMinor} currency={t.currency} />
                  </label>
                </div>
              ))}
            </fieldset>
            <fieldset id="field-trainee">
              <legend><FormattedMessage id="events.page.trainee" /></legend>
              {fieldError(result, "trainee") && <p className="field__error"><FieldMessage message={fieldError(result, "trainee")} /></p>}
              <Select name="trainee.stage" label={intl.formatMessage({ id: "events.page.traineeStage" })} options={TRAINEE_STAGES.map(plain)} />
              <Select name="trainee.discipline" label={intl.formatMessage({ id: "events.page.discipline" })} options={DISCIPLINES.map(plain)} />
              <div className="choice">
                <input type="checkbox" id="field-trainee.confirm" name="trainee.confirm" />
                <label htmlFor="field-trainee.confirm"><FormattedMessage id="events.page.traineeConfirm" /></label>
              </div>
            </fieldset>
            <Select name="role" label={intl.formatMessage({ id: "events.page.role" })} options={["participant", "leader_in_training"].map((r) => ({ value: r, label: intl.formatMessage({ id: `events.role.${r}` }) }))} />
            <Select name="discipline" label={intl.formatMessage({ id: "events.page.discipline" })} options={DISCIPLINES.map(plain)} />
            <Select name="experience" label={intl.formatMessage({ id: "events.page.experience" })} options={EXPERIENCE_LEVELS.map(plain)} />
            <div className="field">
              <label htmlFor="field-affiliation"><FormattedMessage id="events.page.affiliation" /></label>
              <input id="field-affiliation" name="affiliation" maxLength={120} />
            </div>
            {event.questions.length > 0 && <p className="field__hint"><FormattedMessage id="events.page.answerHint" /></p>}
            {event.questions.map((q) => {
              const name = `answers.${q.id}`;
              const error = fieldError(result, name);
              const options = q.options.length ? q.options : q.kind === "discipline" ? [...DISCIPLINES] : q.kind === "balint_experience" ? [...EXPERIENCE_LEVELS] : [];
              return options.length ? (
                <Select key={q.id} name={name} label={`${q.label}${q.required ? " *" : ""}`} options={options.map(plain)} error={error} required={q.required} />
              ) : (
                <div key={q.id} className={`field${error ? " field--error" : ""}`}>
                  <label htmlFor={`field-${name}`}>{`${q.label}${q.required ? " *" : ""}`}</label>
                  {error && <p className="field__error"><FieldMessage message={error} /></p>}
                  <input id={`field-${name}`} name={name} maxLength={200} required={q.required} aria-invalid={error ? true : undefined} />
                </div>
              );
            })}
            <div className="field">
              <label htmlFor="field-keepApart"><FormattedMessage id="events.page.keepApart" /></label>
              <p className="field__hint" id="keep-apart-hint"><FormattedMessage id="events.page.keepApartHint" /></p>
              <input id="field-keepApart" name="keepApart" aria-describedby="keep-apart-hint" />
            </div>
            <button type="submit">
              <FormattedMessage id={event.seatsLeft > 0 ? "events.page.register" : "events.page.joinWaitlist"} />
            </button>
          </Form>
        )}
      </section>
    </div>
  );
}
