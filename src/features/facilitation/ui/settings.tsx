import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, data, useNavigation } from "react-router";
import type { Route } from "./+types/settings";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, FieldMessage, Field, fieldError, type ActionResult } from "../../../ui/forms.tsx";
import { formAction } from "../../../ui/actions.ts";
import { loadOr } from "../../organisations/ui/shared.tsx";
import { isAppError } from "../../../platform/http/errors.ts";
import { PHASES, PHASE_MINUTES_MAX, PHASE_MINUTES_MIN } from "../meeting-clock.ts";
import { GROUND_RULES_MAX } from "../schemas.ts";

export function meta() {
  return [{ title: "Companion settings · Balint Commons" }];
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  const settings = await loadOr(request, () => ctx.services.facilitation.settings(ctx.actor, org.id, params.groupId));
  const open = await ctx.services.facilitation.openableNow(ctx.actor);
  return { slug: org.slug, settings, open: open.items.filter((i) => i.groupId === settings.groupId) };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  const form = await request.formData();
  const values: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string") values[k] = v;
  const phaseMinutes = Object.fromEntries(PHASES.map((p) => [p, /^\d+$/.test(values[`minutes-${p}`] ?? "") ? Number(values[`minutes-${p}`]) : values[`minutes-${p}`]]));
  let status = 400;
  const result = await formAction(async () => {
    try {
      await ctx.services.facilitation.updateSettings(ctx.actor, org.id, params.groupId, { phaseMinutes, groundRules: values["groundRules"] ?? null, softSound: values["softSound"] === "on" }, { ipAddress: ctx.ipAddress, requestId: ctx.requestId });
      return { ok: true as const, message: "saved" };
    } catch (error) {
      if (isAppError(error)) {
        if (error.code === "not_found") throw data(null, { status: 404 });
        status = error.status;
      }
      throw error;
    }
  }, values);
  if (!result.ok) return data(result, { status });
  return result;
}

export default function CompanionSettings({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const navigation = useNavigation();
  const result = actionData as ActionResult | undefined;
  const s = loaderData.settings;
  const failed = result && !result.ok ? result : undefined;
  const value = (name: string, fallback: string) => failed?.values?.[name] ?? fallback;
  return (
    <div className="page narrow">
      <h1>
        <FormattedMessage id="facilitation.settings.title" />
      </h1>
      <p className="lead">
        <FormattedMessage id="facilitation.settings.intro" values={{ group: s.groupName }} />
      </p>
      {loaderData.open.length > 0 && (
        <section>
          <h2>
            <FormattedMessage id="facilitation.openList" />
          </h2>
          <ul>
            {loaderData.open.map((o) => (
              <li key={o.occurrenceStart}>
                <Link to={`/companion/${o.groupId}/${encodeURIComponent(o.occurrenceStart)}`}>
                  <FormattedMessage id="facilitation.openNow" values={{ group: o.groupName, when: intl.formatDate(o.start, { weekday: "long", hour: "numeric", minute: "2-digit" }) }} />
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      <ErrorSummary result={result} />
      {result?.ok && (
        <div className="notice notice--success" role="status">
          <FormattedMessage id="facilitation.settings.saved" />
        </div>
      )}
      <Form method="post">
        <fieldset id="field-phaseMinutes" tabIndex={-1}>
          <legend>
            <FormattedMessage id="facilitation.settings.minutesLegend" />
          </legend>
          {PHASES.map((p) => (
            <Field
              key={p}
              name={`minutes-${p}`}
              id={`field-phaseMinutes.${p}`}
              type="number"
              inputMode="numeric"
              min={PHASE_MINUTES_MIN}
              max={PHASE_MINUTES_MAX}
              required
              label={intl.formatMessage({ id: `facilitation.phase.${p}` })}
              defaultValue={value(`minutes-${p}`, String(s.phaseMinutes[p]))}
              error={fieldError(result, `phaseMinutes.${p}`)}
            />
          ))}
        </fieldset>
        <div className={`field${fieldError(result, "groundRules") ? " field--error" : ""}`}>
          <label htmlFor="field-groundRules">
            <FormattedMessage id="facilitation.settings.groundRules" />
          </label>
          <p className="field__hint" id="groundRules-hint">
            <FormattedMessage id="facilitation.settings.groundRulesHint" />
          </p>
          {fieldError(result, "groundRules") && <p className="field__error"><FieldMessage message={fieldError(result, "groundRules")} /></p>}
          <textarea id="field-groundRules" name="groundRules" rows={5} maxLength={GROUND_RULES_MAX} aria-describedby="groundRules-hint" defaultValue={value("groundRules", s.groundRules ?? "")} />
        </div>
        <div className="field">
          <label>
            <input type="checkbox" name="softSound" defaultChecked={failed?.values ? failed.values["softSound"] === "on" : s.softSound} /> <FormattedMessage id="facilitation.settings.softSound" />
          </label>
        </div>
        <button type="submit" disabled={navigation.state === "submitting"}>
          <FormattedMessage id="facilitation.settings.save" />
        </button>
      </Form>
    </div>
  );
}
