// Reply → Block Kit. A pure function: the same Reply and options give the same blocks. Slack's
// limits are kept by construction (clip, then "…and N more"), never by failing.
import type { types } from "@slack/bolt";
import { renderTable } from "../text/table.ts";
import type { Reply } from "../../src/reply.ts";
import { words } from "./words.ts";

/** Slack's documented Block Kit limits, and our budget for a whole message. */
export const LIMITS = {
  messageBlocks: 50,
  homeBlocks: 100,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  header: 150,
  buttonText: 75,
  buttonValue: 2000,
  altText: 2000,
  imageTitle: 2000,
  actionsElements: 25,
  contextElements: 10,
  /** JSON characters of all blocks. Slack fails around 13k (`msg_blocks_too_long`); stay well under. */
  blocksChars: 11_000,
} as const;

const entities = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * Mrkdwn has no backslash escape, so formatting characters become look-alikes that Slack does not
 * parse: `*` → `∗`, `~` → `∼`, `` ` `` → `ˋ`, and `_` → `ˍ` unless it sits inside a word
 * (`ann_lee@acme.test` stays as typed; Slack does not format there).
 */
const inert = (s: string) =>
  s.replace(/\*/g, "∗").replace(/~/g, "∼").replace(/`/g, "ˋ").replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, "ˍ");

/**
 * Escape text that did not come from us (names, team labels, anything from the CRM, the core's
 * sentences around them) for mrkdwn: `&`, `<`, `>` as entities, so nothing becomes a link
 * (`<https://evil.example|x>`), a mention or @channel; and `*`, `_`, `~`, backticks so nothing
 * becomes bold, italic, struck or code. `codeSpans`: keep `` `…` `` spans of the core's own help
 * (commands to copy), escaping only entities inside them.
 *
 * @example
 * escapeMrkdwn("[Click me](https://evil.example/x) **CEO**") // "[Click me](https://evil.example/x) ∗∗CEO∗∗"
 */
