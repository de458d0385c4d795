import { route, type RouteConfigEntry } from "@react-router/dev/routes";

export const debriefRoutes: RouteConfigEntry[] = [
  route("debrief", "features/debrief/ui/pending.tsx"),
  route("debrief/:groupId/:start", "features/debrief/ui/debrief.tsx"),
];
