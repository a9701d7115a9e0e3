/**
 * The demo company's rows, built in memory from a seed and a `now` (pure: no database, no clock).
 * Rows name each other by email and external id; the loader resolves those to database ids.
 */
import {
  addDays,
  DAY_MS,
  dayWeight,
  HISTORY_DAYS,
  HOUR_MS,
  isoDate,
  MINUTE_MS,
  quartersBetween,
  startOfUtcDay,
} from "./calendar.ts";
import {
  ADMINS,
  CAMPAIGN_CHANNELS,
  CAMPAIGN_THEMES,
  CUSTOMER_WORDS,
  DEMO_ADMIN_EMAIL,
  DEMO_MANAGER_EMAIL,
  DEMO_REP_EMAIL,
  emailOf,
  MARKETING_TEAM,
  SALES_ORG,
  SERVICE_APAC_TEAM,
  SALES_TEAMS,
  SERVICE_TEAM,
  UTC_OFFSET_HOURS,
  type PersonPlan,
  type SalesTeamPlan,
} from "./demo-org.ts";
import { DEMO_ID_PREFIX } from "./markers.ts";
import { createRandom, deriveSeed, type Random } from "./random.ts";

export type TeamRow = { name: string; parent: string | null; manager: string };
export type UserRow = {
  n: number;
  email: string;
  name: string;
  role: "rep" | "manager" | "admin";
  team: string | null;
  manager: string | null;
  slackUserId: string | null;
  teamsUserId: string | null;
  timezone: string;
  locale: string;
  startedAt: string;
};
export type CampaignRow = {
  n: number;
  ext: string;
  name: string;
  channel: string;
  start: string;
  end: string | null;
  spend: number;
  leads: number;
  conversions: number;
  revenue: number;
  owner: string;
};
export type DealRow = {
  n: number;
  ext: string;
  owner: string;
  customer: string;
  amount: number;
  status: "open" | "won" | "lost";
  created: string;
  closed: string | null;
  campaign: string | null;
  /** CRM fields a breakdown groups by (`by product` …), drawn from a stream of their own. */
  product?: string;
  region?: string;
  source?: string;
  segment?: string;
  stage?: string;
  pipeline?: string;
  type?: string;
};
export type ActivityRow = { n: number; ext: string; owner: string; type: "call" | "meeting" | "email" | "other"; at: string; deal: string | null };
export type QuotaRow = { owner: string; start: string; end: string; amount: number };
export type TicketRow = {
  n: number;
  ext: string;
  agent: string;
  opened: string;
  firstResponse: string | null;
  resolved: string | null;
  csat: number | null;
  category: string;
  priority: string;
  channel: string;
};

export type DemoData = {
  teams: TeamRow[];
  users: UserRow[];
  campaigns: CampaignRow[];
  deals: DealRow[];
  activities: ActivityRow[];
  quotas: QuotaRow[];
  tickets: TicketRow[];
};

/** Average deals a full-time rep opens per business day, before seasonality and skill. */
const DEALS_PER_DAY = 0.27;
/** Median deal size in dollars before team and rep scaling. */
const MEDIAN_DEAL_DOLLARS = 9_000;
/** Quarterly quota in dollars for an average rep in a team with dealScale 1. */
const QUOTA_DOLLARS = 65_000;
/** Days a new rep takes to reach full deal volume. */
const RAMP_DAYS = 90;

const SLACK_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const TEAMS_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

type Rep = {
  email: string;
  team: SalesTeamPlan;
  plan: PersonPlan;
  startedAt: Date;
  winRate: number;
  volume: number;
  dealScale: number;
  effort: number;
};

