// Chart render time per kind at 800×450: median and p95 over 50 renders after warm-up.
// `npx tsx bench/charts.ts` prints the figures; `npm run bench` calls chartCases().
import { pathToFileURL } from "node:url";
import { exampleSpecs } from "../src/charts/examples.ts";
import { createChartRenderer } from "../src/charts/index.ts";

export type ChartCase = { name: string; n: number; p50_ms: number; p95_ms: number; rss_mb: number };

const RUNS = 50;
const WARM_UP = 10;

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Each render is timed from the call to the PNG bytes in hand, one at a time. */
export async function chartCases(): Promise<ChartCase[]> {
  const renderer = createChartRenderer({ width: 800, height: 450 });
  const out: ChartCase[] = [];
  for (const [kind, spec] of Object.entries(exampleSpecs)) {
    for (let i = 0; i < WARM_UP; i++) await renderer.render(spec);
    const ms: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = process.hrtime.bigint();
      await renderer.render(spec);
      ms.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    ms.sort((a, b) => a - b);
    out.push({
      name: `chart ${kind} 800x450`,
      n: RUNS,
      p50_ms: round(percentile(ms, 0.5)),
      p95_ms: round(percentile(ms, 0.95)),
      rss_mb: round(process.memoryUsage().rss / 2 ** 20, 1),
    });
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const cases = await chartCases();
  console.table(cases);
  const bar = cases.find((c) => c.name.startsWith("chart bar"));
  if (bar) console.log(`bar chart median ${bar.p50_ms} ms (target ≤ 40 ms)`);
}
