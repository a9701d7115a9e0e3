// `npm run people -- forget`: the real script on an embedded database in a temporary KPI_DATA_DIR.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/data/db.ts";
import { loadHandmade } from "../support/handmade.ts";

const root = path.resolve(import.meta.dirname, "../..");

describe("npm run people", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "kpi-people-cli-"));
    const db = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "pglite") });
    await loadHandmade(db.prisma);
    await db.close();
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const env: NodeJS.ProcessEnv = { ...process.env, KPI_DATA_DIR: dir };
    delete env.DATABASE_URL;
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/people.ts", ...args], { cwd: root, env });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  }

  it("prints what a dry run would do, then forgets for real; an unknown email exits 2", async () => {
    const dry = await cli("forget", "bo@acme.test", "--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^would forget bo@acme\.test → forgotten-[0-9a-f]{10}$/m);
    expect(dry.stdout).toContain("kept their records for others' figures (4 deals, 1 activities, 0 tickets, 1 quotas, 0 campaigns)");
    const real = await cli("forget", "bo@acme.test");
    expect(real.code).toBe(0);
    expect(real.stdout).toMatch(/^forgot bo@acme\.test → forgotten-/m);
    const again = await cli("forget", "bo@acme.test");
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("error: no person has the email 'bo@acme.test'");
  });

  it("refuses unknown commands and options with the usage", async () => {
    const r = await cli("delete", "bo@acme.test");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'delete'");
    const o = await cli("forget", "ann@acme.test", "--force");
    expect(o.code).toBe(2);
    expect(o.stderr).toContain("unknown option --force");
  });
});
