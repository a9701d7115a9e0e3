// A chart worker (piscina): one renderer per thread, created on the first task, so Chart.js and
// the fonts load once per thread. Drawing is synchronous CPU work; here it runs off the main
// event loop, which stays free to acknowledge requests.
import type { ChartSpec } from "../reply.ts";
import { createChartRenderer, type ChartRenderer } from "./renderer.ts";

export type ChartTask = { spec: ChartSpec; width: number; height: number };

/** One renderer per chart size, owned by this worker thread (not shared with the main thread). */
function chartWorker(): (task: ChartTask) => Promise<Uint8Array> {
  const renderers = new Map<string, ChartRenderer>();
  return async (task) => {
    const key = `${task.width}x${task.height}`;
    let r = renderers.get(key);
    if (!r) {
      r = createChartRenderer({ width: task.width, height: task.height });
      renderers.set(key, r);
    }
    const png = await r.render(task.spec);
    return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
  };
}

export default chartWorker();
