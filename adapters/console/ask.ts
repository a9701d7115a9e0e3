// npm run ask -- --user <email> "<command>" [--json] [--now ISO] [--png <dir>] [--out <dir>]
// One command as one user, for scripts: prints the reply as text, or the Reply as JSON; with
// --png the reply's charts are written as PNG files into <dir> (NN-<command>-<i>-<kind>.png, a new
// NN per command, nothing overwritten) and their paths printed. A command with `csv` / `xlsx`
// writes its file into --out (default KPI_EXPORT_DIR, ./exports) and prints the path.
import { mkdir } from "node:fs/promises";
import { parseArgs } from "node:util";
import { UsageError, runMain } from "../../src/cli.ts";
import { startRuntime } from "../../src/runtime.ts";
import type { Reply } from "../../src/reply.ts";
import { writeChartFiles } from "./chart-files.ts";
import { exportLine, writeExportFile } from "./export-files.ts";
import { renderReply } from "./render.ts";

async function writeCharts(reply: Reply, dir: string, command: string): Promise<string[]> {
  if (reply.charts.length === 0) return [];
  const { createChartRenderer } = await import("../../src/charts/index.ts");
  const renderer = createChartRenderer();
  await mkdir(dir, { recursive: true });
  const charts = await Promise.all(reply.charts.map(async (spec) => ({ kind: spec.kind, png: await renderer.render(spec) })));
  return writeChartFiles(dir, command, charts);
}

await runMain(async () => {
  const { values, positionals } = parseArgs({
    options: { user: { type: "string" }, json: { type: "boolean" }, now: { type: "string" }, png: { type: "string" }, out: { type: "string" } },
    allowPositionals: true,
  });
  const text = positionals.join(" ").trim();
  if (!text) throw new UsageError('usage: npm run ask -- --user <email> "<command>" [--json] [--now ISO] [--png <dir>] [--out <dir>]');
  if (values.now && Number.isNaN(Date.parse(values.now))) throw new UsageError(`--now '${values.now}' is not an ISO date-time`);
  const rt = await startRuntime({ now: values.now });
  try {
    const user = values.user ?? rt.config.KPI_USER;
    if (!user) throw new UsageError("say who is asking: --user <email> (or set KPI_USER)");
    const reply = await rt.bot.handle({ platform: "console", userId: user, text });
    const chartPaths = values.png ? await writeCharts(reply, values.png, text) : [];
    const file = await writeExportFile(reply, values.out ?? rt.config.KPI_EXPORT_DIR);
    if (values.json) {
      process.stdout.write(JSON.stringify(reply, null, 2) + "\n");
      for (const p of chartPaths) process.stderr.write(`chart: ${p}\n`);
      if (file) process.stderr.write(file.ok ? `file: ${file.path}\n` : `no file: ${file.message}\n`);
    } else {
      process.stdout.write(renderReply(reply, { chartPaths }) + "\n");
      if (file) process.stdout.write(exportLine(file) + "\n");
    }
    if (file && !file.ok) return 1;
    return reply.kind === "answer" || reply.kind === "help" ? 0 : 1;
  } finally {
    await rt.close();
  }
});
