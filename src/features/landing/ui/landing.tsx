import { FormattedMessage } from "react-intl";
import { Link, redirect } from "react-router";
import type { Route } from "./+types/landing";
import { getRequestContext } from "../../../ui/request-context.ts";

const VALUES = ["authenticity", "collectiveWisdom", "compassion", "empathy", "hope", "lifelongLearning", "reflection", "inclusion"] as const;

export function meta() {
  return [
    { title: "Balint Commons" },
    { name: "description", content: "Run Balint groups, train their leaders and care for clinicians' well-being, confidentially." },
  ];
}

export async function loader({ context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  if (await ctx.services.setup.isNeeded()) throw redirect("/setup");
  return { signedIn: Boolean(ctx.user) };
}

export default function Landing({ loaderData }: Route.ComponentProps) {
  return (
    <div className="page">
      <section className="hero" aria-labelledby="landing-title">
        <h1 id="landing-title">
          <FormattedMessage id="landing.tagline" />
        </h1>
        <div className="actions">
          {loaderData.signedIn ? (
            <Link className="button" to="/home">
              <FormattedMessage id="landing.goHome" />
            </Link>
          ) : (
            <>
              <Link className="button" to="/sign-up">
                <FormattedMessage id="landing.getStarted" />
              </Link>
              <Link to="/sign-in">
                <FormattedMessage id="landing.signIn" />
              </Link>
            </>
          )}
        </div>
      </section>
      <div className="grid">
        <section className="card" aria-labelledby="what">
          <h2 id="what">
            <FormattedMessage id="landing.whatTitle" />
          </h2>
          <p>
            <FormattedMessage id="landing.whatBody" />
          </p>
        </section>
        <section className="card" aria-labelledby="platform">
          <h2 id="platform">
            <FormattedMessage id="landing.platformTitle" />
          </h2>
          <ul>
            <li><FormattedMessage id="landing.platformGroups" /></li>
            <li><FormattedMessage id="landing.platformLeaders" /></li>
            <li><FormattedMessage id="landing.platformEvents" /></li>
            <li><FormattedMessage id="landing.platformWellbeing" /></li>
          </ul>
        </section>
        <section className="card" aria-labelledby="privacy">
          <h2 id="privacy">
            <FormattedMessage id="landing.privacyTitle" />
          </h2>
          <p>
            <FormattedMessage id="landing.privacyBody" />
          </p>
        </section>
      </div>
      <section aria-labelledby="values">
        <h2 id="values">
          <FormattedMessage id="landing.valuesTitle" />
        </h2>
        <ul className="values">
          {VALUES.map((v) => (
            <li key={v}>
              <FormattedMessage id={`landing.value.${v}`} />
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
