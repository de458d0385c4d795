import { route, type RouteConfigEntry } from "@react-router/dev/routes";

/**
 * Public group pages. The organisation's management pages (/o/:slug/groups…) are nested in the
 * organisation layout: see `groupsOrgRoutes`, registered in features/organisations/routes.ts.
 */
export const groupsRoutes: RouteConfigEntry[] = [
  route("groups", "features/groups/ui/directory.tsx"),
  route("groups/:orgSlug/:groupSlug", "features/groups/ui/group.tsx"),
  // The links in the groups emails.
  route("orgs/:slug/groups/:groupId", "features/groups/ui/mail-link.tsx"),
];

/** Children of the organisation layout route `o/:slug`. */
export const groupsOrgRoutes: RouteConfigEntry[] = [
  route("groups", "features/groups/ui/org-groups.tsx"),
  route("groups/new", "features/groups/ui/org-group-new.tsx"),
  route("groups/:groupId", "features/groups/ui/org-group.tsx"),
  // A leader's page for one meeting (the sessions slice).
  route("groups/:groupId/meetings/:start", "features/sessions/ui/meeting.tsx"),
];