/** Build the whole demo dataset for `seed` with history ending at `now`. */
export function buildDemo(seed: number, now: Date): DemoData {
  const windowStart = new Date(now.getTime() - HISTORY_DAYS * DAY_MS);
  const firstDay = startOfUtcDay(windowStart);
  const people = buildPeople(createRandom(deriveSeed(seed, 1)), now, createRandom(deriveSeed(seed, 10)));
  const reps = people.reps;
  const campaigns = buildCampaigns(createRandom(deriveSeed(seed, 2)), windowStart, now);
  const deals = buildDeals(createRandom(deriveSeed(seed, 3)), reps, campaigns, firstDay, windowStart, now);
  describeDeals(createRandom(deriveSeed(seed, 9)), deals, reps, campaigns, now);
  attributeCampaigns(createRandom(deriveSeed(seed, 4)), campaigns, deals);
  const activities = buildActivities(createRandom(deriveSeed(seed, 5)), reps, deals, firstDay, windowStart, now);
  const quotas = buildQuotas(createRandom(deriveSeed(seed, 6)), reps, windowStart, now);
  const tickets = describeTickets(createRandom(deriveSeed(seed, 8)), buildTickets(createRandom(deriveSeed(seed, 7)), people.agents, firstDay, windowStart, now));
  // The second service team's tickets come from streams of their own, numbered after the first's.
  const apacTickets = buildTickets(createRandom(deriveSeed(seed, 11)), people.apacAgents, firstDay, windowStart, now, "tkt-apac-", strugglingTeam);
  tickets.push(...describeTickets(createRandom(deriveSeed(seed, 12)), apacTickets).map((t, i) => ({ ...t, n: tickets.length + i + 1 })));
  return { teams: people.teams, users: people.users, campaigns: campaigns.map((c) => c.row), deals, activities, quotas, tickets };
}

// ---------------------------------------------------------------------------------------------
// People

type Agent = { email: string; plan: PersonPlan; startedAt: Date };

function buildPeople(rng: Random, now: Date, apacRng: Random): { teams: TeamRow[]; users: UserRow[]; reps: Rep[]; agents: Agent[]; apacAgents: Agent[] } {
  const users: UserRow[] = [];
  const teams: TeamRow[] = [];
  const slackIds = new Set<string>();
  const teamsIds = new Set<string>();
  const alwaysLinked = new Set([DEMO_ADMIN_EMAIL, DEMO_MANAGER_EMAIL, DEMO_REP_EMAIL]);
  const defaultRng = rng;

  const uniqueId = (taken: Set<string>, make: () => string) => {
    for (;;) {
      const id = make();
      if (!taken.has(id)) {
        taken.add(id);
        return id;
      }
    }
  };
  const add = (p: PersonPlan, role: UserRow["role"], team: string | null, manager: string | null, rng = defaultRng): { email: string; startedAt: Date } => {
    const email = emailOf(p);
    const tenure = p.tenureDays ?? rng.int(800, 2000);
    const startedAt = startOfUtcDay(addDays(now, -tenure));
    const linked = alwaysLinked.has(email);
    const slack = linked || rng.chance(0.7) ? uniqueId(slackIds, () => `U0${rng.chars(SLACK_ALPHABET, 9)}`) : null;
    const ms = linked || rng.chance(0.45) ? uniqueId(teamsIds, () => `29:1${rng.chars(TEAMS_ALPHABET, 24)}`) : null;
    users.push({
      n: users.length + 1,
      email,
      name: p.name,
      role,
      team,
      manager,
      slackUserId: slack,
      teamsUserId: ms,
      timezone: p.timezone,
      locale: p.locale,
      startedAt: startedAt.toISOString(),
    });
    return { email, startedAt };
  };

  for (const admin of ADMINS) add(admin, "admin", null, null);

  const head = add(SALES_ORG.head, "manager", SALES_ORG.name, null).email;
  teams.push({ name: SALES_ORG.name, parent: null, manager: head });
  const reps: Rep[] = [];
  for (const team of SALES_TEAMS) {
    const manager = add(team.manager, "manager", team.name, head).email;
    teams.push({ name: team.name, parent: SALES_ORG.name, manager });
    for (const plan of team.reps) {
      const { email, startedAt } = add(plan, "rep", team.name, manager);
      reps.push({ email, team, plan, startedAt, ...repProfile(rng, plan) });
    }
  }

  const serviceManager = add(SERVICE_TEAM.manager, "manager", SERVICE_TEAM.name, null).email;
  teams.push({ name: SERVICE_TEAM.name, parent: null, manager: serviceManager });
  const agents = SERVICE_TEAM.agents.map((plan) => ({ plan, ...add(plan, "rep", SERVICE_TEAM.name, serviceManager) }));

  const marketingManager = add(MARKETING_TEAM.manager, "manager", MARKETING_TEAM.name, null).email;
  teams.push({ name: MARKETING_TEAM.name, parent: null, manager: marketingManager });
  for (const plan of MARKETING_TEAM.members) add(plan, "rep", MARKETING_TEAM.name, marketingManager);

  // Added after everyone else, from a stream of its own: the people above keep their ids and links.
  const apacManager = add(SERVICE_APAC_TEAM.manager, "manager", SERVICE_APAC_TEAM.name, null, apacRng).email;
  teams.push({ name: SERVICE_APAC_TEAM.name, parent: null, manager: apacManager });
  const apacAgents = SERVICE_APAC_TEAM.agents.map((plan) => ({ plan, ...add(plan, "rep", SERVICE_APAC_TEAM.name, apacManager, apacRng) }));

  return { teams, users, reps, agents, apacAgents };
}

