// Slack's Block Kit limits as a checker, written from Slack's reference independently of the
// renderer's LIMITS (so a wrong constant there cannot hide here). Used by the fake Slack too.
type Obj = Record<string, unknown>;

const str = (v: unknown) => (typeof v === "string" ? v : undefined);

export const SLACK_FILE_ID = /^F[A-Z0-9]{8,}$/;

export function blockKitProblems(blocks: unknown, { maxBlocks = 50, maxChars = 12_000 }: { maxBlocks?: number; maxChars?: number } = {}): string[] {
  const problems: string[] = [];
  if (!Array.isArray(blocks)) return ["blocks is not an array"];
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks > ${maxBlocks}`);
  const json = JSON.stringify(blocks).length;
  if (json > maxChars) problems.push(`blocks are ${json} characters > ${maxChars}`);
  const actionIds = new Set<string>();
  const text = (where: string, t: unknown, max: number, kind?: "plain_text" | "mrkdwn") => {
    const o = t as Obj | undefined;
    const s = str(o?.text);
    if (!o || s === undefined) return problems.push(`${where}: no text`);
    if (kind && o.type !== kind) problems.push(`${where}: type ${String(o.type)} is not ${kind}`);
    if (s.length < 1 || s.length > max) problems.push(`${where}: text length ${s.length} not in 1..${max}`);
  };
  blocks.forEach((raw, i) => {
    const b = raw as Obj;
    const at = `blocks[${i}] (${String(b.type)})`;
    switch (b.type) {
      case "header":
        text(at, b.text, 150, "plain_text");
        break;
      case "section": {
        if (b.text === undefined && b.fields === undefined) problems.push(`${at}: neither text nor fields`);
        if (b.text !== undefined) text(at, b.text, 3000);
        if (b.fields !== undefined) {
          const fields = b.fields as unknown[];
          if (!Array.isArray(fields) || fields.length < 1 || fields.length > 10) problems.push(`${at}: ${String((fields as unknown[])?.length)} fields not in 1..10`);
          else fields.forEach((f, j) => text(`${at}.fields[${j}]`, f, 2000));
        }
        break;
      }
      case "image": {
        const alt = str(b.alt_text);
        if (!alt || alt.length > 2000) problems.push(`${at}: alt_text length ${alt?.length} not in 1..2000`);
        const file = b.slack_file as Obj | undefined;
        if (file) {
          if (!SLACK_FILE_ID.test(str(file.id) ?? "")) problems.push(`${at}: slack_file id ${String(file.id)} is not F + 8 or more capitals/digits`);
        } else if (!str(b.image_url)) problems.push(`${at}: neither slack_file nor image_url`);
        if (b.title !== undefined) text(`${at}.title`, b.title, 2000, "plain_text");
        break;
      }
      case "actions": {
        const els = b.elements as Obj[];
        if (!Array.isArray(els) || els.length < 1 || els.length > 25) problems.push(`${at}: ${els?.length} elements not in 1..25`);
        for (const [j, e] of (els ?? []).entries()) {
          if (e.type !== "button") continue;
          text(`${at}.elements[${j}]`, e.text, 75, "plain_text");
          const value = str(e.value);
          if (value !== undefined && value.length > 2000) problems.push(`${at}.elements[${j}]: value length ${value.length} > 2000`);
          const id = str(e.action_id) ?? "";
          if (id.length < 1 || id.length > 255) problems.push(`${at}.elements[${j}]: action_id length`);
          if (actionIds.has(id)) problems.push(`${at}: duplicate action_id ${id}`);
          actionIds.add(id);
        }
        break;
      }
      case "context": {
        const els = b.elements as unknown[];
        if (!Array.isArray(els) || els.length < 1 || els.length > 10) problems.push(`${at}: ${els?.length} elements not in 1..10`);
        else els.forEach((e, j) => text(`${at}.elements[${j}]`, e, 3000));
        break;
      }
      case "divider":
        break;
      default:
        problems.push(`${at}: unexpected block type`);
    }
  });
  return problems;
}

/** Every slack_file id in the blocks. */
export function slackFileIds(blocks: unknown): string[] {
  if (!Array.isArray(blocks)) return [];
  return blocks.flatMap((b: Obj) => (b.type === "image" && b.slack_file ? [String((b.slack_file as Obj).id)] : []));
}

/** All mrkdwn/plain text in the blocks, joined (for "contains" assertions). */
export function blocksText(blocks: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      const o = v as Obj;
      if (typeof o.text === "string") out.push(o.text);
      for (const [k, x] of Object.entries(o)) if (k !== "text" || typeof x !== "string") walk(x);
    }
  };
  walk(blocks);
  return out.join("\n");
}

/** Only the mrkdwn texts (what Slack parses for mentions, links and entities). */
export function mrkdwnText(blocks: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      const o = v as Obj;
      if (o.type === "mrkdwn" && typeof o.text === "string") out.push(o.text);
      else Object.values(o).forEach(walk);
    }
  };
  walk(blocks);
  return out.join("\n");
}
