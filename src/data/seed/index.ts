/**
 * Generated datasets: the demo CRM (small, rich, deterministic; loaded into an empty embedded
 * database at start-up) and the benchmark dataset (a million deals, generated in SQL).
 */
export {
  DEFAULT_DEMO_SEED,
  DEMO_ADMIN_EMAIL,
  DEMO_MANAGER_EMAIL,
  DEMO_REP_EMAIL,
  demoOptionsSchema,
  ensureDemoData,
  seedDemo,
} from "./demo.ts";
export type { DemoOptions, DemoSummary, EnsureDemoResult } from "./demo.ts";
export { benchDealId, hasLargeDataset, largeOptionsSchema, seedLarge } from "./large.ts";
export type { LargeOptions, LargeSummary } from "./large.ts";
export { BENCH_EMAIL_DOMAIN, BENCH_ID_PREFIX, BENCH_ORG_TEAM, DEMO_EMAIL_DOMAIN, DEMO_ID_PREFIX, SeedError } from "./markers.ts";
export { buildDemo } from "./demo-data.ts";
export type { DemoData } from "./demo-data.ts";
