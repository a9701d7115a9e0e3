/**
 * Generated Salesforce data for the fake org: a role tree (VP → two regional manager roles → rep
 * roles), users reporting to managers, accounts, campaigns, opportunities (open, won, lost; some
 * without an amount while open), tasks (calls, emails, plain tasks), events and cases. Deterministic
 * for a seed (mulberry32), so tests can recompute expectations from `fake.live(...)`.
 */
import { sfDateTime, type FakeSalesforce } from "./fake-salesforce.ts";

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type SeedSize = { repsPerTeam?: number; opportunities?: number; tasks?: number; events?: number; cases?: number; campaigns?: number };

const DAY = 86_400_000;

export function seedSalesforce(fake: FakeSalesforce, seed = 1, size: SeedSize = {}): void {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const start = Date.parse("2026-01-05T00:00:00Z");
  const span = 300 * DAY;
  const at = (): number => start + Math.floor(rnd() * span / 1000) * 1000;
  const date = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

  const vpRole = fake.upsert("UserRole", { Name: "VP Sales", ParentRoleId: null });
  const vp = fake.upsert("User", { Email: "vp@example.com", Name: "Vera Vice", IsActive: true, ManagerId: null, UserRoleId: vpRole.Id });
  const reps: string[] = [];
  for (const region of ["East", "West"]) {
    const mgrRole = fake.upsert("UserRole", { Name: `${region} Sales Manager`, ParentRoleId: vpRole.Id });
    const repRole = fake.upsert("UserRole", { Name: `${region} Sales Rep`, ParentRoleId: mgrRole.Id });
    const mgr = fake.upsert("User", { Email: `${region.toLowerCase()}.manager@example.com`, Name: `${region} Manager`, IsActive: true, ManagerId: vp.Id, UserRoleId: mgrRole.Id });
    const n = size.repsPerTeam ?? 4;
    for (let i = 1; i <= n; i++) {
      // The last rep of each team reports to the VP: the team's manager is still the majority's.
      const u = fake.upsert("User", {
        Email: `${region.toLowerCase()}.rep${i}@example.com`,
        Name: `${region} Rep ${i}`,
        IsActive: i !== 2 || region !== "West",
        ManagerId: i === n ? vp.Id : mgr.Id,
        UserRoleId: repRole.Id,
      });
      reps.push(u.Id);
    }
  }
  const support = fake.upsert("UserRole", { Name: "Support", ParentRoleId: vpRole.Id });
  const agent = fake.upsert("User", { Email: "agent@example.com", Name: "Ada Agent", IsActive: true, ManagerId: vp.Id, UserRoleId: support.Id });

  const accounts: string[] = [];
  for (let i = 1; i <= 12; i++) {
    const id = fake.newId("Account");
    fake.accounts.set(id, `Account ${i}`);
    accounts.push(id);
  }
  const campaigns: string[] = [];
  for (let i = 1; i <= (size.campaigns ?? 5); i++) {
    const s = at();
    const leads = 10 + Math.floor(rnd() * 200);
    campaigns.push(
      fake.upsert("Campaign", {
        Name: `Campaign ${i}`,
        Type: pick(["Email", "Webinar", "Conference", "Advertisement"]),
        StartDate: date(s),
        EndDate: rnd() < 0.8 ? date(s + 30 * DAY) : null,
        ActualCost: Math.round(rnd() * 500000) / 100,
        NumberOfLeads: leads,
        NumberOfConvertedLeads: Math.floor(rnd() * leads),
        AmountWonOpportunities: Math.round(rnd() * 10000000) / 100,
        OwnerId: pick(reps),
        CreatedDate: sfDateTime(s - DAY),
        ...(fake.multiCurrency ? { CurrencyIsoCode: "USD" } : {}),
      }).Id,
    );
  }
  const opps: string[] = [];
  for (let i = 0; i < (size.opportunities ?? 60); i++) {
    const created = at();
    const r = rnd();
    const won = r < 0.35;
    const closed = r < 0.7;
    const amount = rnd() < 0.1 && !closed ? null : Math.round(rnd() * 5000000) / 100;
    opps.push(
      fake.upsert("Opportunity", {
        OwnerId: pick(reps),
        AccountId: rnd() < 0.9 ? pick(accounts) : null,
        Amount: amount,
        StageName: won ? pick(["Closed Won", "Signed"]) : closed ? pick(["Closed Lost", "No Decision"]) : pick(["Prospecting", "Negotiation"]),
        IsClosed: closed,
        IsWon: won,
        CreatedDate: sfDateTime(created),
        CloseDate: date(created + Math.floor(1 + rnd() * 60) * DAY),
        LeadSource: rnd() < 0.7 ? pick(["Web", "Partner", "Phone Inquiry"]) : null,
        Type: rnd() < 0.7 ? pick(["New Business", "Existing Business"]) : null,
        CampaignId: rnd() < 0.3 ? pick(campaigns) : null,
        ...(fake.multiCurrency ? { CurrencyIsoCode: pick(["USD", "EUR"]) } : {}),
      }).Id,
    );
  }
  for (let i = 0; i < (size.tasks ?? 80); i++) {
    const c = at();
    fake.upsert("Task", {
      OwnerId: pick(reps),
      WhatId: rnd() < 0.5 ? pick(opps) : rnd() < 0.5 ? pick(accounts) : null,
      TaskSubtype: pick(["Call", "Email", "Task"]),
      ActivityDate: rnd() < 0.6 ? date(c + DAY) : null,
      CreatedDate: sfDateTime(c),
    });
  }
  for (let i = 0; i < (size.events ?? 30); i++) {
    const c = at();
    fake.upsert("Event", {
      OwnerId: pick(reps),
      WhatId: rnd() < 0.5 ? pick(opps) : null,
      ActivityDateTime: sfDateTime(c + 2 * DAY),
      ActivityDate: date(c + 2 * DAY),
      CreatedDate: sfDateTime(c),
    });
  }
  for (let i = 0; i < (size.cases ?? 25); i++) {
    const c = at();
    const closed = rnd() < 0.7;
    fake.upsert("Case", {
      OwnerId: agent.Id,
      CreatedDate: sfDateTime(c),
      ClosedDate: closed ? sfDateTime(c + Math.floor(rnd() * 5 * DAY)) : null,
      IsClosed: closed,
    });
  }
}
