// Reading rendered PNGs back as pixels, with canvas's own decoder.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createCanvas, loadImage } from "canvas";
import type { ChartSpec } from "../../../src/reply.ts";

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the IHDR chunk, which must be the first chunk. */
export function ihdrSize(png: Buffer): { width: number; height: number } {
  if (png.subarray(12, 16).toString("latin1") !== "IHDR") throw new Error("first chunk is not IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

export type Pixels = { width: number; height: number; data: Uint8ClampedArray };
export type Rgba = [number, number, number, number];

export async function decode(png: Buffer): Promise<Pixels> {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext("2d");
  ctx.drawImage(image, 0, 0);
  const { data } = ctx.getImageData(0, 0, image.width, image.height);
  return { width: image.width, height: image.height, data };
}

export function rgba(p: Pixels, x: number, y: number): Rgba {
  const i = (Math.round(y) * p.width + Math.round(x)) * 4;
  return [p.data[i]!, p.data[i + 1]!, p.data[i + 2]!, p.data[i + 3]!];
}

export function hex(colour: string): [number, number, number] {
  const n = Number.parseInt(colour.replace("#", ""), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export function isColour(px: Rgba, rgb: readonly [number, number, number], tolerance = 2): boolean {
  return Math.abs(px[0] - rgb[0]) <= tolerance && Math.abs(px[1] - rgb[1]) <= tolerance && Math.abs(px[2] - rgb[2]) <= tolerance;
}

export function luminance(p: Pixels, x: number, y: number): number {
  const [r, g, b] = rgba(p, x, y);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Variance of luminance over the whole image: 0 for a blank one. */
export function luminanceVariance(p: Pixels): number {
  let sum = 0;
  let sumSq = 0;
  const n = p.width * p.height;
  for (let y = 0; y < p.height; y++) {
    for (let x = 0; x < p.width; x++) {
      const l = luminance(p, x, y);
      sum += l;
      sumSq += l * l;
    }
  }
  const mean = sum / n;
  return sumSq / n - mean * mean;
}

/** Pixels matching a colour, with their x and y range. */
export function colourStats(p: Pixels, rgb: readonly [number, number, number], tolerance = 2) {
  let count = 0;
  let minX = Infinity;
  let maxX = -Infinity;
  for (let y = 0; y < p.height; y++) {
    for (let x = 0; x < p.width; x++) {
      if (isColour(rgba(p, x, y), rgb, tolerance)) {
        count++;
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
      }
    }
  }
  return { count, minX, maxX };
}

export type Run = { start: number; end: number; centre: number; width: number };

/** Horizontal runs of pixels on row y for which `match` holds. */
export function runs(p: Pixels, y: number, match: (px: Rgba) => boolean): Run[] {
  const out: Run[] = [];
  let start = -1;
  for (let x = 0; x <= p.width; x++) {
    const on = x < p.width && match(rgba(p, x, y));
    if (on && start < 0) start = x;
    if (!on && start >= 0) {
      out.push({ start, end: x - 1, centre: (start + x - 1) / 2, width: x - start });
      start = -1;
    }
  }
  return out;
}

/**
 * Fraction of the inked pixels (dark in either image) inside a region that differ clearly
 * between two images of the same size: 0 for identical renders, near 1 for unrelated text.
 */
export function inkDifference(a: Pixels, b: Pixels, region: { x0: number; y0: number; x1: number; y1: number }): { ink: number; differing: number; fraction: number } {
  let ink = 0;
  let differing = 0;
  for (let y = region.y0; y < region.y1; y++) {
    for (let x = region.x0; x < region.x1; x++) {
      const la = luminance(a, x, y);
      const lb = luminance(b, x, y);
      if (la < 160 || lb < 160) {
        ink++;
        if (Math.abs(la - lb) > 64) differing++;
      }
    }
  }
  return { ink, differing, fraction: ink === 0 ? 0 : differing / ink };
}

const bareRenderer = fileURLToPath(new URL("./render-without-fonts.ts", import.meta.url));

/**
 * The same chart rendered in a fresh Node process that never registers our font, i.e. what a
 * machine without the font package draws (fontconfig's fallback; on these machines, tofu boxes).
 */
export function renderWithoutFonts(spec: ChartSpec, width = 800, height = 450): Buffer {
  const child = spawnSync(process.execPath, ["--import", "tsx", bareRenderer], {
    input: JSON.stringify({ spec, width, height }),
    maxBuffer: 16 * 1024 * 1024,
    timeout: 60_000,
  });
  if (child.status !== 0) throw new Error(`render-without-fonts failed: ${child.stderr.toString()}`);
  return child.stdout;
}
