// Issue 11 (import side): teams carry an optional function, and exchange rates import like the
// other files.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KindName } from "../../src/data/import/importers.ts";
import { formatRowError } from "../../src/data/import/report.ts";
import { importCsv, type ImportOptions } from "../../src/data/import/run.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";

describe.each(backends)("teams' function and exchange rates on %s", (backend) => {
  let db: TestDatabase;
  let dir: string;
  let n = 0;
  const csv = async (lines: string[]) => {
    const file = path.join(dir, `f${++n}.csv`);
    await writeFile(file, lines.join("\n") + "\n");
    return file;
  };
  const run = (kind: KindName, file: string, options: Partial<ImportOptions> = {}) => importCsv(db, { kind, file, currency: "USD", ...options });
  const functions = async () =>
    (await db.prisma.team.findMany({ orderBy: { name: "asc" } })).map((t) => [t.name, t.function]);
  const stored = async () =>
    (await db.prisma.exchangeRate.findMany({ orderBy: [{ currency: "asc" }, { month: "asc" }] })).map((r) => [r.currency, r.base, r.month.toISOString().slice(0, 10), r.rate]);

  beforeAll(async () => {
    db = await freshDatabase(backend);
    dir = await mkdtemp(path.join(os.tmpdir(), "kpi-import-11-"));
  });
  afterAll(async () => {
    await db?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("stores a team's function; blank inherits (null); unknown words are rejected with a suggestion", async () => {
    const bad = await run("teams", await csv(["team,parent_team,manager_email,function", "Sales,,,sals", "Ops,,,finance"]));
    expect(bad.outcome).toBe("aborted");
    expect(bad.errors.map(formatRowError)).toEqual([
      'line 2, column function: "sals" is not one of sales, service, marketing (did you mean sales?)',
      'line 3, column function: "finance" is not one of sales, service, marketing',
    ]);
    const ok = await run("teams", await csv(["team,parent_team,manager_email,Function", "Sales,,,Sales", "East,Sales,,", "Care,,,Customer Service", "Growth,,,MARKETING"]));
    expect(ok.outcome).toBe("imported");
    expect(await functions()).toEqual([["Care", "service"], ["East", null], ["Growth", "marketing"], ["Sales", "sales"]]);
  });

  it("a teams file without the function column leaves functions alone; a changed one is counted", async () => {
    const without = await run("teams", await csv(["team,parent_team,manager_email", "Sales,,", "Care,,", "Growth,,"]));
    expect(without.written).toEqual({ inserted: 0, updated: 0, unchanged: 3 });
    expect(await functions()).toEqual([["Care", "service"], ["East", null], ["Growth", "marketing"], ["Sales", "sales"]]);
    const changed = await run("teams", await csv(["team,parent_team,manager_email,function", "Growth,,,sales", "East,Sales,,"]));
    expect(changed.written).toEqual({ inserted: 0, updated: 1, unchanged: 1 });
    expect(changed.fieldsChanged).toEqual({ function: 1 });
    const cleared = await run("teams", await csv(["team,parent_team,manager_email,function", "Growth,,,"]), { clearEmpty: true });
    expect(cleared.fieldsCleared).toEqual({ function: 1 });
    expect(await functions()).toEqual([["Care", "service"], ["East", null], ["Growth", null], ["Sales", "sales"]]);
  });

  it("imports rates per currency, base and month (YYYY-MM or a date), rejecting bad rows by line and column", async () => {
    const r = await run(
      "rates",
      await csv([
        "currency,base,month,rate",
        "eur,USD,2025-03,1.08",
        "CNY,USD,2025-03-15,0.138",
        "INR,USD,2025/4,0.012",
        "JPY,USD,2025-03,6.7e-3",
        "USD,USD,2025-03,1",
        "EUR,USD,2025-13,1",
        "EUR,USD,2025-04,0",
        "EUR,USD,2025-05,abc",
        "EUR,USD,2025-06,2000000000",
        "EUR,US,2025-07,1",
        "EUR,USD,2025-03-31,1.09",
      ]),
      { skipInvalid: true },
    );
    expect(r.outcome).toBe("imported");
    expect(r.errors.map(formatRowError)).toEqual([
      "line 6, column base: is USD, the same as currency",
      'line 7, column month: "2025-13" has no month 13',
      'line 8, column rate: "0" is not above 0',
      'line 9, column rate: "abc" is not a number such as 7.25',
      'line 10, column rate: "2000000000" is outside 1e-9 – 1,000,000,000',
      'line 11, column base: "US" is not a 3-letter currency code',
      "line 12, column currency: same currency + base + month as line 2",
    ]);
    expect(await stored()).toEqual([
      ["CNY", "USD", "2025-03-01", 0.138],
      ["EUR", "USD", "2025-03-01", 1.08],
      ["INR", "USD", "2025-04-01", 0.012],
      ["JPY", "USD", "2025-03-01", 0.0067],
    ]);
  });

  it("upserts a month's rate, counting the change, and reads decimal commas on request", async () => {
    const r = await run("rates", await csv(["currency,base,month,rate", "EUR,USD,2025-03,\"1,10\"", "CNY,USD,2025-03,\"0,138\""]), { decimalComma: true });
    expect(r.written).toEqual({ inserted: 0, updated: 1, unchanged: 1 });
    expect(r.fieldsChanged).toEqual({ rate: 1 });
    expect((await stored()).find((s) => s[0] === "EUR")).toEqual(["EUR", "USD", "2025-03-01", 1.1]);
  });
});
