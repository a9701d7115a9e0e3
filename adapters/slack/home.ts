// The App Home tab: the viewer's own standing this month and this quarter, and their subscriptions.
import type { types } from "@slack/bolt";
import type { Reply } from "../../src/reply.ts";
import { LIMITS, replyToBlocks } from "./blocks.ts";
import { words } from "./words.ts";

/** What the Home tab asks the core, as the viewer (the core checks access like any command). */
export const HOME_COMMANDS = { month: "me sales this month", quarter: "me sales this quarter", subscriptions: "subscriptions" } as const;

/**
 * @example
 * await client.views.publish({ user_id, view: { type: "home", blocks: homeBlocks({ month, quarter }) } });
 */
export function homeBlocks(answers: { month: Reply; quarter?: Reply | undefined; subscriptions?: Reply | undefined }): types.KnownBlock[] {
  const lang = answers.month.lang;
  const w = words(lang);
  const blocks: types.KnownBlock[] = [{ type: "header", text: { type: "plain_text", text: w.homeTitle, emoji: true } }];
  const section = (label: string, reply: Reply) => {
    blocks.push({ type: "section", text: { type: "mrkdwn", text: `*${label}*` } });
    // Home has room for 100 blocks; each answer gets a bounded share so the view stays small.
    blocks.push(...replyToBlocks(reply, { followUps: false, privateNote: false, maxBlocks: 20, maxChars: 4_000 }).blocks);
    blocks.push({ type: "divider" });
  };
  if (answers.month.kind !== "answer" || !answers.quarter) {
    // Unlinked, denied or an error: say it once.
    blocks.push(...replyToBlocks(answers.month, { followUps: false, privateNote: false, maxBlocks: 20, maxChars: 4_000 }).blocks);
    blocks.push({ type: "divider" });
  } else {
    section(w.homeThisMonth, answers.month);
    section(w.homeThisQuarter, answers.quarter);
  }
  const subs = answers.subscriptions;
  if (subs && (subs.kind === "answer" || subs.kind === "help")) {
    // The core's list of the viewer's digests and alerts, rendered like any reply.
    blocks.push({ type: "section", text: { type: "mrkdwn", text: `*${w.homeSubscriptionsTitle}*` } });
    blocks.push(...replyToBlocks(subs, { followUps: false, privateNote: false, maxBlocks: 20, maxChars: 4_000 }).blocks.filter((b) => b.type !== "header"));
  } else {
    // Scheduling is not set up here (or failed): say where subscriptions will appear.
    blocks.push({ type: "section", text: { type: "mrkdwn", text: `*${w.homeSubscriptionsTitle}*\n${w.homeSubscriptionsNone}` } });
  }
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: w.homeHint }] });
  return blocks.slice(0, LIMITS.homeBlocks);
}
