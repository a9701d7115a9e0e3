// End to end through the CLI: `npm run ask -- --json` as a demo manager, checked against an
// independent SQL computation on the same database.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/data/db.ts";
import { DEMO_MANAGER_EMAIL } from "../src/data/seed/demo.ts";
import { Reply } from "../src/reply.ts";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "..");

describe("npm run ask -- --json", () => {
  let dir: string;
  afterAll(() => dir && rm(dir, { recursive: true, force: true }));

  it("returns per-rep sales equal to an independent SQL computation", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "kpi-ask-"));
    const env = { ...process.env, KPI_DATA_DIR: dir, KPI_NOW: "2026-11-26T12:00:00Z", DATABASE_URL: "", LOG_LEVEL: "error" };
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "adapters/console/ask.ts", "--user", DEMO_MANAGER_EMAIL, "/kpi team sales last-quarter", "--json", "--png", path.join(dir, "png")], { cwd: root, env, maxBuffer: 10e6 });
    const reply = Reply.parse(JSON.parse(stdout));
    expect(reply.kind).toBe("answer");
    expect(reply.figures?.period.label).toBe("Q3 2026");
    // --png wrote one valid PNG per chart and named each on stderr.
    const written = [...stderr.matchAll(/^chart: (.+\.png)$/gm)].map((m) => m[1]!);
    expect(written).toHaveLength(reply.charts.length);
    expect(written.map((f) => path.basename(f))).toEqual(reply.charts.map((c, i) => `01-team-sales-last-quarter-${i + 1}-${c.kind}.png`));
    for (const file of written) expect((await readFile(file)).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));

    const db = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "pglite") });
    try {
      const rows = await db.sql.query<{ email: string; sales: string }>(
        `WITH RECURSIVE tree AS (
           SELECT id FROM "Team" WHERE "managerId" = (SELECT id FROM "User" WHERE email = $1)
           UNION SELECT t.id FROM "Team" t JOIN tree ON t."parentId" = tree.id)
         SELECT u.email, COALESCE(SUM(d.amount) FILTER (
                  WHERE d.status = 'won' AND d."closedAt" >= '2026-07-01' AND d."closedAt" < '2026-10-01'), 0)::text AS sales
         FROM "User" u LEFT JOIN "Deal" d ON d."ownerId" = u.id
         WHERE u."teamId" IN (SELECT id FROM tree) AND u.role = 'rep' AND u.active
         GROUP BY u.email ORDER BY u.email`,
        [DEMO_MANAGER_EMAIL],
      );
      expect(rows.length).toBeGreaterThanOrEqual(5);
      const got = Object.fromEntries(reply.figures!.rows.map((r) => [r.email, r.value]));
      expect(got).toEqual(Object.fromEntries(rows.map((r) => [r.email, Number(r.sales)])));
      expect(reply.figures!.total).toBe(rows.reduce((s, r) => s + Number(r.sales), 0));
    } finally {
      await db.close();
    }
  }, 120_000);

  it("writes a `csv` answer's file into --out, prints its path, and never replaces an earlier one", async () => {
    // The demo database the test above loaded into `dir`.
    const env = { ...process.env, KPI_DATA_DIR: dir, KPI_NOW: "2026-11-26T12:00:00Z", DATABASE_URL: "", LOG_LEVEL: "error" };
    const out = path.join(dir, "out");
    const ask = () => run(process.execPath, ["--import", "tsx", "adapters/console/ask.ts", "--user", DEMO_MANAGER_EMAIL, "/kpi team sales last-quarter csv", "--out", out], { cwd: root, env, maxBuffer: 10e6 });
    const first = (await ask()).stdout;
    const second = (await ask()).stdout;
    const paths = [first, second].map((o) => /^\[file\] (.+\.csv)$/m.exec(o)?.[1]);
    expect(paths.map((p) => path.basename(p ?? ""))).toEqual([expect.stringMatching(/^kpi-sales-team-.+-q3-2026-20261126\.csv$/), expect.stringMatching(/-2\.csv$/)]);
    const csv = await readFile(paths[0]!);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.toString("utf8")).toContain(`Asked by,`);
    expect(csv.toString("utf8")).toContain(DEMO_MANAGER_EMAIL);
  }, 120_000);
});
