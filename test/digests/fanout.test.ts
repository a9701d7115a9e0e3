import { describe, expect, it } from "vitest";
import { createPacer, fanOut } from "../../src/digests/fanout.ts";

describe("fan-out", () => {
  it("a slow channel holds up only its own messages", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const done: string[] = [];
    const items = [
      ...Array.from({ length: 3 }, (_, i) => ({ key: "slow", id: `slow${i}` })),
      ...Array.from({ length: 1000 }, (_, i) => ({ key: `c${i % 250}`, id: `fast${i}` })),
    ];
    const run = fanOut(items, (i) => i.key, 8, async (i) => {
      if (i.key === "slow") await gate;
      done.push(i.id);
    });
    // Let every other lane drain while the slow channel is stuck on its first message.
    for (let i = 0; i < 50 && done.length < 1000; i++) await new Promise((r) => setImmediate(r));
    expect(done).toHaveLength(1000);
    expect(done.some((d) => d.startsWith("slow"))).toBe(false);
    release();
    await run;
    expect(done.slice(-3)).toEqual(["slow0", "slow1", "slow2"]);
  });

  it("paces messages to one channel by the gap, without pacing other channels", async () => {
    const at: Record<string, number[]> = {};
    const t0 = Date.now();
    await fanOut([1, 2, 3].map((n) => ({ key: "a", n })).concat([{ key: "b", n: 4 }]), (i) => i.key, 4, async (i) => {
      (at[i.key] ??= []).push(Date.now() - t0);
    }, 40);
    const a = at.a!;
    expect(a[1]! - a[0]!).toBeGreaterThanOrEqual(35);
    expect(a[2]! - a[1]!).toBeGreaterThanOrEqual(35);
    expect(at.b![0]!).toBeLessThan(30);
  });

  it("keeps messages to one channel in order and never more than `concurrency` at once", async () => {
    let active = 0;
    let peak = 0;
    const seen = new Map<string, number[]>();
    const items = Array.from({ length: 60 }, (_, i) => ({ key: `c${i % 6}`, n: i }));
    await fanOut(items, (i) => i.key, 3, async (i) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setImmediate(r));
      seen.set(i.key, [...(seen.get(i.key) ?? []), i.n]);
      active--;
    });
    expect(peak).toBe(3);
    for (const ns of seen.values()) expect(ns).toEqual([...ns].sort((a, b) => a - b));
  });

  it("a pacer spaces callers evenly, shared across lanes", async () => {
    const pacer = createPacer(100);
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 6 }, () => pacer.take()));
    // The first goes at once, the other five 10 ms apart.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
  });
});
