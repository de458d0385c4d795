import { route, type RouteConfigEntry } from "@react-router/dev/routes";

export const facilitationRoutes: RouteConfigEntry[] = [
  route("companion", "features/facilitation/ui/companion-index.tsx"),
  route("companion/:groupId/:start", "features/facilitation/ui/companion.tsx"),
  route("o/:slug/groups/:groupId/companion-settings", "features/facilitation/ui/settings.tsx"),
];
