import { route, type RouteConfigEntry } from "@react-router/dev/routes";

/** Public and personal pages of rosters and certificates (brief O). */
export const eventRosterRoutes: RouteConfigEntry[] = [
  route("verify/certificate/:code?", "features/events/ui/certificate-verify.tsx"),
  route("account/intensives", "features/events/ui/certificate-mine.tsx"),
];

/** Children of the organisation layout route `o/:slug`: the organisers' roster and check-in pages. */
export const eventRosterOrgRoutes: RouteConfigEntry[] = [
  route("events/:eventId/roster", "features/events/ui/roster.tsx"),
  route("events/:eventId/checkin", "features/events/ui/checkin.tsx"),
];
