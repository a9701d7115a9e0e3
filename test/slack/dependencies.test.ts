import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const dir = new URL("../../adapters/slack/", import.meta.url);

describe("the Slack adapter's dependencies", () => {
  it("never imports the console adapter (shared text rendering lives in adapters/text)", () => {
    const offenders = readdirSync(dir)
      .filter((f) => f.endsWith(".ts"))
      .filter((f) => /from\s+["']\.\.\/console\//.test(readFileSync(new URL(f, dir), "utf8")));
    expect(offenders).toEqual([]);
  });
});
