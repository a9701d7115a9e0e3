/**
 * The scheduling commands: subscriptions to digests and threshold alerts.
 *   subscribe weekly team sales mon 09:00 Asia/Shanghai      订阅 每周 团队 销售额 周一 09:00
 *   subscribe monthly org winrate                            subscriptions / 我的订阅
 *   alert team winrate below 20%     alert rep @x frt above 60     alerts
 *   alert me quota milestones        alert team east quota milestones   提醒 我 配额 里程碑
 *   unsubscribe S3  (a subscription)   unsubscribe A2  (an alert)   退订 S3
 * The scope and metric words are read by the query parser; this file reads the schedule words.
 */
import type { Result } from "../result.ts";
import { AlertCommand, MilestonesCommand, SubscribeCommand, TimeZone, type Dimension, type Lang, type MetricId, type ParseContext, type Scope, type UnsubscribeCommand } from "./schema.ts";

export type ScheduleError = { code: "bad_schedule" | "missing_value"; token?: string; suggestions: string[] };


const WEEKDAYS: Record<string, number> = {
  mon: 1, monday: 1, tue: 2, tues: 2, tuesday: 2, wed: 3, wednesday: 3, thu: 4, thur: 4, thurs: 4, thursday: 4,
  fri: 5, friday: 5, sat: 6, saturday: 6, sun: 7, sunday: 7,
  周一: 1, 星期一: 1, 周二: 2, 星期二: 2, 周三: 3, 星期三: 3, 周四: 4, 星期四: 4, 周五: 5, 星期五: 5, 周六: 6, 星期六: 6, 周日: 7, 周天: 7, 星期日: 7, 星期天: 7,
};
const CADENCE: Record<string, "weekly" | "monthly"> = { weekly: "weekly", week: "weekly", 每周: "weekly", monthly: "monthly", month: "monthly", 每月: "monthly" };
const HEAD = /^(subscribe|unsubscribe|subscriptions|alerts?|订阅|退订|取消订阅|我的订阅|提醒|我的提醒)(?=\s|$)/i;

export type ScheduleHead = "subscribe" | "unsubscribe" | "subscriptions" | "alert" | "alerts";

/** Which scheduling command the text starts with, if any. */
export function scheduleHead(body: string): { head: ScheduleHead; lang: Lang; rest: string } | undefined {
  const m = HEAD.exec(body);
  if (!m) return undefined;
  const w = m[1]!.toLowerCase();
  const head: ScheduleHead =
    w === "subscribe" || w === "订阅" ? "subscribe"
    : w === "unsubscribe" || w === "退订" || w === "取消订阅" ? "unsubscribe"
    : w === "subscriptions" || w === "我的订阅" ? "subscriptions"
    : w === "alerts" || w === "我的提醒" ? "alerts"
    : "alert";
  return { head, lang: /[\u3400-\u9fff]/.test(w) ? "zh" : "en", rest: body.slice(m[0].length).trim() };
}

type Taken<T> = { value: T; rest: string };

/** Remove the first token matching `re` from the text, returning its match. */
function take(text: string, re: RegExp): Taken<RegExpExecArray> | undefined {
  const m = re.exec(text);
  if (!m) return undefined;
  return { value: m, rest: (text.slice(0, m.index) + " " + text.slice(m.index + m[0].length)).replace(/\s+/g, " ").trim() };
}

export type QueryParts = { scope?: Scope | undefined; metric?: MetricId | undefined; by?: Dimension | undefined; scorecard?: true | undefined; lang: Lang };
/** The query parser, for the scope and metric words around the schedule words. */
export type PartsReader = (text: string) => Result<{ parts: QueryParts; hasPeriod: boolean }, { error: unknown }>;

