import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSlackConfig } from "../../adapters/slack/config.ts";
import { start } from "../../adapters/slack/index.ts";
import { createHttpHost } from "../../adapters/http/server.ts";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { silentLogger } from "../../src/log.ts";
import type { Runtime } from "../../src/runtime.ts";
import { startFakeSlack, type FakeSlack } from "./support/fake-slack.ts";

const BOT = "xoxb-1-2-abc";
const APP = "xapp-1-A0-abc";
const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

const problem = (env: NodeJS.ProcessEnv) => {
  try {
    loadSlackConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error("expected a ConfigError");
};

describe("Slack configuration", () => {
  it("runs Socket Mode with an app token, HTTP mode with a signing secret", () => {
    expect(loadSlackConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP })).toEqual({ mode: "socket", botToken: BOT, appToken: APP, apiUrl: undefined });
    expect(loadSlackConfig({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET })).toEqual({ mode: "http", botToken: BOT, signingSecret: SECRET, apiUrl: undefined });
  });

  it("prefers Socket Mode when both are set, unless SLACK_MODE says http", () => {
    expect(loadSlackConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP, SLACK_SIGNING_SECRET: SECRET }).mode).toBe("socket");
    expect(loadSlackConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP, SLACK_SIGNING_SECRET: SECRET, SLACK_MODE: "http" }).mode).toBe("http");
  });

  it("takes SLACK_API_URL as the Web API base, with a trailing slash", () => {
    expect(loadSlackConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP, SLACK_API_URL: "http://127.0.0.1:9/api" }).apiUrl).toBe("http://127.0.0.1:9/api/");
  });

  it("names what is missing or wrong, and what to set instead", () => {
    expect(problem({})).toMatch(/SLACK_BOT_TOKEN: required .*xoxb-/);
    expect(problem({ SLACK_BOT_TOKEN: BOT })).toMatch(/SLACK_APP_TOKEN: set SLACK_APP_TOKEN .*Socket Mode.*SLACK_SIGNING_SECRET for HTTP mode/);
    expect(problem({ SLACK_BOT_TOKEN: "xoxp-user-token", SLACK_APP_TOKEN: APP })).toMatch(/SLACK_BOT_TOKEN: must start with xoxb-/);
    expect(problem({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: "xoxb-wrong" })).toMatch(/SLACK_APP_TOKEN: must start with xapp-/);
    expect(problem({ SLACK_BOT_TOKEN: BOT, SLACK_MODE: "socket", SLACK_SIGNING_SECRET: SECRET })).toMatch(/SLACK_APP_TOKEN: required for SLACK_MODE=socket/);
    expect(problem({ SLACK_BOT_TOKEN: BOT, SLACK_MODE: "http", SLACK_APP_TOKEN: APP })).toMatch(/SLACK_SIGNING_SECRET: required for SLACK_MODE=http/);
    expect(problem({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP, SLACK_MODE: "websocket" })).toMatch(/SLACK_MODE: must be socket or http/);
    expect(problem({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP, SLACK_API_URL: "slack.com/api" })).toMatch(/SLACK_API_URL: must be an http\(s\) URL/);
  });

  it("never repeats a token in its messages", () => {
    expect(problem({ SLACK_BOT_TOKEN: "xoxp-secret-value", SLACK_APP_TOKEN: "xoxb-other-secret" })).not.toMatch(/secret-value|other-secret/);
  });
});

describe("starting the Slack adapter", () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  afterAll(() => fake?.close());

  const runtime = { config: loadConfig({}), logger: silentLogger() } as unknown as Runtime;

  it("fails at start-up with a clear message when Slack rejects the bot token", async () => {
    fake.fail.set("auth.test", "invalid_auth");
    const http = createHttpHost({ health: async () => true });
    const started = start(runtime, http, { env: { SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl } });
    await expect(started).rejects.toThrow(ConfigError);
    await expect(started).rejects.toThrow(/Slack rejected SLACK_BOT_TOKEN \(invalid_auth\)/);
    fake.fail.clear();
  });

  it("fails at start-up naming the API URL when Slack cannot be reached", async () => {
    const http = createHttpHost({ health: async () => true });
    const started = start(runtime, http, {
      env: { SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: "http://127.0.0.1:1/api/" },
      retryConfig: { retries: 0 },
    });
    await expect(started).rejects.toThrow(/could not reach the Slack Web API at http:\/\/127\.0\.0\.1:1\/api\//);
  });

  it("in Socket Mode opens the connection through SLACK_API_URL with the app token, and explains a rejected one", async () => {
    fake.fail.set("apps.connections.open", "invalid_auth");
    try {
      const http = createHttpHost({ health: async () => true });
      const started = start(runtime, http, { env: { SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP, SLACK_API_URL: fake.apiUrl } });
      await expect(started).rejects.toThrow(/Slack rejected SLACK_APP_TOKEN \(invalid_auth\)/);
      expect(fake.callsOf("auth.test").at(-1)?.token).toBe("xoxb");
      expect(fake.callsOf("apps.connections.open").at(-1)?.token).toBe("xapp");
    } finally {
      fake.fail.clear();
    }
  });

  it("in HTTP mode mounts /slack/events on the shared host and answers nothing else there", async () => {
    const http = createHttpHost({ health: async () => true });
    const running = await start(runtime, http, { env: { SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl } });
    const port = await http.listen(0, "127.0.0.1");
    try {
      expect(fake.callsOf("auth.test").at(-1)?.status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/slack/events`, { method: "POST", body: "x" })).status).toBe(401);
      expect((await fetch(`http://127.0.0.1:${port}/slack/other`, { method: "POST" })).status).toBe(404);
    } finally {
      await running.stop();
      await http.close();
    }
  });
});
