// The stores the Teams adapter keeps in the database, on each test backend: conversation
// references (src/data/conversations.ts) and chart images behind signed links.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChartStore, signChart } from "../../adapters/teams/charts.ts";
import { createChartImageStore } from "../../src/data/chart-images.ts";
import { findConversation, findPersonalConversation, removeConversation, removeGroupConversations, saveConversation } from "../../src/data/conversations.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";

describe.each(backends)("stores on %s", (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase(backend);
  });
  afterAll(() => db?.dispose());

  it("upserts a conversation reference by platform + conversation id, keeping the latest", async () => {
    const ref = (url: string) => ({ serviceUrl: url, conversation: { id: "a:1" }, user: { id: "29:x", aadObjectId: "aad-x" } });
    await saveConversation(db.prisma, { platform: "teams", conversationId: "a:1", scope: "personal", userId: "aad-x", reference: ref("https://one") });
    await saveConversation(db.prisma, { platform: "teams", conversationId: "a:1", scope: "personal", userId: "aad-x", reference: ref("https://two") });
    await saveConversation(db.prisma, { platform: "slack", conversationId: "a:1", scope: "channel", userId: null, reference: { channel: "C1" } });
    expect(await db.prisma.conversationRef.count()).toBe(2);
    expect(await findConversation(db.prisma, "teams", "a:1")).toEqual({ platform: "teams", conversationId: "a:1", scope: "personal", userId: "aad-x", reference: ref("https://two"), groupId: null });
    expect((await findPersonalConversation(db.prisma, "teams", "aad-x"))?.reference).toEqual(ref("https://two"));
    expect(await findPersonalConversation(db.prisma, "slack", "aad-x")).toBeNull();
    expect(await removeConversation(db.prisma, "teams", "a:1")).toBe(true);
    expect(await removeConversation(db.prisma, "teams", "a:1")).toBe(false);
    expect(await findConversation(db.prisma, "slack", "a:1")).not.toBeNull();
  });

  it("forgets every conversation of a group, on that platform only", async () => {
    const channel = (id: string, groupId: string | null, platform: "teams" | "slack" = "teams") =>
      saveConversation(db.prisma, { platform, conversationId: id, scope: "channel", userId: null, reference: { id }, groupId });
    await Promise.all([channel("19:a", "team-1"), channel("19:b", "team-1"), channel("19:c", "team-2"), channel("19:d", null), channel("C9", "team-1", "slack")]);
    expect(await removeGroupConversations(db.prisma, "teams", "team-1")).toBe(2);
    expect(await findConversation(db.prisma, "teams", "19:a")).toBeNull();
    expect(await findConversation(db.prisma, "teams", "19:c")).toMatchObject({ groupId: "team-2" });
    expect(await findConversation(db.prisma, "teams", "19:d")).not.toBeNull();
    expect(await findConversation(db.prisma, "slack", "C9")).not.toBeNull();
    expect(await removeGroupConversations(db.prisma, "teams", "team-1")).toBe(0);
  });

  it("refuses a record that is not one (the reference must be an object)", async () => {
    await expect(saveConversation(db.prisma, { platform: "teams", conversationId: "", scope: "personal", userId: null, reference: {} })).rejects.toThrow();
    await expect(saveConversation(db.prisma, { platform: "teams", conversationId: "b", scope: "dm" as "personal", userId: null, reference: {} })).rejects.toThrow();
  });

  it("stores chart PNGs byte for byte, serves them by signed link and drops expired ones", async () => {
    let now = Date.UTC(2026, 10, 26, 12);
    const secret = Buffer.from("k".repeat(32));
    const server = http.createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const store = createChartStore({ images: createChartImageStore(db.prisma), secret, publicUrl: base, ttlMs: 60_000, clock: () => now });
    server.on("request", (req, res) => void store.handler(req, res));
    try {
      const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 254, 255]);
      const url = new URL(await store.put(png));
      const id = url.pathname.slice("/charts/".length, -".png".length);
      expect(url.searchParams.get("sig")).toBe(signChart(secret, id, Number(url.searchParams.get("exp"))));
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer())).toEqual(png);
      expect((await fetch(url, { method: "HEAD" })).status).toBe(200);
      expect((await fetch(url, { method: "POST" })).status).toBe(405);
      now += 61_000;
      expect((await fetch(url)).status).toBe(410);
      await store.put(png); // making a new link drops the expired one
      expect(await db.prisma.chartImage.count({ where: { id } })).toBe(0);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
