// npm run ask -- --user <email> "<command>" [--json] [--now ISO]
// One command as one user, for scripts: prints the reply as text, or the Reply as JSON.
import { parseArgs } from "node:util";
import { UsageError, runMain } from "../../scripts/cli.ts";
import { startRuntime } from "../../src/runtime.ts";
import { renderReply } from "./render.ts";

await runMain(async () => {
  const { values, positionals } = parseArgs({
    options: { user: { type: "string" }, json: { type: "boolean" }, now: { type: "string" }, png: { type: "string" } },
    allowPositionals: true,
  });
  const text = positionals.join(" ").trim();
  if (!text) throw new UsageError('usage: npm run ask -- --user <email> "<command>" [--json] [--now ISO]');
  if (values.now && Number.isNaN(Date.parse(values.now))) throw new UsageError(`--now '${values.now}' is not an ISO date-time`);
  const rt = await startRuntime({ now: values.now });
  try {
    const user = values.user ?? rt.config.KPI_USER;
    if (!user) throw new UsageError("say who is asking: --user <email> (or set KPI_USER)");
    const reply = await rt.bot.handle({ platform: "console", userId: user, text });
    process.stdout.write(values.json ? JSON.stringify(reply, null, 2) + "\n" : renderReply(reply) + "\n");
    return reply.kind === "answer" || reply.kind === "help" ? 0 : 1;
  } finally {
    await rt.close();
  }
});
