import { describe, expect, it } from "vitest";
import { commandText } from "../../adapters/slack/app.ts";

describe("Slack command text", () => {
  it("unescapes what Slack escaped and turns mentions into the core's @<platform id>", () => {
    expect(commandText("rep <@UANN|ann> sales &lt;q3&gt; &amp; more")).toBe("rep @UANN sales <q3> & more");
    expect(commandText("rep <@W0ABC12> winrate")).toBe("rep @W0ABC12 winrate");
    expect(commandText(undefined)).toBe("");
  });
});
