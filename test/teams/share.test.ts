import { describe, expect, it } from "vitest";
import { readShare, shareData } from "../../adapters/teams/share.ts";

const secret = Buffer.from("s".repeat(32));

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

