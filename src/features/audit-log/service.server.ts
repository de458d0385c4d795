import type { Kernel } from "../../platform/kernel.server.ts";

export function createAuditLogService(kernel: Kernel) {
  void kernel;
  return {};
}
