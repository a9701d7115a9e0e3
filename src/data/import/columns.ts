/**
 * The header row → where each column of the kind is. Names are matched trimmed and
 * case-insensitively, with spaces and "-" read as "_" ("Deal ID" is deal_id); order is free.
 */
import type { Result } from "./amounts.ts";
import type { Kind } from "./kinds/kind.ts";

export type HeaderPlan = {
  /** The header cells as written (for the rejected-rows file). */
  header: string[];
  /** Column name → index in each record, for every column of the kind present. */
  index: ReadonlyMap<string, number>;
  /** Columns of the kind absent from the header (all optional); they read as blank. */
  absent: string[];
  /** Header cells that are not columns of this kind, ignored. */
  unknown: string[];
};

/** "  Deal ID " → "deal_id". */
export function normalizeColumn(name: string): string {
  return name.trim().toLowerCase().replace(/[\s-]+/g, "_");
}

/**
 * Match the header against the kind's columns. Fails, naming every problem, when a required
 * column is missing or a column appears twice.
 */
export function planHeader(kind: Pick<Kind<unknown>, "name" | "required" | "optional">, header: string[]): Result<HeaderPlan> {
  const known = new Set([...kind.required, ...kind.optional]);
  const index = new Map<string, number>();
  const unknown: string[] = [];
  const problems: string[] = [];
  header.forEach((cell, i) => {
    const name = normalizeColumn(cell);
    if (!known.has(name)) {
      unknown.push(cell.trim() === "" ? `(unnamed column ${i + 1})` : cell.trim());
      return;
    }
    const seen = index.get(name);
    if (seen !== undefined) problems.push(`column ${name} appears twice (columns ${seen + 1} and ${i + 1})`);
    else index.set(name, i);
  });
  const missing = kind.required.filter((c) => !index.has(c));
  if (missing.length > 0) {
    problems.unshift(`missing required column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`);
  }
  if (problems.length > 0) {
    const optional = kind.optional.length > 0 ? ` (optional: ${kind.optional.join(",")})` : "";
    return {
      ok: false,
      error: `not a ${kind.name} file: ${problems.join("; ")}. Expected header: ${kind.required.join(",")}${optional}`,
    };
  }
  return { ok: true, value: { header, index, absent: kind.optional.filter((c) => !index.has(c)), unknown } };
}

/** One record as column → cell text, with "" for absent optional columns. */
export function recordOf(plan: HeaderPlan, cells: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, i] of plan.index) out[name] = cells[i] ?? "";
  for (const name of plan.absent) out[name] = "";
  return out;
}
