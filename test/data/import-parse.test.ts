import { describe, expect, it } from "vitest";
import { normalizeColumn, planHeader, recordOf } from "../../src/data/import/columns.ts";
import { DateReader } from "../../src/data/import/dates.ts";
import { importers, KIND_NAMES } from "../../src/data/import/importers.ts";
import type { ParseContext } from "../../src/data/import/kinds/fields.ts";
import { csvLine, rejectedPath } from "../../src/data/import/rejected.ts";
import { formatReport, formatRowError, type ImportReport } from "../../src/data/import/report.ts";
import { progressLine } from "../../src/data/import/progress.ts";

const context = (): ParseContext => ({
  format: { decimalComma: false },
  currency: "USD",
  dates: new DateReader({ timeZone: "UTC" }),
});

function parseRow(kind: (typeof KIND_NAMES)[number], row: Record<string, string>) {
  const k = importers[kind].kind;
  const blank = Object.fromEntries([...k.required, ...k.optional].map((c) => [c, ""]));
  return k.schema(context()).safeParse({ ...blank, ...row });
}

function issues(kind: (typeof KIND_NAMES)[number], row: Record<string, string>) {
  const r = parseRow(kind, row);
  if (r.success) throw new Error("expected the row to be rejected");
  return r.error.issues.map((i) => ({ column: i.path[0], reason: (i as { params?: { reason?: string } }).params?.reason, message: i.message }));
}

describe("planHeader", () => {
  const deals = importers.deals.kind;

  it("matches names trimmed, case-insensitively, in any order, and reports unknown columns", () => {
    const header = [" Amount", "DEAL ID", "owner-email", "customer", "currency", "status", "created_at", "closed_at", "campaign_id", "Notes", ""];
    const plan = planHeader(deals, header);
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.value.index.get("amount")).toBe(0);
    expect(plan.value.index.get("deal_id")).toBe(1);
    expect(plan.value.unknown).toEqual(["Notes", "(unnamed column 11)"]);
    expect(recordOf(plan.value, ["5", "D1", "a@x.io", "", "", "won", "", "", "", "n", ""])).toMatchObject({ amount: "5", deal_id: "D1" });
  });

  it("names every missing required column and the expected header", () => {
    const plan = planHeader(deals, ["deal_id", "amount"]);
    expect(plan).toEqual({
      ok: false,
      error:
        "not a deals file: missing required columns owner_email, status, created_at. " +
        "Expected header: deal_id,owner_email,status,created_at (optional: customer,amount,currency,closed_at,campaign_id,product,source,region,segment,stage,pipeline,type)",
    });
  });

  it("requires only a deal's id, owner, status and creation date; owner is an alias of owner_email", () => {
    const plan = planHeader(deals, ["Deal ID", "Owner", "Status", "Created At"]);
    expect(plan.ok && [...plan.value.index.keys()]).toEqual(["deal_id", "owner_email", "status", "created_at"]);
    expect(plan.ok && plan.value.labels.get("owner_email")).toBe("owner");
  });

  it("refuses a column given twice", () => {
    const plan = planHeader(importers.quotas.kind, ["owner_email", "period_start", "period_end", "amount", "Amount"]);
    expect(plan).toMatchObject({ ok: false, error: expect.stringContaining("column amount appears twice (columns 4 and 5)") });
  });

  it("lets optional columns be absent (they read as blank)", () => {
    const plan = planHeader(importers.quotas.kind, ["owner_email", "period_start", "period_end", "amount"]);
    expect(plan.ok && plan.value.absent).toEqual(["currency"]);
    expect(normalizeColumn("  Owner Email ")).toBe("owner_email");
  });
});

