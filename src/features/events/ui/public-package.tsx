import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, data, redirect } from "react-router";
import type { Route } from "./+types/public-package";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, FieldMessage, fieldError, type ActionResult } from "../../../ui/forms.tsx";
import { formValues } from "../../../ui/actions.ts";
import { isAppError } from "../../../platform/http/errors.ts";
import { attempt } from "../../organisations/ui/shared.tsx";
import { DISCIPLINES, EXPERIENCE_LEVELS, TRAINEE_STAGES } from "../constants.ts";
import { Price, Select, When, registrationInput } from "./shared.tsx";

// The public page of a package (a series of events, one registration) with its register form.

function signInUrl(request: Request) {
  return `/sign-in?redirectTo=${encodeURIComponent(new URL(request.url).pathname)}`;
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  let pkg;
  try {
    pkg = await ctx.services.events.publicPackage(params.orgSlug, params.packageSlug);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") throw data(null, { status: 404 });
    throw error;
  }
  const mine = ctx.user ? (await ctx.services.events.myRegistrations(ctx.actor)).items.find((r) => r.organisation.slug === pkg.organisation.slug && r.target.kind === "package" && r.target.slug === pkg.slug && r.status !== "cancelled") : undefined;
  return { pkg, signedIn: Boolean(ctx.user), signInHref: signInUrl(request), mine: mine ? { status: mine.status } : null };
}

type RegisterAction = ActionResult<{ status: string }>;

export async function action({ request, params, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect(signInUrl(request));
  const values = formValues(await request.formData());
  const input = registrationInput(values);
  const result = await attempt(() => ctx.services.events.register(ctx.actor, params.orgSlug, { kind: "package", slug: params.packageSlug }, input, ctx), values);
  if (!result.ok) return data(result.failure satisfies RegisterAction, { status: result.status });
  return { ok: true, data: { status: result.value.status } } satisfies RegisterAction;
}

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `${loaderData.pkg.title} · Balint Commons` : "Balint Commons" }];
}

export default function PublicPackage({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const { pkg, signedIn, signInHref, mine } = loaderData;
  const result = actionData as RegisterAction | undefined;
  const org = pkg.organisation;
  const done = result?.ok ? result.data?.status : null;
  const plain = (v: string) => ({ value: v, label: v.replace(/_/g, " ") });
  return (
    <div className="page narrow">
      <p className="eyebrow">
        <Link to={`/events/${org.slug}`}>{intl.formatMessage({ id: "events.public.back" }, { organisation: org.name })}</Link>
      </p>
      <h1>{pkg.title}</h1>
      <p><FormattedMessage id="events.packages.publicLead" values={{ count: pkg.events.length }} /></p>
      {pkg.status === "cancelled" && <p className="notice notice--warning"><FormattedMessage id="events.page.cancelled" /></p>}
      {pkg.description && <p className="lead">{pkg.description}</p>}

      <section aria-labelledby="series-events">
        <h2 id="series-events"><FormattedMessage id="events.packages.events" /></h2>
        <ol>
          {pkg.events.map((e) => (
            <li key={e.id}>
              <Link to={`/events/${org.slug}/${e.slug}`}>{e.title}</Link>
              {e.startsAt && (
                <>
                  {" · "}
                  <When iso={e.startsAt} dateOnly /> – <When iso={e.endsAt} dateOnly />
                </>
              )}
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="prices">
        <h2 id="prices"><FormattedMessage id="events.page.prices" /></h2>
        <ul>
          {pkg.tiers.map((t) => (
            <li key={t.id}>
              <strong>{t.name}</strong>: <Price amountMinor={t.amountMinor} currency={t.currency} /> — {intl.formatMessage({ id: `events.eligibility.${t.eligibility}` }, { organisation: org.name })}
              {t.discountLabel && <> ({t.discountLabel})</>}
            </li>
          ))}
        </ul>
        <p><FormattedMessage id="events.public.seatsLeft" values={{ count: pkg.seatsLeft }} /></p>
        {pkg.registrationClosesAt && <p><FormattedMessage id="events.page.closes" values={{ date: <When iso={pkg.registrationClosesAt} /> }} /></p>}
      </section>

      <section aria-labelledby="register">
        <h2 id="register"><FormattedMessage id="events.page.register" /></h2>
        {done ? (
          <p className="notice notice--success" role="status">
            <FormattedMessage id={done === "confirmed" ? "events.page.registered" : "events.page.waitlisted"} /> <Link to="/account/events"><FormattedMessage id="events.mine.title" /></Link>
          </p>
        ) : mine ? (
          <p><Link to="/account/events"><FormattedMessage id="events.packages.mine" /></Link></p>
        ) : !pkg.registrationOpen ? (
          <p><FormattedMessage id="events.page.closed" /></p>
        ) : !signedIn ? (
          <p><Link to={signInHref}><FormattedMessage id="events.page.signIn" /></Link></p>
        ) : (
          <Form method="post" noValidate>
            <ErrorSummary result={result} />
            <fieldset id="field-tierId">
              <legend><FormattedMessage id="events.page.tier" /></legend>
              {fieldError(result, "tierId") && <p className="field__error"><FieldMessage message={fieldError(result, "tierId")} /></p>}
              {pkg.tiers.map((t) => (
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
            {pkg.questions.length > 0 && <p className="field__hint"><FormattedMessage id="events.page.answerHint" /></p>}
            {pkg.questions.map((q) => {
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
              <FormattedMessage id={pkg.seatsLeft > 0 ? "events.page.register" : "events.page.joinWaitlist"} />
            </button>
          </Form>
        )}
      </section>
    </div>
  );
}
