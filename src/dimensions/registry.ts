// What a breakdown can group by and a filter can pick, said once: the words (en/zh) of `by …` and
// of a value filter (`product "GTX Pro"`, `地区 华东`), the column header, and for each kind of
// record the SQL column holding the group (a constant of this file, never user text). Parser
// words, the grouped SQL, the filters and the README list derive from it. Add a dimension by
// adding one entry (ticket `category`/`priority` are one line each once the columns exist).
import { z } from "zod";
import type { Lang } from "../i18n/lang.ts";
import type { RecordKind } from "../metrics/index.ts";

type Words = { readonly en: readonly string[]; readonly zh: readonly string[] };

/**
 * How a dimension groups: by the owner's team or the owner, by a local calendar bucket, or by a
 * column of the records (`columns[kind]` is the column, quoted; `label: "campaign"` reads the
 * campaign's name for an id key).
 */
export type DimensionSpec = {
  id: string;
  /** Column header and the noun used in messages. */
  name: Record<Lang, string>;
  /** `by …` phrases; the first of each language is the display form. */
  by: Words;
  /** Words that, followed by a value, filter the records (`region emea`); none: not a filter. */
  filter?: Words;
  kind: "team" | "rep" | "time" | "field";
  grain?: "week" | "month" | "quarter";
  columns?: Partial<Record<RecordKind, { column: string; label?: "campaign" }>>;
};

const field = (column: string) => ({ deals: { column } });

const ALL = [
  { id: "team", name: { en: "Team", zh: "团队" }, by: { en: ["by team", "per team"], zh: ["按团队", "按部门"] }, kind: "team" },
  { id: "rep", name: { en: "Rep", zh: "销售" }, by: { en: ["by rep", "per rep", "by person"], zh: ["按销售", "按人员", "按人"] }, kind: "rep" },
  { id: "month", name: { en: "Month", zh: "月份" }, by: { en: ["by month", "per month"], zh: ["按月", "按月份"] }, kind: "time", grain: "month" },
  { id: "week", name: { en: "Week", zh: "周" }, by: { en: ["by week", "per week"], zh: ["按周"] }, kind: "time", grain: "week" },
  { id: "quarter", name: { en: "Quarter", zh: "季度" }, by: { en: ["by quarter", "per quarter"], zh: ["按季度", "按季"] }, kind: "time", grain: "quarter" },
  {
    id: "channel", name: { en: "Channel", zh: "渠道" }, by: { en: ["by channel", "per channel"], zh: ["按渠道"] },
    filter: { en: ["channel"], zh: ["渠道"] }, kind: "field", columns: { campaigns: { column: `channel` }, tickets: { column: `channel` } },
  },
  { id: "category", name: { en: "Category", zh: "类别" }, by: { en: ["by category", "per category"], zh: ["按类别"] }, filter: { en: ["category"], zh: ["类别"] }, kind: "field", columns: { tickets: { column: `category` } } },
  { id: "priority", name: { en: "Priority", zh: "优先级" }, by: { en: ["by priority", "per priority"], zh: ["按优先级"] }, filter: { en: ["priority"], zh: ["优先级"] }, kind: "field", columns: { tickets: { column: `priority` } } },
  { id: "product", name: { en: "Product", zh: "产品" }, by: { en: ["by product", "per product"], zh: ["按产品"] }, filter: { en: ["product"], zh: ["产品"] }, kind: "field", columns: field(`product`) },
  { id: "region", name: { en: "Region", zh: "地区" }, by: { en: ["by region", "per region"], zh: ["按地区", "按区域"] }, filter: { en: ["region"], zh: ["地区", "区域"] }, kind: "field", columns: field(`region`) },
  { id: "source", name: { en: "Source", zh: "来源" }, by: { en: ["by source", "per source", "by lead source"], zh: ["按来源"] }, filter: { en: ["source"], zh: ["来源"] }, kind: "field", columns: field(`source`) },
  { id: "segment", name: { en: "Segment", zh: "行业" }, by: { en: ["by segment", "per segment", "by industry"], zh: ["按行业", "按细分"] }, filter: { en: ["segment", "industry"], zh: ["行业"] }, kind: "field", columns: field(`segment`) },
  { id: "stage", name: { en: "Stage", zh: "阶段" }, by: { en: ["by stage", "per stage"], zh: ["按阶段"] }, filter: { en: ["stage"], zh: ["阶段"] }, kind: "field", columns: field(`stage`) },
  { id: "pipeline", name: { en: "Pipeline", zh: "销售流程" }, by: { en: ["by pipeline", "per pipeline"], zh: ["按销售流程"] }, kind: "field", columns: field(`pipeline`) },
  { id: "type", name: { en: "Type", zh: "类型" }, by: { en: ["by type", "per type", "by deal type"], zh: ["按类型"] }, kind: "field", columns: field(`"type"`) },
  {
    id: "campaign", name: { en: "Campaign", zh: "活动" }, by: { en: ["by campaign", "per campaign"], zh: ["按活动"] },
    filter: { en: ["campaign"], zh: ["营销活动"] }, kind: "field",
    // A deal's campaign (the one it is attributed to); for marketing metrics the campaign itself.
    columns: { deals: { column: `"campaignId"`, label: "campaign" }, campaigns: { column: `id`, label: "campaign" } },
  },
] as const satisfies readonly DimensionSpec[];

type Ids = (typeof ALL)[number]["id"];

export const DIMENSION_IDS = ALL.map((d) => d.id) as [Ids, ...Ids[]];
export const Dimension = z.enum(DIMENSION_IDS);
export type Dimension = z.infer<typeof Dimension>;

export type DimensionDef = Omit<DimensionSpec, "id"> & { id: Dimension };

export const DIMENSIONS: Readonly<Record<Dimension, DimensionDef>> = Object.fromEntries(ALL.map((d) => [d.id, d as DimensionDef])) as Record<Dimension, DimensionDef>;

/** Dimensions that can filter by value (`region emea`). */
export const FILTER_DIMENSIONS = ALL.filter((d) => "filter" in d).map((d) => d.id) as Dimension[];

/** The column a dimension reads on a kind of record, or null when those records do not have it. */
export function columnOf(dim: Dimension, records: RecordKind): { column: string; label?: "campaign" } | null {
  return DIMENSIONS[dim].columns?.[records] ?? null;
}

/** A value filter: records whose `dim` column is one of `values` (as stored; resolved from the typed text). */
export const Filter = z.object({ dim: Dimension, value: z.string().trim().min(1).max(200) });
export type Filter = z.infer<typeof Filter>;
