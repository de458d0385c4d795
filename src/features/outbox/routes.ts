import { route, type RouteConfigEntry } from "@react-router/dev/routes";

export const outboxRoutes: RouteConfigEntry[] = [
  route("dev/outbox", "features/outbox/ui/outbox.tsx"),
  route("dev/outbox/:id", "features/outbox/ui/message.tsx"),
];
