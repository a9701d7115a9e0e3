import type { Reply } from "../../../src/reply.ts";
import type { Destination, SendOutcome, Sender } from "../../../src/digests/sender.ts";

/** A Sender that records what it was asked to send (stands in for the platform edge). */
export function recordingSender(outcome: (to: Destination, reply: Reply) => SendOutcome | Promise<SendOutcome> = () => ({ ok: true })) {
  const sent: { to: Destination; reply: Reply }[] = [];
  const sender: Sender = {
    async send(to, reply) {
      const r = await outcome(to, reply);
      if (r.ok) sent.push({ to, reply });
      return r;
    },
  };
  return { sender, sent };
}
