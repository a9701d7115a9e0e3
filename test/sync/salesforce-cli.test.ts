// `npm run sync -- salesforce` as a real child process against the fake org, on an embedded
// database in a temporary KPI_DATA_DIR: exit codes, progress on stderr, report on stdout, and no
// secret in either.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeSalesforce } from "./support/fake-salesforce.ts";
import { seedSalesforce } from "./support/salesforce-seed.ts";

const root = path.resolve(import.meta.dirname, "../..");

describe("npm run sync -- salesforce", () => {
  let dir: string;
  let fake: FakeSalesforce;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "kpi-sync-sf-cli-"));
    fake = new FakeSalesforce({ clientSecret: "s3cret-value-xyz" });
    await fake.start();
    seedSalesforce(fake, 5);
  });
  afterAll(async () => {
    await fake.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function cli(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const full: NodeJS.ProcessEnv = { ...process.env, KPI_DATA_DIR: path.join(dir, "data"), ...env };
    delete full.DATABASE_URL;
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/sync.ts", "salesforce", ...args], { cwd: root, env: full });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  }

  const sfEnv = () => ({ SALESFORCE_LOGIN_URL: fake.url, SALESFORCE_CLIENT_ID: fake.clientId, SALESFORCE_CLIENT_SECRET: fake.clientSecret });

  it("exits 2 naming the variables to set when Salesforce is not configured", async () => {
    const r = await cli({ SALESFORCE_CLIENT_ID: "", SALESFORCE_CLIENT_SECRET: "" });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/SALESFORCE_CLIENT_ID/);
  }, 120_000);

  it("syncs the org (exit 0), then exits 1 with the reason when the org's API limit is used up", async () => {
    const ok = await cli(sfEnv());
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr + ok.stdout).toMatch(/Opportunity/);
    fake.requestLimit = 0;
    const limited = await cli(sfEnv());
    expect(limited.code).toBe(1);
    expect(limited.stderr).toMatch(/REQUEST_LIMIT_EXCEEDED/);
    for (const out of [ok.stdout, ok.stderr, limited.stdout, limited.stderr]) expect(out).not.toContain("s3cret-value-xyz");
  }, 180_000);
});
