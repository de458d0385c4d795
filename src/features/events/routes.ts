import { route, type RouteConfigEntry } from "@react-router/dev/routes";

/** Public event pages and my registrations. */
export const eventsRoutes: RouteConfigEntry[] = [
  route("events/:orgSlug", "features/events/ui/public-list.tsx"),
  route("events/:orgSlug/:eventSlug", "features/events/ui/public-event.tsx"),
  route("account/events", "features/events/ui/my-events.tsx"),
  // Packages (a series of events, one registration) and faculty observations (brief T).
  route("events/:orgSlug/series/:packageSlug", "features/events/ui/public-package.tsx"),
  route("account/observations", "features/events/ui/observation-mine.tsx"),
  route("observe/:orgId/:eventId", "features/events/ui/observation-event.tsx"),
];

/** Children of the organisation layout route `o/:slug`: the organisers' pages. */
export const eventsOrgRoutes: RouteConfigEntry[] = [
  route("events", "features/events/ui/org-events.tsx"),
  route("events/:eventId", "features/events/ui/org-event.tsx"),
  route("event-packages", "features/events/ui/org-packages.tsx"),
  route("event-packages/:packageId", "features/events/ui/org-package.tsx"),
];
