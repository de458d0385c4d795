// Loader/action helpers of the organisation's group pages (run on the server only; services
// come from the request context).
import type { RequestContext } from "../../../platform/http/request-context.ts";
import { isAppError, type FieldError } from "../../../platform/http/errors.ts";
import type { ActionFailure } from "../../../ui/forms.tsx";
import { friendlyFields } from "./form-input.ts";
import type { LeaderCandidate } from "./group-form.tsx";

const LEADING_ROLES = ["owner", "admin", "coordinator", "supervisor", "leader"] as const;

/** Members who may lead a group (role leader or above), by name. */
export async function leaderCandidates(ctx: RequestContext, orgId: string): Promise<LeaderCandidate[]> {
  const out: LeaderCandidate[] = [];
  for (const role of LEADING_ROLES) {
    const page = await ctx.services.organisations.listMembers(ctx.actor, orgId, { role, pageSize: 100 });
    for (const m of page.items) out.push({ userId: m.userId, name: m.name });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** Runs a save; the service's field errors come back keyed to the friendly fields. */
export async function saveGroup<T>(work: () => Promise<T>, values: Record<string, string>): Promise<{ ok: true; value: T } | { ok: false; status: number; failure: ActionFailure }> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (isAppError(error)) {
      const fields: FieldError[] = friendlyFields(error.fields ?? [], values);
      return { ok: false, status: error.status, failure: { ok: false, message: error.message, fields, values } };
    }
    throw error;
  }
}
