import { route, type RouteConfigEntry } from "@react-router/dev/routes";

/** Children of the organisation layout `o/:slug`: administering check-ins and program reports (brief M). */
export const wellbeingOrgRoutes: RouteConfigEntry[] = [
  route("wellbeing", "features/wellbeing/ui/admin.tsx"),
  route("wellbeing/reports", "features/wellbeing/ui/reports.tsx"),
];
