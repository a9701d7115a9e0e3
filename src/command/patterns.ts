/**
 * Numbered word shapes: dates, quarters, `last 30 days`, `top 5`, in English and Chinese.
 * Each is written once as a source string; anchored forms test a whole token, sticky
 * forms find Chinese shapes inside unspaced text during segmentation.
 */

/** Chinese numerals 1-99 or ASCII digits. */
const ZH_NUM = "(\\d{1,4}|[一二两三四五六七八九十]{1,3})";
const Q_DIGIT = "([1-4一二三四])";

/** Chinese shapes, matched against the lower-cased token. */
export const ZH_SHAPES = {
  yearQuarter: `(\\d{4})年(?:第?${Q_DIGIT}季度?|q([1-4]))`,
  quarter: `(?:第${Q_DIGIT}季度?|${Q_DIGIT}季度)`,
  yearMonthDay: "(\\d{4})年(\\d{1,2})月(\\d{1,2})[日号]",
  yearMonth: `(\\d{4})年${ZH_NUM}月份?`,
  month: `${ZH_NUM}月份?`,
  year: "(\\d{4})(?:财年|年度|年)",
  lastN: `(?:最近|近|过去)${ZH_NUM}个?(天|日|周|星期|月)`,
  top: `前${ZH_NUM}(?:名|位)?`,
  bottom: `(?:倒数|最后|末|后)${ZH_NUM}(?:名|位)?`,
} as const;

export type ZhShape = keyof typeof ZH_SHAPES;

export const ZH_ANCHORED: Readonly<Record<ZhShape, RegExp>> = Object.fromEntries(
  Object.entries(ZH_SHAPES).map(([k, src]) => [k, new RegExp(`^(?:${src})$`, "u")]),
) as Record<ZhShape, RegExp>;

/**
 * For segmentation: the same shapes, sticky and case-insensitive. Fresh objects per call,
 * because a sticky RegExp carries `lastIndex` state.
 */
export function zhStickyPatterns(): RegExp[] {
  return Object.values(ZH_SHAPES).map((src) => new RegExp(src, "iuy"));
}

const ZH_DIGITS: Readonly<Record<string, number>> = {
  一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};

/**
 * ASCII digits or a Chinese numeral from 1 to 99.
 * Examples: "30" → 30, "三" → 3, "十二" → 12, "二十五" → 25; "十十" → undefined.
 */
export function parseNumber(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const m = /^([二两三四五六七八九])?(十)?([一二三四五六七八九])?$/u.exec(text);
  if (!m || text === "") return undefined;
  const [, tens, ten, ones] = m;
  if (!ten) {
    const only = tens && !ones ? tens : !tens && ones ? ones : undefined;
    return only ? ZH_DIGITS[only] : undefined;
  }
  return (tens ? (ZH_DIGITS[tens] ?? 0) : 1) * 10 + (ones ? (ZH_DIGITS[ones] ?? 0) : 0);
}

/** English single-token shapes (lower-cased). */
export const EN_SHAPES = {
  quarter: /^q(\d)$/,
  quarterYear: /^q([1-4])[-/]?(?:fy)?(\d{4})$/,
  yearQuarter: /^(?:fy)?(\d{4})[-/]?q([1-4])$/,
  fiscalYear: /^fy(\d{4}|\d{2})$/,
  year: /^(\d{4})$/,
  month: /^(\d{4})[-/](\d{1,2})$/,
  date: /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/,
  /** `2026-07-01..2026-09-30`, `2026-07..2026-09`, also with `...` or `~`. */
  range: /^(\d{4}[-/]\d{1,2}(?:[-/]\d{1,2})?)(?:\.{2,3}|~)(\d{4}[-/]\d{1,2}(?:[-/]\d{1,2})?)$/,
  rank: /^(top|bottom)-?(\d+)$/,
  number: /^\d+$/,
} as const;
