import { route, type RouteConfigEntry } from "@react-router/dev/routes";

export const sessionsRoutes: RouteConfigEntry[] = [
  route("account/calendar", "features/sessions/ui/calendar.tsx"),
  route("account/participation", "features/sessions/ui/participation.tsx"),
  route("sessions", "features/sessions/ui/sessions.tsx"),
  route("sessions/:groupId/:start/attendance", "features/sessions/ui/attendance.tsx"),
];
