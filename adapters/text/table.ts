// Monospaced text tables, shared by the renderers that print one (the console, Slack code blocks).
// East Asian wide characters count as two columns so rows stay aligned.

/** Display width of a string in a monospaced font (CJK and full-width forms count 2). */
export const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);
export const pad = (s: string, n: number, right: boolean) => (right ? " ".repeat(Math.max(0, n - width(s))) + s : s + " ".repeat(Math.max(0, n - width(s))));

export function renderTable(columns: string[], rows: string[][], align: ("left" | "right")[]): string {
  const widths = columns.map((c, i) => Math.max(width(c), ...rows.map((r) => width(r[i] ?? ""))));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i]!, align[i] === "right")).join("  ").trimEnd();
  return [line(columns), widths.map((w) => "─".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}
