import { index, route, type RouteConfigEntry } from "@react-router/dev/routes";
import { auditLogRoutes } from "../audit-log/routes.ts";
import { groupsOrgRoutes } from "../groups/routes.ts";
import { feedbackOrgRoutes } from "../feedback/routes.ts";
import { eventRosterOrgRoutes } from "../events/roster-routes.ts";
import { eventsOrgRoutes } from "../events/routes.ts";
import { wellbeingOrgRoutes } from "../wellbeing/report-routes.ts";

/**
 * Organisation pages. Everything under /o/:slug shares the layout route `org-layout` (title and
 * sub-navigation); other slices' organisation pages can be nested here as children so they get
 * the same navigation (see OrgNav in ui/org-nav.tsx).
 */
export const organisationsRoutes: RouteConfigEntry[] = [
  route("home", "features/organisations/ui/home.tsx"),
  route("invitations/:token", "features/organisations/ui/accept-invitation.tsx"),
  route("o/:slug", "features/organisations/ui/org-layout.tsx", { id: "org-layout" }, [
    index("features/organisations/ui/overview.tsx"),
    route("members", "features/organisations/ui/members.tsx"),
    route("invitations", "features/organisations/ui/invitations.tsx"),
    route("settings", "features/organisations/ui/settings.tsx"),
    // The audit-log slice's page, nested so it shares the organisation's navigation.
    ...auditLogRoutes,
    // The groups slice's management pages.
    ...groupsOrgRoutes,
    // The feedback slice's leaders' page.
    ...feedbackOrgRoutes,
    // Event small groups and check-in (events slice, brief O).
    ...eventRosterOrgRoutes,
    // Training events: the organisers' list, event page, registrations and waitlist.
    ...eventsOrgRoutes,
    // Well-being check-ins administration and program reports (brief M).
    ...wellbeingOrgRoutes,
  ]),
];
