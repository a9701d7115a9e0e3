// Issue 11: the Teams adapter reaches storage through the ports the runtime hands it
// (rt.stores), never src/data or the database client directly.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseReference } from "../../adapters/teams/reference.ts";

const dir = path.resolve(import.meta.dirname, "../../adapters/teams");

describe("the Teams adapter's dependencies", () => {
  it("no file imports from src/data or uses a Prisma client", async () => {
    const files = (await readdir(dir)).filter((f) => f.endsWith(".ts"));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const source = await readFile(path.join(dir, f), "utf8");
      expect(source, f).not.toMatch(/from\s+["'][^"']*src\/data\//);
      expect(source, f).not.toMatch(/\bprisma\b|PrismaClient/);
    }
  });
});

describe("parseReference", () => {
  const ok = { channelId: "msteams", serviceUrl: "https://smba.trafficmanager.net/amer/", conversation: { id: "a:1", conversationType: "personal" }, bot: { id: "28:b", name: "kpi-bot" }, user: { id: "29:u" } };

  it("reads a stored reference, keeping fields it does not know and filling what botbuilder requires", () => {
    const r = parseReference({ ...ok, activityId: undefined, custom: 1 });
    expect(r).toMatchObject({ ok: true, reference: { serviceUrl: ok.serviceUrl, custom: 1, user: { id: "29:u", name: "" }, conversation: { id: "a:1", isGroup: false } } });
  });

  it.each([
    [{ ...ok, serviceUrl: "javascript:alert(1)" }, /serviceUrl/],
    [{ ...ok, serviceUrl: 42 }, /serviceUrl/],
    [{ ...ok, conversation: "a:1" }, /conversation/],
    [{ ...ok, bot: undefined }, /bot/],
    [{ ...ok, channelId: "" }, /channelId/],
    [null, /reference/],
  ])("refuses %j with a reason", (stored, reason) => {
    const r = parseReference(stored);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});
