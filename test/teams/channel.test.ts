// With an app id, only the Teams channel is served: Direct Line and Web Chat let clients pick `from.id`.
import { TestAdapter, TurnContext } from "botbuilder";
import { describe, expect, it } from "vitest";
import { KpiTeamsBot, type TeamsBotDeps } from "../../adapters/teams/bot.ts";
import { silentLogger } from "../../src/log.ts";

function botWith(teamsOnly: boolean, tenantId?: string) {
  const identified: string[] = [];
  const deps = {
    core: {} as TeamsBotDeps["core"],
    compose: {} as TeamsBotDeps["compose"],
    messenger: {} as TeamsBotDeps["messenger"],
    identify: async (ctx: TurnContext) => {
      identified.push(String(ctx.activity.channelId));
      throw new Error("stop here");
    },
    shareSecret: Buffer.alloc(32),
    teamsOnly,
    serviceUrlAllowed: () => true,
    ...(tenantId ? { tenantId } : {}),
    logger: silentLogger(),
  } satisfies TeamsBotDeps;
  return { bot: new KpiTeamsBot(deps), identified };
}

const activity = (channelId: string, tenant = "t-ours") => ({ type: "message", channelId, serviceUrl: "https://smba.trafficmanager.net/amer/", channelData: { tenant: { id: tenant } }, text: "me sales", from: { id: "ann", name: "Ann" }, conversation: { id: "c1", name: "c", isGroup: false, conversationType: "personal" }, recipient: { id: "bot", name: "kpi-bot" } });

describe("which Bot Framework channels are served", () => {
  it("ignores activities from other channels when running against Azure", async () => {
    const { bot, identified } = botWith(true);
    await bot.run(new TurnContext(new TestAdapter(), activity("directline")));
    expect(identified).toEqual([]);
    await bot.run(new TurnContext(new TestAdapter(), activity("msteams"))).catch(() => {});
    expect(identified).toEqual(["msteams"]);
  });
  it("a single-tenant bot ignores other tenants' users", async () => {
    const { bot, identified } = botWith(true, "t-ours");
    await bot.run(new TurnContext(new TestAdapter(), activity("msteams", "t-theirs")));
    expect(identified).toEqual([]);
    await bot.run(new TurnContext(new TestAdapter(), activity("msteams", "t-ours"))).catch(() => {});
    expect(identified).toEqual(["msteams"]);
  });

  it("serves the emulator in local mode", async () => {
    const { bot, identified } = botWith(false);
    await bot.run(new TurnContext(new TestAdapter(), activity("emulator"))).catch(() => {});
    expect(identified).toEqual(["emulator"]);
  });
});
