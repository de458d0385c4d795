import { type RouteConfig, index, route } from "@react-router/dev/routes";
import { accountsRoutes } from "./features/accounts/routes.ts";
import { profileRoutes } from "./features/profile/routes.ts";
import { organisationsRoutes } from "./features/organisations/routes.ts";
import { apiTokensRoutes } from "./features/api-tokens/routes.ts";
import { outboxRoutes } from "./features/outbox/routes.ts";
import { groupsRoutes } from "./features/groups/routes.ts";
import { sessionsRoutes } from "./features/sessions/routes.ts";
import { dashboardRoutes } from "./features/dashboard/routes.ts";
import { facilitationRoutes } from "./features/facilitation/routes.ts";
import { feedbackRoutes } from "./features/feedback/routes.ts";
import { debriefRoutes } from "./features/debrief/routes.ts";
import { wellbeingRoutes } from "./features/wellbeing/routes.ts";
import { eventRosterRoutes } from "./features/events/roster-routes.ts";
import { eventsRoutes } from "./features/events/routes.ts";
import { libraryRoutes } from "./features/library/routes.ts";
import { credentialRoutes } from "./features/accreditation/credential-routes.ts";
import { supervisionRoutes } from "./features/accreditation/supervision-routes.ts";
import { accreditationRoutes } from "./features/accreditation/routes.ts";

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
  ...dashboardRoutes,
  ...facilitationRoutes,
  ...feedbackRoutes,
  ...debriefRoutes,
  ...wellbeingRoutes,
  ...eventRosterRoutes,
  ...eventsRoutes,
  ...libraryRoutes,
  ...credentialRoutes,
  ...supervisionRoutes,
  ...accreditationRoutes,
  route("*", "ui/not-found.tsx"),
] satisfies RouteConfig;
