import { IntlProvider } from "react-intl";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, isRouteErrorResponse, useRouteLoaderData } from "react-router";
import type { Route } from "./+types/root";
import { catalogs } from "./platform/i18n/catalog.ts";
import { DEFAULT_LOCALE, type Locale } from "./platform/i18n/locales.ts";
import { getRequestContext } from "./ui/request-context.ts";
import { SiteHeader, SiteFooter } from "./ui/layout.tsx";
import { ErrorPage } from "./ui/error-page.tsx";
import stylesUrl from "./ui/styles.css?url";

export const links: Route.LinksFunction = () => [
  { rel: "stylesheet", href: stylesUrl },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const memberships = ctx.user ? await ctx.services.organisations.switcherFor(ctx.actor) : [];
  return {
    locale: ctx.locale,
    timeZone: ctx.timeZone,
    nonce: ctx.nonce,
    requestId: ctx.requestId,
    user: ctx.user ? { id: ctx.user.id, name: ctx.user.name, email: ctx.user.email, emailVerified: ctx.user.emailVerified } : null,
    memberships,
    devOutbox: ctx.services.kernel.config.devOutbox,
  };
}

export type RootData = Awaited<ReturnType<typeof loader>>;

export function useRootData(): RootData | undefined {
  return useRouteLoaderData<RootData>("root");
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRootData();
  const locale: Locale = data?.locale ?? DEFAULT_LOCALE;
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <Meta />
        <Links />
      </head>
      <body>
        <IntlProvider locale={locale} messages={catalogs[locale]} defaultLocale="en" timeZone={data?.timeZone ?? "UTC"}>
          <a className="skip-link" href="#main">
            {catalogs[locale]["common.skipToContent"]}
          </a>
          <SiteHeader />
          <main id="main" tabIndex={-1}>
            {children}
          </main>
          <SiteFooter />
        </IntlProvider>
        <ScrollRestoration nonce={data?.nonce} />
        <Scripts nonce={data?.nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const data = useRootData();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return <ErrorPage status={status} requestId={data?.requestId ?? ""} />;
}
