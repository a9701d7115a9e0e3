// Tickets' optional category, priority and channel columns: stored as given, kept when a later
// file lacks the column or leaves the cell blank, cleared with --clear-empty.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCsv } from "../../src/data/import/run.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";

const fixtures = path.resolve(import.meta.dirname, "../fixtures/import");

describe.each(backends)("ticket fields import on %s", (backend) => {
  let db: TestDatabase;
  let dir: string;
  let n = 0;
  const csv = async (lines: string[]) => {
    const file = path.join(dir, `t${++n}.csv`);
    await writeFile(file, lines.join("\n") + "\n");
    return file;
  };
  const stored = async () =>
    (await db.prisma.ticket.findMany({ orderBy: { externalId: "asc" } })).map((t) => [t.externalId, t.category, t.priority, t.channel]);

  beforeAll(async () => {
    db = await freshDatabase(backend);
    dir = await mkdtemp(path.join(os.tmpdir(), "kpi-met-"));
    for (const [kind, file] of [["teams", "teams.csv"], ["reps", "reps.csv"]] as const) {
      const r = await importCsv(db, { kind, file: path.join(fixtures, file), currency: "USD" });
      expect(r.outcome).toBe("imported");
    }
  }, 120_000);
  afterAll(async () => {
    await db?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("stores category, priority and channel, keeps them when absent or blank, clears them with --clear-empty", async () => {
    const first = await importCsv(db, {
      kind: "tickets", currency: "USD",
      file: await csv([
        "ticket_id,agent_email,opened_at,first_response_at,resolved_at,csat,Category,priority,channel",
        "T1,alice@example.com,2025-01-10 09:00,2025-01-10 09:30,2025-01-11 12:00,5, Billing ,high,email",
        "T2,alice@example.com,2025-01-12 09:00,,,,technical,,chat",
      ]),
    });
    expect(first.outcome).toBe("imported");
    expect(await stored()).toEqual([["T1", "Billing", "high", "email"], ["T2", "technical", null, "chat"]]);
    // A file without the columns changes nothing of them.
    await importCsv(db, { kind: "tickets", currency: "USD", file: path.join(fixtures, "tickets.csv") });
    expect((await stored()).slice(0, 2)).toEqual([["T1", "Billing", "high", "email"], ["T2", "technical", null, "chat"]]);
    const blank = ["ticket_id,agent_email,opened_at,first_response_at,resolved_at,csat,category,priority,channel", "T1,alice@example.com,2025-01-10 09:00,2025-01-10 09:30,2025-01-11 12:00,5,,,"];
    await importCsv(db, { kind: "tickets", currency: "USD", file: await csv(blank) });
    expect((await stored())[0]).toEqual(["T1", "Billing", "high", "email"]);
    await importCsv(db, { kind: "tickets", currency: "USD", clearEmpty: true, file: await csv(blank) });
    expect((await stored())[0]).toEqual(["T1", null, null, null]);
  });
});
