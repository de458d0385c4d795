import type { Kernel } from "../../platform/kernel.server.ts";
import type { Actor } from "../../platform/policy/policy.ts";
import { membershipsOf, type MembershipSummary } from "../../platform/tenancy/memberships.server.ts";

export function createOrganisationsService(kernel: Kernel) {
  const { db } = kernel;
  return {
    /** The organisations the actor belongs to (for the organisation switcher). */
    async switcherFor(actor: Actor): Promise<MembershipSummary[]> {
      if (!actor.userId) return [];
      const all = await membershipsOf(db, actor.userId);
      return actor.tokenScope ? all.filter((m) => m.organisationId === actor.tokenScope!.organisationId) : all;
    },
  };
}
