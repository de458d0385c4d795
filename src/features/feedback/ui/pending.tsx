import { FormattedMessage, useIntl } from "react-intl";
import { Link } from "react-router";

export interface PendingFeedbackItem {
  groupId: string;
  groupName: string;
  occurrenceStart: string;
  closesAt: string;
}

/** Link to the answer form for a meeting. */
export const feedbackHref = (groupId: string, occurrenceStart: string) => `/feedback/${groupId}/${encodeURIComponent(occurrenceStart)}`;

/**
 * A calm prompt listing the meetings the member attended and can still give feedback on. Include it
 * in any member page; feed it `services.feedback.myPending(actor)` from the page's loader:
 *   const pending = await ctx.services.feedback.myPending(ctx.actor);   // loader
 *   <PendingFeedback items={loaderData.pending.items} />                // page
 * Renders nothing when there is nothing to answer.
 */
export function PendingFeedback({ items }: { items: readonly PendingFeedbackItem[] }) {
  const intl = useIntl();
  if (items.length === 0) return null;
  const when = (iso: string) => intl.formatDate(iso, { weekday: "long", day: "numeric", month: "long" });
  return (
    <section className="card feedback-pending" aria-labelledby="feedback-pending-title">
      <h2 id="feedback-pending-title">
        <FormattedMessage id="feedback.pending.title" />
      </h2>
      <ul>
        {items.map((i) => (
          <li key={`${i.groupId}|${i.occurrenceStart}`}>
            <Link to={feedbackHref(i.groupId, i.occurrenceStart)}>
              <FormattedMessage id="feedback.pending.item" values={{ group: i.groupName, when: when(i.occurrenceStart) }} />
            </Link>{" "}
            <span className="field__hint">
              (<FormattedMessage id="feedback.pending.closes" values={{ date: when(i.closesAt) }} />)
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
