// Reply → terminal text. Only translation; the figures were decided in src/.
import type { Reply } from "../../src/reply.ts";

const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);
const pad = (s: string, n: number, right: boolean) => (right ? " ".repeat(Math.max(0, n - width(s))) + s : s + " ".repeat(Math.max(0, n - width(s))));

export function renderTable(columns: string[], rows: string[][], align: ("left" | "right")[]): string {
  const widths = columns.map((c, i) => Math.max(width(c), ...rows.map((r) => width(r[i] ?? ""))));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i]!, align[i] === "right")).join("  ").trimEnd();
  return [line(columns), widths.map((w) => "─".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export function renderReply(reply: Reply, options: { chartPaths?: string[] } = {}): string {
  const out: string[] = [];
  out.push(`== ${reply.title} ==`);
  if (reply.summary) out.push(reply.summary);
  if (reply.facts.length > 0) {
    const w = Math.max(...reply.facts.map((f) => width(f.label)));
    out.push("", ...reply.facts.map((f) => {
      const arrow = f.delta ? ` ${f.delta.direction === "up" ? "▲" : f.delta.direction === "down" ? "▼" : "="} ${f.delta.text}` : "";
      return `  ${pad(f.label, w, false)}  ${f.value}${arrow}`;
    }));
  }
  if (reply.table) out.push("", renderTable(reply.table.columns, reply.table.rows, reply.table.align));
  if (reply.flags.length > 0) {
    out.push("");
    for (const f of reply.flags) out.push(`${f.kind === "low" ? "⚠" : "★"} ${f.subject}: ${f.reason}`, `    → ${f.advice}`);
  }
  for (const p of options.chartPaths ?? []) out.push(`[chart] ${p}`);
  if (reply.followUps.length > 0) out.push("", "Next: " + reply.followUps.map((f) => f.command).join("  |  "));
  if (reply.kind === "answer" && reply.visibility === "private") out.push("(private: figures about individual people)");
  return out.join("\n");
}
