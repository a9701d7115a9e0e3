import { MAX_INPUT_CHARS, MAX_NAME_CHARS, MAX_RANK, type CommandError, type Lang } from "./schema.ts";
import { METRIC_ALIASES, MetricId, PERIOD_EXAMPLES } from "./vocabulary.ts";

const TRY = { en: "/kpi team east sales last-quarter", zh: "/kpi 团队 东区 销售额 上季度" } as const;

function listEn(items: readonly string[]): string {
  const quoted = items.map((s) => `'${s}'`);
  return quoted.length <= 1 ? (quoted[0] ?? "") : `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)}`;
}

function listZh(items: readonly string[]): string {
  return items.map((s) => `「${s}」`).join("或");
}

function english(e: CommandError): string {
  const tok = e.token ?? "";
  const s = e.suggestions;
  const mean = s.length > 0 ? ` — did you mean ${listEn(s)}?` : "";
  switch (e.code) {
    case "unknown_word":
      return s.length > 0 ? `I didn't understand '${tok}'${mean}` : `I didn't understand '${tok}'. Try: ${TRY.en}`;
    case "unknown_metric":
      return s.length > 0 ? `unknown metric '${tok}'${mean}` : `unknown metric '${tok}'. Type /kpi metrics to see them all.`;
    case "bad_period":
      return s.length > 0
        ? `I couldn't read the period '${tok}'${mean}`
        : `I couldn't read the period '${tok}'. Try: last-quarter, this-month, 2026-09, q3-2026 or last 30 days.`;
    case "missing_value":
      return `'${tok}' needs something after it, e.g. ${listEn(s.length > 0 ? s : [TRY.en])}.`;
    case "conflict":
      return `'${e.other ?? ""}' and '${tok}' can't go in one question — ask about one at a time${s.length > 0 ? `, or try ${listEn(s)}` : ""}.`;
    case "too_long":
      return e.token
        ? `The name '${tok}' is too long (at most ${MAX_NAME_CHARS} characters).`
        : `That message is too long — please keep it under ${MAX_INPUT_CHARS} characters.`;
    case "out_of_range":
      return `'${tok}' is out of range${s.length > 0 ? ` — try ${listEn(s)}` : ""}.`;
    case "bad_schedule":
      return `I couldn't read the schedule '${tok}'${s.length > 0 ? ` — try ${listEn(s)}` : ". Try: subscribe weekly team sales mon 09:00"}.`;
  }
}

function chinese(e: CommandError): string {
  const tok = e.token ?? "";
  const s = e.suggestions;
  const mean = s.length > 0 ? `，你是想输入${listZh(s)}吗？` : "";
  switch (e.code) {
    case "unknown_word":
      return s.length > 0 ? `没看懂「${tok}」${mean}` : `没看懂「${tok}」。试试：${TRY.zh}`;
    case "unknown_metric":
      return s.length > 0 ? `未知指标「${tok}」${mean}` : `未知指标「${tok}」。输入 /kpi 指标 查看全部指标。`;
    case "bad_period":
      return s.length > 0
        ? `无法识别时间段「${tok}」${mean}`
        : `无法识别时间段「${tok}」。试试：上季度、本月、2026-09、2026年第3季度 或 最近30天。`;
    case "missing_value":
      return `「${tok}」后面缺少内容，例如：${listZh(s.length > 0 ? s : [TRY.zh])}。`;
    case "conflict":
      return `「${e.other ?? ""}」和「${tok}」不能放在同一个问题里，请一次只问一个${s.length > 0 ? `，或者试试${listZh(s)}` : ""}。`;
    case "too_long":
      return e.token ? `名称「${tok}」太长了（最多 ${MAX_NAME_CHARS} 个字符）。` : `消息太长了，请控制在 ${MAX_INPUT_CHARS} 个字符以内。`;
    case "out_of_range":
      return `「${tok}」超出范围${s.length > 0 ? `，试试${listZh(s)}` : ""}。`;
    case "bad_schedule":
      return `无法识别计划「${tok}」${s.length > 0 ? `，试试${listZh(s)}` : "。试试：订阅 每周 团队 销售额 周一 09:00"}。`;
  }
}

/**
 * A friendly, plain-text message for a parse error, saying what to type instead.
 * Example: { code: "unknown_metric", token: "salse", suggestions: ["sales"] }, "en"
 *   → "unknown metric 'salse' — did you mean 'sales'?"
 * The token is the user's own text: adapters must escape it for their markup (Slack `<`, `&`).
 */
export function formatCommandError(error: CommandError, lang: Lang): string {
  return lang === "zh" ? chinese(error) : english(error);
}

/** One line per metric: id and aliases. Example line (en): "winrate — winrate, win-rate, win rate". */
export function metricLines(lang: Lang): string[] {
  return MetricId.options.map((id) => `${id} — ${METRIC_ALIASES[id][lang].join(", ")}`);
}

/** The usage text for `help`. */
export function helpText(lang: Lang): string {
  if (lang === "zh") {
    return [
      "用法：/kpi [范围] [指标] [时间] [选项]，顺序随意。",
      "范围：我 · 销售 <姓名|@提及> · 团队 <名称> · 公司",
      `时间：${PERIOD_EXAMPLES.zh.join("、")}`,
      `选项：前N名 / 后N名（N 为 1–${MAX_RANK}）· 分布 · 对比 <时间> 和 <时间> · 导出（CSV）/ 导出 xlsx`,
      "示例：/kpi 团队 东区 销售额 上季度 · /kpi 对比 本月 和 上月 · /kpi 指标",
    ].join("\n");
  }
  return [
    "Usage: /kpi [scope] [metric] [period] [options], in any order.",
    'Scope: me · rep <name|@mention|email> ("Li Wei" in quotes) · team <name> · org',
    `Period: ${PERIOD_EXAMPLES.en.join(", ")}`,
    `Options: top N / bottom N (1–${MAX_RANK}) · dist · compare <period> vs <period> · csv / xlsx (the answer as a file)`,
    "Examples: /kpi team east sales last-quarter · /kpi compare this-month vs last-month · /kpi metrics",
  ].join("\n");
}
