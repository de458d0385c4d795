import { redirect } from "react-router";
import type { Route } from "./+types/pending";
import { getRequestContext } from "../../../ui/request-context.ts";
import { PendingDebriefs } from "./pending-debriefs.tsx";

export function meta() {
  return [{ title: "Debriefs · Balint Commons" }];
}

export async function loader({ context, request }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect(`/sign-in?redirectTo=${encodeURIComponent(new URL(request.url).pathname)}`);
  return ctx.services.debrief.pending(ctx.actor);
}

export default function Pending({ loaderData }: Route.ComponentProps) {
  return (
    <div className="page narrow">
      <PendingDebriefs items={loaderData.items} headingLevel={1} />
    </div>
  );
}
