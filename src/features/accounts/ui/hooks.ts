import { useSyncExternalStore } from "react";

const noSubscription = () => () => {};

/** False on the server and before hydration; true once JavaScript runs in the browser. */
export function useHydrated(): boolean {
  return useSyncExternalStore(noSubscription, () => true, () => false);
}

/** Whether this browser can use passkeys (WebAuthn); false on the server. */
export function usePasskeySupport(): boolean {
  return useSyncExternalStore(noSubscription, () => typeof window.PublicKeyCredential === "function", () => false);
}
