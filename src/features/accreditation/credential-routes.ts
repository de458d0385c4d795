import { route, type RouteConfigEntry } from "@react-router/dev/routes";

/** Credentials (brief R): public verification, the holder's page, the public leaders directory. */
export const credentialRoutes: RouteConfigEntry[] = [
  route("verify/credential/:id?", "features/accreditation/ui/credential-verify.tsx"),
  route("account/credentials", "features/accreditation/ui/credential-mine.tsx"),
  route("leaders", "features/accreditation/ui/directory.tsx"),
  route("o/:slug/accreditation/credentials", "features/accreditation/ui/credential-admin.tsx"),
];
