import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { blockKitProblems, blocksText, mrkdwnText, slackFileIds } from "./support/block-kit.ts";
import type { Response } from "./support/fake-slack.ts";
import { buttonClick, homeOpened, nowSeconds, send, shareClick, sign, signedShare, slashCommand, startHarness, TEAM_CHANNEL, type Harness } from "./support/harness.ts";

let H: Harness;
beforeAll(async () => {
  H = await startHarness();
});
afterAll(() => H?.stop());
afterEach(() => {
  H.fake.failUploads = false;
  H.fake.fail.clear();
  H.gate.open();
});

const idOf = (body: string) => {
  const url = new URLSearchParams(body).get("response_url") ?? JSON.parse(new URLSearchParams(body).get("payload")!).response_url;
  return Number(String(url).split("/").pop());
};
const answerTo = (body: string): Promise<Response> => H.fake.waitFor(() => H.fake.responses.find((r) => r.id === idOf(body)));
const buttons = (blocks: unknown) =>
  (blocks as { type: string; elements?: { action_id: string; value: string }[] }[]).filter((b) => b.type === "actions").flatMap((b) => b.elements ?? []);
const settle = () => new Promise((r) => setTimeout(r, 300));

describe("/kpi over HTTP (real Bolt, signed requests, the core on PGlite)", () => {
  it("acks before the core answers, then posts the answer with its facts and chart to response_url", async () => {
    H.gate.close();
    const body = slashCommand(H.fake, "UMIA", "team alpha sales q3-2026");
    const ack = await send(H.base, body);
    // The core is still held: the ack came without waiting for it.
    expect(ack.status).toBe(200);
    expect(H.fake.responses.filter((r) => r.id === idOf(body))).toEqual([]);
    H.gate.open();
    const answer = await answerTo(body);
    expect(answer.status).toBe(200);
    expect(answer.body.response_type).toBe("ephemeral");
    const text = mrkdwnText(answer.body.blocks);
    expect(text).toContain("*Total*\n$6,000 ▲");
    expect(text).toMatch(/1\s+Ann Lee\s+\$4,000/);
    expect(text).toMatch(/2\s+Bo Chen 陈博\s+\$2,000/);
    // The chart: uploaded with the files.uploadV2 flow into the asker's DM, shown by slack_file id.
    const ids = slackFileIds(answer.body.blocks);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) {
      const file = H.fake.files.get(id)!;
      expect(file.channel).toBe("DUMIA");
      expect(file.bytes!.includes(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    }
    const methods = H.fake.calls.map((c) => c.method);
    expect(methods).toContain("files.getUploadURLExternal");
    expect(methods).toContain("files.completeUploadExternal");
    expect(methods).not.toContain("files.upload");
    // The share button carries the command signed for this asker and channel.
    expect(buttons(answer.body.blocks).find((b) => b.action_id === "kpi_share")?.value).toBe(signedShare("UMIA", "team alpha sales q3-2026"));
  });

  it("rejects a bad signature, a missing header, a replayed signature with a new timestamp, stale and far-future timestamps: 401, never reaching the core", async () => {
    const before = H.handled.length;
    const body = slashCommand(H.fake, "UMIA", "team alpha sales q3-2026");
    const ts = nowSeconds();
    const cases: [string, Promise<globalThis.Response>][] = [
      ["bad signature", send(H.base, body, { signature: "v0=" + "0".repeat(64) })],
      ["signed with another secret", send(H.base, body, { signature: sign(body, ts, "not-the-secret-at-all") , timestamp: ts })],
      ["no signature", send(H.base, body, { signature: null })],
      ["replayed with a new timestamp", send(H.base, body, { signature: sign(body, ts - 60), timestamp: ts })],
      ["stale (5 min 1 s old)", send(H.base, body, { timestamp: ts - 301 })],
      ["far future (10 min ahead)", send(H.base, body, { timestamp: ts + 600 })],
      // ts is whole seconds, floored, and a loaded CI machine may take a second or two to get the
      // request in: 303 s ahead is still outside the 300 s window when the check runs.
      ["just outside the window ahead", send(H.base, body, { timestamp: ts + 303 })],
      ["no timestamp", fetch(`${H.base}/slack/events`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "x-slack-signature": sign(body, ts) }, body })],
    ];
    for (const [name, res] of cases) expect((await res).status, name).toBe(401);
    await settle();
    expect(H.handled.length).toBe(before);
    expect(H.fake.responses.filter((r) => r.id === idOf(body))).toEqual([]);
  });

  it("answers a rep who asks for another rep as if nobody were there, and nothing else", async () => {
    const body = slashCommand(H.fake, "UANN", "rep bo@acme.test sales q3-2026");
    expect((await send(H.base, body)).status).toBe(200);
    const answer = await answerTo(body);
    expect(blocksText(answer.body.blocks)).toContain("among the people you can see");
    expect(blocksText(answer.body.blocks)).not.toContain("Bo Chen");
    expect(blocksText(answer.body.blocks)).not.toContain("$2,000");
    expect(slackFileIds(answer.body.blocks)).toEqual([]);
    expect(buttons(answer.body.blocks)).toEqual([]);
  });

  it("links an unknown Slack user found by users.info email, and remembers the link", async () => {
    H.fake.emails.set("UCY01", "cy@acme.test");
    const body = slashCommand(H.fake, "UCY01", "me deals q3-2026");
    await send(H.base, body);
    const answer = await answerTo(body);
    expect(answer.body.text).toContain("Cy Park");
    expect(H.fake.callsOf("users.info").map((c) => c.args.user)).toContain("UCY01");
    expect((await H.db.prisma.user.findUnique({ where: { email: "cy@acme.test" } }))?.slackUserId).toBe("UCY01");
    // Known now: the next command needs no lookup.
    const lookups = H.fake.callsOf("users.info").length;
    const again = slashCommand(H.fake, "UCY01", "me deals q3-2026");
    await send(H.base, again);
    await answerTo(again);
    expect(H.fake.callsOf("users.info").length).toBe(lookups);
  });

  it("tells an unknown user without a CRM email how to get linked", async () => {
    H.fake.emails.set("UNEW1", "stranger@elsewhere.test");
    const body = slashCommand(H.fake, "UNEW1", "me");
    await send(H.base, body);
    expect(blocksText((await answerTo(body)).body.blocks)).toContain("not linked");
  });

  it("still delivers the text, with a note, when the chart upload fails", async () => {
    H.fake.failUploads = true;
    const body = slashCommand(H.fake, "UMIA", "team alpha sales q3-2026");
    await send(H.base, body);
    const answer = await answerTo(body);
    expect(answer.status).toBe(200);
    expect(mrkdwnText(answer.body.blocks)).toContain("$6,000");
    expect(mrkdwnText(answer.body.blocks)).toContain("Chart unavailable");
    expect(slackFileIds(answer.body.blocks)).toEqual([]);
    expect(H.logs.some((l) => l.event === "slack_chart_unavailable")).toBe(true);
  });

  it("keeps Block Kit limits for a 10 kB nonsense command", async () => {
    const nonsense = Array.from({ length: 10_000 }, (_, i) => "ab<&>😀字 x"[i % 10]).join("");
    const body = slashCommand(H.fake, "UMIA", nonsense);
    expect((await send(H.base, body)).status).toBe(200);
    const answer = await answerTo(body);
    expect(answer.status).toBe(200); // the fake refuses blocks over the limits with 400
    expect(blockKitProblems(answer.body.blocks)).toEqual([]);
  });

  it("keeps Block Kit limits for a 200-rep team, cutting the table with '…and N more'", async () => {
    const org = await H.db.prisma.team.findFirstOrThrow({ where: { name: "Acme" } });
    const big = await H.db.prisma.team.create({ data: { name: "Big", parentId: org.id } });
    await H.db.prisma.user.createMany({
      data: Array.from({ length: 200 }, (_, i) => ({ email: `rep${i}@big.test`, name: `Big Rep ${String(i).padStart(3, "0")} <&>`, role: "rep" as const, teamId: big.id })),
    });
    const reps = await H.db.prisma.user.findMany({ where: { teamId: big.id }, orderBy: { id: "asc" } });
    await H.db.prisma.deal.createMany({
      data: reps.map((r, i) => ({ externalId: `big${i}`, ownerId: r.id, customer: "C", amount: BigInt(1000 * ((i * 37) % 200) + (i % 7 === 0 ? 5_000_000 : 0)), status: "won" as const, createdAt: new Date("2026-07-01T00:00:00Z"), closedAt: new Date("2026-08-01T00:00:00Z") })),
    });
    const body = slashCommand(H.fake, "UADA", "team big sales q3-2026");
    await send(H.base, body);
    const answer = await answerTo(body);
    expect(answer.status).toBe(200); // the fake refuses blocks over the limits
    expect(blockKitProblems(answer.body.blocks)).toEqual([]);
    const text = mrkdwnText(answer.body.blocks);
    expect(text).toMatch(/…and \d+ more/);
    expect(text).toContain("Big Rep");
    expect(text).toContain("&lt;&amp;&gt;");
    // The same 200 people as a breakdown: 200 groups, within the same limits.
    const by = slashCommand(H.fake, "UADA", "team big sales by rep q3-2026");
    await send(H.base, by);
    const broken = await answerTo(by);
    expect(broken.status).toBe(200);
    expect(blockKitProblems(broken.body.blocks)).toEqual([]);
    expect(mrkdwnText(broken.body.blocks)).toContain("200 × Rep");
    expect(mrkdwnText(broken.body.blocks)).toMatch(/…and \d+ more/);
  });

  it("runs a follow-up button's command as the clicker, with a fresh access check", async () => {
    const mine = buttonClick(H.fake, "UMIA", "kpi_run_0", "/kpi team alpha deals q3-2026");
    await send(H.base, mine);
    expect(mrkdwnText((await answerTo(mine)).body.blocks)).toContain("*Total*\n3");
    const forged = buttonClick(H.fake, "UANN", "kpi_run_0", "/kpi rep bo@acme.test sales q3-2026");
    await send(H.base, forged);
    expect(blocksText((await answerTo(forged)).body.blocks)).toContain("among the people you can see");
  });
});

