import { FormattedMessage, useIntl } from "react-intl";
import { NavLink } from "react-router";
import type { Permission } from "../../../platform/policy/permissions.ts";

/**
 * The organisation's sub-navigation. Shows only the pages the person's role permits. Exported
 * for other slices' organisation pages (e.g. the audit log) that are not nested in the layout.
 */
export function OrgNav({ slug, permissions, name }: { slug: string; permissions: readonly Permission[]; name: string }) {
  const intl = useIntl();
  const has = (p: Permission) => permissions.includes(p);
  const links: Array<{ to: string; id: string; end?: boolean; show: boolean }> = [
    { to: `/o/${slug}`, id: "organisations.nav.overview", end: true, show: true },
    { to: `/o/${slug}/groups`, id: "groups.nav", show: has("groups:read") },
    { to: `/o/${slug}/members`, id: "organisations.nav.members", show: has("members:read") },
    { to: `/o/${slug}/invitations`, id: "organisations.nav.invitations", show: has("invitations:read") },
    { to: `/o/${slug}/settings`, id: "organisations.nav.settings", show: has("organisation:update") },
    { to: `/o/${slug}/audit`, id: "organisations.nav.audit", show: has("audit:read") },
    { to: `/o/${slug}/wellbeing`, id: "wellbeingAdmin.nav", end: true, show: has("wellbeing:manage") },
    { to: `/o/${slug}/wellbeing/reports`, id: "wellbeingReports.nav", show: has("wellbeing:report") },
    { to: `/o/${slug}/events`, id: "organisations.nav.events", show: has("groups:manage") },
    { to: `/o/${slug}/accreditation`, id: "organisations.nav.accreditation", end: true, show: has("groups:manage") },
    { to: `/o/${slug}/accreditation/reviews`, id: "organisations.nav.reviews", show: has("accreditation:review") },
    { to: `/library/${slug}`, id: "organisations.nav.library", show: has("library:manage") },
  ];
  return (
    <nav className="subnav" aria-label={intl.formatMessage({ id: "organisations.nav.label" }, { name })}>
      <ul>
        {links
          .filter((l) => l.show)
          .map((l) => (
            <li key={l.to}>
              <NavLink to={l.to} end={l.end}>
                <FormattedMessage id={l.id} />
              </NavLink>
            </li>
          ))}
      </ul>
    </nav>
  );
}
