// What Slack may post to /slack/events, parsed with zod before Bolt sees it. Bolt introspects
// bodies without checking them (a signed `payload=null` threw inside its receiver and ended the
// process), so only the kinds this app serves reach it, rebuilt from their parsed fields.
import { z } from "zod";
import { ACTION_RUN_PATTERN, ACTION_SHARE } from "./blocks.ts";
import { COMMAND } from "./app.ts";

const str = z.string().max(4000);
const id = z.string().min(1).max(255);

export const SlashCommand = z.object({
  command: str,
  text: z.string().default(""),
  user_id: id,
  user_name: str.optional(),
  channel_id: id.optional(),
  channel_name: str.optional(),
  team_id: id.optional(),
  team_domain: str.optional(),
  enterprise_id: id.optional(),
  enterprise_name: str.optional(),
  api_app_id: str.optional(),
  is_enterprise_install: z.enum(["true", "false"]).optional(),
  response_url: str,
  trigger_id: str.optional(),
  token: str.optional(),
});

export const BlockActions = z.object({
  type: z.literal("block_actions"),
  user: z.object({ id, username: str.optional(), name: str.optional(), team_id: id.optional() }),
  team: z.object({ id, domain: str.optional(), enterprise_id: id.optional() }).nullable().optional(),
  enterprise: z.object({ id, name: str.optional() }).nullable().optional(),
  is_enterprise_install: z.boolean().optional(),
  api_app_id: str.optional(),
  token: str.optional(),
  trigger_id: str.optional(),
  channel: z.object({ id, name: str.optional() }).optional(),
  container: z.object({ type: str, message_ts: str.optional(), channel_id: id.optional(), is_ephemeral: z.boolean().optional() }).optional(),
  response_url: str,
  actions: z
    .array(z.object({ type: str, action_id: str, block_id: str.optional(), value: z.string().max(2000).optional(), action_ts: str.optional() }))
    .min(1)
    .max(25),
});

export const AppHomeOpened = z.object({
  type: z.literal("event_callback"),
  token: str.optional(),
  team_id: id.optional(),
  api_app_id: str.optional(),
  event_id: str.optional(),
  event_time: z.number().optional(),
  authorizations: z
    .array(z.object({ enterprise_id: id.nullable().optional(), team_id: id.nullable().optional(), user_id: id.optional(), is_bot: z.boolean().optional(), is_enterprise_install: z.boolean().optional() }))
    .max(10)
    .optional(),
  event: z.object({ type: z.literal("app_home_opened"), user: id, channel: id.optional(), tab: str.optional(), event_ts: str.optional() }),
});

/** What to do with a signed body. `serve`: hand Bolt this rebuilt body (only parsed fields). */
export type Inbound =
  | { kind: "serve"; what: "command" | "action" | "home"; body: string; contentType: "application/x-www-form-urlencoded" | "application/json" }
  | { kind: "answer"; what: "ssl_check" | "url_verification"; body?: string }
  | { kind: "ignore"; what: string }
  | { kind: "malformed"; reason: string };

const FORM = "application/x-www-form-urlencoded";
const JSON_TYPE = "application/json";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Form fields; a repeated field is malformed (Slack never repeats one). */
function parseForm(text: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(text)) {
    if (Object.hasOwn(out, k)) return undefined;
    out[k] = v;
  }
  return out;
}

const malformed = (reason: string): Inbound => ({ kind: "malformed", reason });
const form = (fields: Record<string, string>) => new URLSearchParams(Object.entries(fields).filter(([, v]) => v !== undefined)).toString();

/**
 * Classify a signed request body by its media type (`application/x-www-form-urlencoded` for
 * commands and interactions, `application/json` for events).
 *
 * @example
 * classify("application/x-www-form-urlencoded", "payload=null") // { kind: "malformed", reason: "payload_not_an_object" }
 */
export function classify(mediaType: string, text: string): Inbound {
  if (mediaType === JSON_TYPE) {
    const body = parseJson(text);
    if (!isRecord(body)) return malformed("json_not_an_object");
    if (body.type === "url_verification") {
      return typeof body.challenge === "string" && body.challenge.length <= 4000
        ? { kind: "answer", what: "url_verification", body: JSON.stringify({ challenge: body.challenge }) }
        : malformed("url_verification_without_challenge");
    }
    if (body.type === "event_callback") {
      if (!isRecord(body.event) || typeof body.event.type !== "string") return malformed("event_without_type");
      if (body.event.type !== "app_home_opened") return { kind: "ignore", what: `event:${body.event.type.slice(0, 40)}` };
      const home = AppHomeOpened.safeParse(body);
      return home.success ? { kind: "serve", what: "home", body: JSON.stringify(home.data), contentType: JSON_TYPE } : malformed("bad_app_home_opened");
    }
    return typeof body.type === "string" ? { kind: "ignore", what: body.type.slice(0, 40) } : malformed("json_without_type");
  }
  if (mediaType !== FORM) return malformed("unsupported_media_type");
  const fields = parseForm(text);
  if (!fields) return malformed("repeated_form_field");
  if (fields.payload !== undefined) {
    const payload = parseJson(fields.payload);
    if (!isRecord(payload)) return malformed("payload_not_an_object");
    if (payload.type !== "block_actions") return typeof payload.type === "string" ? { kind: "ignore", what: payload.type.slice(0, 40) } : malformed("payload_without_type");
    const actions = BlockActions.safeParse(payload);
    if (!actions.success) return malformed("bad_block_actions");
    const actionId = actions.data.actions[0]!.action_id;
    if (actionId !== ACTION_SHARE && !ACTION_RUN_PATTERN.test(actionId)) return { kind: "ignore", what: "block_actions" };
    return { kind: "serve", what: "action", body: form({ payload: JSON.stringify(actions.data) }), contentType: FORM };
  }
  if (fields.ssl_check === "1") return { kind: "answer", what: "ssl_check" };
  if (fields.command !== undefined) {
    const command = SlashCommand.safeParse(fields);
    if (!command.success) return malformed("bad_slash_command");
    if (command.data.command !== COMMAND) return { kind: "ignore", what: "command" };
    return { kind: "serve", what: "command", body: form(command.data as Record<string, string>), contentType: FORM };
  }
  return malformed("unknown_form");
}