describe("Post to channel", () => {
  it("re-runs the command for the clicker and posts it visibly, with the chart in the channel", async () => {
    const before = H.fake.callsOf("chat.postMessage").length;
    const click = shareClick(H.fake, "UMIA", "team alpha sales q3-2026");
    expect((await send(H.base, click)).status).toBe(200);
    const confirm = await answerTo(click);
    expect(confirm.body.text).toBe(`Posted to <#${TEAM_CHANNEL}>.`);
    const posts = H.fake.callsOf("chat.postMessage").slice(before);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.args.channel).toBe(TEAM_CHANNEL);
    expect(mrkdwnText(posts[0]!.args.blocks)).toContain("$6,000");
    expect(mrkdwnText(posts[0]!.args.blocks)).toContain("Shared by <@UMIA>");
    expect(H.handled.at(-1)).toMatchObject({ userId: "UMIA", text: "team alpha sales q3-2026" });
    // The chart is shared in the channel (its thread), then shown in the message.
    const update = H.fake.callsOf("chat.update").at(-1)!;
    expect(update.status).toBe(200);
    const ids = slackFileIds(update.args.blocks);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id) => H.fake.files.get(id)?.channel === TEAM_CHANNEL)).toBe(true);
  });

  it("refuses answers about the asker: /kpi me, a rep's default, and a compare without scope", async () => {
    const before = H.fake.callsOf("chat.postMessage").length;
    for (const text of ["me sales q3-2026", "sales q3-2026", "compare sales q3-2026 vs q2-2026", "rep @UANN sales q3-2026"]) {
      const click = shareClick(H.fake, "UANN", text);
      await send(H.base, click);
      expect((await answerTo(click)).body.text, text).toContain("stay private");
    }
    expect(H.fake.callsOf("chat.postMessage").length).toBe(before);
  });

  it("offers no share button on a /kpi me answer", async () => {
    const body = slashCommand(H.fake, "UANN", "me sales q3-2026");
    await send(H.base, body);
    const answer = await answerTo(body);
    expect(mrkdwnText(answer.body.blocks)).toContain("$4,000");
    expect(buttons(answer.body.blocks).map((b) => b.action_id)).not.toContain("kpi_share");
  });

  it("does not post when access was lost since the answer", async () => {
    // Mia stops managing Alpha and leaves it between the answer and the click.
    const alpha = await H.db.prisma.team.findFirstOrThrow({ where: { name: "Alpha" } });
    await H.db.prisma.team.update({ where: { id: alpha.id }, data: { managerId: null } });
    await H.db.prisma.user.update({ where: { id: H.h.manager }, data: { teamId: null } });
    try {
      const before = H.fake.callsOf("chat.postMessage").length;
      const click = shareClick(H.fake, "UMIA", "team alpha sales q3-2026");
      await send(H.base, click);
      const told = await answerTo(click);
      expect(blocksText(told.body.blocks)).toContain("Not allowed");
      expect(blocksText(told.body.blocks)).toContain("Nothing was posted");
      expect(blocksText(told.body.blocks)).not.toContain("$4,000");
      expect(H.fake.callsOf("chat.postMessage").length).toBe(before);
    } finally {
      await H.db.prisma.team.update({ where: { id: alpha.id }, data: { managerId: H.h.manager } });
      await H.db.prisma.user.update({ where: { id: H.h.manager }, data: { teamId: alpha.id } });
    }
  });

  it("says so when the bot is not in the channel", async () => {
    H.fake.fail.set("chat.postMessage", "not_in_channel");
    const click = shareClick(H.fake, "UMIA", "team alpha deals q3-2026");
    await send(H.base, click);
    expect((await answerTo(click)).body.text).toContain("Invite me");
  });
});