/** The delivery words: `here` (this channel) or `private`/`dm`/`me` delivery. */
function takeDelivery(text: string): Taken<"here" | "private" | undefined> {
  const t = take(text, /(?:^|\s)(--?)?(here|channel|private|dm|privately|私信|本频道)(?=\s|$)/i);
  if (!t) return { value: undefined, rest: text };
  const w = t.value[2]!.toLowerCase();
  return { value: w === "here" || w === "channel" || w === "本频道" ? "here" : "private", rest: t.rest };
}

export function parseSubscribe(rest: string, lang: Lang, ctx: ParseContext, read: PartsReader): Result<{ command: SubscribeCommand }, { error: ScheduleError | unknown }> {
  let text = rest;
  const cad = take(text, /(?:^|\s)(weekly|week|monthly|month|每周|每月)(?=\s|$)/i);
  if (!cad) return { ok: false, error: { code: "missing_value", token: lang === "zh" ? "订阅" : "subscribe", suggestions: [lang === "zh" ? "订阅 每周 团队 销售额 周一 09:00" : "subscribe weekly team sales mon 09:00"] } };
  const cadence = CADENCE[cad.value[1]!.toLowerCase()]!;
  text = cad.rest;
  let day = 1;
  const wd = take(text, new RegExp(`(?:^|\\s)(${Object.keys(WEEKDAYS).join("|")})(?=\\s|$)`, "i"));
  if (wd) {
    if (cadence === "monthly") return { ok: false, error: { code: "bad_schedule", token: wd.value[1], suggestions: ["subscribe monthly org winrate 1st 09:00"] } };
    day = WEEKDAYS[wd.value[1]!.toLowerCase()]!;
    text = wd.rest;
  }
  const dom = take(text, /(?:^|\s)(?:day\s+)?(\d{1,2})(?:st|nd|rd|th|日|号)(?=\s|$)/i);
  if (dom) {
    const n = Number(dom.value[1]);
    if (cadence === "weekly" || n < 1 || n > 28) return { ok: false, error: { code: "bad_schedule", token: dom.value[0].trim(), suggestions: ["subscribe monthly org winrate 1st 09:00 (days 1–28)"] } };
    day = n;
    text = dom.rest;
  }
  let time = "09:00";
  const tm = take(text, /(?:^|\s)(?:at\s+)?(\d{1,2}):(\d{2})(?=\s|$)/i);
  if (tm) {
    const h = Number(tm.value[1]);
    const mi = Number(tm.value[2]);
    if (h > 23 || mi > 59) return { ok: false, error: { code: "bad_schedule", token: tm.value[0].trim(), suggestions: ["09:00"] } };
    time = `${String(h).padStart(2, "0")}:${String(mi).padStart(2, "0")}`;
    text = tm.rest;
  }
  let timeZone: string | undefined;
  const tz = take(text, /(?:^|\s)([A-Za-z]+\/[A-Za-z0-9_+-]+(?:\/[A-Za-z0-9_+-]+)?|UTC)(?=\s|$)/);
  if (tz) {
    const ok = TimeZone.safeParse(tz.value[1]);
    if (!ok.success) return { ok: false, error: { code: "bad_schedule", token: tz.value[1], suggestions: ["Asia/Shanghai", "Europe/London", "America/New_York"] } };
    timeZone = ok.data;
    text = tz.rest;
  }
  const del = takeDelivery(text);
  text = del.rest;
  const parts = read(text);
  if (!parts.ok) return parts;
  if (parts.hasPeriod) return { ok: false, error: { code: "bad_schedule", token: "period", suggestions: [cadence === "weekly" ? "a weekly digest covers the week just ended" : "a monthly digest covers the month just ended"] } };
  const personal = !parts.parts.scope || parts.parts.scope.kind === "me";
  const command = SubscribeCommand.parse({
    kind: "subscribe", cadence, day, time, timeZone, scope: parts.parts.scope, metric: parts.parts.metric,
    by: parts.parts.by, scorecard: parts.parts.scorecard, delivery: del.value ?? (personal ? "private" : "here"), lang,
  });
  void ctx;
  return { ok: true, command };
}

