import { route, type RouteConfigEntry } from "@react-router/dev/routes";

export const accountsRoutes: RouteConfigEntry[] = [
  route("sign-up", "features/accounts/ui/sign-up.tsx"),
  route("sign-in", "features/accounts/ui/sign-in.tsx"),
  route("sign-in/magic-link", "features/accounts/ui/magic-link.tsx"),
  route("sign-in/two-factor", "features/accounts/ui/two-factor.tsx"),
  route("forgot-password", "features/accounts/ui/forgot-password.tsx"),
  route("reset-password", "features/accounts/ui/reset-password.tsx"),
  route("verify-email", "features/accounts/ui/verify-email.tsx"),
  route("sign-out", "features/accounts/ui/sign-out.tsx"),
  route("account/security", "features/accounts/ui/security.tsx"),
];