export function escapeMrkdwn(s: string, options: { codeSpans?: boolean } = {}): string {
  if (!options.codeSpans) return inert(entities(s));
  return s
    .split(/(`[^`\n]+`)/)
    .map((part, i) => (i % 2 === 1 ? entities(part) : inert(entities(part))))
    .join("");
}

/** Cut escaped mrkdwn to `max` characters (with "…") without splitting an entity or a surrogate pair. */
export function cutEscaped(s: string, max: number): string {
  if (s.length <= max) return s;
  if (max <= 1) return max === 1 ? "…" : "";
  let t = s.slice(0, max - 1).replace(/&[a-z]{0,4}$/, "");
  if (/[\ud800-\udbff]$/.test(t)) t = t.slice(0, -1);
  return t + "…";
}

/** Plain text (headers, buttons, alt text) cut to `max` characters, whitespace collapsed. */
export function clipPlain(s: string, max: number, fallback = "—"): string {
  const t = s.replace(/\s+/g, " ").trim() || fallback;
  if (t.length <= max) return t;
  const cut = t.slice(0, Math.max(0, max - 1));
  return (/[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut) + "…";
}

const clipMrkdwn = (raw: string, max: number, options: { codeSpans?: boolean } = {}) => cutEscaped(escapeMrkdwn(raw, options), max);

/**
 * A mrkdwn text object. `verbatim`: Slack does not auto-link URLs or channel names in it (a URL in
 * an imported name stays text); explicit `<@U…>` mentions that we write still work.
 */
const md = (text: string): types.MrkdwnElement => ({ type: "mrkdwn", text, verbatim: true });

/** Only our own help and linking instructions keep their `command` code spans. */
const ownProse = (reply: Reply) => reply.kind === "help" || reply.kind === "unlinked";

/** As many items as fit in `max` characters, then `more(n)` for the rest. Items are escaped mrkdwn. */
export function fitItems(items: readonly string[], max: number, more: (n: number) => string, sep = "\n"): string {
  let out = "";
  for (let i = 0; i < items.length; i++) {
    const item = (i > 0 ? sep : "") + items[i];
    const rest = items.length - i - 1;
    const tail = rest > 0 ? sep + more(rest) : "";
    if (out.length + item.length + tail.length <= max) {
      out += item;
      continue;
    }
    // Does not fit: close with how many were left out (clipping the first item if even that is too long).
    const left = items.length - i;
    const note = (i > 0 ? sep : "") + more(left);
    if (i === 0) {
      const first = cutEscaped(items[0]!, max - (rest > 0 ? sep.length + more(rest).length : 0));
      return first.length > 1 ? first + tail : cutEscaped(more(left), max);
    }
    return out.length + note.length <= max ? out + note : cutEscaped(out + note, max);
  }
  return out;
}

export type ChartImage =
  | { fileId: string; title: string; altText: string }
  | { unavailable: true; title: string };

export type BlocksOptions = {
  /** Uploaded charts (slack_file ids) or the ones whose upload failed, in the reply's order. */
  charts?: readonly ChartImage[];
  /** Offer a "Post to channel" button with this value (the signed command, adapters/slack/share.ts). */
  shareValue?: string | undefined;
  /** Buttons for the reply's follow-ups (default true). */
  followUps?: boolean;
  /** A Slack user id: the message was posted to a channel by them. */
  sharedBy?: string | undefined;
  /** Say "only you can see this" (default: private answers that are not shared). */
  privateNote?: boolean;
  /** Extra context lines (already-worded notes), escaped here. */
  notes?: readonly string[];
  maxBlocks?: number;
  maxChars?: number;
};

export const ACTION_RUN = "kpi_run";
export const ACTION_SHARE = "kpi_share";
/** Follow-up buttons are `kpi_run_0`, `kpi_run_1`, … (action ids are unique within a message). */
export const ACTION_RUN_PATTERN = /^kpi_run_\d+$/;

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,30}$/;
const MAX_IMAGES = 5;

type Budget = { summary: number; field: number; table: number; flags: number; alt: number };

// Tried in order until the blocks fit the character budget: table and flags give way first.
const SCALES: [other: number, bulk: number][] = [
  [1, 1], [1, 0.75], [1, 0.5], [1, 0.35], [1, 0.25], [1, 0.15], [0.75, 0.1], [0.5, 0.1], [0.3, 0.05], [0.15, 0], [0.05, 0],
];

/**
 * @example
 * const { text, blocks } = replyToBlocks(reply, { charts: [{ fileId: "F0123ABCD", title, altText }], shareValue: shareValue(key, user, channel, "team alpha sales q3") });
 * await respond({ response_type: "ephemeral", text, blocks });
 */
export function replyToBlocks(reply: Reply, options: BlocksOptions = {}): { text: string; blocks: types.KnownBlock[] } {
  const maxBlocks = Math.min(options.maxBlocks ?? LIMITS.messageBlocks, LIMITS.homeBlocks);
  const maxChars = options.maxChars ?? LIMITS.blocksChars;
  const text = clipMrkdwn(`${reply.title}${reply.summary ? ` — ${reply.summary}` : ""}`, 500);
  for (const [other, bulk] of SCALES) {
    const budget: Budget = {
      summary: Math.max(120, Math.floor(LIMITS.sectionText * other)),
      field: Math.max(40, Math.floor(500 * other)),
      table: Math.floor(LIMITS.sectionText * bulk),
      flags: Math.floor(LIMITS.sectionText * bulk),
      alt: Math.max(80, Math.floor(LIMITS.altText * other)),
    };
    const blocks = capBlocks(build(reply, options, budget), maxBlocks, reply);
    if (JSON.stringify(blocks).length <= maxChars) return { text, blocks };
  }
  // Only an absurd reply gets here (hundreds of huge buttons): say what it is and stop.
  const minimal: types.KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: clipPlain(reply.title, LIMITS.header, "kpi-bot"), emoji: true } },
    { type: "section", text: md(clipMrkdwn(reply.summary || "…", Math.min(1000, Math.max(100, maxChars / 4)), { codeSpans: ownProse(reply) })) },
  ];
  return { text, blocks: minimal };
}

function capBlocks(blocks: types.KnownBlock[], maxBlocks: number, reply: Reply): types.KnownBlock[] {
  if (blocks.length <= maxBlocks) return blocks;
  const kept = blocks.slice(0, maxBlocks - 1);
  const more = words(reply.lang).more(blocks.length - kept.length);
  return [...kept, { type: "context", elements: [md(escapeMrkdwn(more))] }];
}

function build(reply: Reply, o: BlocksOptions, b: Budget): types.KnownBlock[] {
  const w = words(reply.lang);
  const blocks: types.KnownBlock[] = [];
  blocks.push({ type: "header", text: { type: "plain_text", text: clipPlain(reply.title, LIMITS.header, "kpi-bot"), emoji: true } });
  if (reply.summary.trim()) blocks.push({ type: "section", text: md(clipMrkdwn(reply.summary, b.summary, { codeSpans: ownProse(reply) })) });

  if (reply.facts.length > 0) {
    const shown = reply.facts.length > LIMITS.fields ? reply.facts.slice(0, LIMITS.fields - 1) : reply.facts;
    const fields: types.MrkdwnElement[] = shown.map((f) => {
      const arrow = f.delta ? ` ${f.delta.direction === "up" ? "▲" : f.delta.direction === "down" ? "▼" : "="} ${escapeMrkdwn(f.delta.text)}` : "";
      const label = f.label.trim() ? `*${clipMrkdwn(f.label, Math.floor(b.field / 3))}*\n` : "";
      return md(cutEscaped(`${label}${escapeMrkdwn(f.value) || "—"}${arrow}`, Math.min(b.field, LIMITS.fieldText)));
    });
    if (shown.length < reply.facts.length) fields.push(md(escapeMrkdwn(w.more(reply.facts.length - shown.length))));
    blocks.push({ type: "section", fields });
  }

  const table = reply.table && reply.table.rows.length > 0 ? tableText(reply.table, b.table, w.more) : "";
  if (table) blocks.push({ type: "section", text: md(table) });

  if (reply.flags.length > 0 && b.flags > 0) {
    const items = reply.flags.map(
      (f) => `${f.kind === "low" ? "⚠️" : "⭐"} *${escapeMrkdwn(f.subject)}* — ${escapeMrkdwn(f.reason)}\n      → ${escapeMrkdwn(f.advice)}`,
    );
    const flags = fitItems(items, b.flags, (n) => escapeMrkdwn(w.moreFlags(n)));
    if (flags) blocks.push({ type: "section", text: md(flags) });
  }

  const charts = o.charts ?? [];
  for (const c of charts.slice(0, MAX_IMAGES)) {
    if ("fileId" in c) {
      blocks.push({
        type: "image",
        slack_file: { id: c.fileId },
        alt_text: clipPlain(c.altText, Math.min(b.alt, LIMITS.altText), c.title || "chart"),
        title: { type: "plain_text", text: clipPlain(c.title, LIMITS.header, "chart") },
      });
    }
  }
  const notes: string[] = [];
  // Words are ours (no user text): they are mrkdwn as written.
  if (charts.some((c) => "unavailable" in c)) notes.push(w.chartUnavailable);

  const buttons: types.Button[] = [];
  if (o.followUps ?? true) {
    reply.followUps.forEach((f, i) => {
      if (f.command.length === 0 || f.command.length > LIMITS.buttonValue) return;
      buttons.push({
        type: "button",
        action_id: `${ACTION_RUN}_${i}`,
        text: { type: "plain_text", text: clipPlain(f.label || f.command, LIMITS.buttonText), emoji: true },
        value: f.command,
      });
    });
  }
  if (o.shareValue !== undefined && o.shareValue.length <= LIMITS.buttonValue) {
    buttons.push({
      type: "button",
      action_id: ACTION_SHARE,
      style: "primary",
      text: { type: "plain_text", text: clipPlain(w.postToChannel, LIMITS.buttonText), emoji: true },
      value: o.shareValue || " ",
    });
  }
  for (let i = 0; i < buttons.length; i += LIMITS.actionsElements) {
    blocks.push({ type: "actions", elements: buttons.slice(i, i + LIMITS.actionsElements) });
  }

  for (const n of o.notes ?? []) notes.push(cutEscaped(escapeMrkdwn(n), 500));
  if (o.sharedBy) notes.push(w.sharedBy(SLACK_USER_ID.test(o.sharedBy) ? `<@${o.sharedBy}>` : escapeMrkdwn(o.sharedBy)));
  else if (o.privateNote ?? (reply.kind === "answer" && reply.visibility === "private")) notes.push(w.privateNote);
  if (notes.length > 0) {
    blocks.push({ type: "context", elements: notes.slice(0, LIMITS.contextElements).map(md) });
  }
  return blocks;
}

/** The table monospaced (escaped, no backticks inside), with as many rows as fit in `max`. */
function tableText(table: NonNullable<Reply["table"]>, max: number, more: (n: number) => string): string {
  const clean = (s: string) => s.replace(/`/g, "ˋ").replace(/[\r\n\t]+/g, " ");
  const columns = table.columns.map(clean);
  const rows = table.rows.map((r) => r.map(clean));
  const render = (k: number) => {
    const code = "```\n" + escapeMrkdwn(renderTable(columns, rows.slice(0, k), table.align)) + "\n```";
    return k < rows.length ? `${code}\n${escapeMrkdwn(more(rows.length - k))}` : code;
  };
  if (render(rows.length).length <= max) return render(rows.length);
  // Longest prefix of rows that fits: the text only grows with k, so search.
  let lo = 0;
  let hi = rows.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (render(mid).length <= max) lo = mid;
    else hi = mid - 1;
  }
  if (lo > 0) return render(lo);
  const note = escapeMrkdwn(more(rows.length));
  return note.length <= max ? note : "";
}
