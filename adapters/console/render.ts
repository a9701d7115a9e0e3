// Reply → terminal text. Only translation; the figures were decided in src/.
import type { Reply } from "../../src/reply.ts";
import { pad, renderTable, width } from "../text/table.ts";

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