/** Per-rep skill: win rate, deal volume, deal size and activity effort (the story roles stand out). */
function repProfile(rng: Random, plan: PersonPlan): Pick<Rep, "winRate" | "volume" | "dealScale" | "effort"> {
  switch (plan.story) {
    case "star":
      return { winRate: 0.5, volume: 1.5, dealScale: 2.0, effort: 1.3 };
    case "low":
      return { winRate: 0.04, volume: 1.0, dealScale: 0.9, effort: 0.6 };
    default:
      return {
        winRate: rng.uniform(0.26, 0.36),
        volume: rng.uniform(0.9, 1.1),
        dealScale: Math.exp(rng.normal(0, 0.1)),
        effort: rng.uniform(0.85, 1.15),
      };
  }
}

/** A moment during local working hours (09:00–18:00 in tz) on the UTC day `day`. */
function workingMoment(rng: Random, day: Date, timezone: string): Date {
  const offset = UTC_OFFSET_HOURS[timezone] ?? 0;
  const ms = day.getTime() + (9 - offset) * HOUR_MS + Math.floor(rng.uniform(0, 9 * 60)) * MINUTE_MS + rng.int(0, 59) * 1000;
  return new Date(ms);
}

function isWeekday(day: Date): boolean {
  const d = day.getUTCDay();
  return d !== 0 && d !== 6;
}

/** Fraction of full volume a person works at on `day`, ramping up over their first weeks. */
function ramp(startedAt: Date, day: Date): number {
  const days = (day.getTime() - startedAt.getTime()) / DAY_MS;
  if (days < 0) return 0;
  return Math.min(1, 0.15 + (0.85 * days) / RAMP_DAYS);
}

// ---------------------------------------------------------------------------------------------
// Campaigns

type CampaignDraft = { row: CampaignRow; from: number; until: number; won: number; opportunities: number };

