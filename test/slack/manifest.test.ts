import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMAND } from "../../adapters/slack/app.ts";
import { parseYamlSubset } from "./support/yaml-subset.ts";

const root = join(import.meta.dirname, "..", "..");
type Manifest = {
  display_information: { name: string; description: string };
  features: { app_home: Record<string, boolean>; bot_user: { display_name: string }; slash_commands: { command: string; description: string; usage_hint: string; should_escape: boolean }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { bot_events: string[] }; interactivity: { is_enabled: boolean }; socket_mode_enabled: boolean };
};
const manifest = parseYamlSubset(readFileSync(join(root, "manifest.yml"), "utf8")) as unknown as Manifest;

/** Web API methods → the bot scopes they need (Slack's method reference). */
const SCOPES: Record<string, string[]> = {
  "chat.postMessage": ["chat:write"],
  "chat.update": ["chat:write"],
  "views.publish": [],
  "users.info": ["users:read", "users:read.email"],
  "conversations.open": ["im:write"],
  filesUploadV2: ["files:write"],
};

/** Every Web API method the adapter's code calls. */
function methodsUsed(): string[] {
  const dir = join(root, "adapters", "slack");
  const source = readdirSync(dir)
    .filter((f) => f.endsWith(".ts"))
    .map((f) => readFileSync(join(dir, f), "utf8"))
    .join("\n");
  const calls = [...source.matchAll(/client\.(\w+)\.(\w+)\(/g)].map((m) => `${m[1]}.${m[2]}`);
  const direct = [...source.matchAll(/client\.(filesUploadV2|apiCall)\(/g)].map((m) => m[1]!);
  return [...new Set([...calls, ...direct])].sort();
}

describe("manifest.yml", () => {
  it("is a Slack app manifest with the /kpi command, Home tab, interactivity and Socket Mode", () => {
    expect(manifest.display_information.name).toBeTruthy();
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
    const kpi = manifest.features.slash_commands.find((c) => c.command === COMMAND);
    expect(kpi?.usage_hint).toBeTruthy();
    expect(kpi?.should_escape).toBe(true); // mentions arrive as <@U…>, which the core resolves
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.features.bot_user.display_name).toBeTruthy();
    expect(manifest.settings.event_subscriptions.bot_events).toContain("app_home_opened");
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });

  it("names every scope the code needs, and no others", () => {
    const used = methodsUsed();
    expect(used).toEqual(["chat.postMessage", "chat.update", "conversations.open", "filesUploadV2", "users.info", "views.publish"]);
    const unknown = used.filter((m) => !(m in SCOPES));
    expect(unknown, "a Web API method without a known scope").toEqual([]);
    const needed = new Set(["commands", ...used.flatMap((m) => SCOPES[m]!)]);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });
});
