/**
 * `npm run people -- forget <email>`: erase one person's identity from the bot, in one transaction.
 *
 * Default: the CRM records other people's figures depend on stay (team totals, history), owned by
 * an inactive pseudonymous person (`forgotten-<hex>`) who is never ranked or flagged. With
 * `withRecords` their deals, activities, tickets and quotas go too, and the person row itself.
 * Either way: chat links, conversation references, subscriptions and alerts are removed, and the
 * audit log keeps its rows (what happened) with the person replaced by the pseudonym, including
 * mentions of their email, name and chat ids inside other people's commands.
 */
import { randomBytes } from "node:crypto";
import type { Database } from "../data/db.ts";
import type { SqlRunner } from "../data/migrate.ts";
import { foldRollups } from "../data/rollups.ts";
import type { Result } from "../result.ts";

export type ForgetOptions = { withRecords?: boolean; dryRun?: boolean };

export type ForgetSummary = {
  email: string;
  pseudonym: string;
  withRecords: boolean;
  dryRun: boolean;
  chatLinks: number;
  conversations: number;
  subscriptions: number;
  alerts: number;
  auditRows: number;
  auditMentions: number;
  teamsUnmanaged: number;
  reportsUnlinked: number;
  /** records deleted (withRecords) or kept under the pseudonym */
  records: { deals: number; activities: number; tickets: number; quotas: number; campaigns: number };
};

export type ForgetResult = Result<{ summary: ForgetSummary }, { error: string }>;

const PSEUDONYM_DOMAIN = "forgotten.invalid";

/** A pseudonym that says what happened and links nothing: `forgotten-3f9c0a1b2d`. */
export function pseudonym(random: () => Buffer = () => randomBytes(5)): string {
  return `forgotten-${random().toString("hex")}`;
}

/** Whether an email belongs to a person already forgotten. */
export function isForgotten(email: string): boolean {
  return email.toLowerCase().endsWith(`@${PSEUDONYM_DOMAIN}`);
}

/** A literal for a PostgreSQL regular expression (ARE): every special character escaped. */
export function regexLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

class DryRun extends Error {
  constructor(readonly summary: ForgetSummary) {
    super("dry run");
  }
}

type Person = { id: number; email: string; name: string; slackUserId: string | null; teamsUserId: string | null };

export async function forgetPerson(db: Pick<Database, "sql">, who: string, options: ForgetOptions = {}): Promise<ForgetResult> {
  const email = who.trim();
  if (!email.includes("@")) return { ok: false, error: `'${email}' is not an email: forget takes the person's email (e.g. ana.lima@example.com)` };
  const withRecords = options.withRecords === true;
  const dryRun = options.dryRun === true;
  try {
    const summary = await db.sql.transaction(async (tx) => {
      const found = await tx.query<Person>(
        `SELECT id, email, name, "slackUserId", "teamsUserId" FROM "User" WHERE lower(email) = lower($1) FOR UPDATE`,
        [email],
      );
      const person = found[0];
      if (!person || isForgotten(person.email)) return undefined;
      const summary = await erase(tx, person, pseudonym(), withRecords);
      if (dryRun) throw new DryRun({ ...summary, dryRun: true });
      return summary;
    });
    if (!summary) {
      return { ok: false, error: isForgotten(email) ? `${email} was already forgotten` : `no person has the email '${email}' (matched exactly, ignoring case)` };
    }
    if (withRecords) await foldRollups(db.sql);
    return { ok: true, summary };
  } catch (e) {
    if (e instanceof DryRun) return { ok: true, summary: e.summary };
    throw e;
  }
}