function buildCampaigns(rng: Random, windowStart: Date, now: Date): CampaignDraft[] {
  const owners = [MARKETING_TEAM.manager, ...MARKETING_TEAM.members].map(emailOf);
  const drafts: CampaignDraft[] = [];
  for (const q of quartersBetween(windowStart, now)) {
    const year = q.startDate.getUTCFullYear();
    const quarter = Math.floor(q.startDate.getUTCMonth() / 3) + 1;
    for (let i = 0; i < 3; i++) {
      const spec = CAMPAIGN_CHANNELS[rng.weighted(CAMPAIGN_CHANNELS.map((c, k) => [k, c.weight] as const))]!;
      const start = addDays(q.startDate, rng.int(0, 75));
      if (start.getTime() > now.getTime() || start.getTime() < startOfUtcDay(windowStart).getTime()) continue;
      const days = rng.int(spec.days[0], spec.days[1]);
      const alwaysOn = spec.channel === "content" && rng.chance(0.3);
      const end = addDays(start, days - 1);
      const n = drafts.length + 1;
      drafts.push({
        row: {
          n,
          ext: `${DEMO_ID_PREFIX}cmp-${String(n).padStart(3, "0")}`,
          name: `${year} Q${quarter} ${rng.pick(CAMPAIGN_THEMES)} (${spec.channel.replace("_", " ")})`,
          channel: spec.channel,
          start: isoDate(start),
          end: alwaysOn ? null : isoDate(end),
          spend: Math.round(rng.logNormal(spec.spend, 0.35)) * 100,
          leads: 0,
          conversions: 0,
          revenue: 0,
          owner: rng.pick(owners),
        },
        from: start.getTime(),
        // Deals opened up to three weeks after a campaign ends are still attributed to it.
        until: alwaysOn ? now.getTime() : end.getTime() + 21 * DAY_MS,
        won: 0,
        opportunities: 0,
      });
    }
  }
  return drafts;
}

/** Leads and conversions follow spend and the attributed deals; revenue is their won amount. */
function attributeCampaigns(rng: Random, campaigns: CampaignDraft[], deals: DealRow[]): void {
  const byExt = new Map(campaigns.map((c) => [c.row.ext, c]));
  for (const d of deals) {
    const c = d.campaign ? byExt.get(d.campaign) : undefined;
    if (!c) continue;
    c.opportunities += 1;
    if (d.status === "won") c.won += d.amount;
  }
  for (const c of campaigns) {
    const spec = CAMPAIGN_CHANNELS.find((s) => s.channel === c.row.channel)!;
    const leads = Math.round((c.row.spend / 100 / spec.costPerLead) * rng.logNormal(1, 0.3));
    c.row.conversions = c.opportunities;
    c.row.leads = Math.max(leads, c.opportunities * 4);
    c.row.revenue = c.won;
  }
}

// ---------------------------------------------------------------------------------------------
// Deals

function buildDeals(
  rng: Random,
  reps: Rep[],
  campaigns: CampaignDraft[],
  firstDay: Date,
  windowStart: Date,
  now: Date,
): DealRow[] {
  const deals: DealRow[] = [];
  for (const rep of reps) {
    const customers = customerPool(rng, rep.team.name === "APAC" ? "zh" : "en", 40);
    // Wins come from an accumulator with a random threshold rather than independent coin flips:
    // outcomes still look random, but a rep's realised win rate stays close to their skill in
    // any stretch of a few dozen deals, so the low performer stands out for every seed.
    let winCredit = rng.uniform(0, 1);
    for (let d = 0; d <= HISTORY_DAYS; d++) {
      const day = addDays(firstDay, d);
      const rate = DEALS_PER_DAY * rep.volume * dayWeight(day) * ramp(rep.startedAt, day);
      for (let k = rng.poisson(rate); k > 0; k--) {
        const created = workingMoment(rng, day, rep.plan.timezone);
        const amountDollars = Math.max(500, Math.round(rng.logNormal(MEDIAN_DEAL_DOLLARS * rep.team.dealScale * rep.dealScale, 0.65) / 50) * 50);
        const cycleDays = Math.max(3, Math.round(rng.logNormal(35, 0.55)));
        const closedAt = workingMoment(rng, addDays(startOfUtcDay(created), cycleDays), rep.plan.timezone);
        winCredit += rep.winRate;
        const wins = winCredit >= rng.uniform(0.4, 1.6);
        if (wins) winCredit -= 1;
        const live = campaigns.filter((c) => c.from <= created.getTime() && created.getTime() <= c.until);
        const campaign = live.length > 0 && rng.chance(0.25) ? rng.pick(live).row.ext : null;
        if (created.getTime() < windowStart.getTime() || created.getTime() > now.getTime()) continue;
        const open = closedAt.getTime() > now.getTime();
        deals.push({
          n: 0,
          ext: "",
          owner: rep.email,
          customer: rng.pick(customers),
          amount: amountDollars * 100,
          status: open ? "open" : wins ? "won" : "lost",
          created: created.toISOString(),
          closed: open ? null : closedAt.toISOString(),
          campaign,
        });
      }
    }
  }
  deals.sort((a, b) => (a.created < b.created ? -1 : a.created > b.created ? 1 : a.owner < b.owner ? -1 : a.owner > b.owner ? 1 : 0));
  deals.forEach((d, i) => {
    d.n = i + 1;
    d.ext = `${DEMO_ID_PREFIX}deal-${String(i + 1).padStart(5, "0")}`;
  });
  return deals;
}

