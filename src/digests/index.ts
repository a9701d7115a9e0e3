// Digests and alerts: what adapters and entry points use.
export { createScheduleDesk } from "./desk.ts";
export { runDue, type RunnerDeps, type RunSummary } from "./runner.ts";
export { startScheduler, type Scheduler } from "./scheduler.ts";
export type { Destination, SendOutcome, Sender, Senders } from "./sender.ts";

import os from "node:os";

/** This process's name in ledger claims and leases. */
export function processHolder(): string {
  return `${os.hostname()}:${process.pid}`;
}
