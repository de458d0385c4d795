import { FormattedMessage, useIntl } from "react-intl";
import { Link } from "react-router";
import { DEBRIEF_PENDING_DAYS } from "../constants.ts";

/** One meeting whose debrief I have not completed (from `services.debrief.pending(actor)`). */
export interface PendingDebriefItem {
  groupId: string;
  groupName: string;
  occurrenceStart: string;
  start: string;
  hasDebrief: boolean;
}

export const debriefHref = (groupId: string, occurrenceStart: string) => `/debrief/${groupId}/${encodeURIComponent(occurrenceStart)}`;

/**
 * "Debriefs to write": a small section any page can include. Its loader passes
 * `(await ctx.services.debrief.pending(ctx.actor)).items`. Renders nothing when `hideWhenEmpty`
 * and there is nothing to write.
 */
export function PendingDebriefs({ items, hideWhenEmpty = false, headingLevel = 2 }: { items: PendingDebriefItem[]; hideWhenEmpty?: boolean; headingLevel?: 1 | 2 | 3 }) {
  const intl = useIntl();
  if (hideWhenEmpty && items.length === 0) return null;
  const Heading = `h${headingLevel}` as "h1" | "h2" | "h3";
  return (
    <section className="debrief-pending" aria-labelledby="debrief-pending-title">
      <Heading id="debrief-pending-title">
        <FormattedMessage id="debrief.pending.title" />
      </Heading>
      <p className="field__hint">
        <FormattedMessage id="debrief.pending.intro" values={{ days: DEBRIEF_PENDING_DAYS }} />
      </p>
      {items.length === 0 ? (
        <p className="empty-state">
          <FormattedMessage id="debrief.pending.empty" />
        </p>
      ) : (
        <ul>
          {items.map((i) => {
            const when = intl.formatDate(i.start, { weekday: "short", day: "numeric", month: "short", hour: "numeric", minute: "2-digit" });
            return (
              <li key={`${i.groupId}:${i.occurrenceStart}`}>
                <Link to={debriefHref(i.groupId, i.occurrenceStart)}>
                  <FormattedMessage id={i.hasDebrief ? "debrief.pending.continue" : "debrief.pending.write"} values={{ group: i.groupName, when }} />
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