/** Products sold; Analytics Pro loses far more often than the others (the story `by product` finds). */
const PRODUCTS: readonly { name: string; won: number; notWon: number }[] = [
  { name: "CRM Suite", won: 30, notWon: 30 },
  { name: "Analytics Pro", won: 10, notWon: 26 },
  { name: "Service Desk", won: 20, notWon: 20 },
  { name: "Marketing Hub", won: 20, notWon: 14 },
  { name: "Data Connect", won: 20, notWon: 10 },
];

/** Where a team's customers are: mostly its home market. */
const REGIONS: Readonly<Record<string, readonly [string, number][]>> = {
  East: [["US East", 80], ["Canada", 20]],
  West: [["US West", 85], ["Latin America", 15]],
  North: [["UK & Ireland", 60], ["Europe", 40]],
  APAC: [["Greater China", 70], ["Southeast Asia", 20], ["Australia & NZ", 10]],
};

/** A campaign's deals take its channel as their lead source. */
const CHANNEL_SOURCE: Readonly<Record<string, string>> = {
  email: "Email",
  paid_search: "Paid search",
  social: "Social",
  event: "Event",
  webinar: "Webinar",
  content: "Content",
};

/**
 * Product, region, lead source, segment, stage, pipeline and type of each deal, drawn from a
 * stream of their own after the deals exist (every other field stays as it was). Product and
 * source are drawn given the outcome, so their win rates differ: referrals win more, outbound
 * less, Analytics Pro least.
 */
function describeDeals(rng: Random, deals: DealRow[], reps: Rep[], campaigns: CampaignDraft[], now: Date): void {
  const teamOf = new Map(reps.map((r) => [r.email, r.team.name]));
  const channelOf = new Map(campaigns.map((c) => [c.row.ext, c.row.channel]));
  for (const d of deals) {
    const won = d.status === "won";
    // An open deal's product mix is that of deals overall (about a third are won).
    const productWeights = PRODUCTS.map((p, i) => [i, d.status === "open" ? p.won / 3 + (2 * p.notWon) / 3 : won ? p.won : p.notWon] as const);
    d.product = PRODUCTS[rng.weighted(productWeights)]!.name;
    d.region = rng.weighted(REGIONS[teamOf.get(d.owner) ?? ""] ?? [["Other", 1]]);
    const channel = d.campaign ? channelOf.get(d.campaign) : undefined;
    d.source = channel
      ? (CHANNEL_SOURCE[channel] ?? channel)
      : rng.weighted<string>(won ? [["Referral", 32], ["Inbound", 33], ["Outbound", 20], ["Partner", 15]] : [["Referral", 12], ["Inbound", 33], ["Outbound", 40], ["Partner", 15]]);
    const dollars = d.amount / 100;
    d.segment = dollars < 8_000 ? "SMB" : dollars < 20_000 ? "Mid-market" : "Enterprise";
    d.pipeline = d.source === "Partner" ? "Partner" : "Direct";
    d.type = rng.weighted<string>([["New business", 75], ["Upsell", 20], ["Renewal", 5]]);
    if (d.status !== "open") d.stage = won ? "Closed Won" : "Closed Lost";
    else {
      const ageDays = (now.getTime() - Date.parse(d.created)) / DAY_MS;
      d.stage = ageDays < 10 ? "Qualification" : ageDays < 25 ? "Discovery" : ageDays < 45 ? "Proposal" : "Negotiation";
    }
  }
}

