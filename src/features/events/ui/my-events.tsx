import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, data, redirect } from "react-router";
import type { Route } from "./+types/my-events";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, type ActionResult } from "../../../ui/forms.tsx";
import { formValues } from "../../../ui/actions.ts";
import { attempt } from "../../organisations/ui/shared.tsx";
import { Price, When } from "./shared.tsx";

export async function loader({ request, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect(`/sign-in?redirectTo=${encodeURIComponent(new URL(request.url).pathname)}`);
  return ctx.services.events.myRegistrations(ctx.actor);
}

type MineAction = ActionResult<{ notice: string }>;

export async function action({ request, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect("/sign-in");
  const values = formValues(await request.formData());
  const id = values["registrationId"] ?? "";
  const svc = ctx.services.events;
  const intent = values["intent"];
  const work = intent === "accept" ? () => svc.acceptOffer(ctx.actor, id, ctx) : intent === "cancel" ? () => svc.cancelMine(ctx.actor, id, ctx) : null;
  if (!work) return data({ ok: false, message: "Unknown action.", fields: [] } satisfies MineAction, { status: 400 });
  const result = await attempt(work);
  if (!result.ok) return data(result.failure satisfies MineAction, { status: result.status });
  return { ok: true, data: { notice: intent === "accept" ? "events.mine.accepted" : "events.mine.cancelled" } } satisfies MineAction;
}

export function meta() {
  return [{ title: "Balint Commons" }];
}

export default function MyEvents({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const result = actionData as MineAction | undefined;
  const notice = result?.ok ? result.data?.notice : null;
  return (
    <div className="page narrow">
      <h1><FormattedMessage id="events.mine.title" /></h1>
      <p><Link to="/account/intensives"><FormattedMessage id="events.mine.intensivesLink" /></Link> · <Link to="/account/observations"><FormattedMessage id="events.observation.mineTitle" /></Link></p>
      {notice && <p className="notice notice--success" role="status"><FormattedMessage id={notice} /></p>}
      <ErrorSummary result={result} />
      {loaderData.items.length === 0 && <p><FormattedMessage id="events.mine.none" /></p>}
      <ul className="card-list">
        {loaderData.items.map((r) => (
          <li key={r.id} className="card">
            <h2>
              {r.target.kind === "event" ? <Link to={`/events/${r.organisation.slug}/${r.target.slug}`}>{r.target.title}</Link> : <Link to={`/events/${r.organisation.slug}/series/${r.target.slug}`}>{r.target.title}</Link>}
              {r.target.kind === "package" && <> <span className="tag"><FormattedMessage id="events.packages.tag" /></span></>}
            </h2>
            <p>
              {r.organisation.name}
              {r.target.startsAt && (
                <>
                  {" · "}
                  <When iso={r.target.startsAt} dateOnly /> – <When iso={r.target.endsAt} dateOnly />
                </>
              )}
            </p>
            <p>
              <strong>{intl.formatMessage({ id: `events.status.${r.status}` })}</strong> · {intl.formatMessage({ id: `events.role.${r.role}` })}
              {r.status === "waitlisted" && r.waitlistPosition !== null && <> · <FormattedMessage id="events.mine.position" values={{ position: r.waitlistPosition }} /></>}
            </p>
            {r.status === "offered" && r.offerExpiresAt && (
              <p><FormattedMessage id="events.mine.offerUntil" values={{ date: <When iso={r.offerExpiresAt} /> }} /></p>
            )}
            <p>
              <FormattedMessage id="events.mine.price" values={{ price: <Price amountMinor={r.amountMinor} currency={r.currency} />, tier: r.tierName ?? "—" }} /> ·{" "}
              <FormattedMessage id="events.mine.payment" values={{ status: intl.formatMessage({ id: `events.payment.${r.paymentStatus}` }) }} />
              {r.refundStatus === "requested" || r.refundStatus === "refunded" ? (
                <> · <FormattedMessage id="events.mine.refund" values={{ status: intl.formatMessage({ id: `events.refund.${r.refundStatus}` }) }} /></>
              ) : null}
            </p>
            {r.onlineLinks.map((l) => (
              <p key={l.link}>
                <a href={l.link} rel="noreferrer">{intl.formatMessage({ id: "events.mine.link" }, { event: l.event })}</a>
              </p>
            ))}
            <div className="actions">
              {r.status === "confirmed" && (
                <a href={`/api/v1/me/event-registrations/${r.id}/calendar`} download>
                  <FormattedMessage id="events.mine.calendar" />
                </a>
              )}
              {r.status === "offered" && (
                <Form method="post">
                  <input type="hidden" name="registrationId" value={r.id} />
                  <button type="submit" name="intent" value="accept"><FormattedMessage id="events.mine.accept" /></button>
                </Form>
              )}
              {r.status !== "cancelled" && (
                <Form method="post">
                  <input type="hidden" name="registrationId" value={r.id} />
                  <button type="submit" name="intent" value="cancel" className="button--secondary">
                    <FormattedMessage id={r.status === "waitlisted" ? "events.mine.leave" : r.status === "offered" ? "events.mine.decline" : "events.mine.cancel"} />
                  </button>
                </Form>
              )}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
