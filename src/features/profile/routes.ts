import { route, type RouteConfigEntry } from "@react-router/dev/routes";

export const profileRoutes: RouteConfigEntry[] = [route("account/profile", "features/profile/ui/profile.tsx")];
