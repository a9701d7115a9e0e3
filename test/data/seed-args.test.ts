import { describe, expect, it } from "vitest";
import { parseSeedArgs } from "../../src/data/seed/args.ts";

describe("npm run seed arguments", () => {
  it("load the demo by default with seed 42 and no fixed now", () => {
    expect(parseSeedArgs([])).toEqual({ ok: true, command: { kind: "demo", seed: 42, now: undefined, replace: false } });
  });

  it("take --replace, --seed and --now for the demo", () => {
    expect(parseSeedArgs(["--replace", "--seed", "7", "--now", "2026-11-26T15:00:00+08:00"])).toEqual({
      ok: true,
      command: { kind: "demo", seed: 7, now: new Date("2026-11-26T07:00:00Z"), replace: true },
    });
    expect(parseSeedArgs(["--now", "2026-11-26"])).toMatchObject({ ok: true, command: { now: new Date("2026-11-26T00:00:00Z") } });
  });

  it("switch to the benchmark dataset with --deals, accepting digit separators", () => {
    expect(parseSeedArgs(["--deals", "1_000_000"])).toEqual({
      ok: true,
      command: { kind: "large", deals: 1_000_000, reps: 500, activities: undefined, seed: 42, now: undefined, replace: false },
    });
    expect(parseSeedArgs(["--deals", "20,000", "--reps", "50", "--activities", "1000"])).toMatchObject({
      ok: true,
      command: { kind: "large", deals: 20_000, reps: 50, activities: 1000 },
    });
  });

  it("say what to type instead for bad flags", () => {
    const error = (argv: string[]) => {
      const r = parseSeedArgs(argv);
      return r.ok ? "" : r.error;
    };
    expect(error(["--bogus"])).toMatch(/Unknown option '--bogus'[\s\S]*usage: npm run seed/);
    expect(error(["extra"])).toMatch(/usage: npm run seed/);
    expect(error(["--deals", "1e6"])).toBe("--deals takes a whole number, e.g. --deals 1000");
    expect(error(["--deals", "0"])).toBe("--deals must be at least 1");
    expect(error(["--seed", "4294967296"])).toBe("--seed must be at most 4,294,967,295");
    expect(error(["--now", "yesterday"])).toMatch(/--now takes an ISO date or date-time/);
    expect(error(["--reps", "50"])).toMatch(/add --deals N/);
    expect(error(["--deals", "10", "--activities", "5000"])).toMatch(/at most 100 per deal/);
  });

  it("offer help", () => {
    expect(parseSeedArgs(["--help"])).toEqual({ ok: true, command: { kind: "help" } });
  });

  it("read --remove alone, and refuse it with load options", () => {
    expect(parseSeedArgs(["--remove"])).toEqual({ ok: true, command: { kind: "remove" } });
    expect(parseSeedArgs(["--remove", "--replace"])).toEqual({ ok: false, error: "--remove takes no other option (drop --replace)" });
    expect(parseSeedArgs(["--remove", "--deals", "10"])).toEqual({ ok: false, error: "--remove takes no other option (drop --deals)" });
  });
});
