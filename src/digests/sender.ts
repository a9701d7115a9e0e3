// How digests and alerts leave the bot: each chat adapter provides a Sender for its platform
// (Slack: chat.postMessage + file upload; Teams: a stored conversation reference). Nothing
// platform-specific here.
import type { Reply } from "../reply.ts";
import type { Result } from "../result.ts";

/** Where a scheduled message goes: a channel/conversation, or a user's private chat. */
export type Destination = { platform: string; address: string; private: boolean };

export type SendOutcome = Result<
  {},
  {
    /** Retrying cannot help (channel archived, bot removed): record it, tell the owner. */
    permanent: boolean;
    error: string;
  }
>;

export interface Sender {
  /** Deliver the reply; the adapter honours 429 Retry-After with bounded retries itself. */
  send(to: Destination, reply: Reply): Promise<SendOutcome>;
}

/** One Sender per platform. */
export type Senders = Readonly<Record<string, Sender | undefined>>;
