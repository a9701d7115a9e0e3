// The typeface every chart is drawn with, shipped through npm so text renders on a bare machine.
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { registerFont } from "canvas";

/**
 * Noto Sans Hans ("Noto Sans S Chinese") from `@embedpdf/fonts-sc`: OpenType (CFF) files, which
 * node-canvas can register (it cannot use woff/woff2). One face covers Latin, Greek, Cyrillic,
 * the currency signs and all 20,902 CJK Unified Ideographs, so English and Chinese replies use
 * the same metrics.
 */
export const FONT_FAMILY = "Noto Sans Hans";

/** What Chart.js writes into `ctx.font`; the generic fallback only matters if registration failed. */
export const FONT_STACK = `"${FONT_FAMILY}", sans-serif`;

/** Absolute paths of the two faces we use (regular text and bold titles). */
export function chartFontFiles(): { path: string; weight: "normal" | "bold" }[] {
  // The package exports only its JS entry; the font files sit beside its dist/ folder.
  const entry = createRequire(import.meta.url).resolve("@embedpdf/fonts-sc");
  const dir = join(dirname(entry), "..", "fonts");
  return [
    { path: join(dir, "NotoSansHans-Regular.otf"), weight: "normal" },
    { path: join(dir, "NotoSansHans-Bold.otf"), weight: "bold" },
  ];
}

// Font registration is process-wide state in node-canvas (fontconfig's application font set and
// node-canvas's own face list), and every registerFont() call re-parses the file, leaks a font
// description and throws away Pango's font map; doing it per render or per renderer leaks memory.
// So the guard is process-wide too: a flag on globalThis under a registry symbol, which also holds
// when this module is evaluated more than once in one process (test runners that isolate module
// graphs, hot reload). This is the one piece of global state in src/charts, on purpose.
const REGISTERED = Symbol.for("kpi-bot.charts.fontsRegistered");

/** Registers the chart fonts with node-canvas once per process; later calls do nothing. */
export function registerChartFontsOnce(): void {
  const flags = globalThis as { [REGISTERED]?: boolean };
  if (flags[REGISTERED]) return;
  for (const face of chartFontFiles()) {
    if (!existsSync(face.path)) {
      throw new Error(`chart font missing: ${face.path} (is @embedpdf/fonts-sc installed? run npm ci)`);
    }
    registerFont(face.path, { family: FONT_FAMILY, weight: face.weight });
  }
  flags[REGISTERED] = true;
}
