import { FormattedMessage, useIntl } from "react-intl";

export interface HistoryEntry {
  id: string;
  name: string;
  previousStatus: "present" | "absent" | "excused" | null;
  status: "present" | "absent" | "excused";
  recordedByName: string | null;
  recordedAt: string;
}

/** The append-only attendance history of one meeting: who changed what, and when (viewer's time zone). */
export function AttendanceHistory({ items, headingLevel = 2 }: { items: HistoryEntry[]; headingLevel?: 2 | 3 }) {
  const intl = useIntl();
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const label = (s: string) => intl.formatMessage({ id: `sessions.attendance.${s}` });
  return (
    <section aria-labelledby="attendance-history-title">
      <Heading id="attendance-history-title">
        <FormattedMessage id="sessions.history.title" />
      </Heading>
      {items.length === 0 ? (
        <p className="empty-state">
          <FormattedMessage id="sessions.history.empty" />
        </p>
      ) : (
        <div className="table-wrap">
          <table aria-labelledby="attendance-history-title">
            <thead>
              <tr>
                <th scope="col">
                  <FormattedMessage id="sessions.history.when" />
                </th>
                <th scope="col">
                  <FormattedMessage id="sessions.history.who" />
                </th>
                <th scope="col">
                  <FormattedMessage id="sessions.history.change" />
                </th>
                <th scope="col">
                  <FormattedMessage id="sessions.history.by" />
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((h) => (
                <tr key={h.id}>
                  <td>
                    <time dateTime={h.recordedAt}>{intl.formatDate(h.recordedAt, { dateStyle: "medium", timeStyle: "short" })}</time>
                  </td>
                  <td>{h.name}</td>
                  <td>
                    {h.previousStatus ? (
                      <FormattedMessage id="sessions.history.changed" values={{ from: label(h.previousStatus), status: label(h.status) }} />
                    ) : (
                      <FormattedMessage id="sessions.history.first" values={{ status: label(h.status) }} />
                    )}
                  </td>
                  <td>{h.recordedByName ?? <FormattedMessage id="sessions.history.unknown" />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
