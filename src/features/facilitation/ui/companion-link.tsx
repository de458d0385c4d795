import { FormattedMessage, useIntl } from "react-intl";
import { Link } from "react-router";

/** The companion page of one meeting (its group and ORIGINAL start). */
export function companionPath(groupId: string, occurrenceStart: string): string {
  return `/companion/${groupId}/${encodeURIComponent(occurrenceStart)}`;
}

/**
 * A link leaders follow to run a meeting with the companion. For the dashboard and sessions
 * pages: feed it the items of `services.facilitation.openableNow(actor)` (or any meeting a
 * leader leads; the page itself refuses everyone else).
 */
export function CompanionLink({ groupId, groupName, occurrenceStart, start }: { groupId: string; groupName: string; occurrenceStart: string; start: string }) {
  const intl = useIntl();
  return (
    <Link to={companionPath(groupId, occurrenceStart)}>
      <FormattedMessage id="facilitation.openNow" values={{ group: groupName, when: intl.formatDate(start, { weekday: "long", hour: "numeric", minute: "2-digit" }) }} />
    </Link>
  );
}
