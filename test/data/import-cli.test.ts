// The command line: exit codes and where the report goes. Runs the real script on an embedded
// database in a temporary KPI_DATA_DIR.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const fixtures = path.join(root, "test/fixtures/import");

describe("npm run import", () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "kpi-import-cli-"));
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const env: NodeJS.ProcessEnv = { ...process.env, KPI_DATA_DIR: path.join(dir, "data") };
    delete env.DATABASE_URL;
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/import.ts", ...args], { cwd: root, env });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  }

  it("exits 0 and prints the cleaning report on stdout (no progress line when not a TTY)", async () => {
    const r = await cli("teams", path.join(fixtures, "teams.csv"));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("imported: 3 (3 inserted, 0 updated, 0 unchanged)");
    expect(r.stderr).not.toContain("\x1b[2K");
  });

  it("exits 1 when invalid rows abort the import, listing them as line and column", async () => {
    const file = path.join(dir, "deals.csv");
    await writeFile(file, "deal_id,owner_email,customer,amount,currency,status,created_at,closed_at,campaign_id\nD1,nobody@example.com,Acme,5,,open,2025-01-01,,\n");
    const r = await cli("deals", file, "--decimal-comma");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("line 2, column owner_email: no rep with email nobody@example.com (import reps first)");
    expect(r.stderr).toContain("aborted: 1 invalid row; nothing was written");
  });

  it("exits 2 on usage errors and on a file that does not fit the kind", async () => {
    const kind = await cli("widgets", "x.csv");
    expect(kind.code).toBe(2);
    expect(kind.stderr).toContain("error: <kind>: must be one of teams, reps, campaigns, deals, activities, tickets, quotas, rates");
    const currency = await cli("deals", "x.csv", "--currency", "euro");
    expect(currency.code).toBe(2);
    expect(currency.stderr).toContain("--currency: must be a 3-letter ISO currency code");
    const header = await cli("reps", path.join(fixtures, "deals.csv"));
    expect(header.code).toBe(2);
    expect(header.stderr).toContain("refused: not a reps file: missing required column name. Expected header: name (optional: email,team,role");
  });
});
