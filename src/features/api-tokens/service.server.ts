import type { Kernel } from "../../platform/kernel.server.ts";
import type { Actor } from "../../platform/policy/policy.ts";
import type { SessionUser } from "../../platform/http/request-context.ts";

export function createApiTokensService(kernel: Kernel) {
  void kernel;
  return {
    /** Resolves a bearer token to an actor scoped to the token's organisation, or null. */
    async authenticate(token: string): Promise<{ actor: Actor; user: SessionUser | null } | null> {
      void token;
      return null;
    },
  };
}
