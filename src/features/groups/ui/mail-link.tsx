import { redirect } from "react-router";
import type { Route } from "./+types/mail-link";
import { getRequestContext } from "../../../ui/request-context.ts";
import { loadOr } from "../../organisations/ui/shared.tsx";

/** The address the groups emails link to (/orgs/:slug/groups/:groupId): on to the group's own page. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  const group = await loadOr(request, () => ctx.services.groups.get(ctx.actor, org.id, params.groupId));
  throw redirect(`/groups/${org.slug}/${group.slug}`);
}

export default function MailLink() {
  return null;
}
