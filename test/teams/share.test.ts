import { describe, expect, it } from "vitest";
import { isAboutAsker, readShare, shareData } from "../../adapters/teams/share.ts";
import { textReply, type Reply } from "../../src/reply.ts";

const secret = Buffer.from("s".repeat(32));
const answer = (over: Partial<Reply> = {}): Reply => ({ ...textReply("answer", "en", "Sales · Team Alpha · Q3 2026", "…"), visibility: "private", ...over });

describe("share buttons", () => {
  it("round-trip for the user they were made for", () => {
    const data = shareData(secret, "aad-mia", { command: "team alpha sales", channel: "19:c@thread.tacv2" });
    expect(readShare(secret, "aad-mia", data)).toEqual({ ok: true, request: { command: "team alpha sales", channel: "19:c@thread.tacv2" } });
  });
  it("are refused for another user, an edited command or channel, or another key", () => {
    const data = shareData(secret, "aad-mia", { command: "team alpha sales", channel: "19:c@thread.tacv2" });
    expect(readShare(secret, "aad-ann", data)).toEqual({ ok: false, reason: "bad_signature" });
    expect(readShare(secret, "aad-mia", { ...data, kpiShare: "org sales" })).toEqual({ ok: false, reason: "bad_signature" });
    expect(readShare(secret, "aad-mia", { ...data, kpiChannel: "19:x" })).toEqual({ ok: false, reason: "bad_signature" });
    expect(readShare(Buffer.from("t".repeat(32)), "aad-mia", data)).toEqual({ ok: false, reason: "bad_signature" });
    expect(readShare(secret, "aad-mia", { ...data, kpiSig: undefined })).toEqual({ ok: false, reason: "bad_signature" });
  });
  it("tell other submits apart", () => {
    expect(readShare(secret, "u", { kpiCommand: "me" })).toEqual({ ok: false, reason: "not_a_share" });
    expect(readShare(secret, "u", undefined)).toEqual({ ok: false, reason: "not_a_share" });
  });
});

describe("isAboutAsker", () => {
  it("is true for 'me', for answers led by 'You' and for personal charts", async () => {
    expect(await isAboutAsker("me sales q3", answer())).toBe(true);
    expect(await isAboutAsker("sales q3", answer({ facts: [{ label: "You", value: "$1" }] }))).toBe(true);
    expect(await isAboutAsker("我 销售额", answer({ lang: "zh", facts: [{ label: "你", value: "$1" }] }))).toBe(true);
  });
  it("is false for a team answer", async () => {
    expect(await isAboutAsker("team alpha sales q3", answer({ facts: [{ label: "Total", value: "$6,000" }] }))).toBe(false);
  });
  it("asks the same question scoped to 'me' when the command names no scope", async () => {
    const same = answer({ title: "Sales · Ann Lee · Q3 2026", summary: "You: …" });
    expect(await isAboutAsker("sales q3", same, async (t) => (t === "sales q3 me" ? same : answer()))).toBe(true);
    expect(await isAboutAsker("sales q3", answer(), async () => same)).toBe(false);
  });
});
