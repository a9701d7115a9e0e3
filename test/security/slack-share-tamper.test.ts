// Issue 12 item 11: a tampered "Post to channel" action ran `subscribe weekly team east` and
// created a channel subscription (while replying that nothing was posted). Share buttons carry
// their command signed for the asker and channel; anything else is refused before the core runs,
// and only questions (query, compare) are run again even when signed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readShareValue, shareKey, shareValue } from "../../adapters/slack/share.ts";
import { isAnswerCommand } from "../../src/share.ts";
import { BOT_TOKEN, buttonClick, send, signedShare, startHarness, TEAM_CHANNEL, type Harness } from "../slack/support/harness.ts";

const key = shareKey(BOT_TOKEN);

describe("share button values", () => {
  it("round-trip for the user and channel they were made for, and nothing else", () => {
    const v = shareValue(key, "UMIA", "C1", "team alpha sales q3-2026");
    expect(readShareValue(key, "UMIA", "C1", v)).toEqual({ ok: true, command: "team alpha sales q3-2026" });
    expect(readShareValue(key, "UANN", "C1", v)).toEqual({ ok: false });
    expect(readShareValue(key, "UMIA", "C2", v)).toEqual({ ok: false });
    expect(readShareValue(shareKey("xoxb-other"), "UMIA", "C1", v)).toEqual({ ok: false });
    expect(readShareValue(key, "UMIA", "C1", v.replace("alpha", "beta"))).toEqual({ ok: false });
    expect(readShareValue(key, "UMIA", "C1", "team alpha sales q3-2026")).toEqual({ ok: false });
  });

  it("only questions count as shareable commands", () => {
    const now = new Date("2026-11-26T12:00:00Z");
    expect(isAnswerCommand("team east sales last-quarter", { now })).toBe(true);
    expect(isAnswerCommand("compare team alpha sales q3 vs q2", { now })).toBe(true);
    for (const c of ["subscribe weekly team east", "alert team winrate below 20%", "unsubscribe 1", "subscriptions", "help", "metrics", "nonsense ???"]) {
      expect(isAnswerCommand(c, { now }), c).toBe(false);
    }
  });
});

describe("tampered share clicks over loopback (real Bolt)", () => {
  let H: Harness;
  beforeAll(async () => {
    H = await startHarness();
  });
  afterAll(() => H?.stop());

  const clickRuns = async (value: string, user = "UMIA", channel = TEAM_CHANNEL) => {
    const handled = H.handled.length;
    const posts = H.fake.callsOf("chat.postMessage").length;
    const body = buttonClick(H.fake, user, "kpi_share", value, channel);
    expect((await send(H.base, body)).status).toBe(200);
    const id = Number(String(JSON.parse(new URLSearchParams(body).get("payload")!).response_url).split("/").pop());
    const told = await H.fake.waitFor(() => H.fake.responses.find((r) => r.id === id));
    return { ran: H.handled.length > handled, posted: H.fake.callsOf("chat.postMessage").length > posts, told: String(told.body.text) };
  };

  it("refuses `subscribe weekly team east` put in the button by hand: nothing runs, nothing is subscribed", async () => {
    const r = await clickRuns("subscribe weekly team east");
    expect(r).toMatchObject({ ran: false, posted: false });
    expect(r.told).toContain("not valid");
    expect(await H.db.prisma.subscription.count()).toBe(0);
    expect(H.logs.findLast((l) => l.event === "slack_share_refused")?.data).toMatchObject({ reason: "bad_signature" });
  });

  it("refuses a genuine button whose command was edited", async () => {
    const edited = signedShare("UMIA", "team alpha sales q3-2026").replace("team alpha sales q3-2026", "team beta sales q3-2026");
    expect(await clickRuns(edited)).toMatchObject({ ran: false, posted: false });
  });

  it("refuses a button clicked by someone else or in another channel", async () => {
    expect(await clickRuns(signedShare("UANN", "team alpha sales q3-2026"), "UMIA")).toMatchObject({ ran: false, posted: false });
    expect(await clickRuns(signedShare("UMIA", "team alpha sales q3-2026", "C0OTHER"), "UMIA", TEAM_CHANNEL)).toMatchObject({ ran: false, posted: false });
  });

  it("refuses a correctly signed command that is not a question", async () => {
    const r = await clickRuns(signedShare("UMIA", "subscribe weekly team alpha"));
    expect(r).toMatchObject({ ran: false, posted: false });
    expect(H.logs.findLast((l) => l.event === "slack_share_refused")?.data).toMatchObject({ reason: "not_a_question" });
    expect(await H.db.prisma.subscription.count()).toBe(0);
  });

  it("still posts a genuine share", async () => {
    expect(await clickRuns(signedShare("UMIA", "team alpha deals q3-2026"))).toMatchObject({ ran: true, posted: true });
  });
});
