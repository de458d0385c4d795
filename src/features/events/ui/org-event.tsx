import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, data } from "react-router";
import type { Route } from "./+types/org-event";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, type ActionResult } from "../../../ui/forms.tsx";
import { formValues } from "../../../ui/actions.ts";
import { attempt, loadOr, OrgPageError } from "../../organisations/ui/shared.tsx";
import { WAITLIST_REORDER_REASONS } from "../constants.ts";
import { EventFields, eventInputFrom } from "./event-form.tsx";
import { Price, When } from "./shared.tsx";

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  const event = await loadOr(request, () => ctx.services.events.getEvent(ctx.actor, org.id, params.eventId));
  const regs = await loadOr(request, () => ctx.services.events.listRegistrations(ctx.actor, org.id, params.eventId));
  return { org: { id: org.id, slug: org.slug, name: org.name }, event, registrations: regs.items };
}

type EventAction = ActionResult<{ notice: string }>;

export async function action({ request, params, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  const values = formValues(await request.formData());
  const svc = ctx.services.events;
  const intent = values["intent"];
  const id = values["registrationId"] ?? "";
  let work: (() => Promise<unknown>) | null = null;
  if (intent === "publish") work = () => svc.publishEvent(ctx.actor, org.id, params.eventId, ctx);
  if (intent === "cancel") work = () => svc.cancelEvent(ctx.actor, org.id, params.eventId, ctx);
  if (intent === "payment") work = () => svc.recordPayment(ctx.actor, org.id, id, { status: values["status"], ...(values["reference"] ? { reference: values["reference"] } : {}) }, ctx);
  if (intent === "reorder") work = () => svc.reorderWaitlist(ctx.actor, org.id, params.eventId, id, { position: Number(values["position"]), reason: values["reason"] }, ctx);
  if (intent === "edit") {
    const { input, issues } = eventInputFrom(values, true);
    if (issues.length) return data({ ok: false, message: issues[0]!.message, fields: issues, values } satisfies EventAction, { status: 400 });
    work = () => svc.updateEvent(ctx.actor, org.id, params.eventId, input, ctx);
  }
  if (!work) return data({ ok: false, message: "Unknown action.", fields: [] } satisfies EventAction, { status: 400 });
  const result = await attempt(work, values);
  if (!result.ok) return data(result.failure satisfies EventAction, { status: result.status });
  return { ok: true, data: { notice: "events.org.saved" } } satisfies EventAction;
}

export { OrgPageError as ErrorBoundary };

export default function OrgEvent({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const t = (id: string, values?: Record<string, string | number>) => intl.formatMessage({ id }, values);
  const { org, event, registrations } = loaderData;
  const result = actionData as EventAction | undefined;
  const waiting = registrations.filter((r) => r.status === "waitlisted" && r.eventId === event.id);
  const defaults: Record<string, string> = {
    title: event.title,
    description: event.description,
    format: event.format,
    venue: event.venue ?? "",
    onlineLink: event.onlineLink ?? "",
    capacity: String(event.capacity),
    ceStatement: event.ceStatement ?? "",
    ceHours: event.ceHours === null ? "" : String(event.ceHours),
    registrationClosesAt: event.registrationClosesAt ? event.registrationClosesAt.slice(0, 16) : "",
  };
  return (
    <div>
      <h2>{event.title}</h2>
      <p>
        {t(`events.kind.${event.kind}`)} · {t(`events.org.status.${event.status}`)} · <FormattedMessage id="events.org.counts" values={{ ...event.counts, capacity: event.capacity }} />
      </p>
      {result?.ok && <p className="notice notice--success" role="status"><FormattedMessage id="events.org.saved" /></p>}
      <ErrorSummary result={result} />
      <div className="actions">
        {event.status !== "draft" && <Link to={`/events/${org.slug}/${event.slug}`}><FormattedMessage id="events.org.publicPage" /></Link>}
        <Link to={`/o/${org.slug}/events/${event.id}/roster`}><FormattedMessage id="events.org.rosterLink" /></Link>
        <Link to={`/o/${org.slug}/events/${event.id}/checkin`}><FormattedMessage id="events.org.checkinLink" /></Link>
        <Link to={`/observe/${org.id}/${event.id}`}><FormattedMessage id="events.observation.observe" /></Link>
        <a href={`/api/v1/orgs/${org.id}/events/${event.id}/attendees.csv`} download><FormattedMessage id="events.org.exportLink" /></a>
        {event.status === "draft" && (
          <Form method="post">
            <button type="submit" name="intent" value="publish"><FormattedMessage id="events.org.publish" /></button>
          </Form>
        )}
        {event.status !== "cancelled" && (
          <Form method="post">
            <p className="field__hint" id="cancel-hint"><FormattedMessage id="events.org.cancelConfirm" /></p>
            <button type="submit" name="intent" value="cancel" className="button--danger" aria-describedby="cancel-hint"><FormattedMessage id="events.org.cancelEvent" /></button>
          </Form>
        )}
      </div>

      <section aria-labelledby="registrations">
        <h3 id="registrations"><FormattedMessage id="events.org.registrations" /></h3>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col"><FormattedMessage id="events.org.name" /></th>
                <th scope="col"><FormattedMessage id="events.org.tier" /></th>
                <th scope="col"><FormattedMessage id="events.org.role" /></th>
                <th scope="col"><FormattedMessage id="events.org.status" /></th>
                <th scope="col"><FormattedMessage id="events.org.paymentCol" /></th>
                <th scope="col"><FormattedMessage id="events.org.refundCol" /></th>
              </tr>
            </thead>
            <tbody>
              {registrations.map((r) => (
                <tr key={r.id}>
                  <th scope="row">
                    {r.name}
                    <br />
                    <small>{r.email}</small>
                  </th>
                  <td>
                    {r.tier?.name ?? "—"} (<Price amountMinor={r.amountMinor} currency={r.currency} />)
                  </td>
                  <td>{t(`events.role.${r.role}`)}</td>
                  <td>
                    {t(`events.status.${r.status}`)}
                    {r.waitlistPosition !== null && ` #${r.waitlistPosition}`}
                    {r.offerExpiresAt && <> · <When iso={r.offerExpiresAt} /></>}
                  </td>
                  <td>
                    {t(`events.payment.${r.paymentStatus}`)}
                    {r.paymentProvider && ` (${r.paymentProvider}${r.paymentReference ? `: ${r.paymentReference}` : ""})`}
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="payment" />
                      <input type="hidden" name="registrationId" value={r.id} />
                      <label htmlFor={`pay-${r.id}`} className="visually-hidden">{t("events.org.paymentCol")}</label>
                      <select id={`pay-${r.id}`} name="status" defaultValue={r.paymentStatus}>
                        {(["unpaid", "paid", "refunded", "waived"] as const).map((s) => (
                          <option key={s} value={s}>{t(`events.payment.${s}`)}</option>
                        ))}
                      </select>
                      <label htmlFor={`ref-${r.id}`} className="visually-hidden">{t("events.org.reference")}</label>
                      <input id={`ref-${r.id}`} name="reference" placeholder={t("events.org.reference")} maxLength={120} size={12} />
                      <button type="submit">{t("events.org.record")}</button>
                    </Form>
                  </td>
                  <td>{t(`events.refund.${r.refundStatus}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {waiting.length > 0 && (
        <section aria-labelledby="waitlist">
          <h3 id="waitlist"><FormattedMessage id="events.org.waitlist" /></h3>
          <ol>
            {waiting.map((r) => (
              <li key={r.id}>
                {r.name}
                {r.reorderReason && ` (${t(`events.reorder.${r.reorderReason}`)})`}
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="reorder" />
                  <input type="hidden" name="registrationId" value={r.id} />
                  <label htmlFor={`pos-${r.id}`}>{t("events.org.moveTo")}</label>
                  <input id={`pos-${r.id}`} name="position" type="number" min={1} max={waiting.length} defaultValue={r.waitlistPosition ?? 1} size={3} required />
                  <label htmlFor={`reason-${r.id}`}>{t("events.org.reason")}</label>
                  <select id={`reason-${r.id}`} name="reason" required>
                    {WAITLIST_REORDER_REASONS.map((reason) => (
                      <option key={reason} value={reason}>{t(`events.reorder.${reason}`)}</option>
                    ))}
                  </select>
                  <button type="submit">{t("events.org.move")}</button>
                </Form>
              </li>
            ))}
          </ol>
        </section>
      )}

      {event.status !== "cancelled" && (
        <section aria-labelledby="edit">
          <h3 id="edit"><FormattedMessage id="events.org.edit" /></h3>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="edit" />
            <EventFields result={result} defaults={defaults} partial />
            <button type="submit"><FormattedMessage id="events.form.save" /></button>
          </Form>
        </section>
      )}
    </div>
  );
}
