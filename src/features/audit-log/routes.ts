import { route, type RouteConfigEntry } from "@react-router/dev/routes";

export const auditLogRoutes: RouteConfigEntry[] = [route("o/:slug/audit", "features/audit-log/ui/audit.tsx")];
