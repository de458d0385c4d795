import { createContext, type RouterContextProvider } from "react-router";
import type { RequestContext } from "../platform/http/request-context.ts";

/**
 * The React Router context key under which the HTTP layer puts the RequestContext. It is
 * exported from entry.server.tsx so the server sets exactly this key (one module instance).
 */
export const requestContext = createContext<RequestContext>();

export function getRequestContext(context: Readonly<RouterContextProvider>): RequestContext {
  return context.get(requestContext);
}
