/**
 * Run jobs concurrently, at most `concurrency` at once, but one at a time per key (a channel):
 * a slow or rate-limited channel delays only its own messages, never the other 999.
 * @example await fanOut(subs, (s) => s.destination, 8, deliver)
 */
export async function fanOut<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  concurrency: number,
  run: (item: T) => Promise<void>,
  /** Pause between two messages to the same key (Slack allows about one message per second per channel). */
  gapMs = 0,
): Promise<void> {
  const queues = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    queues.set(key, [...(queues.get(key) ?? []), item]);
  }
  const lanes = [...queues.values()];
  let next = 0;
  const worker = async () => {
    while (next < lanes.length) {
      const lane = lanes[next++]!;
      for (const [i, item] of lane.entries()) {
        if (i > 0 && gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
        await run(item);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, lanes.length)) }, worker));
}

/** Spaces calls evenly at `ratePerSec` across every caller sharing it (a workspace-wide limit). */
export type Pacer = { take(): Promise<void> };

export function createPacer(ratePerSec: number): Pacer {
  const interval = 1000 / ratePerSec;
  let next = 0;
  return {
    async take() {
      const now = performance.now();
      const at = Math.max(now, next);
      next = at + interval;
      if (at > now) await new Promise((r) => setTimeout(r, at - now));
    },
  };
}
