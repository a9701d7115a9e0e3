// Value filters (`product "GTX Pro"`, `region emea`, `地区 华东`): the typed value is matched, case
// and spacing aside, against the values that exist in the records of the people the answer covers
// (what the asker may see); an unknown value gets the nearest existing ones as suggestions.
import { columnOf, DIMENSIONS, type Filter } from "../dimensions/registry.ts";
import { closest } from "../command/distance.ts";
import type { PrismaClient } from "../data/db.ts";
import type { ValueFilter } from "../data/kpi-queries.ts";
import { RECORDS, type Metric } from "../metrics/index.ts";
import type { Lang } from "../reply.ts";

const WORDS = {
  en: {
    notFor: (dim: string, metric: string) => `${metric} cannot be filtered by ${dim}: ${dim} is a field of other records. Try it with a metric of those records.`,
    unknown: (dim: string, value: string, s: string[], known: string[]) =>
      `No ${dim} '${value}' in the records you can see.` +
      (s.length ? ` Did you mean ${s.map((x) => `'${x}'`).join(" or ")}?` : known.length ? ` Known: ${known.slice(0, 8).join(", ")}${known.length > 8 ? " …" : ""}.` : ""),
  },
  zh: {
    notFor: (dim: string, metric: string) => `${metric}无法按${dim}筛选：${dim}属于其他记录。请换用该类记录的指标。`,
    unknown: (dim: string, value: string, s: string[], known: string[]) =>
      `在你可查看的记录中没有${dim}“${value}”。` +
      (s.length ? `你是想找 ${s.map((x) => `“${x}”`).join(" 或 ")} 吗？` : known.length ? `已有：${known.slice(0, 8).join("、")}${known.length > 8 ? " …" : ""}。` : ""),
  },
} as const;

const norm = (s: string) => s.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();

/** Distinct values (and, for campaigns, names) of a dimension in these people's records. */
async function valuesOf(prisma: PrismaClient, filter: Filter, def: Metric, ids: readonly number[]): Promise<{ value: string; label: string }[]> {
  const col = columnOf(filter.dim, def.records)!;
  const { table, owner } = RECORDS[def.records];
  if (ids.length === 0) return [];
  const sql = col.label === "campaign"
    ? def.records === "campaigns"
      ? `SELECT DISTINCT r.id::text AS value, r.name AS label FROM "Campaign" r WHERE r."ownerId" = ANY($1::int[])`
      : `SELECT DISTINCT c.id::text AS value, c.name AS label FROM "Campaign" c WHERE EXISTS (SELECT 1 FROM ${table} r WHERE r."campaignId" = c.id AND r.${owner} = ANY($1::int[]))`
    : `SELECT DISTINCT r.${col.column}::text AS value, r.${col.column}::text AS label FROM ${table} r WHERE r.${owner} = ANY($1::int[]) AND r.${col.column} IS NOT NULL LIMIT 10000`;
  return prisma.$queryRawUnsafe<{ value: string; label: string }[]>(sql, [...ids]);
}

/**
 * Each typed filter as the stored values it names, with a label for the title (`product GTX Pro`),
 * or a message saying what to type instead.
 */
export async function resolveFilters(
  prisma: PrismaClient,
  filters: readonly Filter[],
  metric: Metric,
  ids: readonly number[],
  lang: Lang,
): Promise<{ ok: true; filters: ValueFilter[]; label: string } | { ok: false; message: string }> {
  const w = WORDS[lang];
  const out: ValueFilter[] = [];
  const labels: string[] = [];
  for (const f of filters) {
    const dim = DIMENSIONS[f.dim];
    const noun = dim.name[lang];
    if (metric.source === "quota" || !columnOf(f.dim, metric.records)) return { ok: false, message: w.notFor(noun, metric.name[lang]) };
    const known = await valuesOf(prisma, f, metric, ids);
    const want = norm(f.value);
    const hit = known.filter((k) => norm(k.label) === want);
    if (hit.length === 0) {
      const labelsKnown = [...new Set(known.map((k) => k.label))].sort();
      const near = closest(want, labelsKnown.map((l) => ({ text: norm(l), suggestion: l, kind: "value" as const })));
      // A value that starts the same way ("gtx" for "GTX Pro") is suggested too.
      const prefix = labelsKnown.filter((l) => norm(l).includes(want) && want.length >= 2);
      const suggestions = [...new Set([...near.map((c) => c.suggestion), ...prefix])].slice(0, 3);
      return { ok: false, message: w.unknown(noun, f.value, suggestions, labelsKnown) };
    }
    out.push({ dim: f.dim, values: hit.map((k) => k.value) });
    labels.push(`${lang === "zh" ? noun : noun.toLowerCase()} ${hit[0]!.label}`);
  }
  return { ok: true, filters: out, label: labels.join(" · ") };
}
