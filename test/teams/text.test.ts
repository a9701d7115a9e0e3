import { describe, expect, it } from "vitest";
import { commandText, conversationKey, scopeOf } from "../../adapters/teams/text.ts";

const bot = { id: "28:kpi-bot", name: "kpi-bot" };
const mention = (name = "kpi-bot", who = bot) => ({ type: "mention", text: `<at>${name}</at>`, mentioned: who });

describe("commandText", () => {
  it("keeps a personal-chat message as typed, with or without the leading slash", () => {
    expect(commandText({ text: "kpi team sales last-quarter", recipient: bot })).toBe("kpi team sales last-quarter");
    expect(commandText({ text: "  /kpi team sales last-quarter \n", recipient: bot })).toBe("/kpi team sales last-quarter");
  });
  it("strips the bot's @-mention in a channel", () => {
    expect(commandText({ text: "<at>kpi-bot</at> team sales last-quarter", recipient: bot, entities: [mention()] })).toBe("team sales last-quarter");
  });
  it("strips the mention wherever it sits and keeps other people's names", () => {
    const bo = { id: "29:bo", name: "Bo Chen" };
    const a = { text: "rep <at>Bo Chen</at> sales <at>kpi-bot</at> q3", recipient: bot, entities: [mention("Bo Chen", bo), mention()] };
    expect(commandText(a)).toBe("rep Bo Chen sales q3");
  });
  it("does not edit the activity it reads", () => {
    const a = { text: "<at>kpi-bot</at> me", recipient: bot, entities: [mention()] };
    commandText(a);
    expect(a.text).toBe("<at>kpi-bot</at> me");
  });
  it("removes HTML and decodes entities Teams may send", () => {
    expect(commandText({ text: "<p>team&nbsp;sales &amp; more</p>", recipient: bot })).toBe("team sales & more");
  });
  it("takes a submitted follow-up's command over the text", () => {
    expect(commandText({ text: "", value: { kpiCommand: ' /kpi team "Alpha" winrate q3-2026 ' }, recipient: bot })).toBe('/kpi team "Alpha" winrate q3-2026');
    expect(commandText({ text: "me", value: { other: 1 }, recipient: bot })).toBe("me");
  });
});

describe("conversations", () => {
  it("conversationKey drops a channel thread's ;messageid= suffix", () => {
    expect(conversationKey("19:abc@thread.tacv2;messageid=1700000000000")).toBe("19:abc@thread.tacv2");
    expect(conversationKey("a:1xyz")).toBe("a:1xyz");
  });
  it("scopeOf tells personal, group and channel conversations apart", () => {
    expect(scopeOf({ conversation: { id: "a", conversationType: "personal", isGroup: false, name: "" } })).toBe("personal");
    expect(scopeOf({ conversation: { id: "a", conversationType: "groupChat", isGroup: true, name: "" } })).toBe("group");
    expect(scopeOf({ conversation: { id: "a", conversationType: "channel", isGroup: true, name: "" } })).toBe("channel");
    expect(scopeOf({ conversation: { id: "emulator", isGroup: false, conversationType: undefined as unknown as string, name: "" } })).toBe("personal");
  });
});
