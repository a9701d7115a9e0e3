// The export's own words (column headers, the About block), in the reply's language.
import type { Lang } from "../i18n/lang.ts";

export type ExportWords = {
  about: string;
  data: string;
  title: string;
  metric: string;
  period: string;
  from: string;
  to: string;
  scope: string;
  total: string;
  median: string;
  members: string;
  currency: string;
  askedBy: string;
  generatedAt: string;
  visibility: string;
  privateFile: string;
  shareableFile: string;
  notes: string;
  notesText: string;
  field: string;
  value: string;
  formatted: string;
  name: string;
  email: string;
  flag: string;
  key: string;
  group: string;
  share: string;
  change: string;
  unit: string;
  previous: string;
  rank: string;
  of: string;
  low: string;
  top: string;
  people: string;
  scorecard: string;
  periods: string;
  by: (dimension: string) => string;
  /** Told to the asker instead of a file over the size limit. */
  tooLarge: (limitMb: number) => string;
};

const en: ExportWords = {
  about: "About",
  data: "Data",
  title: "Title",
  metric: "Metric",
  period: "Period",
  from: "From (UTC)",
  to: "To (UTC, exclusive)",
  scope: "Scope",
  total: "Total",
  median: "Median",
  members: "Members",
  currency: "Currency",
  askedBy: "Asked by",
  generatedAt: "Generated at (UTC)",
  visibility: "Visibility",
  privateFile: "Private: figures about individual people — do not forward",
  shareableFile: "Aggregates only",
  notes: "Notes",
  notesText:
    "Value columns are plain numbers: money in major units of the currency column (1234.5 = 1,234.50), percentages as fractions (0.25 = 25%), durations in the unit named. Empty: withheld (too few people you may not see) or no data.",
  field: "Field",
  value: "Value",
  formatted: "Formatted",
  name: "Name",
  email: "Email",
  flag: "Flag",
  key: "Key",
  group: "Group",
  share: "Share of total",
  change: "Change vs previous",
  unit: "Unit",
  previous: "Previous period",
  rank: "Rank",
  of: "Of",
  low: "low",
  top: "top",
  people: "People",
  scorecard: "Scorecard",
  periods: "Periods",
  by: (d) => `By ${d}`,
  tooLarge: (mb) => `No file: it would be larger than ${mb} MB. Ask for a shorter period or a smaller scope.`,
};

const zh: ExportWords = {
  about: "说明",
  data: "数据",
  title: "标题",
  metric: "指标",
  period: "时间段",
  from: "开始（UTC）",
  to: "结束（UTC，不含）",
  scope: "范围",
  total: "合计",
  median: "中位数",
  members: "人数",
  currency: "币种",
  askedBy: "导出人",
  generatedAt: "生成时间（UTC）",
  visibility: "可见性",
  privateFile: "私密：包含个人数据，请勿转发",
  shareableFile: "仅汇总数据",
  notes: "备注",
  notesText: "数值列为纯数字：金额以币种列的主单位计（1234.5 = 1,234.50），百分比为小数（0.25 = 25%），时长以所示单位计。空白：数据被隐藏（你无权查看的人数过少）或没有数据。",
  field: "项目",
  value: "数值",
  formatted: "显示值",
  name: "姓名",
  email: "邮箱",
  flag: "标记",
  key: "键",
  group: "分组",
  share: "占比",
  change: "较上期变化",
  unit: "单位",
  previous: "上一期",
  rank: "排名",
  of: "共",
  low: "偏低",
  top: "优秀",
  people: "人员",
  scorecard: "计分卡",
  periods: "时间段",
  by: (d) => `按${d}`,
  tooLarge: (mb) => `未生成文件：文件会超过 ${mb} MB。请缩短时间段或缩小范围。`,
};

export function exportWords(lang: Lang): ExportWords {
  return lang === "zh" ? zh : en;
}
