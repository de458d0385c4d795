import { route, type RouteConfigEntry } from "@react-router/dev/routes";

/** Public event pages and my registrations. */
export const eventsRoutes: RouteConfigEntry[] = [
  route("events/:orgSlug", "features/events/ui/public-list.tsx"),
  route("events/:orgSlug/:eventSlug", "features/events/ui/public-event.tsx"),
  route("account/events", "features/events/ui/my-events.tsx"),
];

/** Children of the organisation layout route `o/:slug`: the organisers' pages. */
export const eventsOrgRoutes: RouteConfigEntry[] = [
  route("events", "features/events/ui/org-events.tsx"),
  route("events/:eventId", "features/events/ui/org-event.tsx"),
];
