import type { Kernel } from "../../platform/kernel.server.ts";

export function createOutboxService(kernel: Kernel) {
  void kernel;
  return {};
}
