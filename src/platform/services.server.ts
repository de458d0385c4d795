import type { Kernel } from "./kernel.server.ts";
import { createSetupService } from "../features/setup/service.server.ts";
import { createAccountsService } from "../features/accounts/service.server.ts";
import { createProfileService } from "../features/profile/service.server.ts";
import { createOrganisationsService } from "../features/organisations/service.server.ts";
import { createApiTokensService } from "../features/api-tokens/service.server.ts";
import { createAuditLogService } from "../features/audit-log/service.server.ts";
import { createOutboxService } from "../features/outbox/service.server.ts";
import { createGroupsService } from "../features/groups/service.server.ts";
import { createSessionsService } from "../features/sessions/service.server.ts";

/**
 * The application: the kernel plus each slice's service. HTTP handlers and UI loaders reach
 * slices only through this object, so the UI bundle never imports server code.
 */
export function createServices(kernel: Kernel) {
  return {
    kernel,
    setup: createSetupService(kernel),
    accounts: createAccountsService(kernel),
    profile: createProfileService(kernel),
    organisations: createOrganisationsService(kernel),
    apiTokens: createApiTokensService(kernel),
    auditLog: createAuditLogService(kernel),
    outbox: createOutboxService(kernel),
    groups: createGroupsService(kernel),
    sessions: createSessionsService(kernel),
  };
}

export type AppServices = ReturnType<typeof createServices>;
