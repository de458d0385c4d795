import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, data } from "react-router";
import type { Route } from "./+types/org-package";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, type ActionResult } from "../../../ui/forms.tsx";
import { formValues } from "../../../ui/actions.ts";
import { attempt, loadOr, OrgPageError } from "../../organisations/ui/shared.tsx";
import { PackageFields, chosenEventIds, packageInputFrom, questionsText, tiersText } from "./package-form.tsx";
import { Price, When } from "./shared.tsx";

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  const [pkg, events] = await Promise.all([loadOr(request, () => ctx.services.events.getPackage(ctx.actor, org.id, params.packageId)), loadOr(request, () => ctx.services.events.listEvents(ctx.actor, org.id))]);
  return { org: { slug: org.slug, name: org.name }, pkg, events: events.items.filter((e) => e.status !== "cancelled" || pkg.events.some((x) => x.id === e.id)).map((e) => ({ id: e.id, title: e.title, status: e.status })) };
}

type EditAction = ActionResult<{ notice: string }>;

export async function action({ request, params, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  const values = formValues(await request.formData());
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  const { input, issues } = packageInputFrom(values, chosenEventIds(values), true);
  if (issues.length) return data({ ok: false, message: issues[0]!.message, fields: issues, values } satisfies EditAction, { status: 400 });
  // Unchanged tier / question text keeps the current rows (their ids, trainee disciplines, labels).
  const current = await loadOr(request, () => ctx.services.events.getPackage(ctx.actor, org.id, params.packageId));
  const same = (a: string | undefined, b: string) => (a ?? "").replace(/\r/g, "").trim() === b.trim();
  if (same(values["tiers"], tiersText(current.tiers))) delete input["tiers"];
  if (same(values["questions"], questionsText(current.questions))) delete input["questions"];
  const result = await attempt(() => ctx.services.events.updatePackage(ctx.actor, org.id, params.packageId, input, ctx), values);
  if (!result.ok) return data(result.failure satisfies EditAction, { status: result.status });
  return { ok: true, data: { notice: "events.org.saved" } } satisfies EditAction;
}

export { OrgPageError as ErrorBoundary };

export default function OrgPackage({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const { org, pkg, events } = loaderData;
  const result = actionData as EditAction | undefined;
  const defaults: Record<string, string> = {
    title: pkg.title,
    description: pkg.description,
    status: pkg.status,
    registrationClosesAt: pkg.registrationClosesAt ? pkg.registrationClosesAt.slice(0, 16) : "",
    tiers: tiersText(pkg.tiers),
    questions: questionsText(pkg.questions),
  };
  return (
    <div>
      <p><Link to={`/o/${org.slug}/event-packages`}><FormattedMessage id="events.packages.title" /></Link></p>
      <h2>{pkg.title}</h2>
      <p>
        {intl.formatMessage({ id: `events.org.status.${pkg.status}` })} · <FormattedMessage id="events.packages.counts" values={{ confirmed: pkg.counts.confirmed, waitlisted: pkg.counts.waitlisted, seats: pkg.seatsLeft }} />
      </p>
      {result?.ok && <p className="notice notice--success" role="status"><FormattedMessage id="events.org.saved" /></p>}
      {pkg.status === "published" && (
        <p><Link to={`/events/${org.slug}/series/${pkg.slug}`}><FormattedMessage id="events.org.publicPage" /></Link></p>
      )}
      <section aria-labelledby="pkg-events">
        <h3 id="pkg-events"><FormattedMessage id="events.packages.events" /></h3>
        <ul>
          {pkg.events.map((e) => (
            <li key={e.id}>
              <Link to={`/o/${org.slug}/events/${e.id}`}>{e.title}</Link>
              {e.startsAt && <> · <When iso={e.startsAt} dateOnly /></>}
            </li>
          ))}
        </ul>
        <ul>
          {pkg.tiers.map((t) => (
            <li key={t.id}>
              {t.name}: <Price amountMinor={t.amountMinor} currency={t.currency} />
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="pkg-edit">
        <h3 id="pkg-edit"><FormattedMessage id="events.packages.edit" /></h3>
        {pkg.counts.confirmed + pkg.counts.waitlisted + pkg.counts.offered > 0 && <p className="field__hint"><FormattedMessage id="events.packages.lockedHint" /></p>}
        <Form method="post" noValidate>
          <ErrorSummary result={result} />
          <PackageFields result={result} defaults={defaults} events={events} chosen={pkg.events.map((e) => e.id)} partial />
          <button type="submit"><FormattedMessage id="events.form.save" /></button>
        </Form>
      </section>
    </div>
  );
}
