import { FormattedMessage } from "react-intl";
import { redirect } from "react-router";
import type { Route } from "./+types/companion-index";
import { getRequestContext } from "../../../ui/request-context.ts";
import { CompanionLink } from "./companion-link.tsx";

export function meta() {
  return [{ title: "Companion · Balint Commons" }];
}

/** /companion: the meetings of groups I lead whose companion can be opened now. */
export async function loader({ context, request }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect(`/sign-in?redirectTo=${encodeURIComponent(new URL(request.url).pathname)}`);
  return ctx.services.facilitation.openableNow(ctx.actor);
}

export default function CompanionIndex({ loaderData }: Route.ComponentProps) {
  return (
    <div className="page narrow">
      <h1>
        <FormattedMessage id="facilitation.openList" />
      </h1>
      {loaderData.items.length === 0 ? (
        <p className="empty-state">
          <FormattedMessage id="facilitation.openListEmpty" />
        </p>
      ) : (
        <ul>
          {loaderData.items.map((i) => (
            <li key={`${i.groupId}-${i.occurrenceStart}`}>
              <CompanionLink {...i} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
