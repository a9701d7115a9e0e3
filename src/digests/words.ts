// The digest and alert sentences, en and zh.
import type { Lang } from "../reply.ts";

const WEEKDAY = { en: ["", "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"], zh: ["", "每周一", "每周二", "每周三", "每周四", "每周五", "每周六", "每周日"] };

export const DIGEST_WORDS = {
  en: {
    title: "Scheduling",
    when: (cadence: string, day: number, time: string, tz: string) =>
      cadence === "weekly" ? `${WEEKDAY.en[day]} ${time} ${tz}` : `day ${day} of each month, ${time} ${tz}`,
    where: (priv: boolean) => (priv ? "privately" : "in this channel"),
    subscribed: (ref: string, what: string, when: string, where: string, next: string) =>
      `Subscribed ${ref}: ${what}, ${when}, ${where}. First delivery: ${next}. Remove with \`/kpi unsubscribe ${ref}\`.`,
    alerted: (ref: string, what: string, where: string) =>
      `Alert ${ref} set: ${what}. Checked hourly; you'll hear once when it starts to hold and once when it clears, ${where}. Remove with \`/kpi unsubscribe ${ref}\`.`,
    channelNeedsManager: "Only managers and admins can subscribe a channel. Try `/kpi subscribe weekly me` for your own standing, delivered privately.",
    noChannel: "There is no channel here to deliver to; ask in a channel, or add `private`.",
    personalInChannel: "Personal figures can't go to a channel; add `private` to get them in a direct message.",
    removed: (ref: string) => `Removed ${ref}.`,
    notFound: (ref: string) => `There is no active ${ref} of yours. See \`/kpi subscriptions\` and \`/kpi alerts\`.`,
    listTitle: "Your subscriptions",
    alertsTitle: "Your alerts",
    none: "None yet. Example: `/kpi subscribe weekly team sales mon 09:00`.",
    noAlerts: "None yet. Example: `/kpi alert team winrate below 20%`.",
    columns: ["id", "what", "when", "where", "next"],
    alertColumns: ["id", "condition", "state", "last value", "where"],
    digestTitle: (cadence: string, title: string) => `${cadence === "weekly" ? "Weekly" : "Monthly"} digest · ${title}`,
    fired: (what: string, value: string) => `Alert: ${what} — now ${value}.`,
    cleared: (what: string, value: string) => `Cleared: ${what} no longer holds — now ${value}.`,
    alertTitle: "KPI alert",
    undeliverable: (ref: string, where: string, error: string) => `Your ${ref} could not be delivered to ${where}: ${error}. It has been paused; fix the channel and subscribe again.`,
    below: "below", above: "above",
    firing: "firing", clear: "clear",
    milestonesWord: "milestones",
    milestonesSet: (ref: string, what: string) =>
      `Milestones ${ref} set: ${what}. Checked hourly and after every import or sync; you'll get a private note the first time the quota period's attainment reaches each milestone, once per period. Remove with \`/kpi unsubscribe ${ref}\`.`,
    milestoneTitle: "Quota milestone",
    milestone: (what: string, m: number, attainment: string, won: string, quota: string, period: string, days: number) =>
      `${what} reached ${m}%: ${attainment} (won ${won} of ${quota} quota), ${period}, ${days === 1 ? "1 day" : `${days} days`} left.`,
    reached: (m: number, period: string) => `${m}% reached · ${period}`,
    noneReached: "none reached yet",
  },
  zh: {
    title: "订阅与提醒",
    when: (cadence: string, day: number, time: string, tz: string) =>
      cadence === "weekly" ? `${WEEKDAY.zh[day]} ${time}（${tz}）` : `每月 ${day} 日 ${time}（${tz}）`,
    where: (priv: boolean) => (priv ? "私信发送" : "发送到本频道"),
    subscribed: (ref: string, what: string, when: string, where: string, next: string) =>
      `已订阅 ${ref}：${what}，${when}，${where}。首次发送：${next}。取消：\`/kpi 退订 ${ref}\`。`,
    alerted: (ref: string, what: string, where: string) => `已设置提醒 ${ref}：${what}。每小时检查；条件成立和解除时各通知一次（${where}）。取消：\`/kpi 退订 ${ref}\`。`,
    channelNeedsManager: "只有经理和管理员可以为频道订阅。试试 `/kpi 订阅 每周 我`，私信接收你自己的排名。",
    noChannel: "这里没有可以发送的频道；请在频道中设置，或加上 `private`。",
    personalInChannel: "个人数据不能发到频道；加上 `private` 改为私信。",
    removed: (ref: string) => `已删除 ${ref}。`,
    notFound: (ref: string) => `没有你的 ${ref}。查看 \`/kpi 我的订阅\` 和 \`/kpi 我的提醒\`。`,
    listTitle: "我的订阅",
    alertsTitle: "我的提醒",
    none: "还没有。例如：`/kpi 订阅 每周 团队 销售额 周一 09:00`。",
    noAlerts: "还没有。例如：`/kpi 提醒 团队 赢单率 低于 20%`。",
    columns: ["编号", "内容", "时间", "发送到", "下次"],
    alertColumns: ["编号", "条件", "状态", "最新值", "发送到"],
    digestTitle: (cadence: string, title: string) => `${cadence === "weekly" ? "周报" : "月报"} · ${title}`,
    fired: (what: string, value: string) => `提醒：${what}——当前 ${value}。`,
    cleared: (what: string, value: string) => `已解除：${what} 不再成立——当前 ${value}。`,
    alertTitle: "KPI 提醒",
    undeliverable: (ref: string, where: string, error: string) => `你的 ${ref} 无法发送到 ${where}：${error}。已暂停；修复频道后请重新订阅。`,
    below: "低于", above: "高于",
    firing: "触发中", clear: "正常",
    milestonesWord: "里程碑",
    milestonesSet: (ref: string, what: string) =>
      `已设置里程碑提醒 ${ref}：${what}。每小时及每次导入或同步后检查；本配额周期的完成率首次达到各里程碑时私信通知你，每个周期各一次。取消：\`/kpi 退订 ${ref}\`。`,
    milestoneTitle: "配额里程碑",
    milestone: (what: string, m: number, attainment: string, won: string, quota: string, period: string, days: number) =>
      `${what} 已达到 ${m}%：${attainment}（已赢单 ${won}，配额 ${quota}），${period}，剩余 ${days} 天。`,
    reached: (m: number, period: string) => `已达 ${m}% · ${period}`,
    noneReached: "尚未达到",
  },
} as const;

export function digestWords(lang: Lang) {
  return DIGEST_WORDS[lang];
}
