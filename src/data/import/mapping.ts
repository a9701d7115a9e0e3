/**
 * Mapping files: how a CRM export's own headers and values map onto an import kind's fields,
 * so the export imports as it comes (`npm run import -- deals export.csv --mapping sf.json`).
 *
 * ```json
 * { "kind": "deals",
 *   "columns": { "deal_id": "Opportunity ID", "owner": "Opportunity Owner", "status": "Stage" },
 *   "status": { "won": ["Closed Won"], "lost": ["Closed Lost"], "open": ["*"] },
 *   "defaults": { "currency": "USD" },
 *   "missing": { "amount": ["-", "N/A"] } }
 * ```
 *
 * Validated with zod, then against the kind's fields; every error names its key
 * (`columns.ownr: …`).
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import type { Result } from "./amounts.ts";
import { normalizeColumn } from "./columns.ts";
import { importers, KIND_NAMES, type KindName } from "./importers.ts";
import type { Kind } from "./kinds/kind.ts";

const STATUS_VALUES = ["open", "won", "lost"] as const;

const nonBlank = z.string().trim().min(1, "must not be blank");

export const mappingSchema = z
  .object({
    kind: z.enum(KIND_NAMES, { error: () => `must be one of ${KIND_NAMES.join(", ")}` }).optional(),
    /** field → the file's header for it */
    columns: z.record(z.string(), nonBlank).default({}),
    /** open/won/lost → the CRM's stage names; "*" = every value not listed elsewhere */
    status: z.partialRecord(z.enum(STATUS_VALUES), z.array(nonBlank).min(1, "must list at least one value")).optional(),
    /** field → value for rows where the file gives none (currency: the currency of rows without one) */
    defaults: z.record(z.string(), nonBlank).default({}),
    /** field → cell values that mean "no value" (read as blank) */
    missing: z.record(z.string(), z.array(z.string())).default({}),
  })
  .strict();

export type Mapping = z.output<typeof mappingSchema>;

/** A mapping checked against its kind, ready for the header plan. */
export type ResolvedMapping = {
  kind: KindName;
  /** normalized header → field */
  rename: ReadonlyMap<string, string>;
  /** field → the header as the mapping gives it (for messages) */
  headers: ReadonlyMap<string, string>;
  defaults: ReadonlyMap<string, string>;
  /** field → lowercased values read as blank */
  missing: ReadonlyMap<string, ReadonlySet<string>>;
  /** lowercased stage name → status; `other`: the status of any other value ("*"), if any */
  status: { byName: ReadonlyMap<string, string>; other: string | null } | null;
};

/** The fields of a kind a mapping may name: its columns and their aliases (deals: owner). */
export function fieldsOf(kind: Pick<Kind<unknown>, "required" | "optional" | "aliases">): string[] {
  return [...kind.required, ...kind.optional, ...Object.keys(kind.aliases ?? {})];
}

function canonical(kind: Kind<unknown>, field: string): string {
  return kind.aliases?.[field] ?? field;
}

/**
 * Check a parsed JSON value as a mapping for `kindName` (from the command line) or the kind it
 * names itself. Errors name the key: `columns.ownr: not a deals field (fields: …)`.
 */
export function resolveMapping(json: unknown, kindName?: KindName): Result<ResolvedMapping> {
  const parsed = mappingSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      error: parsed.error.issues
        .map((i) => {
          const key = i.path.map(String).join(".");
          const message = i.code === "unrecognized_keys" ? `unknown key${i.keys.length > 1 ? "s" : ""} ${i.keys.join(", ")} (keys: kind, columns, status, defaults, missing)` : i.message;
          return key ? `${key}: ${message}` : message;
        })
        .join("; "),
    };
  }
  const m = parsed.data;
  if (kindName && m.kind && m.kind !== kindName) return { ok: false, error: `kind: the mapping is for ${m.kind}, not ${kindName}` };
  const name = kindName ?? m.kind;
  if (!name) return { ok: false, error: `kind: missing; name the kind in the mapping ("kind": "deals") or on the command line` };
  const kind = importers[name].kind;
  const fields = fieldsOf(kind);
  const problems: string[] = [];
  const checkField = (key: string, field: string) => {
    if (!fields.includes(field)) problems.push(`${key}.${field}: not a ${name} field (fields: ${fields.join(", ")})`);
  };

  const rename = new Map<string, string>();
  const headers = new Map<string, string>();
  const mappedTo = new Map<string, string>();
  for (const [field, header] of Object.entries(m.columns)) {
    checkField("columns", field);
    const target = canonical(kind, field);
    const other = mappedTo.get(target);
    if (other !== undefined) problems.push(`columns.${field}: ${target} is already mapped by columns.${other}`);
    mappedTo.set(target, field);
    const key = normalizeColumn(header);
    const earlier = rename.get(key);
    if (earlier !== undefined && earlier !== target) problems.push(`columns.${field}: "${header}" is already the column of ${earlier}`);
    rename.set(key, target);
    headers.set(target, header.trim());
  }
  const defaults = new Map<string, string>();
  for (const [field, value] of Object.entries(m.defaults)) {
    checkField("defaults", field);
    defaults.set(canonical(kind, field), value);
  }
  if (defaults.has("currency") && !/^[A-Za-z]{3}$/.test(defaults.get("currency")!)) problems.push(`defaults.currency: "${defaults.get("currency")}" is not a 3-letter currency code`);
  const missing = new Map<string, Set<string>>();
  for (const [field, values] of Object.entries(m.missing)) {
    checkField("missing", field);
    missing.set(canonical(kind, field), new Set(values.map((v) => v.trim().toLowerCase())));
  }

  let status: ResolvedMapping["status"] = null;
  if (m.status) {
    if (!kind.required.includes("status")) problems.push(`status: ${name} have no status field`);
    const byName = new Map<string, string>();
    let other: string | null = null;
    for (const s of STATUS_VALUES) {
      for (const value of m.status[s] ?? []) {
        if (value === "*") {
          if (other !== null) problems.push(`status.${s}: "*" is already given to ${other}`);
          other = s;
          continue;
        }
        const key = value.toLowerCase().replace(/\s+/g, " ");
        const earlier = byName.get(key);
        if (earlier !== undefined && earlier !== s) problems.push(`status.${s}: "${value}" is already listed under ${earlier}`);
        byName.set(key, s);
      }
    }
    status = { byName, other };
  }
  if (problems.length > 0) return { ok: false, error: problems.join("; ") };
  return { ok: true, value: { kind: name, rename, headers, defaults, missing, status } };
}

/** Read and check a mapping file; errors start with the file's name. */
export async function readMapping(file: string, kindName?: KindName): Promise<Result<ResolvedMapping>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, error: `cannot read mapping ${file}: ${code === "ENOENT" ? "no such file" : (e as Error).message}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `mapping ${file} is not valid JSON: ${(e as Error).message}` };
  }
  const r = resolveMapping(json, kindName);
  return r.ok ? r : { ok: false, error: `mapping ${file}: ${r.error}` };
}

/**
 * The status a stage name maps to, or the cell as written when the mapping does not list it
 * (so plain open/won/lost still read, and anything else is refused by the status parser).
 */
export function mapStatus(status: NonNullable<ResolvedMapping["status"]>, cell: string): string {
  const key = cell.trim().toLowerCase().replace(/\s+/g, " ");
  if (key === "") return cell;
  return status.byName.get(key) ?? status.other ?? cell;
}
