import { route, type RouteConfigEntry } from "@react-router/dev/routes";

export const apiTokensRoutes: RouteConfigEntry[] = [route("account/tokens", "features/api-tokens/ui/tokens.tsx")];
