// `npm run ask -- --png DIR`: every command's charts get their own files; nothing is overwritten.
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chartFileName, commandSlug, writeChartFiles } from "../../adapters/console/chart-files.ts";

const png = (tag: string) => Buffer.from(`\x89PNG ${tag}`);

describe("chart files of npm run ask -- --png", () => {
  let dir: string;
  beforeEach(async () => void (dir = await mkdtemp(path.join(os.tmpdir(), "kpi-png-"))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("names files after the command, its run number, the chart's position and kind", () => {
    expect(commandSlug('/kpi team "East" sales q3-2026')).toBe("team-east-sales-q3-2026");
    expect(commandSlug("/kpi 团队 销售额 本月")).toBe("团队-销售额-本月");
    expect(commandSlug("/kpi ???")).toBe("chart");
    expect(commandSlug(`kpi ${"x".repeat(80)}`)).toHaveLength(40);
    expect(chartFileName(3, "team-sales", 1, "trend")).toBe("03-team-sales-2-trend.png");
  });

  it("keeps the first command's charts when a second command writes into the same folder", async () => {
    const first = await writeChartFiles(dir, "/kpi team sales", [{ kind: "bar", png: png("a1") }, { kind: "trend", png: png("a2") }]);
    const second = await writeChartFiles(dir, "/kpi team winrate", [{ kind: "bar", png: png("b1") }]);
    expect(first.map((f) => path.basename(f))).toEqual(["01-team-sales-1-bar.png", "01-team-sales-2-trend.png"]);
    expect(second.map((f) => path.basename(f))).toEqual(["02-team-winrate-1-bar.png"]);
    expect((await readdir(dir)).sort()).toHaveLength(3);
    expect(await readFile(first[0]!, "utf8")).toContain("a1");
  });

  it("numbers the same command asked twice anew, and never replaces a file already there", async () => {
    await writeFile(path.join(dir, "07-team-sales-1-bar.png"), png("old"));
    const again = await writeChartFiles(dir, "/kpi team sales", [{ kind: "bar", png: png("new") }]);
    expect(path.basename(again[0]!)).toBe("08-team-sales-1-bar.png");
    expect(await readFile(path.join(dir, "07-team-sales-1-bar.png"), "utf8")).toContain("old");
  });

  it("writes every set of charts when several commands write at once", async () => {
    const sets = await Promise.all(
      Array.from({ length: 6 }, (_, i) => writeChartFiles(dir, "/kpi team sales", [{ kind: "bar", png: png(`c${i}`) }, { kind: "trend", png: png(`d${i}`) }])),
    );
    const names = sets.flat().map((f) => path.basename(f));
    expect(new Set(names).size).toBe(12);
    expect((await readdir(dir)).sort()).toEqual([...names].sort());
    for (const [i, set] of sets.entries()) expect(await readFile(set[0]!, "utf8")).toContain(`c${i}`);
  });
});
