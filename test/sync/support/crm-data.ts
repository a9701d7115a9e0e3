// Generated CRM data (deterministic from a seed) that can be served by the fake HubSpot and
// written as the import's CSV files, so a sync and an import of the same data can be compared.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { csvLine } from "../../../src/csv.ts";

const toCsv = (header: string[], rows: string[][]) => [header, ...rows].map(csvLine).join("");
import type { FakeHubSpot, FakePipeline, ObjectType } from "./fake-hubspot.ts";

export type GenOwner = { id: string; email: string; firstName: string; lastName: string; team: string | null; archived: boolean };
export type GenDeal = { id: string; ownerId: string | null; amount: string | null; currency: string; pipeline: string; stage: string; created: string; closed: string | null; dealtype: string | null; source: string | null };
export type GenActivity = { id: string; type: "calls" | "meetings" | "emails"; ownerId: string; at: string };
export type GenTicket = { id: string; ownerId: string; created: string; firstReplyMs: number | null; closed: string | null };
export type GenData = { owners: GenOwner[]; pipelines: FakePipeline[]; deals: GenDeal[]; activities: GenActivity[]; tickets: GenTicket[] };

/** mulberry32: a small seeded PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const PIPELINES: FakePipeline[] = [
  {
    id: "default",
    label: "Sales Pipeline",
    stages: [
      { id: "appointmentscheduled", label: "Appointment Scheduled", isClosed: false, probability: "0.2" },
      { id: "qualifiedtobuy", label: "Qualified To Buy", isClosed: false, probability: "0.4" },
      { id: "closedwon", label: "Closed Won", isClosed: true, probability: "1.0" },
      { id: "closedlost", label: "Closed Lost", isClosed: true, probability: "0.0" },
    ],
  },
  {
    id: "12345",
    label: "Renewals",
    stages: [
      { id: "1001", label: "Renewal Due", isClosed: false, probability: "0.5" },
      { id: "1002", label: "Renewed", isClosed: true, probability: "1.0" },
      { id: "1003", label: "Churned", isClosed: true, probability: "0.0" },
    ],
  },
];

/** The stage's open/won/lost, computed here independently of the connector. */
export function statusOf(pipeline: string, stage: string): "open" | "won" | "lost" {
  const s = PIPELINES.find((p) => p.id === pipeline)!.stages.find((x) => x.id === stage)!;
  return !s.isClosed ? "open" : s.probability === "1.0" ? "won" : "lost";
}

