import type { Api } from "./api.server.ts";
import { registerSetupApi } from "../../features/setup/api.server.ts";
import { registerProfileApi } from "../../features/profile/api.server.ts";
import { registerOrganisationsApi } from "../../features/organisations/api.server.ts";
import { registerApiTokensApi } from "../../features/api-tokens/api.server.ts";
import { registerAuditLogApi } from "../../features/audit-log/api.server.ts";
import { registerGroupsApi } from "../../features/groups/api.server.ts";
import { registerSessionsApi } from "../../features/sessions/api.server.ts";
import { registerDashboardApi } from "../../features/dashboard/api.server.ts";
import { registerFacilitationApi } from "../../features/facilitation/api.server.ts";
import { registerDebriefApi } from "../../features/debrief/api.server.ts";
import { registerFeedbackApi } from "../../features/feedback/api.server.ts";
import { registerEventRosterApi } from "../../features/events/roster.api.server.ts";
import { registerWellbeingApi } from "../../features/wellbeing/api.server.ts";
import { registerWellbeingReportApi } from "../../features/wellbeing/report.api.server.ts";
import { registerEventsApi } from "../../features/events/api.server.ts";
import { registerEventObservationApi } from "../../features/events/observation.api.server.ts";
import { registerLibraryApi } from "../../features/library/api.server.ts";
import { registerAccreditationApi } from "../../features/accreditation/api.server.ts";
import { registerCredentialApi } from "../../features/accreditation/credential.api.server.ts";
import { registerSupervisionApi } from "../../features/accreditation/supervision.api.server.ts";
import { registerReviewApi } from "../../features/accreditation/review.api.server.ts";

/** Each slice adds its REST routes here (mounted under /api/v1). */
export function registerApiRoutes(api: Api): void {
  registerSetupApi(api);
  registerProfileApi(api);
  registerOrganisationsApi(api);
  registerApiTokensApi(api);
  registerAuditLogApi(api);
  registerGroupsApi(api);
  registerSessionsApi(api);
  registerDashboardApi(api);
  registerFacilitationApi(api);
  registerDebriefApi(api);
  registerFeedbackApi(api);
  registerEventsApi(api);
  registerEventRosterApi(api);
  registerEventObservationApi(api);
  registerWellbeingApi(api);
  registerLibraryApi(api);
  registerWellbeingReportApi(api);
  registerCredentialApi(api);
  registerSupervisionApi(api);
  registerReviewApi(api);
  registerAccreditationApi(api);
}
