// "Post to channel" buttons carry their command signed with a server key, bound to the asker and
// the channel: a crafted click (another command, channel or user) is refused before anything runs.
import { createHmac, timingSafeEqual } from "node:crypto";

/** The key that signs share buttons, derived from the bot token (the same on every replica). */
export function shareKey(botToken: string): Buffer {
  return createHmac("sha256", botToken).update("kpi-bot slack share buttons v1").digest();
}

const PREFIX = "s1.";

function signature(key: Buffer, userId: string, channel: string, command: string): string {
  return createHmac("sha256", key).update(`share\n${userId}\n${channel}\n${command}`).digest("base64url");
}

/**
 * The button's value: `s1.<signature>.<command>`.
 *
 * @example
 * shareValue(key, "UMIA", "C0TEAM", "team east sales last-quarter") // "s1.Xk….team east sales last-quarter"
 */
export function shareValue(key: Buffer, userId: string, channel: string, command: string): string {
  return `${PREFIX}${signature(key, userId, channel, command)}.${command}`;
}

/** The command of a clicked share button, if it was made for this user in this channel. */
export function readShareValue(key: Buffer, userId: string, channel: string, value: string): { ok: true; command: string } | { ok: false } {
  const m = /^s1\.([A-Za-z0-9_-]{43})\.([\s\S]*)$/.exec(value);
  if (!m) return { ok: false };
  const given = Buffer.from(m[1]!);
  const expected = Buffer.from(signature(key, userId, channel, m[2]!));
  return given.length === expected.length && timingSafeEqual(given, expected) ? { ok: true, command: m[2]! } : { ok: false };
}