const TEAMS = ["East", "West", "North"];
const FIRST = ["Ana", "Bo", "Chen", "Dara", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun"];
const LAST = ["Souza", "Lind", "Wei", "Okafor", "Roth", "Ng", "Park", "Sato", "Kim", "Diaz"];

export function generate(seed: number, size: { owners: number; deals: number; activities: number; tickets: number }): GenData {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const start = Date.parse("2026-01-05T09:00:00.000Z");
  const day = 86_400_000;
  const instant = (from: number, spanDays: number) => new Date(from + Math.floor(r() * spanDays * day / 1000) * 1000 + Math.floor(r() * 1000)).toISOString();
  const owners: GenOwner[] = [];
  for (let i = 0; i < size.owners; i++) {
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
    owners.push({ id: String(100 + i), email: `${first}.${last}${i}@acme.example`.toLowerCase(), firstName: first, lastName: last, team: i % 5 === 4 ? null : TEAMS[i % TEAMS.length]!, archived: i === size.owners - 1 });
  }
  const deals: GenDeal[] = [];
  for (let i = 0; i < size.deals; i++) {
    const pipeline = r() < 0.8 ? PIPELINES[0]! : PIPELINES[1]!;
    const stage = pick(pipeline.stages);
    const created = instant(start, 300);
    const status = statusOf(pipeline.id, stage.id);
    const closed = status === "open" ? null : new Date(Date.parse(created) + Math.floor(r() * 60 * day)).toISOString();
    // Amounts as HubSpot stores them: strings, sometimes with more decimals, blank on some open deals.
    const raw = Math.round(r() * 5_000_000) / 100;
    const amount = status === "open" && r() < 0.1 ? null : r() < 0.1 ? (raw + 0.004).toFixed(3) : raw.toFixed(2);
    deals.push({
      id: String(5_000 + i),
      ownerId: pick(owners).id,
      amount,
      currency: r() < 0.85 ? "USD" : "EUR",
      pipeline: pipeline.id,
      stage: stage.id,
      created,
      closed,
      dealtype: r() < 0.5 ? "newbusiness" : "existingbusiness",
      source: pick(["ORGANIC_SEARCH", "PAID_SEARCH", "REFERRALS", null]),
    });
  }
  const activities: GenActivity[] = [];
  for (let i = 0; i < size.activities; i++) {
    activities.push({ id: String(90_000 + i), type: pick(["calls", "meetings", "emails"] as const), ownerId: pick(owners).id, at: instant(start, 300) });
  }
  const tickets: GenTicket[] = [];
  for (let i = 0; i < size.tickets; i++) {
    const created = instant(start, 300);
    const firstReplyMs = r() < 0.8 ? Math.floor(r() * 8 * 3_600_000) : null;
    const closed = firstReplyMs !== null && r() < 0.7 ? new Date(Date.parse(created) + firstReplyMs + Math.floor(r() * 3 * day)).toISOString() : null;
    tickets.push({ id: String(70_000 + i), ownerId: pick(owners).id, created, firstReplyMs, closed });
  }
  return { owners, pipelines: PIPELINES, deals, activities, tickets };
}

export function dealProperties(d: GenDeal): Record<string, string | null> {
  return {
    dealname: `Deal ${d.id}`,
    amount: d.amount,
    deal_currency_code: d.currency,
    dealstage: d.stage,
    pipeline: d.pipeline,
    createdate: d.created,
    // HubSpot keeps an expected close date on open deals too; the sync must ignore it there.
    closedate: d.closed ?? new Date(Date.parse(d.created) + 30 * 86_400_000).toISOString(),
    hubspot_owner_id: d.ownerId,
    dealtype: d.dealtype,
    hs_analytics_source: d.source,
  };
}

/** Load the data into the fake (every record gets its own modification instant). */
export function serve(fake: FakeHubSpot, data: GenData): void {
  fake.pipelines = data.pipelines;
  fake.owners = data.owners.map((o) => ({ id: o.id, email: o.email, firstName: o.firstName, lastName: o.lastName, archived: o.archived, teams: o.team ? [{ id: `t-${o.team}`, name: o.team, primary: true }] : [] }));
  for (const d of data.deals) fake.put("deals", d.id, dealProperties(d));
  for (const a of data.activities) fake.put(a.type as ObjectType, a.id, { hs_timestamp: a.at, hubspot_owner_id: a.ownerId });
  for (const t of data.tickets) {
    fake.put("tickets", t.id, {
      createdate: t.created,
      closed_date: t.closed,
      hs_pipeline_stage: t.closed ? "4" : "1",
      hubspot_owner_id: t.ownerId,
      hs_time_to_first_agent_reply: t.firstReplyMs === null ? null : String(t.firstReplyMs),
    });
  }
}

/** The same data as the import's CSV files (reps, deals, activities, tickets), keys as the sync's. */
export async function writeCsvFiles(dir: string, data: GenData): Promise<Record<"reps" | "deals" | "activities" | "tickets", string>> {
  const email = new Map(data.owners.map((o) => [o.id, o.email]));
  const files = {
    reps: path.join(dir, "reps.csv"),
    deals: path.join(dir, "deals.csv"),
    activities: path.join(dir, "activities.csv"),
    tickets: path.join(dir, "tickets.csv"),
  };
  const stageLabel = (p: string, s: string) => data.pipelines.find((x) => x.id === p)!.stages.find((x) => x.id === s)!.label;
  const pipelineLabel = (p: string) => data.pipelines.find((x) => x.id === p)!.label;
  await writeFile(files.reps, toCsv(["email", "name", "team", "role", "slack_user_id", "teams_user_id", "timezone", "locale", "active"],
    data.owners.map((o) => [o.email, `${o.firstName} ${o.lastName}`, o.team ?? "", "", "", "", "", "", o.archived ? "false" : "true"])));
  // Money rounded to hundredths half away from zero, written here without the connector's help.
  const cents = (a: string) => {
    const [whole, frac = ""] = a.split(".");
    const f = (frac + "000").slice(0, 3);
    const c = BigInt(whole!) * 100n + BigInt(f.slice(0, 2)) + (Number(f[2]) >= 5 ? 1n : 0n);
    return `${c / 100n}.${String(c % 100n).padStart(2, "0")}`;
  };
  await writeFile(files.deals, toCsv(["deal_id", "owner_email", "status", "created_at", "amount", "currency", "closed_at", "stage", "pipeline", "type", "source"],
    data.deals.map((d) => [`hubspot:${d.id}`, email.get(d.ownerId!)!, statusOf(d.pipeline, d.stage), d.created, d.amount === null ? "" : cents(d.amount), d.currency, d.closed ?? "", stageLabel(d.pipeline, d.stage), pipelineLabel(d.pipeline), d.dealtype ?? "", d.source ?? ""])));
  const word = { calls: "call", meetings: "meeting", emails: "email" } as const;
  await writeFile(files.activities, toCsv(["activity_id", "owner_email", "type", "occurred_at", "deal_id"],
    data.activities.map((a) => [`hubspot:${a.id}`, email.get(a.ownerId)!, word[a.type], a.at, ""])));
  await writeFile(files.tickets, toCsv(["ticket_id", "agent_email", "opened_at", "first_response_at", "resolved_at", "csat"],
    data.tickets.map((t) => [`hubspot:${t.id}`, email.get(t.ownerId)!, t.created, t.firstReplyMs === null ? "" : new Date(Date.parse(t.created) + t.firstReplyMs).toISOString(), t.closed ?? "", ""])));
  return files;
}
