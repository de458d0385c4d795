import type { Api } from "../../platform/http/api.server.ts";

export function registerApiTokensApi(api: Api): void {
  void api;
}
