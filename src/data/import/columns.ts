/**
 * The header row → where each column of the kind is. Names are matched trimmed and
 * case-insensitively, with spaces and "-" read as "_" ("Deal ID" is deal_id); order is free.
 */
import type { Result } from "./amounts.ts";
import type { Kind } from "./kinds/kind.ts";
import { mapStatus, type ResolvedMapping } from "./mapping.ts";
import { openRows } from "./rows.ts";

export type HeaderPlan = {
  /** The header cells as written (for the rejected-rows file). */
  header: string[];
  /** Column name → index in each record, for every column of the kind present. */
  index: ReadonlyMap<string, number>;
  /** Columns of the kind absent from the header (all optional); they read as blank. */
  absent: string[];
  /** Header cells that are not columns of this kind, ignored. */
  unknown: string[];
  /** Column → how messages name it, where that differs from the column ("owner", 'owner_email ("Opportunity Owner")'). */
  labels: ReadonlyMap<string, string>;
  /** The mapping the file is read through, if any. */
  mapping: ResolvedMapping | null;
};

/** "  Deal ID " → "deal_id". */
export function normalizeColumn(name: string): string {
  return name.trim().toLowerCase().replace(/[\s-]+/g, "_");
}

/**
 * Match the header against the kind's columns (through the mapping's `columns`, then by name or
 * alias). Fails, naming every problem, when a required column is missing, a column appears
 * twice, or a header the mapping names is not in the file. A field with a mapping default
 * counts as present.
 */
export function planHeader(
  kind: Pick<Kind<unknown>, "name" | "required" | "optional" | "aliases">,
  header: string[],
  mapping: ResolvedMapping | null = null,
): Result<HeaderPlan> {
  const known = new Set([...kind.required, ...kind.optional]);
  const index = new Map<string, number>();
  const labels = new Map<string, string>();
  const unknown: string[] = [];
  const problems: string[] = [];
  const mapped = new Set(mapping?.rename.values() ?? []);
  const present = new Set(header.map(normalizeColumn));
  for (const [field, h] of mapping?.headers ?? []) {
    if (!present.has(normalizeColumn(h))) problems.push(`the mapping's column for ${field}, "${h}", is not in the header`);
  }
  header.forEach((cell, i) => {
    const written = normalizeColumn(cell);
    let name = mapping?.rename.get(written);
    if (name !== undefined) labels.set(name, `${name} ("${cell.trim()}")`);
    else {
      // A column the mapping gives another header for is that header's, not this one's.
      const own = kind.aliases?.[written] ?? written;
      if (!mapped.has(own)) name = own;
      if (name !== undefined && own !== written) labels.set(own, written);
    }
    if (name === undefined || !known.has(name)) {
      unknown.push(cell.trim() === "" ? `(unnamed column ${i + 1})` : cell.trim());
      return;
    }
    const seen = index.get(name);
    if (seen !== undefined) problems.push(`column ${name} appears twice (columns ${seen + 1} and ${i + 1})`);
    else index.set(name, i);
  });
  const missing = kind.required.filter((c) => !index.has(c) && !mapping?.defaults.has(c));
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
  return { ok: true, value: { header, index, absent: kind.optional.filter((c) => !index.has(c)), unknown, labels, mapping } };
}

/**
 * One record as column → cell text, with "" for absent optional columns. Through a mapping:
 * values it calls missing read as blank, blanks take its defaults, and a status is mapped from
 * the CRM's stage name, which is kept in `stage` when the file has no stage of its own (and an
 * open deal's close date, the CRM's expected one, is dropped).
 */
export function recordOf(plan: HeaderPlan, cells: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, i] of plan.index) out[name] = cells[i] ?? "";
  for (const name of plan.absent) out[name] = "";
  const m = plan.mapping;
  if (m === null) return out;
  for (const [name, values] of m.missing) if (name in out && values.has(out[name]!.trim().toLowerCase())) out[name] = "";
  for (const [name, value] of m.defaults) if (name !== "currency" && (out[name] ?? "").trim() === "") out[name] = value;
  if (m.status !== null && out.status !== undefined) {
    if ("stage" in out && out.stage!.trim() === "") out.stage = out.status;
    out.status = mapStatus(m.status, out.status);
    // CRMs give open deals their expected close date; it is not a close.
    if (out.status === "open" && "closed_at" in out) out.closed_at = "";
  }
  return out;
}

/** The first record of a file (its header), reading no further (through openRows, every format). */
export async function readHeader(file: string): Promise<Result<string[]>> {
  const opened = await openRows(file);
  if (!opened.ok) return opened;
  opened.value.close();
  return { ok: true, value: opened.value.header };
}
