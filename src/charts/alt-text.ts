// Alt text for a chart, generated from its data, in the spec's language, for screen readers.
import { createFormats, type Formats } from "../format/index.ts";
import type { ChartSpec } from "../reply.ts";
import { sortBars } from "./bar.ts";
import { binIndex, sturgesHistogram } from "./histogram.ts";
import { boundedForecast } from "./trend.ts";

/** Slack allows 2,000 characters of alt text on an image block; Teams is more generous. */
export const ALT_TEXT_MAX = 2000;

/**
 * @example
 * altText({ kind: "bar", title: "Sales Q3 2026", unit: "currency", currency: "USD", lang: "en",
 *   median: 200000, bars: [{ label: "Ann", value: 400000, flag: "top" }, { label: "Cy", value: 0, flag: "low" }] });
 * // => "Bar chart: Sales Q3 2026 (2 reps). Highest Ann $4,000; lowest Cy $0; team median $2,000.
 * //     Flagged low: Cy. Top: Ann. Values: Ann $4,000, Cy $0."
 */
export function altText(spec: ChartSpec, formats: Formats = createFormats()): string {
  const zh = spec.lang === "zh";
  // The values the text names, in one style, so that values that differ on the chart differ here.
  const fmt = formats.comparable(spokenValues(spec), spec.unit, spec.lang, spec.currency);
  const sep = zh ? "，" : ", ";
  const end = zh ? "。" : ". ";
  const parts: string[] = [];
  let list: string[] = [];
  let listHead = "";

  switch (spec.kind) {
    case "bar": {
      const bars = sortBars(spec.bars);
      const n = bars.length;
      parts.push(zh ? `柱状图：${spec.title}（${n} 人）` : `Bar chart: ${spec.title} (${n} ${n === 1 ? "rep" : "reps"})`);
      const hi = bars[0];
      const lo = bars.at(-1);
      if (!hi || !lo) {
        parts.push(zh ? "没有数据" : "No data");
        break;
      }
      const median = spec.median === null ? "" : zh ? `；团队中位数 ${fmt(spec.median)}` : `; team median ${fmt(spec.median)}`;
      parts.push(zh ? `最高 ${hi.label} ${fmt(hi.value)}；最低 ${lo.label} ${fmt(lo.value)}${median}` : `Highest ${hi.label} ${fmt(hi.value)}; lowest ${lo.label} ${fmt(lo.value)}${median}`);
      const low = bars.filter((b) => b.flag === "low").map((b) => b.label);
      const top = bars.filter((b) => b.flag === "top").map((b) => b.label);
      if (low.length) parts.push(zh ? `偏低：${low.join("、")}` : `Flagged low: ${low.join(", ")}`);
      if (top.length) parts.push(zh ? `优秀：${top.join("、")}` : `Top: ${top.join(", ")}`);
      listHead = zh ? "各成员：" : "Values: ";
      list = bars.map((b) => `${b.label} ${fmt(b.value)}`);
      break;
    }
    case "trend": {
      parts.push(zh ? `折线图：${spec.title}` : `Line chart: ${spec.title}`);
      const first = spec.points[0];
      const last = spec.points.at(-1);
      if (!first || !last) {
        parts.push(zh ? "没有数据" : "No data");
        break;
      }
      parts.push(
        zh
          ? `${spec.points.length} 个数据点，从 ${first.label} 的 ${fmt(first.value)} 到 ${last.label} 的 ${fmt(last.value)}`
          : `${spec.points.length} points, from ${fmt(first.value)} in ${first.label} to ${fmt(last.value)} in ${last.label}`,
      );
      const t0 = spec.trend?.[0];
      const t1 = spec.trend?.at(-1);
      if (t0 && t1 && spec.trend && spec.trend.length > 1) {
        const scale = Math.max(Math.abs(t0.value), Math.abs(t1.value), Number.EPSILON);
        const dir = Math.abs(t1.value - t0.value) / scale < 0.01 ? "flat" : t1.value > t0.value ? "up" : "down";
        const word = zh ? { up: "上升", down: "下降", flat: "持平" }[dir] : { up: "rises", down: "falls", flat: "stays flat" }[dir];
        parts.push(
          zh
            ? `趋势线${word}，从 ${fmt(t0.value)} 到 ${fmt(t1.value)}`
            : `The trend line ${word}, from ${fmt(t0.value)} to ${fmt(t1.value)}`,
        );
      }
      const f = boundedForecast(spec).at(-1);
      if (f) {
        const range = f.lower !== null && f.upper !== null ? (zh ? `（区间 ${fmt(f.lower)} 至 ${fmt(f.upper)}）` : ` (range ${fmt(f.lower)} to ${fmt(f.upper)})`) : "";
        parts.push(zh ? `${f.label} 预测 ${fmt(f.value)}${range}` : `Forecast for ${f.label}: ${fmt(f.value)}${range}`);
      }
      listHead = zh ? "各期：" : "Values: ";
      list = spec.points.map((p) => `${p.label} ${fmt(p.value)}`);
      break;
    }
    case "personal": {
      parts.push(zh ? `折线图：${spec.title}，${spec.ownLabel}对比${spec.teamLabel}` : `Line chart: ${spec.title}, ${spec.ownLabel} against ${spec.teamLabel}`);
      const i = lastIndexWhere(spec.own, (v) => v !== null);
      if (i < 0) {
        parts.push(zh ? "没有数据" : "No data");
        break;
      }
      const label = spec.labels[i] ?? "";
      const team = spec.teamMedian[i] ?? null;
      parts.push(
        zh
          ? `${label}：${spec.ownLabel} ${fmt(spec.own[i] ?? null)}，${spec.teamLabel} ${fmt(team)}`
          : `${label}: ${spec.ownLabel} ${fmt(spec.own[i] ?? null)}, ${spec.teamLabel} ${fmt(team)}`,
      );
      const both = spec.own.flatMap((v, j) => (v !== null && spec.teamMedian[j] != null ? [[v, spec.teamMedian[j] as number] as const] : []));
      if (both.length) {
        const above = both.filter(([o, t]) => o > t).length;
        parts.push(zh ? `${both.length} 期中有 ${above} 期高于${spec.teamLabel}` : `Above ${spec.teamLabel} in ${above} of ${both.length} periods`);
      }
      listHead = zh ? `${spec.ownLabel}各期：` : `${spec.ownLabel} by period: `;
      list = spec.labels.map((l, j) => `${l} ${fmt(spec.own[j] ?? null)}`);
      break;
    }
    case "distribution": {
      parts.push(zh ? `直方图：${spec.title}` : `Histogram: ${spec.title}`);
      const { edges, counts } = sturgesHistogram(spec.values);
      const lo = edges[0];
      const hi = edges.at(-1);
      if (lo === undefined || hi === undefined) {
        parts.push(zh ? "没有数据" : "No data");
        break;
      }
      const n = counts.reduce((a, b) => a + b, 0);
      parts.push(zh ? `${n} 个值，${counts.length} 个区间，从 ${fmt(lo)} 到 ${fmt(hi)}` : `${n} values in ${counts.length} bins from ${fmt(lo)} to ${fmt(hi)}`);
      const h = spec.highlight === null ? null : binIndex(edges, spec.highlight);
      if (h !== null && spec.highlight !== null) {
        const range = `${fmt(edges[h] as number)}–${fmt(edges[h + 1] as number)}`;
        parts.push(
          zh
            ? `标记值 ${fmt(spec.highlight)} 位于 ${range} 区间（${counts[h]} 个值）`
            : `The highlighted value ${fmt(spec.highlight)} falls in the ${range} bin (${counts[h]} values)`,
        );
      }
      listHead = zh ? "各区间人数：" : "Counts: ";
      list = counts.map((c, i) => `${fmt(edges[i] as number)}–${fmt(edges[i + 1] as number)} ${c}`);
      break;
    }
  }

  let text = parts.join(end).trim() + (zh ? "。" : ".");
  if (list.length) text = appendList(text, listHead, list, sep, zh);
  return text.length <= ALT_TEXT_MAX ? text : text.slice(0, ALT_TEXT_MAX - 1) + "…";
}