function customerPool(rng: Random, lang: "en" | "zh", size: number): string[] {
  const words = CUSTOMER_WORDS[lang];
  const pool = new Set<string>();
  while (pool.size < size) {
    pool.add(lang === "zh" ? `${rng.pick(words.first)}${rng.pick(words.second)}有限公司` : `${rng.pick(words.first)} ${rng.pick(words.second)}`);
  }
  return [...pool];
}

// ---------------------------------------------------------------------------------------------
// Activities: work on each deal (more on won deals, more from diligent reps) and prospecting.

function buildActivities(rng: Random, reps: Rep[], deals: DealRow[], firstDay: Date, windowStart: Date, now: Date): ActivityRow[] {
  const out: Omit<ActivityRow, "n" | "ext">[] = [];
  const byEmail = new Map(reps.map((r) => [r.email, r]));
  for (const d of deals) {
    const rep = byEmail.get(d.owner)!;
    const from = Date.parse(d.created);
    const until = d.closed ? Date.parse(d.closed) : now.getTime();
    const statusFactor = d.status === "won" ? 1.5 : d.status === "lost" ? 0.8 : 0.6 + 0.4 * Math.min(1, (until - from) / (35 * DAY_MS));
    const sizeFactor = Math.min(1.6, Math.max(0.6, 1 + 0.3 * Math.log(d.amount / 100 / MEDIAN_DEAL_DOLLARS)));
    const count = 1 + rng.poisson(4 * rep.effort * statusFactor * sizeFactor);
    for (let i = 0; i < count; i++) {
      const type = rng.weighted<ActivityRow["type"]>([
        ["call", 0.4],
        ["email", 0.4],
        ["meeting", d.status === "won" ? 0.3 : 0.18],
      ]);
      const at = i === 0 ? from : Math.floor(rng.uniform(from, until) / 1000) * 1000;
      out.push({ owner: d.owner, type, at: new Date(at).toISOString(), deal: d.ext });
    }
  }
  for (const rep of reps) {
    for (let d = 0; d <= HISTORY_DAYS; d++) {
      const day = addDays(firstDay, d);
      if (!isWeekday(day)) continue;
      for (let k = rng.poisson(1.6 * rep.effort * ramp(rep.startedAt, day)); k > 0; k--) {
        const at = workingMoment(rng, day, rep.plan.timezone);
        const type = rng.weighted<ActivityRow["type"]>([
          ["call", 0.55],
          ["email", 0.4],
          ["other", 0.05],
        ]);
        if (at.getTime() < windowStart.getTime() || at.getTime() > now.getTime()) continue;
        out.push({ owner: rep.email, type, at: at.toISOString(), deal: null });
      }
    }
  }
  out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return out.map((a, i) => ({ n: i + 1, ext: `${DEMO_ID_PREFIX}act-${String(i + 1).padStart(6, "0")}`, ...a }));
}

// ---------------------------------------------------------------------------------------------
// Quotas: calendar quarters from the start of history to the next quarter, per sales rep.

function buildQuotas(rng: Random, reps: Rep[], windowStart: Date, now: Date): QuotaRow[] {
  const quarters = quartersBetween(windowStart, now, 1);
  const quotas: QuotaRow[] = [];
  for (const rep of reps) {
    const personal = rep.plan.story === "star" ? 1.5 : rng.uniform(0.92, 1.08);
    for (const q of quarters) {
      const end = addDays(new Date(`${q.end}T00:00:00Z`), 1);
      if (end.getTime() <= rep.startedAt.getTime()) continue;
      const month = q.startDate.getUTCMonth();
      const season = month === 9 ? 1.2 : month === 0 ? 0.9 : 1;
      const rampFactor = q.startDate.getTime() < rep.startedAt.getTime() + RAMP_DAYS * DAY_MS ? 0.5 : 1;
      const dollars = Math.round((QUOTA_DOLLARS * rep.team.dealScale * personal * season * rampFactor) / 5000) * 5000;
      quotas.push({ owner: rep.email, start: q.start, end: q.end, amount: dollars * 100 });
    }
  }
  return quotas;
}

