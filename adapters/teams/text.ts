// Inbound Teams activity → the command text the core parses, and the conversation it came from.
import { TurnContext, type Activity } from "botbuilder";

/** Action.Submit buttons carry the follow-up command under this key of their `data`. */
export const SUBMIT_KEY = "kpiCommand";

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", "#39": "'" };

/**
 * The command in a message: a submitted follow-up's command, else the text without the bot's
 * @-mention (other mentions keep their names), HTML tags and entities.
 *
 * @example
 * commandText({ text: "<at>kpi-bot</at> team sales last-quarter", recipient: { id: "28:bot" },
 *   entities: [{ type: "mention", text: "<at>kpi-bot</at>", mentioned: { id: "28:bot", name: "kpi-bot" } }] })
 * // => "team sales last-quarter"
 */
export function commandText(activity: Partial<Activity>): string {
  const value = activity.value as Record<string, unknown> | undefined;
  if (value && typeof value === "object" && typeof value[SUBMIT_KEY] === "string") return value[SUBMIT_KEY].trim();
  // removeRecipientMention edits activity.text in place; work on a copy.
  const copy: Partial<Activity> = { ...activity, text: activity.text ?? "" };
  const text = activity.recipient?.id ? TurnContext.removeRecipientMention(copy) : copy.text;
  return (text ?? "")
    .replace(/<at>(.*?)<\/at>/gi, "$1")
    .replace(/<[^>]*>/g, " ")
    .replace(/&(amp|lt|gt|quot|apos|nbsp|#39);/g, (_m, e: string) => ENTITIES[e] ?? "")
    .replace(/\s+/g, " ")
    .trim();
}

/** A channel's conversation id without the thread suffix, so references name the channel itself. */
export function conversationKey(conversationId: string): string {
  return conversationId.split(";messageid=")[0]!;
}

/** personal | group | channel, from the activity's conversation. */
export function scopeOf(activity: Partial<Activity>): "personal" | "group" | "channel" {
  const type = activity.conversation?.conversationType;
  if (type === "channel") return "channel";
  if (type === "groupChat" || activity.conversation?.isGroup) return "group";
  return "personal";
}
