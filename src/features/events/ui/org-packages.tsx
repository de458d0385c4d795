import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, data, redirect } from "react-router";
import type { Route } from "./+types/org-packages";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, type ActionResult } from "../../../ui/forms.tsx";
import { formValues } from "../../../ui/actions.ts";
import { attempt, loadOr, OrgPageError } from "../../organisations/ui/shared.tsx";
import { PackageFields, chosenEventIds, packageInputFrom } from "./package-form.tsx";
import { When } from "./shared.tsx";

// The organisers' packages: a series of events sold as one registration.

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  const [packages, events] = await Promise.all([loadOr(request, () => ctx.services.events.listPackages(ctx.actor, org.id)), loadOr(request, () => ctx.services.events.listEvents(ctx.actor, org.id))]);
  return {
    org: { slug: org.slug, name: org.name },
    packages: packages.items.map((p) => ({ id: p.id, slug: p.slug, title: p.title, status: p.status, seatsLeft: p.seatsLeft, counts: p.counts, events: p.events.map((e) => e.title), startsAt: p.events[0]?.startsAt ?? null })),
    events: events.items.filter((e) => e.status !== "cancelled").map((e) => ({ id: e.id, title: e.title, status: e.status })),
  };
}

type CreateAction = ActionResult;

export async function action({ request, params, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  const values = formValues(await request.formData());
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  const { input, issues } = packageInputFrom(values, chosenEventIds(values), false);
  if (issues.length) return data({ ok: false, message: issues[0]!.message, fields: issues, values } satisfies CreateAction, { status: 400 });
  const result = await attempt(() => ctx.services.events.createPackage(ctx.actor, org.id, input, ctx), values);
  if (!result.ok) return data(result.failure satisfies CreateAction, { status: result.status });
  throw redirect(`/o/${org.slug}/event-packages/${result.value.id}`);
}

export { OrgPageError as ErrorBoundary };

export default function OrgPackages({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const { org, packages, events } = loaderData;
  const result = actionData as CreateAction | undefined;
  return (
    <div>
      <h2><FormattedMessage id="events.packages.title" /></h2>
      <p>
        <Link to={`/o/${org.slug}/events`}><FormattedMessage id="events.org.title" /></Link> · <Link to={`/events/${org.slug}`}><FormattedMessage id="events.org.publicPage" /></Link>
      </p>
      {packages.length === 0 ? (
        <p><FormattedMessage id="events.packages.none" /></p>
      ) : (
        <ul className="card-list">
          {packages.map((p) => (
            <li key={p.id} className="card">
              <h3><Link to={`/o/${org.slug}/event-packages/${p.id}`}>{p.title}</Link></h3>
              <p>
                {intl.formatMessage({ id: `events.org.status.${p.status}` })}
                {p.startsAt && <> · <When iso={p.startsAt} dateOnly /></>} · {p.events.join(" · ")}
              </p>
              <p><FormattedMessage id="events.packages.counts" values={{ confirmed: p.counts.confirmed, waitlisted: p.counts.waitlisted, seats: p.seatsLeft }} /></p>
            </li>
          ))}
        </ul>
      )}
      <section aria-labelledby="new-package">
        <h3 id="new-package"><FormattedMessage id="events.packages.new" /></h3>
        {events.length < 2 ? (
          <p><FormattedMessage id="events.packages.needEvents" /></p>
        ) : (
          <Form method="post" noValidate>
            <ErrorSummary result={result} />
            <PackageFields result={result} defaults={{}} events={events} chosen={[]} partial={false} />
            <button type="submit"><FormattedMessage id="events.packages.create" /></button>
          </Form>
        )}
      </section>
    </div>
  );
}
