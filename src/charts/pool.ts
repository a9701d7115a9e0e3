// Charts rendered on a pool of worker threads (piscina): the chat adapters' renderer in
// production. Chart.js draws synchronously (10–30 ms a chart); on the main thread that work sits
// between every other request's callbacks, and Slack's 3-second ack deadline is shared by all.
import os from "node:os";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { createFormats } from "../format/index.ts";
import type { ChartSpec } from "../reply.ts";
import { altText } from "./alt-text.ts";
import type { ChartRenderer, ChartSize } from "./renderer.ts";
import type { ChartTask } from "./worker.ts";

export type PooledChartRenderer = ChartRenderer & { readonly threads: number; close(): Promise<void> };

/** Threads for charts: one core stays for the event loop and the database driver; at most 4. */
export function defaultChartThreads(cores = os.availableParallelism()): number {
  return Math.max(1, Math.min(4, cores - 1));
}

/**
 * @example
 * const charts = createPooledChartRenderer({ threads: 2 });
 * const png = await charts.render(spec); // same bytes as createChartRenderer().render(spec)
 * await charts.close();
 */
export function createPooledChartRenderer({ threads = defaultChartThreads(), width = 800, height = 450 }: ChartSize & { threads?: number } = {}): PooledChartRenderer {
  if (!(Number.isInteger(threads) && threads >= 1)) throw new Error(`chart threads must be a positive integer, got ${threads}`);
  const pool = new Piscina<ChartTask, Uint8Array>({
    filename: fileURLToPath(new URL("./worker-entry.mjs", import.meta.url)),
    minThreads: threads,
    maxThreads: threads,
    // A thread's first chart loads Chart.js and fonts; keep threads alive between bursts.
    idleTimeout: 60 * 60_000,
  });
  const formats = createFormats();
  return {
    threads,
    async render(spec: ChartSpec) {
      const png = await pool.run({ spec, width, height });
      return Buffer.from(png.buffer, png.byteOffset, png.byteLength);
    },
    altText: (spec) => altText(spec, formats),
    close: () => pool.destroy(),
  };
}
