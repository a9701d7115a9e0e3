// Issue 12 item 10 (Slack): response_url was trusted as given; answers were POSTed to
// `http://127.0.0.1:…/attacker-collect`. Only https://hooks.slack.com/… (or the origin of the
// configured SLACK_API_URL, for tests and proxies) is posted to; anything else is refused and
// logged, and the command does not run (its answer could not be delivered anyway).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { responseUrls } from "../../adapters/slack/api.ts";
import { buttonClick, send, signedShare, slashCommand, startHarness, type Harness } from "../slack/support/harness.ts";

describe("responseUrls", () => {
  const check = responseUrls("http://127.0.0.1:9000/api/");
  it("accepts Slack's hooks and the configured API's origin", () => {
    expect(check("https://hooks.slack.com/commands/T1/2/abc")).toBe("https://hooks.slack.com/commands/T1/2/abc");
    expect(check("https://hooks.slack.com:443/actions/T1/2/abc")).toBeDefined();
    expect(check("http://127.0.0.1:9000/respond/1")).toBe("http://127.0.0.1:9000/respond/1");
  });
  it("refuses every other place", () => {
    for (const url of [
      "http://hooks.slack.com/commands/T1/2/abc",
      "https://hooks.slack.com.evil.example/x",
      "https://evil.example/hooks.slack.com/x",
      "https://user:pw@hooks.slack.com/x",
      "https://hooks.slack.com:8443/x",
      "http://127.0.0.1:9001/attacker-collect",
      "http://localhost:9000/respond/1",
      "file:///etc/passwd",
      "not a url",
      "",
    ]) {
      expect(check(url), url).toBeUndefined();
    }
    expect(responseUrls()("http://127.0.0.1:9000/respond/1")).toBeUndefined();
  });
});

describe("signed requests with an attacker's response_url (real Bolt over loopback)", () => {
  let H: Harness;
  let collector: http.Server;
  let collectUrl = "";
  const collected: string[] = [];
  beforeAll(async () => {
    H = await startHarness();
    collector = http.createServer((req, res) => {
      collected.push(req.url ?? "");
      req.resume();
      res.writeHead(200).end("ok");
    });
    await new Promise<void>((r) => collector.listen(0, "127.0.0.1", r));
    collectUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/attacker-collect`;
  });
  afterAll(async () => {
    await H?.stop();
    await new Promise<void>((r) => collector.close(() => r()));
  });
  const settle = () => new Promise((r) => setTimeout(r, 500));
  const withUrl = (body: string, url: string) => {
    const p = new URLSearchParams(body);
    if (p.has("payload")) p.set("payload", JSON.stringify({ ...JSON.parse(p.get("payload")!), response_url: url }));
    else p.set("response_url", url);
    return p.toString();
  };

  it("sends nothing to it for a command, a follow-up or a share, and logs the refusal", async () => {
    const handled = H.handled.length;
    const posts = H.fake.callsOf("chat.postMessage").length;
    for (const body of [
      slashCommand(H.fake, "UMIA", "team alpha sales q3-2026"),
      buttonClick(H.fake, "UMIA", "kpi_run_0", "/kpi team alpha deals q3-2026"),
      buttonClick(H.fake, "UMIA", "kpi_share", signedShare("UMIA", "team alpha deals q3-2026")),
    ]) {
      expect((await send(H.base, withUrl(body, collectUrl))).status).toBe(200);
    }
    await settle();
    expect(collected).toEqual([]);
    expect(H.handled.length).toBe(handled);
    expect(H.fake.callsOf("chat.postMessage").length).toBe(posts);
    const refused = H.logs.filter((l) => l.event === "slack_response_url_refused");
    expect(refused).toHaveLength(3);
    expect(refused[0]!.data.host).toMatch(/^127\.0\.0\.1:\d+$/);
  });
});
