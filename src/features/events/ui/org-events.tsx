import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, data, redirect } from "react-router";
import type { Route } from "./+types/org-events";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, type ActionResult } from "../../../ui/forms.tsx";
import { formValues } from "../../../ui/actions.ts";
import { attempt, loadOr, OrgPageError } from "../../organisations/ui/shared.tsx";
import { EventFields, eventInputFrom } from "./event-form.tsx";
import { When } from "./shared.tsx";

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  const events = await loadOr(request, () => ctx.services.events.listEvents(ctx.actor, org.id));
  return {
    org: { slug: org.slug, name: org.name, timeZone: org.timeZone },
    events: events.items.map((e) => ({ id: e.id, title: e.title, kind: e.kind, status: e.status, startsAt: e.startsAt, timeZone: e.timeZone, capacity: e.capacity, counts: e.counts, slug: e.slug })),
  };
}

type CreateAction = ActionResult;

export async function action({ request, params, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  const values = formValues(await request.formData());
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  const { input, issues } = eventInputFrom(values, false);
  if (issues.length) return data({ ok: false, message: issues[0]!.message, fields: issues, values } satisfies CreateAction, { status: 400 });
  const result = await attempt(() => ctx.services.events.createEvent(ctx.actor, org.id, input, ctx), values);
  if (!result.ok) return data(result.failure satisfies CreateAction, { status: result.status });
  throw redirect(`/o/${org.slug}/events/${result.value.id}`);
}

export { OrgPageError as ErrorBoundary };

export default function OrgEvents({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const { org, events } = loaderData;
  const result = actionData as CreateAction | undefined;
  return (
    <div>
      <h2><FormattedMessage id="events.org.title" /></h2>
      <p>
        <Link to={`/events/${org.slug}`}><FormattedMessage id="events.org.publicPage" /></Link> · <Link to={`/o/${org.slug}/event-packages`}><FormattedMessage id="events.packages.title" /></Link>
      </p>
      {events.length === 0 ? (
        <p><FormattedMessage id="events.org.none" /></p>
      ) : (
        <ul className="card-list">
          {events.map((e) => (
            <li key={e.id} className="card">
              <h3><Link to={`/o/${org.slug}/events/${e.id}`}>{e.title}</Link></h3>
              <p>
                {intl.formatMessage({ id: `events.kind.${e.kind}` })} · {intl.formatMessage({ id: `events.org.status.${e.status}` })}
                {e.startsAt && <> · <When iso={e.startsAt} timeZone={e.timeZone} dateOnly /></>}
              </p>
              <p><FormattedMessage id="events.org.counts" values={{ ...e.counts, capacity: e.capacity }} /></p>
            </li>
          ))}
        </ul>
      )}
      <section aria-labelledby="new-event">
        <h3 id="new-event"><FormattedMessage id="events.org.new" /></h3>
        <Form method="post" noValidate>
          <ErrorSummary result={result} />
          <EventFields result={result} defaults={{ timeZone: org.timeZone }} partial={false} />
          <button type="submit"><FormattedMessage id="events.form.create" /></button>
        </Form>
      </section>
    </div>
  );
}
