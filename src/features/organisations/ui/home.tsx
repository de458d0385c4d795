import { FormattedMessage } from "react-intl";
import { Link, redirect } from "react-router";
import type { Route } from "./+types/home";
import { getRequestContext } from "../../../ui/request-context.ts";
import { RoleTag, signInUrl } from "./shared.tsx";
import orgStyles from "./organisations.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: orgStyles }];

export function meta() {
  return [{ title: "Home · Balint Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect(signInUrl(request));
  const organisations = await ctx.services.organisations.listMine(ctx.actor);
  return { organisations, name: ctx.user.name, email: ctx.user.email, emailVerified: ctx.user.emailVerified };
}

export default function Home({ loaderData }: Route.ComponentProps) {
  const { organisations, emailVerified, email, name } = loaderData;
  return (
    <div className="page">
      <h1>
        <FormattedMessage id="organisations.home.title" values={{ name }} />
      </h1>
      {!emailVerified && (
        <div className="notice" role="status">
          <p>
            <strong>
              <FormattedMessage id="organisations.home.unverifiedTitle" />
            </strong>
          </p>
          <p>
            <FormattedMessage id="organisations.home.unverifiedBody" values={{ email }} />
          </p>
          <p>
            <Link to="/account/security">
              <FormattedMessage id="organisations.home.unverifiedLink" />
            </Link>
          </p>
        </div>
      )}
      <p className="card">
        <Link to="/dashboard">
          <FormattedMessage id="dashboard.homeLink" />
        </Link>
      </p>
      <h2>
        <FormattedMessage id="organisations.home.yourOrganisations" />
      </h2>
      {organisations.length === 0 ? (
        <div className="empty-state card">
          <p>
            <strong>
              <FormattedMessage id="organisations.home.emptyTitle" />
            </strong>
          </p>
          <p>
            <FormattedMessage id="organisations.home.emptyBody" />
          </p>
        </div>
      ) : (
        <ul className="grid org-cards">
          {organisations.map((o) => (
            <li key={o.organisationId} className="card org-card">
              <h3>
                <Link to={`/o/${o.slug}`}>{o.name}</Link>
              </h3>
              <p>
                <FormattedMessage id="organisations.home.yourRole" /> <RoleTag role={o.role} />
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
