// Console chat on the local database: the default `npm start` when no Slack/Teams credentials
// are set. On a TTY it prompts; otherwise it answers one command per line and exits at EOF.
import readline from "node:readline";
import type { Runtime } from "../../src/runtime.ts";
import { exportLine, writeExportFile } from "./export-files.ts";
import { renderReply } from "./render.ts";

export async function runConsole(rt: Runtime, input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): Promise<void> {
  const user = rt.config.KPI_USER ?? (await defaultConsoleUser(rt));
  const interactive = (input as { isTTY?: boolean }).isTTY === true;
  const say = (s: string) => output.write(s + "\n");
  if (interactive) {
    for (const n of rt.notes) say(`• ${n}`);
    say(`kpi-bot console — database: ${rt.db.where}; you are ${user ?? "(nobody: set KPI_USER)"}; now: ${rt.now().toISOString()}`);
    say(`Type a command like "/kpi team sales last-quarter" (the /kpi is optional), "help", or "exit".`);
  }
  const rl = readline.createInterface({ input, terminal: interactive, ...(interactive ? { output } : {}) });
  if (interactive) {
    rl.setPrompt("kpi> ");
    rl.prompt();
  }
  for await (const line of rl) {
    const text = line.trim();
    if (text === "exit" || text === "quit") break;
    if (text !== "") {
      const reply = await rt.bot.handle({ platform: "console", userId: user ?? "nobody", text });
      say(renderReply(reply));
      const file = await writeExportFile(reply, rt.config.KPI_EXPORT_DIR).catch((e: unknown) => ({ ok: false as const, message: e instanceof Error ? e.message : String(e) }));
      if (file) say(exportLine(file));
      say("");
    }
    if (interactive) rl.prompt();
  }
  rl.close();
}

/** The first admin of the data (the demo's admin on the demo database). */
async function defaultConsoleUser(rt: Runtime): Promise<string | undefined> {
  const admin = await rt.db.prisma.user.findFirst({ where: { role: "admin", active: true }, orderBy: { id: "asc" }, select: { email: true } });
  return admin?.email;
}
