// Bolt listeners: parse the payload, ack at once, then answer (tracked so stop() can wait for it).
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { Admission } from "../../src/admission.ts";
import type { Logger } from "../../src/log.ts";
import { postToResponseUrl, slackApi, type ResponseUrl } from "./api.ts";
import { answerPrivately, publishHome, shareToChannel, type AnswerDeps } from "./answer.ts";
import { ACTION_RUN_PATTERN, ACTION_SHARE } from "./blocks.ts";
import { requestLang, words } from "./words.ts";
import type { RateLimitPolicy } from "./retry.ts";

export const COMMAND = "/kpi";

export type Tasks = {
  /**
   * Start work after an ack. With `busy`, the work is an answer and goes through admission: when
   * the process is full, `busy` runs instead (tell the user) and the work never starts.
   */
  run(name: string, work: () => Promise<unknown>, busy?: () => Promise<unknown>): Promise<void>;
  drain(timeoutMs: number): Promise<void>;
};

/** Work started after an ack, kept so a shutdown can let it finish. */
export function createTasks(logger: Logger, admission?: Admission): Tasks {
  const running = new Set<Promise<void>>();
  return {
    run(name, work, busy) {
      let started: Promise<unknown> | undefined;
      if (busy && admission) {
        started = admission.admit(work);
        if (!started) {
          logger.warn("slack_busy", { task: name, running: admission.running, waiting: admission.waiting });
          started = busy();
        }
      } else started = work();
      const p: Promise<void> = started
        .then(() => undefined)
        .catch((e: unknown) => logger.error("slack_task_failed", { task: name, error: e instanceof Error ? e.message.slice(0, 200) : String(e) }))
        .finally(() => running.delete(p));
      running.add(p);
      return p;
    },
    async drain(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...running]), new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
      clearTimeout(timer);
    },
  };
}

const CHANNEL_ID = /^[CDG][A-Z0-9]{2,30}$/;

/** A Slack mention `<@U123|li.wei>` → `@U123`: the core's neutral form, a platform user id as a handle. */
export function mentionsAsHandles(text: string): string {
  return text.replace(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g, "@$1");
}

/** Slack escapes `&`, `<`, `>` in command text; the core wants what was typed. */
export function commandText(text: string | undefined): string {
  return mentionsAsHandles(text ?? "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

export type ListenerDeps = AnswerDeps & {
  tasks: Tasks;
  policy: RateLimitPolicy;
  /** The response_url check (adapters/slack/api.ts `responseUrls`). */
  responseUrls: (raw: string) => ResponseUrl | undefined;
};

export function registerListeners(app: App, deps: ListenerDeps): void {
  const api = (client: Parameters<typeof slackApi>[0]) => slackApi(client, { policy: deps.policy, logger: deps.logger });
  /** The checked response_url, or undefined (logged): then nothing runs, since no answer could be delivered. */
  const responseUrl = (raw: string | undefined): ResponseUrl | undefined => {
    const checked = deps.responseUrls(raw ?? "");
    if (!checked) {
      let host = "unparsable";
      try {
        host = new URL(raw ?? "").host.slice(0, 100);
      } catch {}
      deps.logger.warn("slack_response_url_refused", { host });
    }
    return checked;
  };

  /** Past the admission limit: a polite private note instead of an answer. */
  const busy = (to: ResponseUrl, text: string) => () =>
    postToResponseUrl(to, { response_type: "ephemeral", replace_original: false, text: words(requestLang(text)).busy });

  app.command(COMMAND, async ({ command, ack, client }) => {
    // Ack first: Slack gives 3 seconds, and the answer may need the database, charts and uploads.
    await ack();
    const to = responseUrl(command.response_url);
    if (!to) return;
    const text = commandText(command.text);
    await deps.tasks.run(
      "command",
      () => answerPrivately(deps, { api: api(client), userId: command.user_id, channel: command.channel_id, text, responseUrl: to }),
      busy(to, text),
    );
  });

  app.action<BlockAction<ButtonAction>>(ACTION_RUN_PATTERN, async ({ action, body, ack, client }) => {
    await ack();
    const to = responseUrl(body.response_url);
    if (!to) return;
    const channel = body.channel?.id ?? (body.container?.channel_id as string | undefined);
    const text = mentionsAsHandles(action.value ?? "");
    await deps.tasks.run("follow_up", () => answerPrivately(deps, { api: api(client), userId: body.user.id, channel, text, responseUrl: to }), busy(to, text));
  });

  app.action<BlockAction<ButtonAction>>(ACTION_SHARE, async ({ action, body, ack, client }) => {
    await ack();
    const to = responseUrl(body.response_url);
    if (!to) return;
    const channel = body.channel?.id ?? (body.container?.channel_id as string | undefined);
    if (!channel || !CHANNEL_ID.test(channel)) {
      deps.logger.warn("slack_share_without_channel", {});
      return;
    }
    // The value is the signed command (adapters/slack/share.ts), checked before anything runs.
    await deps.tasks.run("share", () => shareToChannel(deps, { api: api(client), userId: body.user.id, channel, text: action.value ?? "", responseUrl: to }));
  });

  app.event("app_home_opened", async ({ event, client }) => {
    if (event.tab !== "home") return;
    await deps.tasks.run("home", () => publishHome(deps, api(client), event.user));
  });

  app.error(async (e) => {
    deps.logger.error("slack_bolt_error", { error: e.message.slice(0, 200), code: (e as { code?: string }).code });
  });
}
