// The README's console transcript is real output: the commands it shows, piped into `npm start`
// on a fresh demo database, print every line it shows, in order (it trims follow-up lines).
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");

describe("README console transcript", () => {
  let dir: string;
  afterAll(() => dir && rm(dir, { recursive: true, force: true }));

  it("is what the console prints for those commands", async () => {
    const readme = await readFile(path.join(root, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### A console session"));
    const block = section.slice(section.indexOf("```text\n") + 8, section.indexOf("\n```", section.indexOf("```text\n")));
    const lines = block.split("\n");
    const commands = lines.filter((l) => l.startsWith("kpi> ")).map((l) => l.slice(5));
    const shown = lines.filter((l) => !l.startsWith("kpi> ") && l.trim() !== "");
    expect(commands.length).toBeGreaterThanOrEqual(3);

    dir = await mkdtemp(path.join(os.tmpdir(), "kpi-readme-"));
    const env = { ...process.env, KPI_DATA_DIR: dir, KPI_NOW: "2026-11-26T12:00:00Z", DATABASE_URL: "", KPI_USER: "", LOG_LEVEL: "error", SLACK_BOT_TOKEN: "", MICROSOFT_APP_ID: "" };
    const child = spawn(process.execPath, ["--import", "tsx", "adapters/main.ts"], { cwd: root, env, stdio: ["pipe", "pipe", "ignore"] });
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString("utf8")));
    child.stdin.end(commands.join("\n") + "\n");
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(0);

    const printed = out.split("\n");
    let at = 0;
    for (const line of shown) {
      const found = printed.indexOf(line, at);
      expect(found, `README line not printed (in order): ${JSON.stringify(line)}`).toBeGreaterThanOrEqual(0);
      at = found + 1;
    }
  }, 60_000);
});
