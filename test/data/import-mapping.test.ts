// CRM exports as they come, through mapping files: a Salesforce-style opportunity report and a
// HubSpot-style deal export (their own headers, stage names, currency and date formats), each
// checked against totals recomputed here from the rows; mapping errors name their key; owners
// given by full name; --guess.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchMetric } from "../../src/data/kpi-queries.ts";
import { guessMapping } from "../../src/data/import/guess.ts";
import type { KindName } from "../../src/data/import/importers.ts";
import { readMapping, resolveMapping } from "../../src/data/import/mapping.ts";
import { formatRowError } from "../../src/data/import/report.ts";
import { importCsv, type ImportOptions } from "../../src/data/import/run.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";

const root = path.resolve(import.meta.dirname, "../..");

/** One CSV line, quoting every cell as CRM exports do. */
const line = (cells: readonly string[]) => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(",");

const REPS = [
  "email,name,team,role,manager_email,slack_user_id,teams_user_id,timezone,locale",
  "ana.souza@example.com,Ana Souza,,,,,,,",
  "ben.okafor@example.com,Ben Okafor,,,,,,,",
  "chloe.martin@example.com,Chloé Martin,,,,,,,",
  // Two people with one name: a row naming them must be refused with both emails.
  "sam.lee@example.com,Sam Lee,,,,,,,",
  "sam.lee2@example.com,Sam  LEE,,,,,,,",
];

// Salesforce "Opportunities with Products"-style report: US dates (M/D/YYYY), amounts with
// thousands separators, a currency column, Close Date filled in on open deals (the expected one).
const SF_HEADER = ["Opportunity Owner", "Account Name", "Opportunity Name", "Stage", "Fiscal Period", "Amount", "Opportunity Currency", "Probability (%)", "Close Date", "Created Date", "Lead Source", "Type", "Opportunity ID", "Next Step"];
type SfRow = { owner: string; account: string; stage: string; amount: string; currency: string; close: string; created: string; source: string; type: string; id: string };
const SF_ROWS: SfRow[] = [
  { owner: "Ana Souza", account: "Globex", stage: "Closed Won", amount: "12,500.00", currency: "USD", close: "1/31/2025", created: "12/2/2024", source: "Web", type: "New Business", id: "0065g00000AbCdE" },
  { owner: "ana souza", account: "Initech", stage: "Closed Lost", amount: "8,000.00", currency: "USD", close: "2/14/2025", created: "1/5/2025", source: "Partner Referral", type: "New Business", id: "0065g00000AbCdF" },
  { owner: "Ben Okafor", account: "Umbrella Corp", stage: "Closed Won", amount: "3,250.50", currency: "USD", close: "3/3/2025", created: "1/20/2025", source: "Trade Show", type: "Existing Customer - Upgrade", id: "0065g00000AbCdG" },
  { owner: "Ben Okafor", account: "Hooli", stage: "Negotiation/Review", amount: "40,000.00", currency: "USD", close: "6/30/2025", created: "2/11/2025", source: "Web", type: "New Business", id: "0065g00000AbCdH" },
  { owner: "Chloé Martin", account: "Soylent", stage: "Prospecting", amount: "", currency: "USD", close: "7/15/2025", created: "3/1/2025", source: "Cold Call", type: "New Business", id: "0065g00000AbCdI" },
  { owner: "Chloé Martin", account: "Stark Industries", stage: "Closed Won", amount: "1,100.00", currency: "EUR", close: "3/28/2025", created: "3/2/2025", source: "Web", type: "Existing Customer - Replacement", id: "0065g00000AbCdJ" },
  { owner: "Ana Souza", account: "Wayne Enterprises", stage: "Qualification", amount: "", currency: "USD", close: "8/1/2025", created: "3/10/2025", source: "Employee Referral", type: "New Business", id: "0065g00000AbCdK" },
];
const sfCsv = () =>
  [
    line(SF_HEADER),
    ...SF_ROWS.map((r) => line([r.owner, r.account, `${r.account} deal`, r.stage, "Q1-2025", r.amount, r.currency, "50", r.close, r.created, r.source, r.type, r.id, "call back, \"soon\""])),
    "",
    // Salesforce appends its report footer after a blank line.
    line(["Total", "", "", "", "", "", "", "", "", "", "", "", "", ""]),
  ];
