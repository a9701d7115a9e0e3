// Which chat adapters a start runs, from the environment.
import type { Sender } from "../src/digests/sender.ts";
import type { Result } from "../src/result.ts";

export type AdapterName = "console" | "slack" | "teams";

/**
 * A running chat adapter; `sender` delivers its platform's digests and alerts; `bind`, the address
 * the shared server must listen on for it (Teams local mode: loopback, as it has no authentication).
 */
export type Running = {
  name: AdapterName;
  /** Stop taking work (Socket Mode disconnects), then let answers in flight finish within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  sender?: Sender;
  bind?: string;
  /** Whether it can take work now (Socket Mode: connected); unset: ready once started. */
  ready?(): boolean;
};

/**
 * Where the shared HTTP server listens: an address an adapter requires (Teams local mode), else
 * every interface.
 *
 * @example
 * listenAddress([{ name: "slack", … }]) // => "0.0.0.0"
 * listenAddress([{ name: "teams", bind: "127.0.0.1", … }]) // => "127.0.0.1"
 */
export function listenAddress(running: readonly Pick<Running, "bind">[]): string {
  return running.find((r) => r.bind)?.bind ?? "0.0.0.0";
}

/** Which adapters to run: KPI_ADAPTERS, else those with credentials, else the console. */
export function chooseAdapters(env: NodeJS.ProcessEnv): Result<{ adapters: AdapterName[] }> {
  const explicit = env.KPI_ADAPTERS?.trim();
  if (explicit) {
    const names = explicit.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
    const unknown = names.filter((n) => !["console", "slack", "teams"].includes(n));
    if (unknown.length > 0) return { ok: false, error: `KPI_ADAPTERS names unknown adapter(s): ${unknown.join(", ")} (known: slack, teams, console)` };
    return { ok: true, adapters: [...new Set(names)] as AdapterName[] };
  }
  const found: AdapterName[] = [];
  if (env.SLACK_BOT_TOKEN) found.push("slack");
  if (env.MICROSOFT_APP_ID) found.push("teams");
  return { ok: true, adapters: found.length > 0 ? found : ["console"] };
}
