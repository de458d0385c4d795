import { FormattedMessage, useIntl } from "react-intl";
import { Form, data, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/calendar";
import { getRequestContext } from "../../../ui/request-context.ts";
import { AccountNav } from "../../../ui/account-nav.tsx";
import { ErrorSummary, FieldMessage, fieldError, type ActionResult } from "../../../ui/forms.tsx";
import { formAction } from "../../../ui/actions.ts";
import { REMINDER_OFFSETS } from "../constants.ts";

export function meta() {
  return [{ title: "Calendar and reminders · Balint Commons" }];
}

export async function loader({ context, request }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect(`/sign-in?redirectTo=${encodeURIComponent(new URL(request.url).pathname)}`);
  const [feed, reminders] = await Promise.all([ctx.services.sessions.feedStatus(ctx.actor), ctx.services.sessions.reminderPreference(ctx.actor)]);
  return { feed, reminders };
}

type Done = { ok: true; intent: "feed"; https: string; webcal: string } | { ok: true; intent: "revoke" } | { ok: true; intent: "reminders" };

export async function action({ request, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect("/sign-in");
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const sessions = ctx.services.sessions;
  const result = await formAction<Done>(async () => {
    if (intent === "feed") {
      const url = await sessions.createFeed(ctx.actor);
      return { ok: true, intent: "feed", https: url.https, webcal: url.webcal };
    }
    if (intent === "revoke") {
      await sessions.revokeFeed(ctx.actor);
      return { ok: true, intent: "revoke" };
    }
    await sessions.setReminderPreference(ctx.actor, { offsetsMinutes: form.getAll("offsetsMinutes").map((v) => Number(v)) });
    return { ok: true, intent: "reminders" };
  });
  if (!result.ok) return data(result, { status: 400 });
  return result;
}

export default function Calendar({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const done = actionData && actionData.ok ? actionData : undefined;
  const failure = actionData && !actionData.ok ? (actionData as ActionResult) : undefined;
  const chosen = new Set(loaderData.reminders.offsetsMinutes);
  const offsetsError = fieldError(failure, "offsetsMinutes");
  return (
    <div className="page narrow">
      <AccountNav />
      <h1>
        <FormattedMessage id="sessions.calendar.title" />
      </h1>
      <ErrorSummary result={failure} labels={{ offsetsMinutes: intl.formatMessage({ id: "sessions.calendar.reminders" }) }} />

      <section className="card" aria-labelledby="subscription-heading">
        <h2 id="subscription-heading">
          <FormattedMessage id="sessions.calendar.subscription" />
        </h2>
        <p>
          <FormattedMessage id="sessions.calendar.subscriptionIntro" />
        </p>
        {done?.intent === "feed" ? (
          <div className="notice notice--success" role="status">
            <p>
              <FormattedMessage id="sessions.calendar.newUrl" />
            </p>
            <div className="field">
              <label htmlFor="feed-https">
                <FormattedMessage id="sessions.calendar.https" />
              </label>
              <input id="feed-https" readOnly value={done.https} onFocus={(e) => e.currentTarget.select()} />
            </div>
            <div className="field">
              <label htmlFor="feed-webcal">
                <FormattedMessage id="sessions.calendar.webcal" />
              </label>
              <input id="feed-webcal" readOnly value={done.webcal} onFocus={(e) => e.currentTarget.select()} />
            </div>
            <p>
              <a href={done.webcal}>
                <FormattedMessage id="sessions.calendarLink" />
              </a>
            </p>
          </div>
        ) : done?.intent === "revoke" ? (
          <div className="notice notice--success" role="status">
            <FormattedMessage id="sessions.calendar.revoked" />
          </div>
        ) : loaderData.feed.active ? (
          <p>
            <FormattedMessage id="sessions.calendar.active" values={{ when: intl.formatDate(loaderData.feed.createdAt!, { dateStyle: "medium" }) }} />
          </p>
        ) : (
          <p>
            <FormattedMessage id="sessions.calendar.none" />
          </p>
        )}
        <div className="actions">
          <Form method="post">
            <input type="hidden" name="intent" value="feed" />
            <button type="submit" disabled={busy}>
              <FormattedMessage id={loaderData.feed.active ? "sessions.calendar.regenerate" : "sessions.calendar.create"} />
            </button>
          </Form>
          {loaderData.feed.active && (
            <Form method="post">
              <input type="hidden" name="intent" value="revoke" />
              <button type="submit" className="button--danger" disabled={busy}>
                <FormattedMessage id="sessions.calendar.revoke" />
              </button>
            </Form>
          )}
        </div>
      </section>

      <section className="card" aria-labelledby="reminders-heading">
        <h2 id="reminders-heading">
          <FormattedMessage id="sessions.calendar.reminders" />
        </h2>
        {done?.intent === "reminders" && (
          <div className="notice notice--success" role="status">
            <FormattedMessage id="sessions.calendar.remindersSaved" />
          </div>
        )}
        <Form method="post">
          <input type="hidden" name="intent" value="reminders" />
          <fieldset id="field-offsetsMinutes" className={offsetsError ? "field--error" : undefined} aria-describedby={offsetsError ? "offsets-hint offsets-error" : "offsets-hint"}>
            <legend>
              <FormattedMessage id="sessions.calendar.remindersLegend" />
            </legend>
            <p className="field__hint" id="offsets-hint">
              <FormattedMessage id="sessions.calendar.remindersIntro" />
            </p>
            {offsetsError && (
              <p className="field__error" id="offsets-error">
                <FieldMessage message={offsetsError} />
              </p>
            )}
            <ul className="checkbox-list">
              {REMINDER_OFFSETS.map((o) => (
                <li key={o}>
                  <label>
                    <input type="checkbox" name="offsetsMinutes" value={o} defaultChecked={chosen.has(o)} />
                    <FormattedMessage id={`sessions.calendar.offset.${o}`} />
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
          <button type="submit" disabled={busy}>
            <FormattedMessage id="sessions.calendar.remindersSubmit" />
          </button>
        </Form>
      </section>
    </div>
  );
}