describe("rate limits", () => {
  it("waits out a 429's Retry-After, then succeeds", async () => {
    const before = H.fake.callsOf("chat.postMessage").length;
    H.fake.rateLimit("chat.postMessage", 1, 1);
    const click = shareClick(H.fake, "UMIA", "team alpha deals q3-2026");
    await send(H.base, click);
    expect((await answerTo(click)).body.text).toContain("Posted to");
    const calls = H.fake.callsOf("chat.postMessage").slice(before);
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it("gives up on a persistent 429 after a few attempts, logs it, and tells the user", async () => {
    const before = H.fake.callsOf("chat.postMessage").length;
    H.fake.rateLimit("chat.postMessage", 100, 1);
    try {
      const click = shareClick(H.fake, "UMIA", "team alpha deals q3-2026");
      await send(H.base, click);
      expect((await answerTo(click)).body.text).toContain("rate-limiting");
      expect(H.fake.callsOf("chat.postMessage").slice(before).map((c) => c.status)).toEqual([429, 429, 429]);
      expect(H.logs.findLast((l) => l.event === "slack_call_failed" && l.data.method === "chat.postMessage")?.data).toMatchObject({ code: "rate_limited", attempts: 3 });
    } finally {
      H.fake.rateLimit("chat.postMessage", 0, 1);
    }
  });

  it("fails at once when Retry-After is longer than the budget, instead of stalling", async () => {
    const before = H.fake.callsOf("chat.postMessage").length;
    H.fake.rateLimit("chat.postMessage", 1, 600);
    const click = shareClick(H.fake, "UMIA", "team alpha deals q3-2026");
    await send(H.base, click);
    expect((await answerTo(click)).body.text).toContain("rate-limiting");
    expect(H.fake.callsOf("chat.postMessage").slice(before)).toHaveLength(1);
  });
});

describe("App Home", () => {
  it("publishes the viewer's own standing this month and quarter, and no one else's figures", async () => {
    const before = H.fake.callsOf("views.publish").length;
    expect((await send(H.base, homeOpened("UANN"), { contentType: "application/json" })).status).toBe(200);
    const call = await H.fake.waitFor(() => H.fake.callsOf("views.publish")[before]);
    expect(call.status).toBe(200);
    expect(call.args.user_id).toBe("UANN");
    const text = blocksText((call.args.view as { blocks: unknown }).blocks);
    expect(text).toContain("This month");
    expect(text).toContain("This quarter");
    expect(text).toContain("Sales · Ann Lee · Q4 2026");
    // A team of three sellers: no rank or median to solve for teammates with.
    expect(text).toContain("withheld");
    expect(text).not.toContain("Percentile");
    expect(text).toContain("Subscriptions");
    expect(text).not.toContain("Bo Chen");
    expect(H.handled.slice(-3).map((r) => r.text)).toEqual(["me sales this month", "me sales this quarter", "subscriptions"]);
  });

  it("tells an unlinked viewer how to get linked", async () => {
    const before = H.fake.callsOf("views.publish").length;
    await send(H.base, homeOpened("UNOBODY"), { contentType: "application/json" });
    const call = await H.fake.waitFor(() => H.fake.callsOf("views.publish")[before]);
    expect(blocksText((call.args.view as { blocks: unknown }).blocks)).toContain("not linked");
  });
});

describe("the shared HTTP host", () => {
  it("still answers /healthz, and only POST reaches /slack/events", async () => {
    expect((await fetch(`${H.base}/healthz`)).status).toBe(200);
    expect((await fetch(`${H.base}/slack/events`)).status).toBe(405);
  });
});
