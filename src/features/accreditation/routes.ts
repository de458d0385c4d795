import { route, type RouteConfigEntry } from "@react-router/dev/routes";

/** The accreditation core: my pathways and progress; the coordinator's pathways, candidates and queue. */
export const accreditationRoutes: RouteConfigEntry[] = [
  route("accreditation", "features/accreditation/ui/progress-mine.tsx"),
  route("o/:slug/accreditation", "features/accreditation/ui/pathway-admin.tsx"),
  // The competency list supervisors and faculty rate (owners and admins edit; coordinators read).
  route("o/:slug/accreditation/competencies", "features/accreditation/ui/competencies.tsx"),
];
