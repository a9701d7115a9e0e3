/** The sync report as text, like the import's cleaning report: one line per object, then refusals. */
import type { ObjectReport, SyncReport } from "./run.ts";

const n = (x: number) => x.toLocaleString("en-US");

/** "deals: 1,200 read, 30 created, 4 updated, 1,160 unchanged, 2 deleted, 4 refused" */
export function objectLine(o: ObjectReport): string {
  const parts = [`${n(o.read)} read`, `${n(o.created)} created`, `${n(o.updated)} updated`, `${n(o.unchanged)} unchanged`, `${n(o.deleted)} deleted`];
  if (o.deactivated > 0) parts.push(`${n(o.deactivated)} made inactive`);
  parts.push(`${n(o.refused)} refused`);
  const state = o.problem !== null ? ` — stopped: ${o.problem}` : o.complete ? "" : " …";
  return `${o.object}: ${parts.join(", ")}${state}`;
}

export function formatSyncReport(r: SyncReport): string {
  const mode = [r.full ? "full" : "incremental", r.dryRun ? "dry run" : null].filter(Boolean).join(", ");
  const out = [`sync ${r.source} (${mode})`];
  if (r.outcome === "refused" || r.outcome === "busy") {
    out.push(`${r.outcome}: ${r.problem}`);
    return out.join("\n");
  }
  for (const o of r.objects) out.push(`  ${objectLine(o)}`);
  const absent = Object.entries(r.deletedAbsent).filter(([, v]) => v !== undefined);
  if (absent.length > 0) out.push(`  deleted, no longer in ${r.source}: ${absent.map(([k, v]) => `${n(v!)} ${k}`).join(", ")}`);
  for (const o of r.objects) {
    if (o.refused === 0) continue;
    out.push(`refused ${o.object} by reason:`);
    const rows = Object.entries(o.refusedByReason).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const width = Math.max(...rows.map(([k]) => k.length));
    out.push(...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${n(v)}`));
    out.push(...o.errors.map((e) => `  ${e.key ?? "(no id)"}${e.column ? `, ${e.column}` : ""}: ${e.message}`));
    const listed = o.errors.length;
    if (o.refused > listed) out.push(`  …and more (${n(o.refused)} records refused in all)`);
  }
  for (const w of r.warnings) out.push(`warning: ${w}`);
  out.push(`took ${(r.elapsedMs / 1000).toFixed(1)} s`);
  if (r.outcome === "failed") out.push(`failed: ${r.problem}; what was synced before stays, and the next run continues from there`);
  if (r.outcome === "checked") out.push("dry run: nothing was stored");
  return out.join("\n");
}
