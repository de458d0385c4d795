import { route, type RouteConfigEntry } from "@react-router/dev/routes";

/** The member's one-minute form for a meeting they attended. */
export const feedbackRoutes: RouteConfigEntry[] = [route("feedback/:groupId/:start", "features/feedback/ui/answer.tsx")];

/** Children of the organisation layout route `o/:slug`: the leaders' view of a group's feedback. */
export const feedbackOrgRoutes: RouteConfigEntry[] = [route("groups/:groupId/feedback", "features/feedback/ui/leader-view.tsx")];
