// Issue 12 item 9: a valid signed Slack request replayed within the 5-minute window was answered
// again (a replayed share posted twice). Served requests are remembered in the database, shared
// by every replica; duplicates and Slack's own retries are acknowledged and not run again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSeenRequests, type SeenRequests } from "../../src/data/seen-requests.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";
import { homeOpened, nowSeconds, send, shareClick, sign, slashCommand, startHarness, type Harness } from "../slack/support/harness.ts";

describe.each(backends)("the seen-requests port on %s", (backend) => {
  let db: TestDatabase;
  let seen: SeenRequests;
  beforeAll(async () => {
    db = await freshDatabase(backend);
    seen = createSeenRequests(db.prisma);
  });
  afterAll(() => db?.dispose());

  const at = (s: string) => new Date(s);

  it("says first-seen once per key, then duplicate until the entry expires", async () => {
    const now = at("2026-11-26T12:00:00Z");
    expect(await seen.firstSeen("k1", at("2026-11-26T12:06:00Z"), now)).toBe(true);
    expect(await seen.firstSeen("k1", at("2026-11-26T12:06:00Z"), now)).toBe(false);
    expect(await seen.firstSeen("k1", at("2026-11-26T12:07:00Z"), at("2026-11-26T12:05:59Z"))).toBe(false);
    // Expired but not cleaned up yet: taken over.
    expect(await seen.firstSeen("k1", at("2026-11-26T12:12:00Z"), at("2026-11-26T12:06:00Z"))).toBe(true);
    expect(await seen.firstSeen("k2", at("2026-11-26T12:06:00Z"), now)).toBe(true);
  });

  it("lets exactly one of many concurrent identical requests through", async () => {
    const now = at("2026-11-26T12:00:00Z");
    const results = await Promise.all(Array.from({ length: 8 }, () => seen.firstSeen("race", at("2026-11-26T12:06:00Z"), now)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("forgets expired entries only", async () => {
    await seen.firstSeen("old", at("2026-11-26T11:00:00Z"), at("2026-11-26T10:59:00Z"));
    await seen.firstSeen("live", at("2026-11-26T13:00:00Z"), at("2026-11-26T12:00:00Z"));
    const removed = await seen.forgetExpired(at("2026-11-26T12:30:00Z"));
    expect(removed).toBeGreaterThanOrEqual(1);
    const rows = await db.prisma.seenRequest.findMany();
    const keys = rows.map((r) => r.key);
    // Stored as the instant given (no time-zone shift between the raw insert and Prisma's reads).
    expect(rows.find((r) => r.key === "live")?.expiresAt.toISOString()).toBe("2026-11-26T13:00:00.000Z");
    expect(keys).not.toContain("old");
  });
});

describe.each(backends)("replayed Slack requests over loopback (real Bolt, core on %s)", (backend) => {
  let H: Harness;
  beforeAll(async () => {
    H = await startHarness({ backend });
  });
  afterAll(() => H?.stop());
  const settle = () => new Promise((r) => setTimeout(r, 400));

  it("posts a share once when the same signed click is replayed within the window", async () => {
    const before = H.fake.callsOf("chat.postMessage").length;
    const click = shareClick(H.fake, "UMIA", "team alpha deals q3-2026");
    const ts = nowSeconds();
    expect((await send(H.base, click, { timestamp: ts })).status).toBe(200);
    await H.fake.waitFor(() => H.fake.callsOf("chat.postMessage").length > before);
    // The attacker resends the captured request byte for byte (same timestamp, same signature).
    const replay = await send(H.base, click, { timestamp: ts, signature: sign(click, ts) });
    expect(replay.status).toBe(200);
    await settle();
    expect(H.fake.callsOf("chat.postMessage").length).toBe(before + 1);
    expect(H.logs.some((l) => l.event === "slack_request_replayed")).toBe(true);
  });

  it("runs one of two concurrent identical commands", async () => {
    const before = H.handled.length;
    const body = slashCommand(H.fake, "UMIA", "team alpha sales q3-2026");
    const ts = nowSeconds();
    const [a, b] = await Promise.all([send(H.base, body, { timestamp: ts }), send(H.base, body, { timestamp: ts })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await settle();
    expect(H.handled.length - before).toBe(1);
  });

  it("acknowledges Slack's own retries (X-Slack-Retry-Num) without running them again", async () => {
    const before = H.fake.callsOf("views.publish").length;
    const handled = H.handled.length;
    const res = await send(H.base, homeOpened("UANN"), { contentType: "application/json", headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" } });
    expect(res.status).toBe(200);
    await settle();
    expect(H.fake.callsOf("views.publish").length).toBe(before);
    expect(H.handled.length).toBe(handled);
  });

  it("still serves the same command sent again as a new request (new timestamp)", async () => {
    const before = H.handled.length;
    const body = slashCommand(H.fake, "UMIA", "team alpha deals q3-2026");
    await send(H.base, body, { timestamp: nowSeconds() - 5 });
    await send(H.base, body, { timestamp: nowSeconds() });
    await H.fake.waitFor(() => H.handled.length - before >= 2);
    expect(await H.db.prisma.seenRequest.count()).toBeGreaterThanOrEqual(2);
  });
});
