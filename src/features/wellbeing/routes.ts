import { route, type RouteConfigEntry } from "@react-router/dev/routes";

/**
 * The clinician's side of well-being check-ins: my check-ins, the answer form (by the emailed link,
 * or by wave when signed in), and my results over time with download and delete.
 */
export const wellbeingRoutes: RouteConfigEntry[] = [
  route("wellbeing", "features/wellbeing/ui/home.tsx"),
  route("wellbeing/results", "features/wellbeing/ui/results.tsx"),
  route("wellbeing/answer/:token", "features/wellbeing/ui/answer-token.tsx"),
  route("wellbeing/checkin/:orgId/:waveId", "features/wellbeing/ui/answer-wave.tsx"),
];
