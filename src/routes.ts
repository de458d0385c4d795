import { type RouteConfig, index, route } from "@react-router/dev/routes";
import { accountsRoutes } from "./features/accounts/routes.ts";
import { profileRoutes } from "./features/profile/routes.ts";
import { organisationsRoutes } from "./features/organisations/routes.ts";
import { apiTokensRoutes } from "./features/api-tokens/routes.ts";
import { outboxRoutes } from "./features/outbox/routes.ts";
import { groupsRoutes } from "./features/groups/routes.ts";
import { sessionsRoutes } from "./features/sessions/routes.ts";

// Each slice declares its own pages in features/<slice>/routes.ts; paths are relative to src/.
export default [
  index("features/landing/ui/landing.tsx"),
  route("setup", "features/setup/ui/setup.tsx"),
  ...accountsRoutes,
  ...profileRoutes,
  ...organisationsRoutes,
  ...apiTokensRoutes,
  ...outboxRoutes,
  ...groupsRoutes,
  ...sessionsRoutes,
  route("*", "ui/not-found.tsx"),
] satisfies RouteConfig;
