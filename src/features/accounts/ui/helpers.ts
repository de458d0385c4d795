import { data } from "react-router";
import type { ActionFailure, ActionResult } from "../../../ui/forms.tsx";

/** Response headers carrying better-auth's Set-Cookie headers to the browser. */
export function cookieHeaders(cookies: string[]): Headers {
  const headers = new Headers();
  for (const cookie of cookies) headers.append("Set-Cookie", cookie);
  return headers;
}

export function isFailure(result: unknown): result is ActionFailure {
  return typeof result === "object" && result !== null && (result as { ok?: unknown }).ok === false;
}

/** A failed form re-rendered: 400 when fields are at fault, else 409 (a state problem). */
export function failed(result: ActionFailure, extra: Record<string, unknown> = {}) {
  return data({ ...result, ...extra }, { status: result.fields.length ? 400 : 409 });
}

/** Gives a form's fields unique names on a page with several forms (password → disablePassword). */
export function renameFields(result: ActionFailure, map: Record<string, string>): ActionFailure {
  return { ...result, fields: result.fields.map((f) => ({ ...f, path: map[f.path] ?? f.path })) };
}

export function asResult(value: unknown): ActionResult | undefined {
  return typeof value === "object" && value !== null && "ok" in value ? (value as ActionResult) : undefined;
}
