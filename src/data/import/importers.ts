/** Every import kind: its row schema (pure) paired with its database writer. */
import { activities } from "./kinds/activities.ts";
import { campaigns } from "./kinds/campaigns.ts";
import { deals } from "./kinds/deals.ts";
import type { Kind } from "./kinds/kind.ts";
import { quotas } from "./kinds/quotas.ts";
import { rates } from "./kinds/rates.ts";
import { reps } from "./kinds/reps.ts";
import { teams } from "./kinds/teams.ts";
import { tickets } from "./kinds/tickets.ts";
import { activitiesWriter } from "./writers/activities.ts";
import { campaignsWriter } from "./writers/campaigns.ts";
import { dealsWriter } from "./writers/deals.ts";
import { quotasWriter } from "./writers/quotas.ts";
import { ratesWriter } from "./writers/rates.ts";
import { repsWriter } from "./writers/reps.ts";
import { teamsWriter } from "./writers/teams.ts";
import { ticketsWriter } from "./writers/tickets.ts";
import type { Writer } from "./writers/writer.ts";

/** In the order a first import should run them (each refers only to kinds before it; rates to none). */
export const KIND_NAMES = ["teams", "reps", "campaigns", "deals", "activities", "tickets", "quotas", "rates"] as const;
export type KindName = (typeof KIND_NAMES)[number];

export type Importer = { kind: Kind<unknown>; writer: Writer<unknown, unknown> };

function pair<Row, Ready>(kind: Kind<Row>, writer: Writer<Row, Ready>): Importer {
  return { kind, writer } as unknown as Importer;
}

export const importers: Record<KindName, Importer> = {
  teams: pair(teams, teamsWriter),
  reps: pair(reps, repsWriter),
  campaigns: pair(campaigns, campaignsWriter),
  deals: pair(deals, dealsWriter),
  activities: pair(activities, activitiesWriter),
  tickets: pair(tickets, ticketsWriter),
  quotas: pair(quotas, quotasWriter),
  rates: pair(rates, ratesWriter),
};
