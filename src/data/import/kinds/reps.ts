/**
 * reps: email,name,team,role,manager_email,slack_user_id,teams_user_id,timezone,locale — the
 * people; optionally active (true/false, yes/no, 1/0: inactive people are never ranked or flagged).
 * Upserted by email (stored lowercased). Blank role → rep, blank timezone → the workspace time
 * zone, blank locale → en, a new person's blank active → true. A team no teams file named yet is
 * created (no parent, no manager).
 */
import { TimeZone } from "../../../command/schema.ts";
import { z } from "zod";
import { blanks, enumWord, issue, optionalEmail, optionalText, requiredText } from "./fields.ts";
import type { Kind } from "./kind.ts";

export const ROLES = ["rep", "manager", "admin"] as const;

/**
 * The stored key (User.email) of a person known only by name: "name:" and the name compared as
 * names are (case and runs of spaces ignored). It has no "@", so no chat account's email ever
 * links to it; a Slack/Teams id, or a later file giving the email, does.
 *
 * @example
 * nameOnlyKey("  Ana   SOUZA "); // => "name:ana souza"
 */
export const NAME_KEY_PREFIX = "name:";
export function nameOnlyKey(name: string): string {
  return NAME_KEY_PREFIX + name.trim().replace(/\s+/g, " ").toLowerCase();
}

export type RepRow = {
  email: string;
  name: string;
  team: string | null;
  role: (typeof ROLES)[number];
  managerEmail: string | null;
  /** The `manager` column's full name (no @), matched to one person by name when writing. */
  managerName: string | null;
  slackUserId: string | null;
  teamsUserId: string | null;
  timezone: string;
  locale: string;
  /** null: blank or no column (a new person is active; a stored one keeps their flag). */
  active: boolean | null;
};

const activeWord = enumWord(["true", "false"], { yes: "true", no: "false", y: "true", n: "false", "1": "true", "0": "false" }, true);

const validTimeZone = (tz: string): boolean => TimeZone.safeParse(tz).success;

function canonicalLocale(tag: string): string | null {
  try {
    return Intl.getCanonicalLocales(tag.replace(/_/g, "-"))[0] ?? null;
  } catch {
    return null;
  }
}

export const reps: Kind<RepRow> = {
  name: "reps",
  // A roster may come without emails: people are then known by name (NAME_KEY_PREFIX) until a
  // later file gives their email (matched by name, the same person kept).
  required: ["name"],
  // The manager: `manager_email`, or `manager` (an email or a full name); neither column keeps managers.
  optional: ["email", "team", "role", "slack_user_id", "teams_user_id", "timezone", "locale", "manager_email", "manager", "active"],
  keyColumns: ["email"],
  key: (row) => row.email,
  schema: (p) =>
    z
      .object({
        email: optionalEmail,
        name: requiredText,
        team: optionalText,
        role: enumWord(ROLES, {}, true),
        manager_email: optionalEmail,
        manager: optionalText,
        slack_user_id: optionalText,
        teams_user_id: optionalText,
        timezone: optionalText,
        locale: optionalText,
        active: activeWord,
      })
      .transform((r, ctx) => {
        const fills: string[] = [];
        const email = r.email ?? nameOnlyKey(r.name);
        if (r.manager_email === email) issue(ctx, "rep manages themself", "is the rep's own email", ["manager_email"]);
        let managerEmail = r.manager_email;
        let managerName: string | null = null;
        if (r.manager !== null) {
          if (r.manager.includes("@")) {
            const e = optionalEmail.safeParse(r.manager);
            if (!e.success) issue(ctx, "invalid email", `"${r.manager}" is neither an email address nor a full name`, ["manager"]);
            else if (managerEmail !== null && e.data !== managerEmail) issue(ctx, "two managers", `says ${e.data}, manager_email says ${managerEmail}`, ["manager"]);
            else managerEmail = e.data;
          } else if (managerEmail !== null) {
            issue(ctx, "two managers", `names ${r.manager} while manager_email gives ${managerEmail}: keep one`, ["manager"]);
          } else {
            managerName = r.manager.replace(/\s+/g, " ");
          }
          if (managerEmail === email || managerName?.toLowerCase() === r.name.toLowerCase()) issue(ctx, "rep manages themself", "is the rep themself", ["manager"]);
        }
        let timezone = r.timezone;
        if (timezone === null) {
          timezone = p.dates.timeZone;
          fills.push(`timezone → ${timezone} (workspace time zone)`);
        } else if (!validTimeZone(timezone)) {
          issue(ctx, "invalid time zone", `"${timezone}" is not an IANA time zone such as Europe/Berlin`, ["timezone"]);
        }
        let locale = r.locale;
        if (locale === null) {
          locale = "en";
          fills.push("locale → en");
        } else {
          const canonical = canonicalLocale(locale);
          if (canonical === null) issue(ctx, "invalid locale", `"${r.locale}" is not a language tag such as en or zh-CN`, ["locale"]);
          else locale = canonical;
        }
        const role = r.role ?? "rep";
        if (r.role === null) fills.push("role → rep");
        return {
          row: {
            email,
            name: r.name,
            team: r.team,
            role,
            managerEmail,
            managerName,
            slackUserId: r.slack_user_id,
            teamsUserId: r.teams_user_id,
            timezone,
            locale,
            active: r.active === null ? null : r.active === "true",
          },
          fills,
          unset: blanks(r, ["team", "role", "manager_email", "manager", "slack_user_id", "teams_user_id", "timezone", "locale", "active"]),
        };
      }),
};
