import { route, type RouteConfigEntry } from "@react-router/dev/routes";

/** Supervision, committee review and the candidate's applications (brief Q). */
export const supervisionRoutes: RouteConfigEntry[] = [
  route("accreditation/supervision", "features/accreditation/ui/supervision.tsx"),
  route("o/:slug/accreditation/reviews", "features/accreditation/ui/review-queue.tsx"),
  // Without an id: my applications and the form to apply; with one: that application.
  route("o/:slug/accreditation/applications/:applicationId?", "features/accreditation/ui/review-application.tsx"),
];
