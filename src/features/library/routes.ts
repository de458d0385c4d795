import { route, type RouteConfigEntry } from "@react-router/dev/routes";

/** The learning library (public and per organisation), curation pages and my reading log. */
export const libraryRoutes: RouteConfigEntry[] = [
  route("library", "features/library/ui/library.tsx"),
  route("library/:orgSlug", "features/library/ui/org-library.tsx"),
  route("library/:orgSlug/new", "features/library/ui/item-new.tsx"),
  route("library/:orgSlug/:itemId", "features/library/ui/item.tsx"),
  route("library/:orgSlug/:itemId/edit", "features/library/ui/item-edit.tsx"),
  route("account/learning", "features/library/ui/learning.tsx"),
];
