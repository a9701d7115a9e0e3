// Reply → Adaptive Card 1.5 (the highest version Teams renders). Pure: the images arrive as URLs
// (https or data:) chosen by the caller; only translation happens here, the figures were decided
// in src/.
import type { Fact, Reply, Table } from "../../src/reply.ts";
import { markdownText } from "./markdown.ts";
import { SUBMIT_KEY } from "./text.ts";

export const ADAPTIVE_CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";

/** Teams shows at most six buttons on a card; keep one spare. */
export const MAX_ACTIONS = 5;
export const DEFAULT_MAX_TABLE_ROWS = 25;
export const MAX_FLAGS = 12;

type TextBlock = {
  type: "TextBlock";
  text: string;
  wrap: true;
  size?: "Small" | "Default" | "Medium" | "Large";
  weight?: "Bolder";
  color?: "Good" | "Attention" | "Warning" | "Accent";
  isSubtle?: true;
  spacing?: "None" | "Small" | "Medium";
  style?: "heading";
};
type FactSet = { type: "FactSet"; facts: { title: string; value: string }[] };
type TableCell = { type: "TableCell"; items: TextBlock[] };
type TableElement = {
  type: "Table";
  columns: { width: number; horizontalCellContentAlignment: "Left" | "Right" }[];
  rows: { type: "TableRow"; cells: TableCell[]; style?: "accent" }[];
  firstRowAsHeader: true;
  showGridLines: boolean;
  gridStyle: "accent";
  spacing: "Medium";
};
type Container = { type: "Container"; items: TextBlock[]; style?: "attention" | "good"; spacing?: "Small" | "Medium" };
type Image = { type: "Image"; url: string; altText: string; size: "Stretch"; spacing: "Medium" };
export type CardElement = TextBlock | FactSet | TableElement | Container | Image;
export type SubmitAction = { type: "Action.Submit"; title: string; data: Record<string, string> };
/** Opens a link in the browser: the download of an exported answer. */
export type OpenUrlAction = { type: "Action.OpenUrl"; title: string; url: string };

export type AdaptiveCard = {
  type: "AdaptiveCard";
  $schema: "http://adaptivecards.io/schemas/adaptive-card.json";
  version: "1.5";
  lang: string;
  fallbackText: string;
  body: CardElement[];
  actions?: (SubmitAction | OpenUrlAction)[];
  msteams: { width: "Full" };
};

export type CardImage = { url: string; altText: string };

export type CardOptions = {
  /** One per chart, in the reply's order (https URL or data: URI). */
  images?: CardImage[];
  /** Rows of the table to show; a longer table keeps its first and last rows around a gap. */
  maxTableRows?: number;
  /** A "Post in channel" button (first), for a private answer the asker may share. */
  share?: { title: string; data: Record<string, string> } | undefined;
  /** Small lines at the end, e.g. "Shared by Mia". */
  notes?: string[] | undefined;
  /** A download button (first of all), for an exported answer's signed link. */
  download?: { title: string; url: string } | undefined;
};

const words = {
  en: { more: (n: number) => `⋯ ${n} more ⋯`, shown: (k: number, n: number) => `Showing ${k} of ${n} rows.`, private: "Private: figures about individual people, for you only.", moreFlags: (n: number) => `…and ${n} more flagged.` },
  zh: { more: (n: number) => `⋯ 另有 ${n} 行 ⋯`, shown: (k: number, n: number) => `显示 ${k} 行，共 ${n} 行。`, private: "私密：含个人数据，仅你可见。", moreFlags: (n: number) => `……另有 ${n} 人被标记。` },
};

type TextStyle = Omit<TextBlock, "type" | "text" | "wrap">;

/** A TextBlock of our own markdown (only ever built from escaped text). */
const markup = (md: string, extra: TextStyle = {}): TextBlock => ({ type: "TextBlock", text: md, wrap: true, ...extra });

/** A TextBlock showing plain text as is: everything from a reply enters the card through here. */
const text = (t: string, extra: TextStyle = {}): TextBlock => markup(markdownText(t), extra);

/**
 * "$6,000 ▲ +12.4%": the value and its change with an arrow (FactSet values cannot be coloured).
 *
 * @example
 * factValue({ label: "Total", value: "$6,000", delta: { text: "+12.4%", direction: "up", good: true } }) // => "$6,000  ▲ +12.4%"
 */
export function factValue(f: Fact): string {
  if (!f.delta) return f.value;
  const arrow = f.delta.direction === "up" ? "▲" : f.delta.direction === "down" ? "▼" : "＝";
  return `${f.value}  ${arrow} ${f.delta.text}`;
}

/** The rows to show: all when they fit, else the first and last ones with a gap marker between. */
export function visibleRows(rows: readonly string[][], max: number): { rows: string[][]; hidden: number; gapAt: number | null } {
  if (rows.length <= max) return { rows: [...rows], hidden: 0, gapAt: null };
  const head = Math.ceil(max / 2);
  const tail = Math.max(0, max - head);
  return { rows: [...rows.slice(0, head), ...rows.slice(rows.length - tail)], hidden: rows.length - max, gapAt: head };
}

