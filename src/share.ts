// What "Post to channel" may publish, on every platform. Coaching is private: a shared answer
// never carries low flags, their reasons or advice (nor the follow-ups built from them), and
// carries per-person rows (tables, bars, distributions) only where the workspace enables
// leaderboards (KPI_SHARE_LEADERBOARD); otherwise aggregates and top performers' names only.
import { parseCommand, type ParseContextInput } from "./command/index.ts";
import { messages } from "./i18n/messages.ts";
import { isShareable, type Reply } from "./reply.ts";

export type SharePolicy = { leaderboard: boolean };

/**
 * Share buttons run their command again, so only questions (query, compare) may be shared:
 * never a command that changes something (subscribe, alert, unsubscribe).
 *
 * @example
 * isAnswerCommand("team east sales last-quarter", { now }) // true
 * isAnswerCommand("subscribe weekly team east", { now })   // false
 */
export function isAnswerCommand(text: string, ctx: ParseContextInput): boolean {
  const parsed = parseCommand(text, ctx);
  return parsed.ok && (parsed.command.kind === "query" || parsed.command.kind === "compare");
}

export type ShareRefusal = "not_answer" | "about_you" | "about_person";

/**
 * Why this reply (asked again by the sharer) may not be posted, or undefined when it may: an
 * answer about a group, or about another person where leaderboards are on.
 */
export function shareRefusal(reply: Reply, policy: SharePolicy): ShareRefusal | undefined {
  if (reply.kind !== "answer") return "not_answer";
  if (!isShareable(reply)) return "about_you";
  if (reply.about === "person" && !policy.leaderboard) return "about_person";
  return undefined;
}

/**
 * The reply as a channel may see it.
 *
 * @example
 * await api.postMessage(channel, replyToBlocks(forChannel(reply, { leaderboard: false })));
 */
export function forChannel(reply: Reply, policy: SharePolicy): Reply {
  const t = messages(reply.lang);
  const low = reply.flags.filter((f) => f.kind === "low").length;
  const tops = reply.flags.filter((f) => f.kind === "top").map((f) => f.subject);
  const count = t.flagCount(low, tops.length);
  const summary = reply.summary.endsWith(count) ? reply.summary.slice(0, -count.length) : reply.summary;
  const facts = tops.length > 0 ? [...reply.facts, { label: t.topPerformers, value: tops.join(", ") }] : reply.facts;
  // A channel never gets a file: an export is the asker's alone.
  const { table, figures, export: _file, ...rest } = reply;
  const shared: Reply = { ...rest, summary, facts, flags: [], followUps: [] };
  if (!policy.leaderboard) {
    // Aggregates only: the trend of the group's total stays, every per-person chart goes.
    return {
      ...shared,
      charts: reply.charts.filter((c) => c.kind === "trend"),
      ...(figures ? { figures: { ...figures, rows: [] } } : {}),
    };
  }
  return {
    ...shared,
    ...(table ? { table: withoutLowMarks(table, t) } : {}),
    ...(figures ? { figures } : {}),
    charts: reply.charts.map((c) => (c.kind === "bar" ? { ...c, bars: c.bars.map((b) => ({ ...b, flag: b.flag === "low" ? null : b.flag })) } : c)),
  };
}

/** The table without its flag column (and no cell that says "low", whatever its column). */
function withoutLowMarks(table: NonNullable<Reply["table"]>, t: { flag: string; lowFlag: string }): NonNullable<Reply["table"]> {
  const keep = table.columns.map((c) => c !== t.flag);
  const pick = <T,>(xs: T[]) => xs.filter((_, i) => keep[i] ?? true);
  return {
    columns: pick(table.columns),
    align: pick(table.align),
    rows: table.rows.map((r) => pick(r).map((cell) => (cell === t.lowFlag ? "" : cell))),
  };
}
