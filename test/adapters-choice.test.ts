import { describe, expect, it } from "vitest";
import { chooseAdapters } from "../adapters/choose.ts";

describe("which adapters npm start runs", () => {
  it("runs the console when no credentials are set", () => {
    expect(chooseAdapters({})).toEqual({ ok: true, adapters: ["console"] });
  });
  it("runs every adapter whose credentials are set", () => {
    expect(chooseAdapters({ SLACK_BOT_TOKEN: "xoxb-1", MICROSOFT_APP_ID: "id" })).toEqual({ ok: true, adapters: ["slack", "teams"] });
  });
  it("KPI_ADAPTERS chooses explicitly and rejects unknown names", () => {
    expect(chooseAdapters({ KPI_ADAPTERS: "teams, console", SLACK_BOT_TOKEN: "x" })).toEqual({ ok: true, adapters: ["teams", "console"] });
    expect(chooseAdapters({ KPI_ADAPTERS: "slak" })).toMatchObject({ ok: false, error: expect.stringContaining("slak") });
  });
});
