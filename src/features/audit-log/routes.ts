import { route, type RouteConfigEntry } from "@react-router/dev/routes";

/** Nested under the organisation layout (`o/:slug`) by the organisations slice's routes. */
export const auditLogRoutes: RouteConfigEntry[] = [route("audit", "features/audit-log/ui/audit.tsx")];
