import type { Kernel } from "../../platform/kernel.server.ts";

export function createAccountsService(kernel: Kernel) {
  void kernel;
  return {};
}
