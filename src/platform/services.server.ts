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
import { createFeedbackService } from "../features/feedback/service.server.ts";
import { createEventRosterService } from "../features/events/roster.service.server.ts";
import { createDashboardService } from "../features/dashboard/service.server.ts";
import { createDebriefService } from "../features/debrief/service.server.ts";
import { createFacilitationService } from "../features/facilitation/service.server.ts";
import { createEventsService } from "../features/events/service.server.ts";
import { createEventObservationService } from "../features/events/observation.service.server.ts";
import { createWellbeingService } from "../features/wellbeing/service.server.ts";
import { createAccreditationService } from "../features/accreditation/service.server.ts";
import { createLibraryService } from "../features/library/service.server.ts";
import { createSupervisionService } from "../features/accreditation/supervision.service.server.ts";
import { createReviewService } from "../features/accreditation/review.service.server.ts";
import { createCredentialService } from "../features/accreditation/credential.service.server.ts";
import { createWellbeingReportService } from "../features/wellbeing/report.service.server.ts";
import { createWellbeingExportService } from "../features/wellbeing/export.service.server.ts";

/**
 * The application: the kernel plus each slice's service. HTTP handlers and UI loaders reach
 * slices only through this object, so the UI bundle never imports server code.
 */
export function createServices(kernel: Kernel) {
  const sessions = createSessionsService(kernel);
  const eventRosters = createEventRosterService(kernel);
  const wellbeing = createWellbeingService(kernel);
  // Open Badges 3.0 credentials, status list and the leaders directory (brief R, ADR 018).
  const credentials = createCredentialService(kernel);
  const wellbeingReports = createWellbeingReportService(kernel, wellbeing);
  const eventObservations = createEventObservationService(kernel);
  const accreditation = createAccreditationService(kernel, { sessions, eventRosters, eventObservations });
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
    sessions,
    // Read-only composition of the groups and sessions slices (the same sessions instance).
    dashboard: createDashboardService(kernel, { sessions }),
    debrief: createDebriefService(kernel),
    // The facilitation companion (uses sessions for attendance and leading credits).
    facilitation: createFacilitationService(kernel, { sessions }),
    // Anonymous meeting feedback (ADR 013).
    feedback: createFeedbackService(kernel),
    // Training events: registration, waitlist, packages, payments.
    events: createEventsService(kernel),
    // Well-being check-ins (ADR 015, 017).
    wellbeing,
    // Well-being program reports over frozen atoms, and the de-identified export (brief M).
    wellbeingReports,
    wellbeingExports: createWellbeingExportService(kernel, wellbeingReports),
    // Event small-group rosters, check-in, CE certificates, attendee export (brief O).
    eventRosters,
    // Accreditation pathways, candidates, evidence and progress (issue 7; reads sessions, debrief, events).
    accreditation,
    // The learning library and private reading logs (brief S).
    library: createLibraryService(kernel),
    // Faculty observations of leaders in training; observationsOf(userId) for accreditation (brief T).
    eventObservations,
    // Accreditation supervision (supervisors list, agreements, meetings, reports, queues) (brief Q).
    supervision: createSupervisionService(kernel, { sessions }),
    // Accreditation applications and committee review (brief Q). Hooks: progressOf (core),
    // issueCredentialOnApproval (credentials) — see review.service.server.ts.
    accreditationReviews: createReviewService(kernel, { progressOf: (orgId, candidateId) => accreditation.progressOf(orgId, candidateId), issueCredentialOnApproval: (i) => credentials.issueOnApproval(i) }),
    credentials,
  };
}

export type AppServices = ReturnType<typeof createServices>;