/** Adds as many list items as fit in ALT_TEXT_MAX, then says how many were left out. */
function appendList(text: string, head: string, items: string[], sep: string, zh: boolean): string {
  const close = zh ? "。" : ".";
  let out = `${text}${zh ? "" : " "}${head}`;
  for (let i = 0; i < items.length; i++) {
    const rest = items.length - i - 1;
    const item = (i > 0 ? sep : "") + items[i];
    const more = rest > 0 ? (zh ? `${sep}另有 ${rest} 项${close}` : `${sep}and ${rest} more${close}`) : close;
    const moreIfStop = zh ? `${sep}另有 ${items.length - i} 项${close}` : `${sep}and ${items.length - i} more${close}`;
    if (out.length + item.length + more.length > ALT_TEXT_MAX) return out + (i === 0 ? moreIfStop.slice(sep.length) : moreIfStop);
    out += item;
  }
  return out + close;
}

function lastIndexWhere<T>(xs: readonly T[], ok: (x: T) => boolean): number {
  for (let i = xs.length - 1; i >= 0; i--) if (ok(xs[i] as T)) return i;
  return -1;
}

function spokenValues(spec: ChartSpec): (number | null)[] {
  switch (spec.kind) {
    case "bar":
      return [...spec.bars.map((b) => b.value), spec.median];
    case "trend":
      return [...spec.points, ...(spec.trend ?? [])].map((p) => p.value).concat(boundedForecast(spec).flatMap((f) => [f.value, f.lower, f.upper].filter((v) => v !== null)));
    case "personal":
      return [...spec.own, ...spec.teamMedian];
    case "distribution":
      return [...spec.values, ...sturgesHistogram(spec.values).edges, spec.highlight];
  }
}