describe("row schemas", () => {
  const deal = {
    deal_id: "D1",
    owner_email: " Alice@Example.com ",
    customer: "Acme",
    amount: "$1,200",
    currency: "",
    status: "WON",
    created_at: "2025-01-02",
    closed_at: "2025-02-01",
    campaign_id: "",
  };

  it("converts a deal row and lists the values it filled", () => {
    const r = parseRow("deals", { ...deal, customer: "" });
    expect(r.success && r.data).toEqual({
      row: {
        dealId: "D1",
        owner: { email: "alice@example.com" },
        customer: "(unknown)",
        amount: 120000n,
        currency: "USD",
        status: "won",
        createdAt: new Date("2025-01-02T00:00:00Z"),
        closedAt: new Date("2025-02-01T00:00:00Z"),
        campaignId: null,
        product: null,
        source: null,
        region: null,
        segment: null,
        stage: null,
        pipeline: null,
        type: null,
      },
      fills: ["currency → USD (default currency)", 'customer → "(unknown)"'],
      unset: ["customer", "campaign_id", "product", "source", "region", "segment", "stage", "pipeline", "type", "currency"],
    });
  });

  it("takes the currency from an unambiguous symbol and refuses a contradicting one", () => {
    expect(parseRow("deals", { ...deal, amount: "€5" })).toMatchObject({ success: true, data: { row: { currency: "EUR" } } });
    expect(issues("deals", { ...deal, amount: "€5", currency: "usd" })).toEqual([
      { column: "amount", reason: "currency mismatch", message: "is in EUR but currency is USD" },
    ]);
  });

  it.each([
    ["deals", { ...deal, closed_at: "2024-12-01" }, "closed_at", "closed before created"],
    ["deals", { ...deal, amount: "-5" }, "amount", "negative amount"],
    ["deals", { ...deal, closed_at: "" }, "closed_at", "blank on a won/lost deal"],
    ["deals", { ...deal, status: "open" }, "closed_at", "set on an open deal"],
    ["deals", { ...deal, status: "pending" }, "status", "unknown value"],
    ["deals", { ...deal, owner_email: "alice@" }, "owner_email", "invalid email"],
    ["deals", { ...deal, amount: "" }, "amount", "missing value"],
    ["deals", { ...deal, deal_id: " " }, "deal_id", "missing value"],
    ["tickets", { ticket_id: "T", agent_email: "a@x.io", opened_at: "2025-01-02", csat: "6" }, "csat", "outside 1–5"],
    ["tickets", { ticket_id: "T", agent_email: "a@x.io", opened_at: "2025-01-02", csat: "0" }, "csat", "outside 1–5"],
    ["tickets", { ticket_id: "T", agent_email: "a@x.io", opened_at: "2025-01-02", csat: "4.5" }, "csat", "invalid csat"],
    ["tickets", { ticket_id: "T", agent_email: "a@x.io", opened_at: "2025-01-02", first_response_at: "2025-01-01" }, "first_response_at", "first response before open"],
    ["tickets", { ticket_id: "T", agent_email: "a@x.io", opened_at: "2025-01-02", resolved_at: "2025-01-01 23:59" }, "resolved_at", "resolved before open"],
    ["campaigns", { campaign_id: "C", name: "n", channel: "c", start_date: "2025-02-01", end_date: "2025-01-01", spend: "1", leads: "1", conversions: "1", revenue: "1" }, "end_date", "ends before it starts"],
    ["campaigns", { campaign_id: "C", name: "n", channel: "c", start_date: "2025-02-01", spend: "1", leads: "1", conversions: "2", revenue: "1" }, "conversions", "more conversions than leads"],
    ["campaigns", { campaign_id: "C", name: "n", channel: "c", start_date: "2025-02-01", spend: "1", leads: "-1", conversions: "0", revenue: "1" }, "leads", "negative number"],
    ["quotas", { owner_email: "a@x.io", period_start: "2025-04-01", period_end: "2025-03-31", amount: "1" }, "period_end", "period ends before it starts"],
    ["reps", { email: "a@x.io", name: "A", manager_email: "A@x.io" }, "manager_email", "rep manages themself"],
    ["reps", { email: "a@x.io", name: "A", timezone: "Mars/Olympus" }, "timezone", "invalid time zone"],
    ["reps", { email: "a@x.io", name: "A", role: "boss" }, "role", "unknown value"],
    ["teams", { team: "East", parent_team: "East" }, "parent_team", "team is its own parent"],
  ] as const)("%s: rejects %o at column %s (%s)", (kind, row, column, reason) => {
    expect(issues(kind, row)).toContainEqual(expect.objectContaining({ column, reason }));
  });

  it("fills blank role, timezone and locale of a rep, and canonicalises the locale", () => {
    const r = parseRow("reps", { email: "a@x.io", name: "A", locale: "" });
    expect(r.success && r.data.row).toMatchObject({ role: "rep", timezone: "UTC", locale: "en" });
    expect(r.success && r.data.fills).toEqual(["timezone → UTC (workspace time zone)", "locale → en", "role → rep"]);
    const de = parseRow("reps", { email: "a@x.io", name: "A", locale: "de_de", role: "ADMIN" });
    expect(de.success && de.data.row).toMatchObject({ role: "admin", locale: "de-DE" });
  });

  it("reads enum words case-insensitively, with CRM spellings", () => {
    for (const status of ["won", "Won", "WON", "Closed Won", "closed_won"]) {
      expect(parseRow("deals", { ...deal, status })).toMatchObject({ success: true, data: { row: { status: "won" } } });
    }
    expect(parseRow("activities", { activity_id: "A", owner_email: "a@x.io", type: "E-Mail", occurred_at: "2025-01-01" })).toMatchObject({
      success: true,
      data: { row: { type: "email" } },
    });
  });
});

