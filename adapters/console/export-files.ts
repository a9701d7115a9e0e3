// Where the console and `npm run ask` put an exported answer (`csv`, `xlsx`): a file in a folder,
// named after the answer (kpi-sales-team-alpha-q3-2026-20261126.csv), never replacing one: a name
// taken gets -2, -3 …
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { buildExport, refusalText } from "../../src/export/index.ts";
import type { Reply } from "../../src/reply.ts";

export type Written = { ok: true; path: string } | { ok: false; message: string };

/** The reply's file written into `dir` (created if needed); undefined when no file was asked for. */
export async function writeExportFile(reply: Reply, dir: string): Promise<Written | undefined> {
  if (!reply.export) return undefined;
  const built = await buildExport(reply);
  if (!built.ok) return { ok: false, message: refusalText(built.error, reply.lang) ?? "no file" };
  await mkdir(dir, { recursive: true });
  const { filename, bytes } = built.file;
  const ext = path.extname(filename);
  const stem = filename.slice(0, -ext.length);
  for (let n = 1; n <= 1000; n++) {
    const file = path.resolve(dir, n === 1 ? filename : `${stem}-${n}${ext}`);
    try {
      await writeFile(file, bytes, { flag: "wx" });
      return { ok: true, path: file };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
  throw new Error(`no free file name for ${filename} in ${dir} after 1000 tries`);
}

/** The line the console prints for it. */
export function exportLine(w: Written): string {
  return w.ok ? `[file] ${w.path}` : `[no file] ${w.message}`;
}