const SF_MAPPING = {
  kind: "deals",
  columns: {
    deal_id: "Opportunity ID", owner: "Opportunity Owner", customer: "Account Name", amount: "Amount", currency: "Opportunity Currency",
    status: "Stage", created_at: "Created Date", closed_at: "Close Date", source: "Lead Source", type: "Type",
  },
  status: { won: ["Closed Won"], lost: ["Closed Lost"], open: ["*"] },
};

// HubSpot deal export: its own column names, pipeline stage labels, ISO date-times, bare amounts
// (the portal's currency is not in the file), "-" where no amount was entered.
const HS_HEADER = ["Record ID", "Deal Name", "Deal Stage", "Pipeline", "Amount", "Close Date", "Create Date", "Deal owner", "Deal Type", "Associated Company", "Last Activity Date"];
type HsRow = { id: string; stage: string; amount: string; close: string; created: string; owner: string; type: string; company: string };
const HS_ROWS: HsRow[] = [
  { id: "9876543210", stage: "Closed won", amount: "5400", close: "2025-02-03 14:12", created: "2025-01-06 09:30", owner: "Ben Okafor", type: "newbusiness", company: "Acme GmbH" },
  { id: "9876543211", stage: "Appointment scheduled", amount: "-", close: "", created: "2025-02-10 11:00", owner: "Chloé Martin", type: "newbusiness", company: "Beta SARL" },
  { id: "9876543212", stage: "Contract sent", amount: "12000.5", close: "2025-05-30 00:00", created: "2025-02-12 16:45", owner: "Ana Souza", type: "existingbusiness", company: "" },
  { id: "9876543213", stage: "Closed lost", amount: "900", close: "2025-03-01 10:00", created: "2025-02-01 10:00", owner: "Ben Okafor", type: "newbusiness", company: "Gamma BV" },
  { id: "9876543214", stage: "Closed won", amount: "2600.75", close: "2025-03-15 17:20", created: "2025-02-20 08:05", owner: "ana.souza@example.com", type: "existingbusiness", company: "Delta AB" },
];
const hsCsv = () => [line(HS_HEADER), ...HS_ROWS.map((r) => line([r.id, `${r.company} deal`, r.stage, "Sales Pipeline", r.amount, r.close, r.created, r.owner, r.type, r.company, "2025-03-20"]))];
const HS_MAPPING = {
  kind: "deals",
  columns: {
    deal_id: "Record ID", owner: "Deal owner", customer: "Associated Company", amount: "Amount", status: "Deal Stage",
    created_at: "Create Date", closed_at: "Close Date", pipeline: "Pipeline", type: "Deal Type",
  },
  status: { won: ["Closed won"], lost: ["Closed lost"], open: ["*"] },
  defaults: { currency: "EUR" },
  missing: { amount: ["-"] },
};

/** "12,500.00" → 1250050 hundredths, recomputed without the importer's parser. */
const cents = (s: string) => Math.round(Number(s.replace(/,/g, "")) * 100);
const WON = new Set(["closed won"]);
const LOST = new Set(["closed lost"]);
const statusOf = (stage: string) => (WON.has(stage.toLowerCase()) ? "won" : LOST.has(stage.toLowerCase()) ? "lost" : "open");

/** Independent figures from the rows: won total per owner email and currency, counts, pipeline. */
function expected(rows: { owner: string; stage: string; amount: string; currency: string }[], emailOf: (owner: string) => string) {
  const won: Record<string, number> = {};
  const counts = { open: 0, won: 0, lost: 0 };
  let pipeline = 0;
  let openWithoutAmount = 0;
  for (const r of rows) {
    const s = statusOf(r.stage);
    counts[s]++;
    const amount = r.amount === "" || r.amount === "-" ? null : cents(r.amount);
    if (s === "won") won[`${emailOf(r.owner)} ${r.currency}`] = (won[`${emailOf(r.owner)} ${r.currency}`] ?? 0) + amount!;
    if (s === "open") {
      if (amount === null) openWithoutAmount++;
      else pipeline += amount;
    }
  }
  return { won, counts, pipeline, openWithoutAmount };
}

