/**
 * `npm run seed` arguments → what to load. Mistakes come back as values whose message says what
 * to type instead; scripts/seed.ts turns them into a usage error.
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import type { Result } from "../../result.ts";
import { DEFAULT_DEMO_SEED } from "./demo.ts";

export const SEED_USAGE = `usage: npm run seed [-- --replace] [--seed N] [--now ISO]
         load the demo CRM (37 people, ~3,000 deals, two years of history ending at --now)
       npm run seed -- --remove
         delete the demo CRM (its people, teams and all they own); imported rows stay
       npm run seed -- --deals N [--reps N] [--activities N] [--seed N] [--now ISO] [--replace]
         load the benchmark dataset instead (e.g. --deals 1000000 --reps 500)

  --replace       demo: wipe the CRM tables (all but benchmark rows) and reload;
                  benchmark: reload even when a dataset of that size is already there
  --remove        delete the demo; start-up never loads it again into this database
  --seed N        random seed, 0 … 4294967295 (default ${DEFAULT_DEMO_SEED}); same seed and --now, same data
  --now ISO       end of the history, e.g. 2026-11-26T15:00:00Z (default: KPI_NOW, else the current time)
  --deals N       benchmark deals (1 … 50,000,000); --reps (default 500), --activities (default 2 per deal)`;

export type SeedCommand =
  | { kind: "help" }
  | { kind: "remove" }
  | { kind: "demo"; seed: number; now: Date | undefined; replace: boolean }
  | { kind: "large"; deals: number; reps: number; activities: number | undefined; seed: number; now: Date | undefined; replace: boolean };

export type ParsedSeedArgs = Result<{ command: SeedCommand }>;

const count = (flag: string, min: number, max: number) =>
  z
    .string()
    .transform((s) => s.replace(/[_,]/g, ""))
    .pipe(
      z
        .string()
        .regex(/^\d+$/, `${flag} takes a whole number, e.g. ${flag} ${min === 0 ? 42 : 1000}`)
        .transform(Number)
        .pipe(z.number().max(max, `${flag} must be at most ${max.toLocaleString("en-US")}`).min(min, `${flag} must be at least ${min}`)),
    );

const instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()], {
  error: "--now takes an ISO date or date-time, e.g. --now 2026-11-26T15:00:00Z",
});

const flagsSchema = z.object({
  help: z.boolean().optional(),
  replace: z.boolean().optional(),
  remove: z.boolean().optional(),
  seed: count("--seed", 0, 0xffff_ffff).optional(),
  now: instant.optional(),
  deals: count("--deals", 1, 50_000_000).optional(),
  reps: count("--reps", 1, 20_000).optional(),
  activities: count("--activities", 0, 5_000_000_000).optional(),
});

/**
 * Parse the arguments after `npm run seed --`.
 *
 * @example
 * parseSeedArgs(["--deals", "1_000_000"]);
 * // => { ok: true, command: { kind: "large", deals: 1000000, reps: 500, … } }
 */
export function parseSeedArgs(argv: readonly string[]): ParsedSeedArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: "boolean", short: "h" },
        replace: { type: "boolean" },
        remove: { type: "boolean" },
        seed: { type: "string" },
        now: { type: "string" },
        deals: { type: "string" },
        reps: { type: "string" },
        activities: { type: "string" },
      },
    }).values;
  } catch (e) {
    return { ok: false, error: `${(e as Error).message}\n${SEED_USAGE}` };
  }
  const parsed = flagsSchema.safeParse(values);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]!.message };
  const f = parsed.data;
  if (f.help) return { ok: true, command: { kind: "help" } };
  if (f.remove) {
    const others = (["replace", "seed", "now", "deals", "reps", "activities"] as const).filter((k) => f[k] !== undefined);
    if (others.length > 0) return { ok: false, error: `--remove takes no other option (drop --${others.join(", --")})` };
    return { ok: true, command: { kind: "remove" } };
  }
  const seed = f.seed ?? DEFAULT_DEMO_SEED;
  const now = f.now === undefined ? undefined : new Date(f.now.length === 10 ? `${f.now}T00:00:00Z` : f.now);
  const replace = f.replace ?? false;
  if (f.deals === undefined) {
    if (f.reps !== undefined || f.activities !== undefined) {
      return { ok: false, error: "--reps and --activities size the benchmark dataset: add --deals N (e.g. --deals 1000000)" };
    }
    return { ok: true, command: { kind: "demo", seed, now, replace } };
  }
  if (f.activities !== undefined && f.activities > f.deals * 100) {
    return { ok: false, error: `--activities must be at most 100 per deal (${(f.deals * 100).toLocaleString("en-US")} for ${f.deals} deals)` };
  }
  return { ok: true, command: { kind: "large", deals: f.deals, reps: f.reps ?? 500, activities: f.activities, seed, now, replace } };
}