/** The milestones word: `milestones`, `milestone`, `里程碑`. */
const MILESTONES = /(?:^|\s)(milestones?|里程碑)(?=\s|$)/i;

/**
 * `alert <scope> quota milestones`: the metric is quota attainment (said or not), the delivery
 * private (the note carries the figures; `here` is refused), no threshold and no breakdown.
 */
function parseMilestones(rest: string, lang: Lang, read: PartsReader): Result<{ command: MilestonesCommand }, { error: ScheduleError | unknown }> {
  const example = lang === "zh" ? "提醒 我 配额 里程碑" : "alert me quota milestones";
  const del = takeDelivery(rest);
  if (del.value === "here") return { ok: false, error: { code: "conflict", token: lang === "zh" ? "本频道" : "here", other: lang === "zh" ? "里程碑" : "milestones", suggestions: [example] } };
  const parts = read(del.rest);
  if (!parts.ok) return parts;
  const { metric, scope, by, scorecard } = parts.parts;
  if (metric !== undefined && metric !== "quota") return { ok: false, error: { code: "conflict", token: lang === "zh" ? "里程碑" : "milestones", other: metric, suggestions: [example] } };
  if (by || scorecard || parts.hasPeriod) return { ok: false, error: { code: "bad_schedule", token: lang === "zh" ? "里程碑" : "milestones", suggestions: [example] } };
  return { ok: true, command: MilestonesCommand.parse({ kind: "milestones", scope, lang }) };
}

export function parseAlert(rest: string, lang: Lang, read: PartsReader): Result<{ command: AlertCommand | MilestonesCommand }, { error: ScheduleError | unknown }> {
  const milestones = take(rest, MILESTONES);
  if (milestones) return parseMilestones(milestones.rest, lang, read);
  const cond = take(rest, /(?:^|\s)(below|under|above|over|低于|高于|<|>)\s*(-?\d+(?:\.\d+)?)\s*(%)?(?=\s|$)/i);
  const example = lang === "zh" ? "提醒 团队 赢单率 低于 20%" : "alert team winrate below 20%";
  if (!cond) return { ok: false, error: { code: "missing_value", token: lang === "zh" ? "提醒" : "alert", suggestions: [example] } };
  const w = cond.value[1]!.toLowerCase();
  const op = w === "below" || w === "under" || w === "低于" || w === "<" ? "below" : "above";
  const percent = cond.value[3] === "%";
  const threshold = Number(cond.value[2]) / (percent ? 100 : 1);
  const del = takeDelivery(cond.rest);
  const parts = read(del.rest);
  if (!parts.ok) return parts;
  // An alert watches one metric against one threshold: a scorecard has many of each.
  if (parts.parts.scorecard) return { ok: false, error: { code: "conflict", token: lang === "zh" ? "计分卡" : "scorecard", other: lang === "zh" ? "提醒" : "alert", suggestions: [example] } };
  if (!parts.parts.metric) return { ok: false, error: { code: "missing_value", token: lang === "zh" ? "指标" : "metric", suggestions: [example] } };
  const personal = !parts.parts.scope || parts.parts.scope.kind === "me";
  return {
    ok: true,
    command: AlertCommand.parse({ kind: "alert", scope: parts.parts.scope, metric: parts.parts.metric, by: parts.parts.by, op, threshold, percent, delivery: del.value ?? (personal ? "private" : "here"), lang }),
  };
}

export function parseUnsubscribe(rest: string, lang: Lang): Result<{ command: UnsubscribeCommand }, { error: ScheduleError }> {
  const m = /^#?([SsAa])?\s*(\d{1,9})$/.exec(rest.trim());
  if (!m) return { ok: false, error: { code: "missing_value", token: rest || (lang === "zh" ? "退订" : "unsubscribe"), suggestions: [lang === "zh" ? "退订 S3" : "unsubscribe S3"] } };
  return { ok: true, command: { kind: "unsubscribe", ref: `${(m[1] ?? "S").toUpperCase()}${m[2]}`, lang } };
}
