// Digests and alerts into Slack: chat.postMessage to the channel, or to the user's DM for
// private deliveries, charts uploaded into the message's thread. Rate limits are retried inside
// the API wrapper (bounded); what still fails is reported as permanent or transient.
import type { Logger } from "../../src/log.ts";
import type { ChartRenderer } from "../../src/charts/index.ts";
import type { Sender } from "../../src/digests/sender.ts";
import type { SlackApi } from "./api.ts";
import { postWithCharts } from "./answer.ts";
import { describeSlackError, retryAfterSeconds } from "./retry.ts";

/**
 * Slack errors about this destination that no retry can fix: the bot must be re-invited or the
 * subscription changed. Token and scope errors are not here: they concern every subscription,
 * and a stale token on one replica must not pause them all (they stay pending and are logged).
 */
const PERMANENT = new Set([
  "channel_not_found", "is_archived", "not_in_channel", "account_inactive", "user_not_found", "user_disabled",
  "cannot_dm_bot", "restricted_action",
]);

export function slackSender(api: SlackApi, deps: { renderer: ChartRenderer; logger: Logger }): Sender {
  return {
    async send(to, reply) {
      try {
        const channel = to.private ? await api.openDm(to.address) : to.address;
        await postWithCharts(deps, api, channel, reply);
        return { ok: true };
      } catch (e) {
        const { code, error } = describeSlackError(e);
        const permanent = retryAfterSeconds(e) === undefined && error !== undefined && PERMANENT.has(error);
        return { ok: false, permanent, error: error ?? code };
      }
    },
  };
}
