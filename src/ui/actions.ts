import { isAppError } from "../platform/http/errors.ts";
import type { ActionFailure } from "./forms.tsx";

/**
 * Runs a form action's work and turns an AppError into the form's failure result, so a bad
 * input re-renders the form with the person's values and the fields at fault. Anything else
 * propagates to the error page.
 */
export async function formAction<T>(work: () => Promise<T>, values?: Record<string, string>): Promise<T | ActionFailure> {
  try {
    return await work();
  } catch (error) {
    if (isAppError(error)) {
      return { ok: false, message: error.message, fields: error.fields ?? [], ...(values ? { values } : {}) };
    }
    throw error;
  }
}

/** Form fields as strings (files and repeated keys dropped), for re-filling a form. */
export function formValues(form: FormData, omit: string[] = ["password", "ownerPassword", "newPassword", "currentPassword"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of form.entries()) if (typeof value === "string" && !omit.includes(key)) out[key] = value;
  return out;
}
