import type { Api } from "../../platform/http/api.server.ts";

export function registerOrganisationsApi(api: Api): void {
  void api;
}
