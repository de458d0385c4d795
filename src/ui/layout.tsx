import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, NavLink, useLocation } from "react-router";
import { useRootData } from "../root.tsx";

export function SiteHeader() {
  const data = useRootData();
  const intl = useIntl();
  const location = useLocation();
  const user = data?.user;
  const memberships = data?.memberships ?? [];
  const currentSlug = /^\/o\/([^/]+)/.exec(location.pathname)?.[1];
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link to={user ? "/home" : "/"} className="brand">
          <span aria-hidden="true" className="brand__mark">◯</span> <FormattedMessage id="common.appName" />
        </Link>
        <nav aria-label={intl.formatMessage({ id: "common.mainNav" })}>
          <ul className="nav-list">
            <li>
              <NavLink to="/groups" end>
                <FormattedMessage id="groups.findGroup" />
              </NavLink>
            </li>
            <li>
              <NavLink to="/library">
                <FormattedMessage id="library.nav" />
              </NavLink>
            </li>
            {user ? (
              <>
                <li>
                  <NavLink to="/dashboard">
                    <FormattedMessage id="dashboard.nav" />
                  </NavLink>
                </li>
                {memberships.length > 0 && (
                  <li>
                    <details className="switcher">
                      <summary>
                        {memberships.find((m) => m.slug === currentSlug)?.name ?? intl.formatMessage({ id: "common.switchOrganisation" })}
                      </summary>
                      <ul aria-label={intl.formatMessage({ id: "common.switchOrganisation" })}>
                        {memberships.map((m) => (
                          <li key={m.organisationId}>
                            <Link to={`/o/${m.slug}`} aria-current={m.slug === currentSlug ? "page" : undefined}>
                              {m.name}
                            </Link>
                          </li>
                        ))}
                      </ul>
                    </details>
                  </li>
                )}
                <li>
                  <NavLink to="/account/profile">
                    <FormattedMessage id="common.account" />
                  </NavLink>
                </li>
                {data?.devOutbox && (
                  <li>
                    <NavLink to="/dev/outbox">
                      <FormattedMessage id="outbox.nav" />
                    </NavLink>
                  </li>
                )}
                <li>
                  <Form method="post" action="/sign-out">
                    <button type="submit" className="link-button">
                      <FormattedMessage id="common.signOut" />
                    </button>
                  </Form>
                </li>
              </>
            ) : (
              <>
                <li>
                  <NavLink to="/sign-in">
                    <FormattedMessage id="common.signIn" />
                  </NavLink>
                </li>
                <li>
                  <NavLink to="/sign-up" className="button button--small">
                    <FormattedMessage id="common.signUp" />
                  </NavLink>
                </li>
                {data?.devOutbox && (
                  <li>
                    <NavLink to="/dev/outbox">
                      <FormattedMessage id="outbox.nav" />
                    </NavLink>
                  </li>
                )}
              </>
            )}
          </ul>
        </nav>
      </div>
    </header>
  );
}

export function SiteFooter() {
  return (
    <footer className="site-footer">
      <p>
        <FormattedMessage id="common.footer" />
      </p>
      <p>
        <a href="/api/docs">API</a>
      </p>
    </footer>
  );
}
