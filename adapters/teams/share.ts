// "Post in channel": a private answer asked in a channel can be shared there by the asker, who
// presses a button in their personal chat. The button carries the command, the channel and an
// HMAC binding both to the asker, so a crafted submit cannot post elsewhere or as someone else.
// Pressing it runs the command again as the presser (a fresh access check) before posting.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { ParseContextInput } from "../../src/command/index.ts";
import type { Lang, Reply } from "../../src/reply.ts";
import { forChannel, isAnswerCommand, shareRefusal, type ShareRefusal, type SharePolicy } from "../../src/share.ts";

export const SHARE_KEY = "kpiShare";

export type ShareRequest = { command: string; channel: string };

/** The button's data: command, channel and a signature over them and the asker. */
export function shareData(secret: Buffer, userId: string, request: ShareRequest): Record<string, string> {
  return { [SHARE_KEY]: request.command, kpiChannel: request.channel, kpiSig: shareSignature(secret, userId, request) };
}

function shareSignature(secret: Buffer, userId: string, r: ShareRequest): string {
  return createHmac("sha256", secret).update(`share\n${userId}\n${r.channel}\n${r.command}`).digest("base64url");
}

/** The share a submitted button asks for, if it is one and was made for this user. */
export function readShare(secret: Buffer, userId: string, value: unknown): { ok: true; request: ShareRequest } | { ok: false; reason: "not_a_share" | "bad_signature" } {
  const v = value as Record<string, unknown> | undefined;
  if (!v || typeof v !== "object" || typeof v[SHARE_KEY] !== "string") return { ok: false, reason: "not_a_share" };
  const request = { command: v[SHARE_KEY], channel: typeof v.kpiChannel === "string" ? v.kpiChannel : "" };
  const given = Buffer.from(typeof v.kpiSig === "string" ? v.kpiSig : "");
  const expected = Buffer.from(shareSignature(secret, userId, request));
  if (!request.channel || given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "bad_signature" };
  return { ok: true, request };
}

/** What may be shared (src/share.ts), and how the core reads commands now. */
export type ShareRules = { policy: SharePolicy; calendar: () => ParseContextInput };

/** Off unless the workspace enables leaderboards; the calendar only tells questions from other commands. */
export const DEFAULT_SHARE_RULES: ShareRules = { policy: { leaderboard: false }, calendar: () => ({ now: new Date() }) };

/** Only questions (query, compare) are run again by a share button: never subscribe, alert, unsubscribe. */
export function isShareableCommand(rules: ShareRules, command: string): boolean {
  return isAnswerCommand(command, rules.calendar());
}

/** Whether to offer a share button for this reply. */
export function mayOfferShare(rules: ShareRules, reply: Reply): boolean {
  return shareRefusal(reply, rules.policy) === undefined;
}

/** The reply (asked again by the presser) as the channel may see it, or why it is not posted. */
export function channelShare(rules: ShareRules, reply: Reply): { ok: true; reply: Reply } | { ok: false; refusal: ShareRefusal } {
  const refusal = shareRefusal(reply, rules.policy);
  return refusal ? { ok: false, refusal } : { ok: true, reply: forChannel(reply, rules.policy) };
}

export const shareWords: Record<Lang, { button: string; sharedBy: (who: string) => string; posted: string; aboutYou: string; aboutPerson: string; notAnswer: string; notQuestion: string; notYours: string; failed: string }> = {
  en: {
    button: "Post in channel",
    sharedBy: (who) => `Shared by ${who}`,
    posted: "Posted in the channel.",
    aboutYou: "Answers about yourself stay private, so this was not posted.",
    aboutPerson: "Answers about one person are posted only where leaderboards are enabled (KPI_SHARE_LEADERBOARD), so this was not posted.",
    notAnswer: "Nothing was posted to the channel.",
    notQuestion: "Only answers to questions can be posted; nothing was run or posted.",
    notYours: "This button was made for someone else; nothing was posted.",
    failed: "I could not post in that channel (is kpi-bot still installed there?).",
  },
  zh: {
    button: "发到频道",
    sharedBy: (who) => `由 ${who} 分享`,
    posted: "已发到频道。",
    aboutYou: "关于你本人的回答只对你可见，因此没有发到频道。",
    aboutPerson: "关于单个成员的回答只在启用排行榜（KPI_SHARE_LEADERBOARD）时才能发到频道，因此没有发送。",
    notAnswer: "没有发到频道。",
    notQuestion: "只有提问的回答可以发到频道；没有执行或发送任何内容。",
    notYours: "这个按钮不是给你的，没有发送任何内容。",
    failed: "无法发到该频道（kpi-bot 是否仍在该团队中？）。",
  },
};
