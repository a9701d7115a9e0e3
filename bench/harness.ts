// Timing helpers for `npm run bench`: median/p95 over repeated runs, printed as a table or JSON lines.
export type Case = {
  name: string;
  n: number;
  p50_ms: number;
  p95_ms: number;
  floor_p50_ms?: number | null;
  ratio?: number | null;
  rss_mb: number;
  note?: string;
};

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[i]!;
}

/**
 * Time fn and its floor alternately, `n` times each after `warmup` rounds, so both see the same
 * machine (a busy minute, a GC, a cache) instead of the floor being timed once up front.
 */
export async function timePaired(fn: () => Promise<unknown>, floor: () => Promise<unknown>, n: number, warmup = 10): Promise<{ samples: number[]; floor: number[] }> {
  for (let i = 0; i < warmup; i++) {
    await floor();
    await fn();
  }
  const samples: number[] = [];
  const floors: number[] = [];
  for (let i = 0; i < n; i++) {
    let t0 = performance.now();
    await floor();
    floors.push(performance.now() - t0);
    t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return { samples: samples.sort((a, b) => a - b), floor: floors.sort((a, b) => a - b) };
}

export function summarise(name: string, samples: number[], floor?: number[]): Case {
  const p50 = percentile(samples, 0.5);
  const floorP50 = floor ? percentile(floor, 0.5) : null;
  return {
    name,
    n: samples.length,
    p50_ms: round(p50),
    p95_ms: round(percentile(samples, 0.95)),
    floor_p50_ms: floorP50 === null ? null : round(floorP50),
    ratio: floorP50 === null ? null : round(p50 / floorP50),
    rss_mb: Math.round(process.memoryUsage().rss / 1e6),
  };
}

const round = (x: number) => Math.round(x * 100) / 100;

export function printTable(cases: Case[]): string {
  const head = ["case", "n", "p50 ms", "p95 ms", "floor p50", "ratio", "rss MB"];
  const rows = cases.map((c) => [c.name, String(c.n), c.p50_ms.toFixed(2), c.p95_ms.toFixed(2), c.floor_p50_ms?.toFixed(2) ?? "", c.ratio?.toFixed(2) ?? "", String(c.rss_mb)]);
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join("  ");
  return [line(head), w.map((x) => "-".repeat(x)).join("  "), ...rows.map(line)].join("\n");
}

export function jsonLine(c: Case): string {
  const { name, n, p50_ms, p95_ms, floor_p50_ms = null, ratio = null, rss_mb } = c;
  return JSON.stringify({ name, n, p50_ms, p95_ms, floor_p50_ms, ratio, rss_mb });
}
