import { route, type RouteConfigEntry } from "@react-router/dev/routes";

export const dashboardRoutes: RouteConfigEntry[] = [route("dashboard", "features/dashboard/ui/dashboard.tsx")];
