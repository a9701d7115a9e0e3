// `npm run sync -- <source>` as a real child process, killed with SIGKILL at the moment a fake
// CRM chooses (mid-page): what the kill tests of both sources share.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../../..");

export type KilledRun = {
  /** -9 when the kill landed; otherwise the exit code. */
  code: Promise<number | null>;
  stderr: () => string;
  /** Kills the child if it still runs (for a test's cleanup). */
  stop: () => void;
};

/**
 * Starts the sync; `arm` gets the kill switch to hook into the fake (called from its request
 * handler, so the kill lands while the child waits for that response).
 */
export function syncUntilKilled(source: "hubspot" | "salesforce", env: NodeJS.ProcessEnv, arm: (kill: () => void) => void): KilledRun {
  let child: ChildProcess | null = null;
  let killed!: () => void;
  const wasKilled = new Promise<void>((r) => (killed = r));
  arm(() => {
    child?.kill("SIGKILL");
    killed();
  });
  child = spawn(process.execPath, ["--import", "tsx", "scripts/sync.ts", source], { cwd: ROOT, env, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((r) => child!.on("exit", (code, signal) => r(signal === "SIGKILL" ? -9 : code)));
  return { code: Promise.race([exited, wasKilled.then(() => exited)]), stderr: () => stderr, stop: () => void child?.kill("SIGKILL") };
}