async function erase(tx: SqlRunner, person: Person, alias: string, withRecords: boolean): Promise<ForgetSummary> {
  const count = async (sql: string, params: unknown[]) => (await tx.query(`${sql} RETURNING 1`, params)).length;
  const id = person.id;
  const chatIds = [person.slackUserId, person.teamsUserId].filter((x): x is string => !!x);

  // Where the bot could reach them: private conversations keyed by their platform user id.
  const conversations = await count(
    `DELETE FROM "ConversationRef" WHERE ("platform" = 'slack' AND "userId" = $1) OR ("platform" = 'teams' AND "userId" = $2)`,
    [person.slackUserId ?? "", person.teamsUserId ?? ""],
  );
  // Exported answers waiting behind their (minutes-long) links may name them in any file; they
  // cannot be told apart without reading each, so every pending one goes: the askers ask again.
  await tx.query(`DELETE FROM "ExportFile"`);
  const subscriptions = await count(`DELETE FROM "Subscription" WHERE "ownerId" = $1`, [id]);
  const alerts = await count(`DELETE FROM "Alert" WHERE "ownerId" = $1`, [id]);

  // The audit log keeps what happened, not who: their rows lose the link, and any mention of them
  // in anyone's command (email, full name, chat id, the email's local part as a handle) is replaced.
  const auditRows = await count(
    `UPDATE "AuditLog" SET "userId" = NULL, "platformUserId" = $2 WHERE "userId" = $1 OR "platformUserId" = ANY($3::text[])`,
    [id, alias, chatIds],
  );
  const local = person.email.split("@")[0] ?? "";
  const needles = [person.email, person.name, ...chatIds, ...(local.length >= 3 ? [local] : [])]
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .sort((a, b) => b.length - a.length) // the email before its own local part
    .map(regexLiteral);
  const pattern = `(${needles.join("|")})`;
  const auditMentions = await count(
    `UPDATE "AuditLog" SET command = regexp_replace(command, $1, $2, 'gi') WHERE command ~* $1`,
    [pattern, alias],
  );

  const teamsUnmanaged = await count(`UPDATE "Team" SET "managerId" = NULL WHERE "managerId" = $1`, [id]);
  const reportsUnlinked = await count(`UPDATE "User" SET "managerId" = NULL WHERE "managerId" = $1`, [id]);

  const [owned] = await tx.query<{ deals: number; activities: number; tickets: number; quotas: number; campaigns: number }>(
    `SELECT (SELECT count(*)::int FROM "Deal" WHERE "ownerId" = $1) AS deals,
            (SELECT count(*)::int FROM "Activity" WHERE "ownerId" = $1) AS activities,
            (SELECT count(*)::int FROM "Ticket" WHERE "agentId" = $1) AS tickets,
            (SELECT count(*)::int FROM "Quota" WHERE "ownerId" = $1) AS quotas,
            (SELECT count(*)::int FROM "Campaign" WHERE "ownerId" = $1) AS campaigns`,
    [id],
  );
  const records = owned ?? { deals: 0, activities: 0, tickets: 0, quotas: 0, campaigns: 0 };

  if (withRecords) {
    // Other people's activities on their deals stay, detached from the deal.
    await tx.query(`UPDATE "Activity" SET "dealId" = NULL WHERE "dealId" IN (SELECT id FROM "Deal" WHERE "ownerId" = $1) AND "ownerId" <> $1`, [id]);
    await tx.query(`DELETE FROM "Activity" WHERE "ownerId" = $1`, [id]);
    await tx.query(`DELETE FROM "Ticket" WHERE "agentId" = $1`, [id]);
    await tx.query(`DELETE FROM "Quota" WHERE "ownerId" = $1`, [id]);
    await tx.query(`DELETE FROM "Deal" WHERE "ownerId" = $1`, [id]);
    // A campaign is the organisation's, not the person's: it stays without an owner.
    await tx.query(`UPDATE "Campaign" SET "ownerId" = NULL WHERE "ownerId" = $1`, [id]);
    await tx.query(`DELETE FROM "User" WHERE id = $1`, [id]);
  } else {
    await tx.query(
      `UPDATE "User" SET email = $2, name = $3, "slackUserId" = NULL, "teamsUserId" = NULL, active = false,
              timezone = 'UTC', locale = 'en' WHERE id = $1`,
      [id, `${alias}@${PSEUDONYM_DOMAIN}`, alias],
    );
  }
  return {
    email: person.email,
    pseudonym: alias,
    withRecords,
    dryRun: false,
    chatLinks: chatIds.length,
    conversations,
    subscriptions,
    alerts,
    auditRows,
    auditMentions,
    teamsUnmanaged,
    reportsUnlinked,
    records,
  };
}

/** What `forget` printed: one line per kind of thing touched. */
export function describeForget(s: ForgetSummary): string {
  const r = s.records;
  const recordsLine = s.withRecords
    ? `deleted their records: ${r.deals} deals, ${r.activities} activities, ${r.tickets} tickets, ${r.quotas} quotas; ${r.campaigns} campaigns kept without an owner; person removed`
    : `kept their records for others' figures (${r.deals} deals, ${r.activities} activities, ${r.tickets} tickets, ${r.quotas} quotas, ${r.campaigns} campaigns) under ${s.pseudonym}, inactive (never ranked or flagged)`;
  return [
    `${s.dryRun ? "would forget" : "forgot"} ${s.email} → ${s.pseudonym}`,
    `  chat links removed: ${s.chatLinks}; conversation references: ${s.conversations}; subscriptions: ${s.subscriptions}; alerts: ${s.alerts}`,
    `  audit rows pseudonymised: ${s.auditRows}; commands mentioning them rewritten: ${s.auditMentions}`,
    `  teams left without a manager: ${s.teamsUnmanaged}; direct reports unlinked: ${s.reportsUnlinked}`,
    `  ${recordsLine}`,
    ...(s.dryRun ? ["  (dry run: nothing was changed)"] : []),
  ].join("\n");
}
