// Where `npm run ask -- --png <dir>` puts a reply's charts: one numbered set of files per command,
// named after it (03-team-sales-q3-1-bar.png), so asking again into the same folder adds files
// and never replaces one.
import { readdir, unlink, writeFile } from "node:fs/promises";
import path from "node:path";

/** "/kpi team \"East\" sales q3" → "team-east-sales-q3"; letters of any script are kept. */
export function commandSlug(command: string): string {
  const words = command
    .replace(/^\s*\/?kpi\b/i, "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  const slug = [...words.join("-")].slice(0, 40).join("").replace(/-+$/, "");
  return slug || "chart";
}

/** chartFileName(3, "team-sales-q3", 0, "bar") → "03-team-sales-q3-1-bar.png". */
export function chartFileName(run: number, slug: string, index: number, kind: string): string {
  return `${String(run).padStart(2, "0")}-${slug}-${index + 1}-${kind}.png`;
}

/** One more than the highest run number among the files in `dir` (1 in an empty or new folder). */
async function nextRun(dir: string): Promise<number> {
  const names = await readdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return [] as string[];
    throw e;
  });
  let max = 0;
  for (const name of names) {
    const m = /^(\d+)-.*\.png$/.exec(name);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return max + 1;
}

/**
 * Writes the charts of one command under the next free run number and returns their paths.
 * Files are created exclusively: should another `ask` take the same names meanwhile, this one
 * removes what it wrote and moves on to the next number.
 */
export async function writeChartFiles(dir: string, command: string, charts: readonly { kind: string; png: Buffer }[]): Promise<string[]> {
  const slug = commandSlug(command);
  for (let run = await nextRun(dir), attempt = 0; attempt < 100; run++, attempt++) {
    const written: string[] = [];
    try {
      for (const [i, chart] of charts.entries()) {
        const file = path.resolve(dir, chartFileName(run, slug, i, chart.kind));
        await writeFile(file, chart.png, { flag: "wx" });
        written.push(file);
      }
      return written;
    } catch (e) {
      await Promise.all(written.map((f) => unlink(f)));
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
  throw new Error(`no free chart file name in ${dir} after 100 tries`);
}
