import { describe, expect, it } from "vitest";
import { createAdmission } from "../src/admission.ts";

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe("admission", () => {
  it("runs at most `concurrent` at once, queues the next in arrival order, refuses past the queue", async () => {
    const gate = createAdmission({ concurrent: 2, queued: 2 });
    const started: number[] = [];
    const holds = Array.from({ length: 5 }, deferred);
    const run = (i: number) => gate.admit(async () => {
      started.push(i);
      await holds[i]!.promise;
      return i;
    });
    const p = [0, 1, 2, 3, 4].map(run);
    expect(p[4]).toBeUndefined();
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect([gate.running, gate.waiting]).toEqual([2, 2]);
    holds[1]!.resolve();
    expect(await p[1]).toBe(1);
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1, 2]);
    holds[0]!.resolve();
    holds[2]!.resolve();
    holds[3]!.resolve();
    expect(await Promise.all(p.slice(0, 4))).toEqual([0, 1, 2, 3]);
    expect([gate.running, gate.waiting]).toEqual([0, 0]);
  });

  it("frees the slot when the work fails, synchronously or not", async () => {
    const gate = createAdmission({ concurrent: 1, queued: 0 });
    await expect(gate.admit(() => { throw new Error("sync"); })!).rejects.toThrow("sync");
    await expect(gate.admit(async () => { throw new Error("async"); })!).rejects.toThrow("async");
    expect(await gate.admit(async () => "ok")!).toBe("ok");
    expect(gate.running).toBe(0);
  });

  it("refuses nonsense limits", () => {
    expect(() => createAdmission({ concurrent: 0, queued: 1 })).toThrow(/positive integer/);
    expect(() => createAdmission({ concurrent: 1, queued: -1 })).toThrow(/non-negative/);
  });
});
