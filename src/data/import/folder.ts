/**
 * A whole export as it comes (`npm run import -- <folder or files…>`): which file is which kind.
 * A file's mapping is `<base>.mapping.json` beside it (it names the kind); without one, the kind
 * is recognised from the header — the kind whose required columns are all there and that claims
 * the most columns (the project's own headers; a tie is not guessed). Files recognised by neither
 * are skipped and listed, never guessed.
 */
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import type { Result } from "./amounts.ts";
import { planHeader } from "./columns.ts";
import { importers, KIND_NAMES, type KindName } from "./importers.ts";
import { readMapping } from "./mapping.ts";
import { openRows, ROW_FILE_EXTENSIONS } from "./rows.ts";
import type { FileToImport } from "./run.ts";

export type Skipped = { file: string; reason: string };

/** The kind a header is written for, or why none: required columns all present, most columns claimed. */
export function recognizeKind(header: readonly string[]): Result<KindName> {
  const fits = KIND_NAMES.flatMap((kind) => {
    const plan = planHeader(importers[kind].kind, [...header]);
    return plan.ok ? [{ kind, claimed: plan.value.index.size }] : [];
  }).sort((a, b) => b.claimed - a.claimed);
  const [best, next] = fits;
  if (best === undefined) return { ok: false, error: "its header fits no import kind and no mapping file is beside it (<name>.mapping.json; npm run import -- --guess <file> suggests one)" };
  if (next !== undefined && next.claimed === best.claimed) {
    return { ok: false, error: `its header fits both ${best.kind} and ${next.kind}; put a mapping naming the kind beside it (<name>.mapping.json)` };
  }
  return { ok: true, value: best.kind };
}

/** "export/deals.csv" → "export/deals.mapping.json". */
export function mappingPathOf(file: string): string {
  return `${file.slice(0, file.length - path.extname(file).length)}.mapping.json`;
}

const isRowFile = (f: string) => (ROW_FILE_EXTENSIONS as readonly string[]).includes(path.extname(f).toLowerCase()) && !/\.rejected\.csv$/i.test(f);

/**
 * Decide the kind (and mapping) of every file among `inputs` (files, and folders read one level
 * deep). An unreadable input or a broken mapping is an error for the whole set; a file of no
 * kind is skipped. `sheet`: the sheet read in every .xlsx workbook (default: its first).
 */
export async function planFiles(inputs: readonly string[], options: { sheet?: string } = {}): Promise<Result<{ files: FileToImport[]; skipped: Skipped[] }>> {
  const files: FileToImport[] = [];
  const skipped: Skipped[] = [];
  const candidates: string[] = [];
  for (const input of inputs) {
    let s;
    try {
      s = await stat(input);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return { ok: false, error: `cannot read ${input}: ${code === "ENOENT" ? "no such file or folder" : (e as Error).message}` };
    }
    if (!s.isDirectory()) {
      candidates.push(input);
      continue;
    }
    const names = (await readdir(input, { withFileTypes: true })).filter((d) => d.isFile()).map((d) => d.name).sort();
    const used = new Set(names.filter(isRowFile).map((n) => path.basename(mappingPathOf(n))));
    for (const name of names) {
      const file = path.join(input, name);
      if (isRowFile(name)) candidates.push(file);
      else if (!used.has(name)) skipped.push({ file, reason: /\.rejected\.csv$/i.test(name) ? "a rejected-rows file of an earlier import" : "not a .csv or .xlsx file" });
    }
  }
  for (const file of candidates) {
    const mappingFile = mappingPathOf(file);
    const hasMapping = await stat(mappingFile).then(
      (s) => s.isFile(),
      () => false,
    );
    if (hasMapping) {
      const m = await readMapping(mappingFile);
      if (!m.ok) return { ok: false, error: m.error };
      files.push({ file, kind: m.value.kind, mapping: m.value });
      continue;
    }
    const opened = await openRows(file, { sheet: options.sheet });
    if (!opened.ok) return { ok: false, error: opened.error };
    opened.value.close();
    const kind = recognizeKind(opened.value.header);
    if (kind.ok) files.push({ file, kind: kind.value, mapping: null });
    else skipped.push({ file, reason: kind.error });
  }
  return { ok: true, value: { files, skipped } };
}
