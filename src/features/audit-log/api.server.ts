import type { Api } from "../../platform/http/api.server.ts";

export function registerAuditLogApi(api: Api): void {
  void api;
}