function tableElement(table: Table, max: number, lang: Reply["lang"]): CardElement[] {
  const w = words[lang];
  const cols = table.columns.length;
  const cell = (t: string, header = false): TableCell => ({ type: "TableCell", items: [text(t, header ? { weight: "Bolder" } : {})] });
  const { rows, hidden, gapAt } = visibleRows(table.rows, max);
  const body = rows.map((r) => ({ type: "TableRow" as const, cells: Array.from({ length: cols }, (_, i) => cell(r[i] ?? "")) }));
  if (gapAt !== null) {
    body.splice(gapAt, 0, { type: "TableRow", cells: Array.from({ length: cols }, (_, i) => cell(i === Math.min(1, cols - 1) ? w.more(hidden) : "")) });
  }
  const widest = (i: number) => Math.max(table.columns[i]?.length ?? 0, ...rows.map((r) => [...(r[i] ?? "")].length));
  const el: TableElement = {
    type: "Table",
    // Relative widths from the content, so names get room and ranks do not.
    columns: table.columns.map((_, i) => ({ width: Math.max(1, Math.min(6, Math.round(widest(i) / 4))), horizontalCellContentAlignment: table.align[i] === "right" ? "Right" : "Left" })),
    rows: [{ type: "TableRow", cells: table.columns.map((c) => cell(c, true)) }, ...body],
    firstRowAsHeader: true,
    showGridLines: false,
    gridStyle: "accent",
    spacing: "Medium",
  };
  return hidden > 0 ? [el, text(w.shown(rows.length, table.rows.length), { isSubtle: true, size: "Small", spacing: "Small" })] : [el];
}

/**
 * The Adaptive Card for a reply: title, summary, facts with ▲/▼ changes, the table, flags with
 * reason and advice, the charts, a privacy note, and follow-ups as Action.Submit buttons whose
 * data carries the command.
 */
export function replyToCard(reply: Reply, options: CardOptions = {}): AdaptiveCard {
  const w = words[reply.lang];
  const body: CardElement[] = [text(reply.title, { size: "Medium", weight: "Bolder", style: "heading" })];
  if (reply.summary) body.push(text(reply.summary, { spacing: "Small" }));
  if (reply.facts.length > 0) body.push({ type: "FactSet", facts: reply.facts.map((f) => ({ title: markdownText(f.label), value: markdownText(factValue(f)) })) });
  if (reply.table && reply.table.rows.length > 0) body.push(...tableElement(reply.table, options.maxTableRows ?? DEFAULT_MAX_TABLE_ROWS, reply.lang));
  for (const f of reply.flags.slice(0, MAX_FLAGS)) {
    const low = f.kind === "low";
    body.push({
      type: "Container",
      style: low ? "attention" : "good",
      spacing: "Small",
      items: [
        markup(`${low ? "⚠" : "★"} **${markdownText(f.subject)}**: ${markdownText(f.reason)}`, { color: low ? "Attention" : "Good" }),
        text(`→ ${f.advice}`, { isSubtle: true, spacing: "None" }),
      ],
    });
  }
  if (reply.flags.length > MAX_FLAGS) body.push(text(w.moreFlags(reply.flags.length - MAX_FLAGS), { isSubtle: true, size: "Small" }));
  for (const img of options.images ?? []) body.push({ type: "Image", url: img.url, altText: img.altText, size: "Stretch", spacing: "Medium" });
  for (const note of options.notes ?? []) body.push(text(note, { isSubtle: true, size: "Small" }));
  if (reply.kind === "answer" && reply.visibility === "private" && !options.notes?.length) body.push(text(w.private, { isSubtle: true, size: "Small" }));
  const card: AdaptiveCard = {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: "1.5",
    lang: reply.lang === "zh" ? "zh-CN" : "en",
    fallbackText: reply.summary || reply.title,
    body,
    msteams: { width: "Full" },
  };
  const download: OpenUrlAction[] = options.download ? [{ type: "Action.OpenUrl", title: options.download.title, url: options.download.url }] : [];
  const share: SubmitAction[] = options.share ? [{ type: "Action.Submit", title: options.share.title, data: options.share.data }] : [];
  const first = [...download, ...share];
  const actions = [
    ...first,
    ...reply.followUps.slice(0, MAX_ACTIONS - first.length).map((f): SubmitAction => ({ type: "Action.Submit", title: f.label, data: { [SUBMIT_KEY]: f.command } })),
  ];
  if (actions.length > 0) card.actions = actions;
  return card;
}

/** A message activity carrying one card. */
export function cardActivity(card: AdaptiveCard, summary: string) {
  return { type: "message" as const, summary, attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card }] };
}

/** UTF-8 bytes of an activity as sent (what Teams' ~100 kB message limit counts). */
export function activityBytes(activity: object): number {
  return Buffer.byteLength(JSON.stringify(activity), "utf8");
}
