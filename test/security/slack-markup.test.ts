// Issue 12 item 7 (Slack): an imported name like `[Click me](https://evil.example/x) **CEO**`
// reached mrkdwn raw. User-supplied text is escaped for mrkdwn in one function where data enters
// Block Kit (entities for `&<>` so `<url|text>` links and mentions cannot form; look-alikes for
// `*`, `_`, `~`, backticks so nothing formats), and text objects are verbatim (no auto-links).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escapeMrkdwn, replyToBlocks } from "../../adapters/slack/blocks.ts";
import { textReply, type Reply } from "../../src/reply.ts";
import { mrkdwnText } from "../slack/support/block-kit.ts";
import { send, slashCommand, startHarness, type Harness } from "../slack/support/harness.ts";

const MARKDOWN_NAME = "[Click me](https://evil.example/x) **CEO**";
const LINK_NAME = "<https://evil.example|x>";

/** Every mrkdwn text object in blocks. */
function mrkdwnObjects(v: unknown, out: { text: string; verbatim?: boolean }[] = []): { text: string; verbatim?: boolean }[] {
  if (Array.isArray(v)) v.forEach((x) => mrkdwnObjects(x, out));
  else if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (o.type === "mrkdwn" && typeof o.text === "string") out.push(o as { text: string; verbatim?: boolean });
    else Object.values(o).forEach((x) => mrkdwnObjects(x, out));
  }
  return out;
}

/**
 * What the data turned into a link, a mention or formatting in mrkdwn. Our own bold labels
 * (`*Total*`, `*subject*` of a flag) are ours; a `*` that came with the data is gone.
 */
function markup(text: string): string[] {
  return [
    ...(text.match(/<[^>]*>/g) ?? []).filter((m) => !/^<@[UW][A-Z0-9]+>$|^<#C[A-Z0-9]+>$/.test(m)),
    ...(text.match(/\*\*|\*CEO|CEO\*/g) ?? []),
    ...(text.match(/(^|\s)_[^_\n]+_(\s|$)/g) ?? []),
    ...(text.match(/~[^~\n]+~/g) ?? []),
    ...(text.match(/`[^`\n]+`/g) ?? []),
  ];
}

describe("escapeMrkdwn", () => {
  it("neutralises links, mentions, entities and formatting", () => {
    expect(escapeMrkdwn(MARKDOWN_NAME)).toBe("[Click me](https://evil.example/x) ∗∗CEO∗∗");
    expect(escapeMrkdwn(LINK_NAME)).toBe("&lt;https://evil.example|x&gt;");
    expect(escapeMrkdwn("<!channel> & <@U123>")).toBe("&lt;!channel&gt; &amp; &lt;@U123&gt;");
    expect(escapeMrkdwn("_italic_ ~struck~ `code`")).toBe("ˍitalicˍ ∼struck∼ ˋcodeˋ");
    expect(escapeMrkdwn("ann_lee@acme.test")).toBe("ann_lee@acme.test");
  });
  it("keeps the core's own `command` spans only when asked", () => {
    expect(escapeMrkdwn("Try `/kpi team <x>` *now*", { codeSpans: true })).toBe("Try `/kpi team &lt;x&gt;` ∗now∗");
  });
});

describe("Block Kit rendering of names from the CRM", () => {
  const reply: Reply = {
    kind: "answer",
    lang: "en",
    title: `Sales · Team ${LINK_NAME} · Q3 2026`,
    summary: `${MARKDOWN_NAME}: Sales $9,000 in Q3 2026; team median $2,000.`,
    facts: [{ label: "Total", value: "$9,000" }, { label: `Leader ${LINK_NAME}`, value: MARKDOWN_NAME }],
    table: { columns: ["#", "Name", "Sales"], align: ["right", "left", "right"], rows: [["1", MARKDOWN_NAME, "$9,000"], ["2", LINK_NAME, "$1"], ["3", "x```y", "$0"]] },
    charts: [],
    flags: [{ kind: "top", subject: MARKDOWN_NAME, reason: `ahead of ${LINK_NAME}`, advice: "_Ask_ ~them~ `now`" }],
    followUps: [],
    about: "group",
    visibility: "private",
  };

  it("shows the names as text: no link, mention or formatting forms, every text object verbatim", () => {
    const { text, blocks } = replyToBlocks(reply, { sharedBy: "UMIA", notes: [LINK_NAME] });
    const objects = mrkdwnObjects(blocks);
    expect(objects.length).toBeGreaterThan(4);
    expect(objects.every((o) => o.verbatim === true)).toBe(true);
    for (const o of objects) expect(markup(o.text), o.text).toEqual([]);
    expect(markup(text)).toEqual([]);
    const all = mrkdwnText(blocks);
    expect(all).toContain("∗∗CEO∗∗");
    expect(all).toContain("&lt;https://evil.example|x&gt;");
    expect(all).toContain("<@UMIA>"); // our own mention still works
    // The table stays one code block: a name cannot close it early.
    expect(all.match(/```/g)).toHaveLength(2);
  });

  it("keeps command code spans in the core's help", () => {
    const help = textReply("help", "en", "kpi-bot help", "• `/kpi team east sales last-quarter` — a team's sales");
    expect(mrkdwnText(replyToBlocks(help).blocks)).toContain("`/kpi team east sales last-quarter`");
  });
});

describe("an imported name over loopback (real Bolt, the core on PGlite)", () => {
  let H: Harness;
  beforeAll(async () => {
    H = await startHarness();
    const alpha = await H.db.prisma.team.findFirstOrThrow({ where: { name: "Alpha" } });
    for (const [i, name] of [MARKDOWN_NAME, LINK_NAME].entries()) {
      const u = await H.db.prisma.user.create({ data: { email: `evil${i}@acme.test`, name, role: "rep", teamId: alpha.id, managerId: H.h.manager } });
      await H.db.prisma.deal.create({
        data: { externalId: `evil${i}`, ownerId: u.id, customer: "C", amount: BigInt(900_000 * (i + 1)), status: "won", createdAt: new Date("2026-07-01T00:00:00Z"), closedAt: new Date("2026-08-01T00:00:00Z") },
      });
    }
  });
  afterAll(() => H?.stop());

  it("reaches the manager's answer as text, not links or bold", async () => {
    const body = slashCommand(H.fake, "UMIA", "team alpha sales q3-2026");
    await send(H.base, body);
    const id = Number(String(new URLSearchParams(body).get("response_url")).split("/").pop());
    const answer = await H.fake.waitFor(() => H.fake.responses.find((r) => r.id === id));
    const objects = mrkdwnObjects(answer.body.blocks);
    const all = objects.map((o) => o.text).join("\n");
    expect(all).toContain("∗∗CEO∗∗");
    expect(all).toContain("&lt;https://evil.example|x&gt;");
    expect(all).not.toContain("<https://evil.example");
    for (const o of objects) expect(markup(o.text), o.text).toEqual([]);
    expect(objects.every((o) => o.verbatim === true)).toBe(true);
  });
});
