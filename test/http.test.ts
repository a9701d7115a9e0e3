import { afterEach, describe, expect, it } from "vitest";
import { createHttpHost, type HttpHost } from "../adapters/http/server.ts";

describe("the HTTP host", () => {
  let host: HttpHost | undefined;
  afterEach(() => host?.close());

  const start = async (health: () => Promise<boolean>) => {
    host = createHttpHost({ health });
    const port = await host.listen(0, "127.0.0.1");
    return `http://127.0.0.1:${port}`;
  };

  it("answers /healthz 200 when the database answers", async () => {
    const base = await start(async () => true);
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, database: "up" });
  });
  it("answers /healthz 503 when the database fails", async () => {
    const base = await start(async () => {
      throw new Error("connection refused");
    });
    expect((await fetch(`${base}/healthz`)).status).toBe(503);
  });
  it("routes registered paths and prefixes, 404 otherwise, 500 on a throwing handler", async () => {
    const base = await start(async () => true);
    host!.route("/api/messages", (_q, res) => void res.writeHead(201).end(), "POST");
    host!.prefix("/charts/", (req, res) => void res.writeHead(200).end(req.url));
    host!.route("/boom", () => {
      throw new Error("bug");
    });
    expect((await fetch(`${base}/api/messages`, { method: "POST" })).status).toBe(201);
    expect((await fetch(`${base}/api/messages`)).status).toBe(405);
    expect(await (await fetch(`${base}/charts/abc.png?sig=1`)).text()).toBe("/charts/abc.png?sig=1");
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/boom`)).status).toBe(500);
  });
});
