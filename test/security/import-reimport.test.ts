// Issue 12, item 14: a re-import never silently erases data. A column absent from the file never
// changes stored values; a blank cell in a present column clears only with --clear-empty; the
// report counts the fields it changed.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KindName } from "../../src/data/import/importers.ts";
import { formatReport } from "../../src/data/import/report.ts";
import { importCsv, type ImportOptions } from "../../src/data/import/run.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";

const fixtures = path.resolve(import.meta.dirname, "../fixtures/import");
const CAMPAIGNS = "campaign_id,name,channel,start_date,end_date,spend,leads,conversions,revenue";

describe.each(backends)("re-imports on %s", (backend) => {
  let db: TestDatabase;
  let dir: string;
  let n = 0;
  const csv = async (lines: string[]) => {
    const file = path.join(dir, `f${++n}.csv`);
    await writeFile(file, lines.join("\n") + "\n");
    return file;
  };
  const run = (kind: KindName, file: string, options: Partial<ImportOptions> = {}) => importCsv(db, { kind, file, currency: "USD", ...options });
  const campaigns = async () =>
    (await db.prisma.campaign.findMany({ include: { owner: true }, orderBy: { externalId: "asc" } })).map((c) => [c.externalId, c.owner?.email ?? null, c.currency, c.spend, c.endDate?.toISOString().slice(0, 10) ?? null]);

  beforeAll(async () => {
    db = await freshDatabase(backend);
    dir = await mkdtemp(path.join(os.tmpdir(), "kpi-sec-reimport-"));
    for (const [kind, file] of [["teams", "teams.csv"], ["reps", "reps.csv"], ["teams", "teams-managers.csv"], ["campaigns", "campaigns.csv"]] as const) {
      expect((await run(kind, path.join(fixtures, file))).outcome).toBe("imported");
    }
    await run("campaigns", await csv([`${CAMPAIGNS},owner_email`, "C2,Trade fair,event,2025-04-15,,€12000,300,12,€90000,bob@example.com"]));
  });

  afterAll(async () => {
    await db?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("a campaigns file without owner_email and currency keeps every owner and currency, and says nothing changed", async () => {
    const before = await campaigns();
    expect(before).toEqual([
      ["C1", "erin@example.com", "USD", 500000n, "2025-03-31"],
      ["C2", "bob@example.com", "EUR", 1200000n, null],
    ]);
    // The same figures without symbols: the default currency (USD) must not overwrite EUR.
    const r = await run("campaigns", await csv([CAMPAIGNS, "C1,Spring webinar,webinar,2025-03-01,2025-03-31,5000,1200,40,48000", "C2,Trade fair,event,2025-04-15,,12000,300,12,90000"]));
    expect(r.outcome).toBe("imported");
    expect(r.written).toEqual({ inserted: 0, updated: 0, unchanged: 2 });
    expect(r.fieldsChanged).toEqual({});
    expect(await campaigns()).toEqual(before);
    expect(formatReport(r)).toContain("imported: 2 (0 inserted, 0 updated, 2 unchanged)");
  });

  it("blank cells in present columns keep stored values; --clear-empty clears them, and the report counts each field", async () => {
    const lines = [`${CAMPAIGNS},owner_email,currency`, "C1,Spring webinar,webinar,2025-03-01,,5000,1200,40,48000,,", "C2,Trade fair,event,2025-04-15,,12500,300,12,90000,,"];
    const kept = await run("campaigns", await csv(lines));
    expect(kept.written).toEqual({ inserted: 0, updated: 1, unchanged: 1 });
    expect(kept.fieldsChanged).toEqual({ spend: 1 });
    expect(kept.filled).toEqual({});
    expect(await campaigns()).toEqual([
      ["C1", "erin@example.com", "USD", 500000n, "2025-03-31"],
      ["C2", "bob@example.com", "EUR", 1250000n, null],
    ]);
    expect(formatReport(kept)).toMatch(/fields changed \(records\):\n {2}spend {2}1/);

    const cleared = await run("campaigns", await csv(lines), { clearEmpty: true });
    expect(cleared.written).toEqual({ inserted: 0, updated: 2, unchanged: 0 });
    expect(cleared.fieldsChanged).toEqual({ owner_email: 2, end_date: 1, currency: 1 });
    expect(cleared.fieldsCleared).toEqual({ owner_email: 2, end_date: 1 });
    expect(cleared.filled).toEqual({ "currency → USD (default currency)": 2 });
    expect(await campaigns()).toEqual([
      ["C1", null, "USD", 500000n, null],
      ["C2", null, "USD", 1250000n, null],
    ]);
    const text = formatReport(cleared);
    expect(text).toContain("import campaigns from");
    expect(text).toContain("(clear empty)");
    expect(text).toMatch(/of which cleared:\n {2}owner_email {2}2\n {2}end_date {5}1/);
  });

  it("reps and teams: blank manager, team, role, ids and parent keep what is stored unless --clear-empty", async () => {
    const header = "email,name,team,role,manager_email,slack_user_id,teams_user_id,timezone,locale";
    const r = await run("reps", await csv([header, "erin@example.com,Erin East,,,,,,,"]));
    expect(r.written).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
    expect(r.filled).toEqual({});
    const erin = await db.prisma.user.findUniqueOrThrow({ where: { email: "erin@example.com" }, include: { team: true, manager: true } });
    expect([erin.team?.name, erin.role, erin.manager?.email, erin.slackUserId, erin.teamsUserId, erin.locale]).toEqual(["East", "manager", "boss@example.com", "U101", "29:erin", "en"]);

    const renamed = await run("reps", await csv([header, "erin@example.com,Erin Easton,,,,,,,"]));
    expect(renamed.fieldsChanged).toEqual({ name: 1 });

    const t = await run("teams", await csv(["team,parent_team,manager_email", "East,,"]));
    expect(t.written).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
    const cleared = await run("teams", await csv(["team,parent_team,manager_email", "East,,"]), { clearEmpty: true });
    expect(cleared.written).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    expect(cleared.fieldsChanged).toEqual({ manager_email: 1, parent_team: 1 });
    expect(cleared.fieldsCleared).toEqual({ manager_email: 1, parent_team: 1 });
    const east = await db.prisma.team.findUniqueOrThrow({ where: { name: "East" } });
    expect([east.parentId, east.managerId]).toEqual([null, null]);
  });

  it("a kept manager still counts against reporting-line cycles", async () => {
    // alice reports to erin (stored); this file keeps that and makes erin report to alice.
    const header = "email,name,team,role,manager_email,slack_user_id,teams_user_id,timezone,locale";
    const r = await run("reps", await csv([header, "alice@example.com,Alice Adams,,,,,,,", "erin@example.com,Erin Easton,,,alice@example.com,,,,"]));
    expect(r.outcome).toBe("aborted");
    expect(r.errors).toEqual([{ line: 3, column: "manager_email", message: "alice@example.com already reports to erin@example.com" }]);
  });
});
