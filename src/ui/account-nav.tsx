import { FormattedMessage, useIntl } from "react-intl";
import { NavLink } from "react-router";

/** Sub-navigation of the account area (profile, security, API tokens). */
export function AccountNav() {
  const intl = useIntl();
  return (
    <nav aria-label={intl.formatMessage({ id: "common.account" })} className="subnav">
      <ul>
        <li>
          <NavLink to="/account/profile">
            <FormattedMessage id="common.profile" />
          </NavLink>
        </li>
        <li>
          <NavLink to="/account/security">
            <FormattedMessage id="common.security" />
          </NavLink>
        </li>
        <li>
          <NavLink to="/account/calendar">
            <FormattedMessage id="common.calendar" />
          </NavLink>
        </li>
        <li>
          <NavLink to="/account/participation">
            <FormattedMessage id="sessions.record.nav" />
          </NavLink>
        </li>
        <li>
          <NavLink to="/account/learning">
            <FormattedMessage id="library.learning.nav" />
          </NavLink>
        </li>
        <li>
          <NavLink to="/account/credentials">
            <FormattedMessage id="credentialMine.title" />
          </NavLink>
        </li>
        <li>
          <NavLink to="/account/tokens">
            <FormattedMessage id="common.apiTokens" />
          </NavLink>
        </li>
      </ul>
    </nav>
  );
}
