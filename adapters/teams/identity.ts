// Who is asking: the AAD object id, and the email/UPN Teams knows for them (TeamsInfo.getMember),
// which the core uses to link a Teams user to a CRM rep the first time.
import { TeamsInfo, type TurnContext } from "botbuilder";
import type { Logger } from "../../src/log.ts";
import { teamsUserId } from "./messenger.ts";

/** `authenticated`: the request's Bot Framework token was verified (Azure mode), so a link may be written. */
export type TeamsIdentity = { userId: string; email?: string | undefined; authenticated: boolean };

const isEmail = (s: string | undefined): s is string => typeof s === "string" && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s);

export type IdentifyOptions = {
  /** Local (emulator) mode: a user name that is an email stands in for the missing directory. */
  local: boolean;
  logger?: Logger | undefined;
  cacheTtlMs?: number;
  cacheSize?: number;
};

/** identify(context): one directory lookup per user per hour at most (bounded cache per adapter). */
export function createIdentify(options: IdentifyOptions): (context: TurnContext) => Promise<TeamsIdentity> {
  const ttl = options.cacheTtlMs ?? 3_600_000;
  const size = options.cacheSize ?? 5000;
  const cache = new Map<string, { email: string | undefined; at: number }>();
  return async (context) => {
    const from = context.activity.from;
    const userId = teamsUserId(context.activity);
    const hit = cache.get(userId);
    let email = hit && Date.now() - hit.at < ttl ? hit.email : undefined;
    if (!hit || Date.now() - hit.at >= ttl) {
      try {
        const member = await TeamsInfo.getMember(context, from.id);
        email = isEmail(member.email) ? member.email : isEmail(member.userPrincipalName) ? member.userPrincipalName : undefined;
        cache.delete(userId);
        cache.set(userId, { email, at: Date.now() });
        if (cache.size > size) cache.delete(cache.keys().next().value!);
      } catch (e) {
        // Not cached: the next message asks again. The core still finds users linked by id.
        options.logger?.info("teams_member_lookup_failed", { error: (e instanceof Error ? e.message : String(e)).slice(0, 200) });
      }
    }
    // Local mode: a user name that is an email stands in for the directory, for this request only.
    if (!email && options.local && isEmail(from.name)) email = from.name;
    return { userId, email, authenticated: !options.local };
  };
}