const emailByName = (owner: string) => (owner.includes("@") ? owner : `${owner.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(" ", ".")}@example.com`);

describe.each(backends)("mapped CRM exports on %s", (backend) => {
  let db: TestDatabase;
  let dir: string;
  let n = 0;

  const run = (kind: KindName, file: string, options: Partial<ImportOptions> = {}) => importCsv(db, { kind, file, currency: "USD", ...options });
  async function write(lines: string[], ext = "csv"): Promise<string> {
    const file = path.join(dir, `f${++n}.${ext}`);
    await writeFile(file, lines.join("\r\n") + "\r\n");
    return file;
  }
  async function mapping(json: unknown) {
    const file = path.join(dir, `m${++n}.json`);
    await writeFile(file, JSON.stringify(json));
    const m = await readMapping(file);
    if (!m.ok) throw new Error(m.error);
    return m.value;
  }
  /** What the database holds for these deal ids: won per owner+currency, counts, pipeline. */
  async function stored(ids: string[]) {
    const rows = await db.sql.query<{ email: string; status: string; amount: string | null; currency: string; stage: string | null }>(
      `SELECT u.email, d.status::text AS status, d.amount::text AS amount, d.currency, d.stage FROM "Deal" d JOIN "User" u ON u.id = d."ownerId" WHERE d."externalId" = ANY($1::text[])`,
      [ids],
    );
    const won: Record<string, number> = {};
    const counts = { open: 0, won: 0, lost: 0 };
    let pipeline = 0;
    let openWithoutAmount = 0;
    for (const r of rows) {
      counts[r.status as "open"]++;
      if (r.status === "won") won[`${r.email} ${r.currency.trim()}`] = (won[`${r.email} ${r.currency.trim()}`] ?? 0) + Number(r.amount);
      if (r.status === "open") {
        if (r.amount === null) openWithoutAmount++;
        else pipeline += Number(r.amount);
      }
    }
    return { won, counts, pipeline, openWithoutAmount, stages: rows.map((r) => r.stage).sort() };
  }

  beforeAll(async () => {
    db = await freshDatabase(backend);
    dir = await mkdtemp(path.join(os.tmpdir(), "kpi-mapping-"));
    const reps = await run("reps", await write(REPS));
    expect(reps.outcome).toBe("imported");
  });

  afterAll(async () => {
    await db?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("imports a Salesforce opportunity report through its mapping, figures as recomputed from the rows", async () => {
    const file = await write(sfCsv().slice(0, -2));
    const r = await run("deals", file, { mapping: await mapping(SF_MAPPING), dateOrder: "mdy" });
    expect([r.outcome, r.errors]).toEqual(["imported", []]);
    expect(r.written).toEqual({ inserted: SF_ROWS.length, updated: 0, unchanged: 0 });
    expect(r.warnings).toEqual(["ignored unknown columns: Opportunity Name, Fiscal Period, Probability (%), Next Step"]);
    const want = expected(SF_ROWS, emailByName);
    expect(want.openWithoutAmount).toBe(2);
    const got = await stored(SF_ROWS.map((x) => x.id));
    expect({ won: got.won, counts: got.counts, pipeline: got.pipeline, openWithoutAmount: got.openWithoutAmount }).toEqual(want);
    expect(got.stages).toEqual(SF_ROWS.map((x) => x.stage).sort());
    const open = await db.prisma.deal.findUnique({ where: { externalId: "0065g00000AbCdH" } });
    // The expected close date of an open opportunity is not a close; the deal fields are kept.
    expect(open).toMatchObject({ status: "open", closedAt: null, amount: 4_000_000n, source: "Web", type: "New Business", stage: "Negotiation/Review" });
    expect((await db.prisma.deal.findUnique({ where: { externalId: "0065g00000AbCdE" } }))?.closedAt?.toISOString()).toBe("2025-01-31T00:00:00.000Z");

    // Re-importing the same export writes nothing.
    const again = await run("deals", file, { mapping: await mapping(SF_MAPPING), dateOrder: "mdy" });
    expect(again.written).toEqual({ inserted: 0, updated: 0, unchanged: SF_ROWS.length });
  });

  it("imports a HubSpot deal export through its mapping: default currency, missing-value marks, pipeline", async () => {
    const r = await run("deals", await write(hsCsv()), { mapping: await mapping(HS_MAPPING) });
    expect([r.outcome, r.errors]).toEqual(["imported", []]);
    const rows = HS_ROWS.map((x) => ({ ...x, currency: "EUR" }));
    const want = expected(rows, emailByName);
    const got = await stored(HS_ROWS.map((x) => x.id));
    expect({ won: got.won, counts: got.counts, pipeline: got.pipeline, openWithoutAmount: got.openWithoutAmount }).toEqual(want);
    expect(want).toMatchObject({ counts: { open: 2, won: 2, lost: 1 }, pipeline: 1_200_050, openWithoutAmount: 1 });
    expect(await db.prisma.deal.findUnique({ where: { externalId: "9876543212" } })).toMatchObject({
      customer: "(unknown)", pipeline: "Sales Pipeline", stage: "Contract sent", type: "existingbusiness", closedAt: null, currency: "EUR",
    });
    expect(r.filled).toMatchObject({ "currency → EUR (default currency)": HS_ROWS.length });
  });

  it("pipeline counts open deals without an amount apart from the sum", async () => {
    const users = new Map((await db.prisma.user.findMany()).map((u) => [u.email, u.id]));
    const [ana, ben, chloe] = ["ana.souza@example.com", "ben.okafor@example.com", "chloe.martin@example.com"].map((e) => users.get(e)!);
    const f = await fetchMetric(db.prisma, "pipeline", [ana!, ben!, chloe!], { start: new Date("2025-03-01T00:00:00Z"), end: new Date("2025-04-01T00:00:00Z"), timeZone: "UTC" });
    // Open on 2025-04-01, from the rows above: Ana's Wayne (no amount) and 9876543212 (12,000.50);
    // Ben's Hooli (40,000.00); Chloé's Soylent and 9876543211 (neither with an amount).
    expect(f.perRep).toEqual(new Map([[ana, 12_000.5 * 100], [ben, 40_000 * 100], [chloe, 0]]));
    expect(f.unpriced).toEqual({ perRep: new Map([[ana, 1], [chloe, 2]]), total: 3 });
    expect([f.total, f.totalCount]).toEqual([5_200_050, 5]);
  });

  it("refuses a won deal without an amount, and keeps an open deal's stored amount when the cell is blank", async () => {
    const m = await mapping(HS_MAPPING);
    const bad = await run("deals", await write([line(HS_HEADER), line(["H-1", "x", "Closed won", "Sales Pipeline", "-", "2025-03-01", "2025-02-01", "Ben Okafor", "", "", ""])]), { mapping: m });
    expect(bad.outcome).toBe("aborted");
    expect(bad.errors.map(formatRowError)).toEqual([`line 2, column amount ("Amount"): is blank but the deal is won (only an open deal may have no amount)`]);
    const first = await run("deals", await write([line(HS_HEADER), line(["H-2", "x", "Contract sent", "Sales Pipeline", "700", "", "2025-02-01", "Ben Okafor", "", "", ""])]), { mapping: m });
    expect(first.written.inserted).toBe(1);
    const blank = await run("deals", await write([line(HS_HEADER), line(["H-2", "x", "Contract sent", "Sales Pipeline", "", "", "2025-02-01", "Ben Okafor", "", "", ""])]), { mapping: m });
    expect(blank.written.unchanged).toBe(1);
    expect((await db.prisma.deal.findUnique({ where: { externalId: "H-2" } }))?.amount).toBe(70_000n);
  });

  it("accepts only the required deal columns; an absent optional column never changes stored values", async () => {
    const full = await run("deals", await write(["deal_id,owner,status,created_at,amount,product,region", "M-1,Ana Souza,open,2025-04-01,10,Widget Pro,EMEA"]));
    expect([full.outcome, full.errors]).toEqual(["imported", []]);
    const minimal = await run("deals", await write(["Deal ID,Owner Email,Status,Created At", "M-1,ana.souza@example.com,open,2025-04-02"]));
    expect([minimal.outcome, minimal.written]).toEqual(["imported", { inserted: 0, updated: 1, unchanged: 0 }]);
    expect(minimal.fieldsChanged).toEqual({ created_at: 1 });
    expect(await db.prisma.deal.findUnique({ where: { externalId: "M-1" } })).toMatchObject({ product: "Widget Pro", region: "EMEA", amount: 1000n, customer: "(unknown)" });
  });

  it("checks the new deal fields' cells like every other text column", async () => {
    const r = await run("deals", await write(["deal_id,owner,status,created_at,segment,source", `N-1,Ana Souza,open,2025-04-01,${"x".repeat(1001)},ok`, "N-2,Ana Souza,open,2025-04-01,Retail,we\u0000b"]));
    expect(r.errors.map(formatRowError)).toEqual([
      "line 2, column segment: is 1,001 characters long; at most 1,000 are accepted",
      "line 3, column source: contains a NUL byte (\\0, character 3); remove it",
    ]);
  });

  it("finds an owner by full name (case and spaces ignored) and refuses an ambiguous or unknown one with the candidates", async () => {
    const header = "deal_id,owner,status,created_at";
    const r = await run("deals", await write([header, "P-1,  CHLOÉ   martin ,open,2025-04-01", "P-2,Sam Lee,open,2025-04-01", "P-3,Ana Sousa,open,2025-04-01", "P-4,Zed Nobody,open,2025-04-01"]), { skipInvalid: true });
    expect(r.written.inserted).toBe(1);
    expect((await db.prisma.deal.findUnique({ where: { externalId: "P-1" }, include: { owner: true } }))?.owner.email).toBe("chloe.martin@example.com");
    expect(r.errors.map(formatRowError)).toEqual([
      'line 3, column owner: 2 people are named "Sam Lee" (sam.lee2@example.com, sam.lee@example.com): give the email instead',
      'line 4, column owner: no rep named "Ana Sousa" (did you mean Ana Souza <ana.souza@example.com>? import reps first)',
      'line 5, column owner: no rep named "Zed Nobody" (import reps first)',
    ]);
  });
});

describe("mapping files", () => {
  it.each([
    [{ kind: "deals", columns: { ownr: "Owner" } }, "columns.ownr: not a deals field (fields: deal_id, owner_email, status, created_at, customer, amount, currency, closed_at, campaign_id, product, source, region, segment, stage, pipeline, type, owner)"],
    [{ kind: "deal" }, "kind: must be one of teams, reps, campaigns, deals, activities, tickets, quotas, rates"],
    [{ kind: "deals", columns: { amount: 5 } }, "columns.amount: Invalid input: expected string, received number"],
    [{ kind: "deals", status: { won: ["Won"], shipped: ["x"] } }, 'status: unknown key'],
    [{ kind: "deals", status: { won: ["*"], open: ["*"] } }, 'status.won: "*" is already given to open'],
    [{ kind: "deals", status: { won: ["Closed"], lost: ["closed"] } }, 'status.lost: "closed" is already listed under won'],
    [{ kind: "deals", defaults: { currency: "euro" } }, 'defaults.currency: "euro" is not a 3-letter currency code'],
    [{ kind: "deals", missing: { amount: "-" } }, "missing.amount: Invalid input: expected array, received string"],
    [{ kind: "deals", columns: { owner: "A", owner_email: "B" } }, "columns.owner_email: owner_email is already mapped by columns.owner"],
    [{ kind: "deals", colums: {} }, "unknown key colums (keys: kind, columns, status, defaults, missing)"],
    [{ columns: {} }, 'kind: missing; name the kind in the mapping ("kind": "deals") or on the command line'],
    [{ kind: "reps", status: { won: ["W"] } }, "status: reps have no status field"],
  ])("refuses %j naming the key", (json, message) => {
    const r = resolveMapping(json);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toContain(message);
  });

  it("refuses a mapping for another kind than the command line's", () => {
    expect(resolveMapping({ kind: "deals" }, "reps")).toEqual({ ok: false, error: "kind: the mapping is for deals, not reps" });
  });
});

describe("--guess", () => {
  it("suggests a deals mapping for Salesforce and HubSpot headers and the project's own", () => {
    const sf = guessMapping(SF_HEADER);
    expect(sf.kind).toBe("deals");
    expect(sf.mapping?.columns).toEqual({
      deal_id: "Opportunity ID", owner: "Opportunity Owner", customer: "Account Name", amount: "Amount", currency: "Opportunity Currency",
      status: "Stage", created_at: "Created Date", closed_at: "Close Date", source: "Lead Source", type: "Type",
    });
    expect(sf.mapping?.status).toEqual({ won: ["Closed Won", "closedwon", "Won"], lost: ["Closed Lost", "closedlost", "Lost"], open: ["*"] });
    expect(sf.unmatched).toEqual(["Opportunity Name", "Fiscal Period", "Probability (%)", "Next Step"]);
    const hs = guessMapping(HS_HEADER);
    expect(hs.mapping?.columns).toEqual({ ...HS_MAPPING.columns });
    expect(guessMapping(["email", "name", "team", "role", "manager_email"]).kind).toBe("reps");
    const own = guessMapping(["deal_id", "owner_email", "customer", "amount", "currency", "status", "created_at", "closed_at", "campaign_id"]);
    expect([own.kind, own.mapping?.status, own.missing]).toEqual(["deals", undefined, []]);
    expect(guessMapping(["foo", "bar"]).kind).toBe(null);
  });

  it("prints the suggestion from the command line, and a mapping given alone names the kind", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "kpi-guess-"));
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, KPI_DATA_DIR: path.join(dir, "data") };
      delete env.DATABASE_URL;
      const cli = async (...args: string[]) => {
        try {
          const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/import.ts", ...args], { cwd: root, env });
          return { code: 0, stdout, stderr };
        } catch (e) {
          const err = e as { code: number; stdout: string; stderr: string };
          return { code: err.code, stdout: err.stdout, stderr: err.stderr };
        }
      };
      const export_ = path.join(dir, "hubspot.csv");
      await writeFile(export_, hsCsv().join("\n"));
      const g = await cli("--guess", export_);
      expect(g.code).toBe(0);
      const json = JSON.parse(g.stdout.slice(0, g.stdout.indexOf("\n}\n") + 2));
      expect(json).toMatchObject({ kind: "deals", columns: HS_MAPPING.columns });
      expect(g.stdout).toContain("columns not mapped (ignored on import): Deal Name, Last Activity Date");

      const bad = path.join(dir, "bad.json");
      await writeFile(bad, JSON.stringify({ kind: "deals", columns: { ownr: "Deal owner" } }));
      const refused = await cli(export_, "--mapping", bad);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(`mapping ${bad}: columns.ownr: not a deals field`);

      const reps = path.join(dir, "reps.csv");
      await writeFile(reps, REPS.join("\n"));
      expect((await cli("reps", reps)).code).toBe(0);
      const good = path.join(dir, "hubspot.mapping.json");
      await writeFile(good, JSON.stringify(HS_MAPPING));
      const imported = await cli(export_, "--mapping", good);
      expect(imported.stderr).toBe("");
      expect([imported.code, imported.stdout]).toEqual([0, expect.stringContaining(`imported: ${HS_ROWS.length} (${HS_ROWS.length} inserted`)]);

      // The answer says how many open deals the pipeline could not sum (Chloé's 9876543211).
      const asked = await promisify(execFile)(process.execPath, ["--import", "tsx", "adapters/console/ask.ts", "--user", "chloe.martin@example.com", "--now", "2025-03-15T12:00:00Z", "/kpi pipeline this-month"], { cwd: root, env: { ...env, LOG_LEVEL: "error" } });
      expect(asked.stdout).toMatch(/Open deals without an amount +1\n/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
