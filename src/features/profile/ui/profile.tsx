import { FormattedMessage, useIntl } from "react-intl";
import { Form, data, redirect, useNavigation, useSearchParams } from "react-router";
import type { Route } from "./+types/profile";
import { getRequestContext } from "../../../ui/request-context.ts";
import { AccountNav } from "../../../ui/account-nav.tsx";
import { ErrorSummary, FieldMessage, Field, fieldError, type ActionResult } from "../../../ui/forms.tsx";
import { formAction, formValues } from "../../../ui/actions.ts";
import { timeZoneOptions } from "../../../ui/time-zones.ts";
import { LOCALES, LOCALE_NAMES } from "../../../platform/i18n/locales.ts";
import { DISCIPLINES } from "../disciplines.ts";
import { GROUP_LANGUAGES, languageName } from "../languages.ts";
import stylesUrl from "./profile.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: stylesUrl }];

export function meta() {
  return [{ title: "Profile · Balint Commons" }];
}

export async function loader({ context, request }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect(`/sign-in?redirectTo=${encodeURIComponent(new URL(request.url).pathname)}`);
  const profile = await ctx.services.profile.getMine(ctx.actor);
  if (!profile) throw data(null, { status: 404 });
  // Offer the usual list plus anything the person already chose elsewhere (e.g. via the API).
  const codes = [...new Set([...GROUP_LANGUAGES, ...profile.languages])];
  const collator = new Intl.Collator(ctx.locale);
  const languages = codes.map((code) => ({ code, name: languageName(code, ctx.locale) })).sort((a, b) => collator.compare(a.name, b.name));
  return {
    profile: { name: profile.name, email: profile.email, pronouns: profile.pronouns, disciplines: profile.disciplines, languages: profile.languages, timeZone: profile.timeZone, locale: profile.locale },
    languages,
    timeZones: timeZoneOptions(),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect("/sign-in");
  const form = await request.formData();
  const disciplines = form.getAll("disciplines").map(String);
  const languages = form.getAll("languages").map(String);
  const values = { ...formValues(form), disciplines: disciplines.join(","), languages: languages.join(",") };
  const pronouns = String(form.get("pronouns") ?? "").trim();
  const locale = String(form.get("locale") ?? "");
  const input = {
    name: String(form.get("name") ?? ""),
    pronouns: pronouns === "" ? null : pronouns,
    disciplines,
    languages,
    timeZone: String(form.get("timeZone") ?? ""),
    locale: locale === "" ? null : locale,
  };
  const result = await formAction(() => ctx.services.profile.update(ctx.actor, input, { ipAddress: ctx.ipAddress, requestId: ctx.requestId }), values);
  if ("ok" in result && result.ok === false) return data(result, { status: 400 });
  // A fresh request, so the page comes back in the language just chosen.
  return redirect("/account/profile?saved=1");
}

export default function Profile({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const result = actionData as ActionResult | undefined;
  const failed = result && !result.ok ? result : undefined;
  const v = failed?.values;
  const p = loaderData.profile;
  const chosenDisciplines = new Set(v ? (v["disciplines"] ?? "").split(",") : p.disciplines);
  const chosenLanguages = new Set(v ? (v["languages"] ?? "").split(",") : p.languages);
  const locale = v ? (v["locale"] ?? "") : (p.locale ?? "");
  const saved = !failed && params.get("saved") === "1";
  const tzError = fieldError(result, "timeZone");
  const disciplinesError = fieldError(result, "disciplines");
  const languagesError = fieldError(result, "languages");
  return (
    <div className="page narrow">
      <AccountNav />
      <h1>
        <FormattedMessage id="profile.title" />
      </h1>
      <p className="lead">
        <FormattedMessage id="profile.intro" />
      </p>
      {saved && (
        <div className="notice notice--success" role="status">
          <FormattedMessage id="profile.saved" />
        </div>
      )}
      <ErrorSummary result={result} />
      <Form method="post" noValidate>
        <Field name="name" label={intl.formatMessage({ id: "profile.name" })} required maxLength={120} defaultValue={v?.["name"] ?? p.name} error={fieldError(result, "name")} autoComplete="name" />
        <p className="field__hint">
          <FormattedMessage id="profile.emailIs" values={{ email: <strong>{p.email}</strong> }} />
        </p>
        <Field
          name="pronouns"
          label={
            <>
              <FormattedMessage id="profile.pronouns" /> <span className="optional">(<FormattedMessage id="common.optional" />)</span>
            </>
          }
          hint={intl.formatMessage({ id: "profile.pronounsHint" })}
          maxLength={40}
          defaultValue={v?.["pronouns"] ?? p.pronouns ?? ""}
          error={fieldError(result, "pronouns")}
        />
        <fieldset id="field-disciplines" className={disciplinesError ? "field--error" : undefined} aria-describedby={disciplinesError ? "disciplines-error" : undefined}>
          <legend>
            <FormattedMessage id="profile.disciplines" />
          </legend>
          {disciplinesError && (
            <p className="field__error" id="disciplines-error">
              <FieldMessage message={disciplinesError} />
            </p>
          )}
          <ul className="checkbox-list">
            {DISCIPLINES.map((d) => (
              <li key={d}>
                <label>
                  <input type="checkbox" name="disciplines" value={d} defaultChecked={chosenDisciplines.has(d)} />
                  <FormattedMessage id={`profile.discipline.${d}`} />
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <fieldset id="field-languages" className={languagesError ? "field--error" : undefined} aria-describedby={languagesError ? "languages-hint languages-error" : "languages-hint"}>
          <legend>
            <FormattedMessage id="profile.languages" />
          </legend>
          <p className="field__hint" id="languages-hint">
            <FormattedMessage id="profile.languagesHint" />
          </p>
          {languagesError && (
            <p className="field__error" id="languages-error">
              <FieldMessage message={languagesError} />
            </p>
          )}
          <ul className="checkbox-list">
            {loaderData.languages.map((l) => (
              <li key={l.code}>
                <label>
                  <input type="checkbox" name="languages" value={l.code} defaultChecked={chosenLanguages.has(l.code)} />
                  {l.name}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <div className={`field${tzError ? " field--error" : ""}`}>
          <label htmlFor="field-timeZone">
            <FormattedMessage id="profile.timeZone" />
          </label>
          <p className="field__hint" id="tz-hint">
            <FormattedMessage id="profile.timeZoneHint" />
          </p>
          {tzError && (
            <p className="field__error" id="tz-error">
              <FieldMessage message={tzError} />
            </p>
          )}
          <select id="field-timeZone" name="timeZone" aria-describedby={tzError ? "tz-hint tz-error" : "tz-hint"} aria-invalid={tzError ? true : undefined} defaultValue={v?.["timeZone"] ?? p.timeZone}>
            {loaderData.timeZones.map((z) => (
              <option key={z} value={z}>
                {z.replaceAll("_", " ")}
              </option>
            ))}
          </select>
        </div>
        <fieldset id="field-locale">
          <legend>
            <FormattedMessage id="profile.locale" />
          </legend>
          <ul className="checkbox-list radio-list">
            <li>
              <label>
                <input type="radio" name="locale" value="" defaultChecked={locale === ""} />
                <FormattedMessage id="profile.localeBrowser" />
              </label>
            </li>
            {LOCALES.map((l) => (
              <li key={l}>
                <label lang={l}>
                  <input type="radio" name="locale" value={l} defaultChecked={locale === l} />
                  {LOCALE_NAMES[l]}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <button type="submit" disabled={navigation.state === "submitting"}>
          <FormattedMessage id="profile.submit" />
        </button>
      </Form>
    </div>
  );
}
