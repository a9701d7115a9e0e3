/**
 * How the generated datasets are told apart from each other and from real data: the demo uses
 * @demo.kpi-bot.dev and "demo-" external ids; the benchmark uses @bench.kpi-bot.dev, "bench-"
 * external ids and teams named "Bench …", so both can live in one database.
 */

export const DEMO_EMAIL_DOMAIN = "demo.kpi-bot.dev";
export const DEMO_ID_PREFIX = "demo-";

export const BENCH_EMAIL_DOMAIN = "bench.kpi-bot.dev";
export const BENCH_ID_PREFIX = "bench-";
/** The benchmark's root team; its presence means a benchmark load committed. */
export const BENCH_ORG_TEAM = "Bench Org";
export const BENCH_TEAM_PREFIX = "Bench Team ";

/** SQL LIKE pattern matching every benchmark user's email. */
export const BENCH_EMAIL_LIKE = `%@${BENCH_EMAIL_DOMAIN}`;

/** Advisory lock taken by every seeding transaction, so two loads never interleave. */
export const SEED_LOCK_KEY = 72_160_512;

/** A seed the database state does not allow (already seeded, bad options); the message says what to do. */
export class SeedError extends Error {
  override name = "SeedError";
}
