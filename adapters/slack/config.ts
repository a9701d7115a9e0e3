// SLACK_* environment → which mode the Slack adapter runs in, validated once at start-up.
import { z } from "zod";
import { ConfigError } from "../../src/config.ts";

/** The path Slack's HTTP mode posts events, commands and interactions to. */
export const SLACK_EVENTS_PATH = "/slack/events";

const optional = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== "" ? v.trim() : undefined));

const prefixed = (prefix: string, what: string) =>
  optional.pipe(z.string().startsWith(prefix, `must start with ${prefix} (${what})`).optional());

export const SlackEnv = z
  .object({
    SLACK_BOT_TOKEN: prefixed("xoxb-", "the Bot User OAuth Token from OAuth & Permissions"),
    SLACK_APP_TOKEN: prefixed("xapp-", "an app-level token with connections:write, from Basic Information"),
    SLACK_SIGNING_SECRET: optional.pipe(z.string().min(8, "looks too short; copy the Signing Secret from Basic Information").optional()),
    SLACK_API_URL: optional.pipe(z.url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://slack.com/api/" }).optional()),
    SLACK_MODE: optional.pipe(z.enum(["socket", "http"], { error: "must be socket or http" }).optional()),
  })
  .superRefine((env, ctx) => {
    if (!env.SLACK_BOT_TOKEN) {
      ctx.addIssue({ code: "custom", path: ["SLACK_BOT_TOKEN"], message: "required to run the Slack adapter (the Bot User OAuth Token, xoxb-…)" });
    }
    if (env.SLACK_MODE === "socket" && !env.SLACK_APP_TOKEN) {
      ctx.addIssue({ code: "custom", path: ["SLACK_APP_TOKEN"], message: "required for SLACK_MODE=socket (an app-level token, xapp-…)" });
    } else if (env.SLACK_MODE === "http" && !env.SLACK_SIGNING_SECRET) {
      ctx.addIssue({ code: "custom", path: ["SLACK_SIGNING_SECRET"], message: "required for SLACK_MODE=http (Basic Information → Signing Secret)" });
    } else if (!env.SLACK_MODE && !env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["SLACK_APP_TOKEN"],
        message:
          "set SLACK_APP_TOKEN (xapp-…) for Socket Mode (no public URL needed), or SLACK_SIGNING_SECRET for HTTP mode (Slack posts to PORT at /slack/events)",
      });
    }
  });

export type SlackConfig =
  | { mode: "socket"; botToken: string; appToken: string; apiUrl?: string | undefined }
  | { mode: "http"; botToken: string; signingSecret: string; apiUrl?: string | undefined };

/**
 * Socket Mode when an app token is set (the self-hosting default), else HTTP mode with the signing
 * secret; SLACK_MODE chooses when both are set. Throws ConfigError naming every bad variable.
 *
 * @example
 * loadSlackConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "8f2c…" }).mode // "http"
 */
export function loadSlackConfig(env: NodeJS.ProcessEnv): SlackConfig {
  const result = SlackEnv.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`invalid Slack configuration:\n${lines.join("\n")}`);
  }
  const e = result.data;
  const botToken = e.SLACK_BOT_TOKEN!;
  const apiUrl = e.SLACK_API_URL && (e.SLACK_API_URL.endsWith("/") ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`);
  const mode = e.SLACK_MODE ?? (e.SLACK_APP_TOKEN ? "socket" : "http");
  return mode === "socket"
    ? { mode, botToken, appToken: e.SLACK_APP_TOKEN!, apiUrl }
    : { mode, botToken, signingSecret: e.SLACK_SIGNING_SECRET!, apiUrl };
}