// ---------------------------------------------------------------------------------------------
// Service tickets: log-normal response and resolution times; CSAT mostly 4–5, often unrated.

type BareTicket = Omit<TicketRow, "category" | "priority" | "channel">;

/** How an agent works: ticket volume, median minutes to first response and hours to resolve, CSAT. */
type AgentStyle = { volume: number; firstMinutes: number; resolveHours: number; csat: [number, number][] };

const HAPPY: [number, number][] = [[1, 3], [2, 4], [3, 10], [4, 33], [5, 50]];

function serviceTeamStyle(agent: Agent): AgentStyle {
  return agent.plan.story === "slow"
    ? { volume: 0.8, firstMinutes: 75, resolveHours: 16, csat: [[1, 10], [2, 12], [3, 25], [4, 30], [5, 23]] }
    : { volume: 1, firstMinutes: 18, resolveHours: 6, csat: HAPPY };
}

/** Service APAC: understaffed for its volume — slower answers, slower resolution, lower CSAT. */
function strugglingTeam(): AgentStyle {
  return { volume: 1.25, firstMinutes: 40, resolveHours: 11, csat: [[1, 9], [2, 11], [3, 24], [4, 32], [5, 24]] };
}

function buildTickets(rng: Random, agents: Agent[], firstDay: Date, windowStart: Date, now: Date, prefix = "tkt-", style: (a: Agent) => AgentStyle = serviceTeamStyle): BareTicket[] {
  const out: Omit<BareTicket, "n" | "ext">[] = [];
  for (const agent of agents) {
    const how = style(agent);
    for (let d = 0; d <= HISTORY_DAYS; d++) {
      const day = addDays(firstDay, d);
      const rate = (isWeekday(day) ? 2.4 : 0.3) * how.volume * ramp(agent.startedAt, day);
      for (let k = rng.poisson(rate); k > 0; k--) {
        const opened = workingMoment(rng, day, agent.plan.timezone);
        const firstMinutes = rng.logNormal(how.firstMinutes, 0.9);
        const resolveHours = rng.logNormal(how.resolveHours, 1.0);
        const rated = rng.chance(0.72);
        const csat = rng.weighted(how.csat);
        if (opened.getTime() < windowStart.getTime() || opened.getTime() > now.getTime()) continue;
        const first = opened.getTime() + Math.round(firstMinutes * 60) * 1000;
        const resolved = first + Math.round(resolveHours * 3600) * 1000;
        const responded = first <= now.getTime();
        const done = responded && resolved <= now.getTime();
        out.push({
          agent: agent.email,
          opened: opened.toISOString(),
          firstResponse: responded ? new Date(first).toISOString() : null,
          resolved: done ? new Date(resolved).toISOString() : null,
          csat: done && rated ? csat : null,
        });
      }
    }
  }
  out.sort((a, b) => (a.opened < b.opened ? -1 : a.opened > b.opened ? 1 : 0));
  return out.map((t, i) => ({ n: i + 1, ext: `${DEMO_ID_PREFIX}${prefix}${String(i + 1).padStart(5, "0")}`, ...t }));
}

/**
 * Category, priority and channel of each ticket, from a stream of their own (the other fields stay
 * as they were). Billing questions end unhappily more often: a poorly rated ticket is billing
 * three times as often as a well rated one, a difference `by category` finds.
 */
function describeTickets(rng: Random, tickets: BareTicket[]): TicketRow[] {
  return tickets.map((t) => {
    const unhappy = t.csat !== null && t.csat <= 2;
    const category = rng.weighted<string>(unhappy ? [["billing", 45], ["technical", 30], ["account", 15], ["shipping", 10]] : [["billing", 15], ["technical", 45], ["account", 25], ["shipping", 15]]);
    const priority = rng.weighted<string>([["low", 30], ["normal", 50], ["high", 15], ["urgent", 5]]);
    const channel = rng.weighted<string>([["email", 45], ["chat", 30], ["phone", 20], ["web", 5]]);
    return { ...t, category, priority, channel };
  });
}
