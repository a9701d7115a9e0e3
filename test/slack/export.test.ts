// `/kpi … csv|xlsx` over HTTP: signed slash commands into the real Bolt receiver, the file uploaded
// with WebClient.filesUploadV2 (files.getUploadURLExternal → POST bytes → completeUploadExternal)
// to the fake Slack Web API on loopback, shared into the asker's DM only.
import ExcelJS from "exceljs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { mrkdwnText } from "./support/block-kit.ts";
import type { Response } from "./support/fake-slack.ts";
import { send, shareClick, slashCommand, startHarness, TEAM_CHANNEL, type Harness } from "./support/harness.ts";

let H: Harness;
beforeAll(async () => {
  H = await startHarness();
});
afterAll(() => H?.stop());
afterEach(() => {
  H.fake.failUploads = false;
});

const idOf = (body: string) => Number(String(new URLSearchParams(body).get("response_url")).split("/").pop());

async function command(user: string, text: string): Promise<Response> {
  const body = slashCommand(H.fake, user, text);
  const ack = await send(H.base, body);
  expect(ack.status).toBe(200);
  return H.fake.waitFor(() => H.fake.responses.find((r) => r.id === idOf(body)));
}

/** The files the fake was asked for after `before` calls of files.getUploadURLExternal (one file each, in order). */
function uploadedSince(before: number) {
  return [...H.fake.files.values()].slice(before);
}

describe("export over Slack (real Bolt, files.uploadV2 against the fake Web API)", () => {
  it("uploads the CSV into the asker's DM with the bot, never the channel, and says so in the answer", async () => {
    const before = H.fake.callsOf("files.getUploadURLExternal").length;
    const answer = await command("UMIA", "team alpha sales q3-2026 csv");
    expect(answer.status).toBe(200);
    expect(answer.body.response_type).toBe("ephemeral");
    const text = mrkdwnText(answer.body.blocks);
    expect(text).toContain("kpi-sales-team-alpha-q3-2026-20261126.csv is in your direct messages with the bot");
    expect(text).toMatch(/Ann Lee\s+\$4,000/);

    const calls = H.fake.callsOf("files.getUploadURLExternal").slice(before);
    const csvCall = calls.find((c) => String(c.args.filename).endsWith(".csv"))!;
    expect(csvCall.args.filename).toBe("kpi-sales-team-alpha-q3-2026-20261126.csv");
    const file = uploadedSince(before).find((f) => f.filename === csvCall.args.filename)!;
    expect(file.uploaded).toBe(true);
    expect(file.bytes!.length).toBe(Number(csvCall.args.length));
    expect(file.channel).toBe("DUMIA");
    expect(file.title).toBe("Sales · Team Alpha · Q3 2026");
    const csv = file.bytes!;
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.toString("utf8")).toContain('Ann Lee,ann@acme.test,4000,USD,"$4,000",low');
    // The DM was opened for the asker, and no file of this command was shared into the channel.
    expect(H.fake.callsOf("conversations.open").at(-1)?.args.users).toBe("UMIA");
    expect([...H.fake.files.values()].filter((f) => f.channel === TEAM_CHANNEL)).toEqual([]);
  });

  it("uploads an XLSX that reads back with the reply's figures in major units", async () => {
    const before = H.fake.callsOf("files.getUploadURLExternal").length;
    const answer = await command("UMIA", "/kpi 团队 Alpha 销售额 2026年第3季度 导出 xlsx");
    expect(mrkdwnText(answer.body.blocks)).toContain("已发到你与机器人的私信里");
    const file = uploadedSince(before).find((f) => f.filename?.endsWith(".xlsx"))!;
    expect(file.channel).toBe("DUMIA");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.bytes! as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["说明", "人员"]);
    const people = wb.getWorksheet("人员")!;
    expect([2, 3, 4].map((i) => [people.getRow(i).getCell(1).value, people.getRow(i).getCell(3).value])).toEqual([
      ["Ann Lee", 4000],
      ["Bo Chen 陈博", 2000],
      ["Cy Park", 0],
    ]);
  });

  it("gives a rep exporting their team a file with only what they may see, in their own DM", async () => {
    const before = H.fake.callsOf("files.getUploadURLExternal").length;
    await command("UANN", "team sales q3-2026 csv");
    const file = uploadedSince(before).find((f) => f.filename?.endsWith(".csv"))!;
    expect(file.channel).toBe("DUANN");
    const text = file.bytes!.toString("utf8");
    expect(text).not.toMatch(/Bo Chen|Cy Park|bo@acme|cy@acme/);
    expect(text).toContain("Total,,");
  });

  it("still answers, with a note, when the upload fails", async () => {
    H.fake.failUploads = true;
    const answer = await command("UMIA", "team alpha winrate q3-2026 csv");
    expect(answer.status).toBe(200);
    const text = mrkdwnText(answer.body.blocks);
    expect(text).toContain("The file could not be attached");
    expect(text).toContain("Win rate");
    expect(H.logs.some((l) => l.event === "slack_export_failed")).toBe(true);
  });

  it("never posts a file to the channel when an exported answer is shared, nor audits one", async () => {
    const before = H.fake.callsOf("files.getUploadURLExternal").length;
    const body = shareClick(H.fake, "UMIA", "team alpha deals q3-2026 csv");
    expect((await send(H.base, body)).status).toBe(200);
    await H.fake.waitFor(() => H.fake.callsOf("chat.postMessage").find((c) => c.args.channel === TEAM_CHANNEL && String(c.args.text).includes("Deals")));
    await new Promise((r) => setTimeout(r, 300));
    expect(uploadedSince(before).filter((f) => /\.(csv|xlsx)$/.test(f.filename ?? ""))).toEqual([]);
    const audit = await H.db.prisma.auditLog.findMany({ where: { command: "team alpha deals q3-2026 csv" } });
    expect(audit.map((r) => r.decision)).toEqual(["allowed"]);
  });

  it("uploads nothing for an export of something that is no answer, and says why", async () => {
    const before = H.fake.callsOf("files.getUploadURLExternal").length;
    const answer = await command("UMIA", "team nowhere sales q3-2026 csv");
    expect(mrkdwnText(answer.body.blocks)).toContain("No file: only an answer with figures can be exported");
    expect(H.fake.callsOf("files.getUploadURLExternal").length).toBe(before);
  });
});
