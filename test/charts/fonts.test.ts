import { openSync, readSync, closeSync } from "node:fs";
import { registerFont } from "canvas";
import { describe, expect, it, vi } from "vitest";
import { FONT_FAMILY, chartFontFiles, registerChartFontsOnce } from "../../src/charts/fonts.ts";
import { createChartRenderer } from "../../src/charts/index.ts";

// Count registrations while still registering for real.
vi.mock("canvas", async (importOriginal) => {
  const actual = await importOriginal<typeof import("canvas")>();
  return { ...actual, registerFont: vi.fn(actual.registerFont) };
});

function magic(path: string): string {
  const fd = openSync(path, "r");
  const bytes = Buffer.alloc(4);
  readSync(fd, bytes, 0, 4, 0);
  closeSync(fd);
  return bytes.toString("latin1");
}

describe("chart fonts", () => {
  it("ships as OpenType/TrueType files from an npm package (node-canvas cannot load woff)", () => {
    const files = chartFontFiles();
    expect(files.map((f) => f.weight)).toEqual(["normal", "bold"]);
    for (const f of files) {
      expect(f.path).toContain("node_modules");
      expect(["OTTO", "\u0000\u0001\u0000\u0000", "true"]).toContain(magic(f.path));
    }
  });

  it("registers each face once per process however many renderers are created", () => {
    // Start from an unregistered process state as far as the guard knows.
    delete (globalThis as Record<symbol, unknown>)[Symbol.for("kpi-bot.charts.fontsRegistered")];
    vi.mocked(registerFont).mockClear();
    registerChartFontsOnce();
    registerChartFontsOnce();
    createChartRenderer();
    createChartRenderer({ width: 400, height: 300 });
    expect(vi.mocked(registerFont).mock.calls).toEqual(chartFontFiles().map((f) => [f.path, { family: FONT_FAMILY, weight: f.weight }]));
  });
});
