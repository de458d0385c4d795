import { passkeyClient } from "@better-auth/passkey/client";
import { createAuthClient } from "better-auth/client";

/**
 * The better-auth browser client, for what only a browser can do: passkeys (WebAuthn). Every
 * other account action is a plain form posted to a page action. Load it lazily, from event
 * handlers (`await import("…/ui/auth-client.ts")`), so pages stay light and work without it.
 */
export function createBrowserAuthClient() {
  return createAuthClient({
    baseURL: `${window.location.origin}/api/auth`,
    plugins: [passkeyClient()],
    // The session lives in server-rendered pages; the client never polls or refetches it.
    sessionOptions: { refetchOnWindowFocus: false },
  });
}

export type BrowserAuthClient = ReturnType<typeof createBrowserAuthClient>;
