// The README's console transcript is real output: the commands it shows, piped into `npm start`
// on a fresh demo database, print every line it shows, in order (it trims follow-up lines).
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");

/** Runs `npm start` on the demo in `dir` with the commands on stdin; what it printed. */
async function runConsole(dir: string, commands: string[], user = ""): Promise<{ code: number | null; out: string }> {
  const env = { ...process.env, KPI_DATA_DIR: dir, KPI_NOW: "2026-11-26T12:00:00Z", DATABASE_URL: "", KPI_USER: user, LOG_LEVEL: "error", SLACK_BOT_TOKEN: "", MICROSOFT_APP_ID: "" };
  const child = spawn(process.execPath, ["--import", "tsx", "adapters/main.ts"], { cwd: root, env, stdio: ["pipe", "pipe", "ignore"] });
  let out = "";
  child.stdout.on("data", (b: Buffer) => (out += b.toString("utf8")));
  child.stdin.end(commands.join("\n") + "\n");
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return { code, out };
}

/** Every line shown (not a command, not blank) is printed, in order. */
function expectShown(block: string, out: string): void {
  const printed = out.split("\n");
  let at = 0;
  for (const line of block.split("\n").filter((l) => !l.startsWith("kpi> ") && l.trim() !== "")) {
    const found = printed.indexOf(line, at);
    expect(found, `README line not printed (in order): ${JSON.stringify(line)}`).toBeGreaterThanOrEqual(0);
    at = found + 1;
  }
}

// Transcripts elsewhere in the README are marked `<!-- transcript KPI_USER=<email> -->` just above
// their ```text block; each is replayed as that user on one demo database.
describe("README marked transcripts", () => {
  let dir: string;
  afterAll(() => dir && rm(dir, { recursive: true, force: true }));

  it("each is what the console prints for its commands as its user", async () => {
    const readme = await readFile(path.join(root, "README.md"), "utf8");
    const marked = [...readme.matchAll(/<!-- transcript KPI_USER=(\S+) -->\n```text\n([\s\S]*?)\n```/g)];
    expect(marked.length).toBeGreaterThanOrEqual(3);
    dir = await mkdtemp(path.join(os.tmpdir(), "kpi-readme-marked-"));
    for (const [, user, block] of marked) {
      const commands = block!.split("\n").filter((l) => l.startsWith("kpi> ")).map((l) => l.slice(5));
      expect(commands.length, `a transcript for ${user} shows commands`).toBeGreaterThan(0);
      const { code, out } = await runConsole(dir, commands, user);
      expect(code).toBe(0);
      expectShown(block!, out);
    }
  }, 120_000);
});

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