describe("rejected file helpers", () => {
  it("puts the file beside the input", () => {
    expect(rejectedPath("/data/deals.csv")).toBe("/data/deals.rejected.csv");
    expect(rejectedPath("/data/deals.CSV")).toBe("/data/deals.rejected.csv");
    expect(rejectedPath("export.txt")).toBe("export.txt.rejected.csv");
  });

  it("quotes cells that need it", () => {
    expect(csvLine(["a", 'say "hi"', "1,2", "x\ny", " pad"])).toBe('a,"say ""hi""","1,2","x\ny"," pad"\n');
  });
});

describe("formatReport", () => {
  const base: ImportReport = {
    kind: "deals",
    file: "deals.csv",
    outcome: "aborted",
    dryRun: false,
    skipInvalid: false,
    clearEmpty: false,
    rowsRead: 120,
    blankRows: 0,
    written: { inserted: 0, updated: 0, unchanged: 0 },
    rejectedRows: 60,
    rejectedByReason: { "amount: negative amount": 60 },
    errors: [{ line: 2, column: "amount", message: '"-5" is negative' }],
    errorCount: 60,
    filled: {},
    fieldsChanged: {},
    fieldsCleared: {},
    outliers: { count: 0, examples: [] },
    dateOrders: {},
    warnings: [],
    rejectedFile: null,
    problem: null,
    elapsedMs: 1500,
  };

  it("lists errors as 'line N, column X: reason' with a count of the rest", () => {
    const text = formatReport(base);
    expect(text).toContain("  line 2, column amount: \"-5\" is negative\n  …and 59 more");
    expect(text).toContain("aborted: 60 invalid rows; nothing was written");
    expect(formatRowError({ line: 7, column: null, message: "has 3 fields, the header has 9" })).toBe("line 7: has 3 fields, the header has 9");
  });
});

describe("progressLine", () => {
  it("redraws at most every interval on a TTY, and prints nothing elsewhere", () => {
    let t = 0;
    const written: string[] = [];
    const tty = { isTTY: true, write: (s: string) => written.push(s) };
    const line = progressLine(tty, "import deals", { intervalMs: 100, now: () => t });
    const p = { rowsRead: 2000, bytesRead: 50, totalBytes: 100, elapsedMs: 1000 };
    line.update(p);
    t = 50;
    line.update(p);
    t = 150;
    line.update({ ...p, rowsRead: 4000 });
    line.finish();
    expect(written).toEqual([
      "\r\x1b[2Kimport deals: 2,000 rows (50%), 2,000 rows/s",
      "\r\x1b[2Kimport deals: 4,000 rows (50%), 4,000 rows/s",
      "\r\x1b[2K",
    ]);
    const pipe = { isTTY: false, write: (s: string) => written.push(s) };
    const quiet = progressLine(pipe, "x");
    quiet.update(p);
    quiet.finish();
    expect(written).toHaveLength(3);
  });
});
