// The Slack adapter's own sentences (buttons, notes), in the reply's language. The answers'
// wording lives in src/i18n; these are only about Slack things: sharing, uploads, the Home tab.
import type { Lang } from "../../src/reply.ts";

export type Words = {
  more: (n: number) => string;
  moreFlags: (n: number) => string;
  postToChannel: string;
  privateNote: string;
  sharedBy: (userMention: string) => string;
  chartUnavailable: string;
  chartInDm: string;
  chartInThread: string;
  fileInDm: (filename: string) => string;
  fileFailed: string;
  posted: (channelMention: string) => string;
  notPostedAboutYou: string;
  notPostedAboutPerson: string;
  notPostedBadButton: string;
  notPostedNotAnswer: string;
  notPostedNotInChannel: string;
  notPostedBusy: string;
  notPostedFailed: string;
  somethingWentWrong: string;
  busy: string;
  homeTitle: string;
  homeThisMonth: string;
  homeThisQuarter: string;
  homeSubscriptionsTitle: string;
  homeSubscriptionsNone: string;
  homeHint: string;
};

const en: Words = {
  more: (n) => `…and ${n} more`,
  moreFlags: (n) => `…and ${n} more flagged`,
  postToChannel: "Post to channel",
  privateNote: "Only you can see this: it has figures about individual people.",
  sharedBy: (who) => `Shared by ${who}`,
  chartUnavailable: "⚠️ Chart unavailable: the upload to Slack failed. The figures above are complete.",
  chartInDm: "The chart could not be shown here; it is in your direct messages with the bot.",
  chartInThread: "Chart in the thread.",
  fileInDm: (name) => `📎 ${name} is in your direct messages with the bot.`,
  fileFailed: "⚠️ The file could not be attached: the upload to Slack failed. The figures above are complete; try again in a minute.",
  posted: (where) => `Posted to ${where}.`,
  notPostedAboutYou: "Answers about yourself stay private, so this was not posted.",
  notPostedAboutPerson: "Answers about one person are posted only where leaderboards are enabled (KPI_SHARE_LEADERBOARD), so this was not posted.",
  notPostedBadButton: "This button is not valid (it was changed, or made for someone else or another channel); nothing was posted.",
  notPostedNotAnswer: "Nothing was posted to the channel.",
  notPostedNotInChannel: "I can't post in this channel. Invite me (`/invite @KPI Bot`) and try again.",
  notPostedBusy: "Slack is rate-limiting the bot right now; nothing was posted. Try again in a minute.",
  notPostedFailed: "Posting to the channel failed; nothing was posted.",
  somethingWentWrong: "Something went wrong while answering; please try again.",
  busy: "I'm busy answering many questions right now and couldn't take yours. Please ask again in a minute.",
  homeTitle: "Your standing",
  homeThisMonth: "This month",
  homeThisQuarter: "This quarter",
  homeSubscriptionsTitle: "Subscriptions",
  homeSubscriptionsNone: "No subscriptions yet. Scheduled digests will be listed here.",
  homeHint: "Ask anything with `/kpi` (try `/kpi help`).",
};

const zh: Words = {
  more: (n) => `…另有 ${n} 项`,
  moreFlags: (n) => `…另有 ${n} 项标记`,
  postToChannel: "发到频道",
  privateNote: "仅你可见：其中有个人的数据。",
  sharedBy: (who) => `由 ${who} 分享`,
  chartUnavailable: "⚠️ 图表不可用：上传到 Slack 失败。上面的数字是完整的。",
  chartInDm: "图表无法在这里显示；它在你与机器人的私信里。",
  chartInThread: "图表在讨论串中。",
  fileInDm: (name) => `📎 文件 ${name} 已发到你与机器人的私信里。`,
  fileFailed: "⚠️ 文件未能发送：上传到 Slack 失败。上面的数字是完整的，请一分钟后再试。",
  posted: (where) => `已发到 ${where}。`,
  notPostedAboutYou: "关于你本人的回答只对你可见，因此没有发到频道。",
  notPostedAboutPerson: "关于单个成员的回答只在启用排行榜（KPI_SHARE_LEADERBOARD）时才能发到频道，因此没有发送。",
  notPostedBadButton: "这个按钮无效（已被修改，或属于其他人或其他频道），没有发送任何内容。",
  notPostedNotAnswer: "没有发到频道。",
  notPostedNotInChannel: "我无法在这个频道发消息。请先邀请我（`/invite @KPI Bot`）再试。",
  notPostedBusy: "Slack 正在限制机器人的请求频率，没有发出。请一分钟后再试。",
  notPostedFailed: "发到频道失败，没有发出。",
  somethingWentWrong: "回答时出了问题，请再试一次。",
  busy: "现在同时在回答很多问题，暂时无法处理你的请求。请一分钟后再问。",
  homeTitle: "你的业绩",
  homeThisMonth: "本月",
  homeThisQuarter: "本季度",
  homeSubscriptionsTitle: "订阅",
  homeSubscriptionsNone: "还没有订阅。定时摘要会列在这里。",
  homeHint: "用 `/kpi` 提问（试试 `/kpi 帮助`）。",
};

export function words(lang: Lang): Words {
  return lang === "zh" ? zh : en;
}

/** The language of a request the core never saw (refused as busy): Chinese if it has Han characters. */
export function requestLang(text: string): Lang {
  return /\p{Script=Han}/u.test(text) ? "zh" : "en";
}
