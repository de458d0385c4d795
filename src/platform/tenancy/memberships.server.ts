import { eq } from "drizzle-orm";
import type { Executor } from "../db/client.server.ts";
import { membership, organisation, type Role } from "./schema.ts";

export interface MembershipSummary {
  organisationId: string;
  slug: string;
  name: string;
  role: Role;
}

/** The organisations a person belongs to, with their role in each (for the actor and the switcher). */
export async function membershipsOf(db: Executor, userId: string): Promise<MembershipSummary[]> {
  return db
    .select({ organisationId: membership.organisationId, slug: organisation.slug, name: organisation.name, role: membership.role })
    .from(membership)
    .innerJoin(organisation, eq(organisation.id, membership.organisationId))
    .where(eq(membership.userId, userId))
    .orderBy(organisation.name);
}
