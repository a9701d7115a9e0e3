// Issue 12, items 3 and 13: hostile cells. A NUL byte is a row error like any other bad value, a
// huge field is refused with its row, and the rejected-rows file never hands a spreadsheet a
// formula to run.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvCell, csvLine } from "../../src/csv.ts";
import type { KindName } from "../../src/data/import/importers.ts";
import { formatRowError } from "../../src/data/import/report.ts";
import { importCsv } from "../../src/data/import/run.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";

const fixtures = path.resolve(import.meta.dirname, "../fixtures/import");
const DEAL_HEADER = "deal_id,owner_email,customer,amount,currency,status,created_at,closed_at,campaign_id";

describe("csvCell (OWASP CSV injection)", () => {
  it.each([
    ["=HYPERLINK(\"https://evil.example/x\",\"click\")", `"'=HYPERLINK(""https://evil.example/x"",""click"")"`],
    ["+1+1", "'+1+1"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1:A2)", "'@SUM(A1:A2)"],
    ["\t=1", "'\t=1"],
    ["\r=1", `"'\r=1"`],
    ["plain", "plain"],
    ["a=b", "a=b"],
    ["", ""],
  ])("writes %j as %j", (cell, written) => {
    expect(csvCell(cell)).toBe(written);
  });
  it("is what csvLine writes for every cell", () => {
    expect(csvLine(["=1", "ok", "@x"])).toBe("'=1,ok,'@x\n");
  });
});

describe.each(backends)("hostile cells on %s", (backend) => {
  let db: TestDatabase;
  let dir: string;
  let n = 0;
  const csv = async (text: string) => {
    const file = path.join(dir, `f${++n}.csv`);
    await writeFile(file, text);
    return file;
  };
  const run = (kind: KindName, file: string, skipInvalid = false) => importCsv(db, { kind, file, currency: "USD", skipInvalid });

  beforeAll(async () => {
    db = await freshDatabase(backend);
    dir = await mkdtemp(path.join(os.tmpdir(), "kpi-sec-cells-"));
    for (const [kind, file] of [["teams", "teams.csv"], ["reps", "reps.csv"]] as const) {
      expect((await run(kind, path.join(fixtures, file))).outcome).toBe("imported");
    }
  });

  afterAll(async () => {
    await db?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ["deals", `${DEAL_HEADER}\nN1,alice@example.com,Ac\u0000me,5,USD,open,2025-01-01,,\n`, "line 2, column customer: contains a NUL byte (\\0, character 3); remove it"],
    ["deals", `${DEAL_HEADER}\nN\u00002,alice@example.com,Acme,5,USD,open,2025-01-01,,\n`, "line 2, column deal_id: contains a NUL byte (\\0, character 2); remove it"],
    ["teams", `team,parent_team,manager_email\n\u0000,,\n`, "line 2, column team: contains a NUL byte (\\0, character 1); remove it"],
    ["reps", `email,name,team,role,manager_email,slack_user_id,teams_user_id,timezone,locale\nz@example.com,Z,,,,U\u00009,,,\n`, "line 2, column slack_user_id: contains a NUL byte (\\0, character 2); remove it"],
  ] as const)("rejects a NUL byte in a %s cell with its line and column", async (kind, text, message) => {
    const r = await run(kind, await csv(text));
    expect(r.outcome).toBe("aborted");
    expect(r.problem).toBeNull();
    expect(r.errors.map(formatRowError)).toEqual([message]);
  });

  it("imports the other rows around a NUL byte with --skip-invalid", async () => {
    const r = await run("deals", await csv(`${DEAL_HEADER}\nN3,alice@example.com,Ac\u0000me,5,USD,open,2025-01-01,,\nN4,alice@example.com,Acme,5,USD,open,2025-01-01,,\n`), true);
    expect(r.outcome).toBe("imported");
    expect(r.written.inserted).toBe(1);
    expect(r.rejectedByReason).toEqual({ "customer: NUL byte": 1 });
    expect(await db.prisma.deal.count({ where: { externalId: { in: ["N3", "N4"] } } })).toBe(1);
  });

  it("rejects a 10 MB field with its row, and leaves long cells of ignored columns alone", async () => {
    const huge = "x".repeat(10 * 1024 * 1024);
    const r = await run("deals", await csv(`${DEAL_HEADER}\nL1,alice@example.com,${huge},5,USD,open,2025-01-01,,\nL2,alice@example.com,${"y".repeat(1000)},5,USD,open,2025-01-01,,\n`), true);
    expect(r.outcome).toBe("imported");
    expect(r.errors.map(formatRowError)).toEqual(["line 2, column customer: is 10,485,760 characters long; at most 1,000 are accepted"]);
    expect((await db.prisma.deal.findMany({ where: { externalId: { in: ["L1", "L2"] } } })).map((d) => [d.externalId, d.customer.length])).toEqual([["L2", 1000]]);

    const notes = await run("deals", await csv(`${DEAL_HEADER},notes\nL3,alice@example.com,Acme,5,USD,open,2025-01-01,,,${"n".repeat(5000)}\n`));
    expect(notes.outcome).toBe("imported");
  });

  it("writes formula-looking cells of rejected rows with a leading quote", async () => {
    const file = await csv(
      [
        DEAL_HEADER,
        `F1,"=HYPERLINK(""https://evil.example/x"")",+1+1,-5,USD,open,2025-01-01,,`,
        `F2,@evil,\tcmd,=1+1,USD,open,2025-01-01,,`,
        `F3,alice@example.com,Acme,5,USD,open,2025-01-01,,`,
      ].join("\n") + "\n",
    );
    const r = await run("deals", file, true);
    expect(r.outcome).toBe("imported");
    const rejected = await readFile(r.rejectedFile!, "utf8");
    const lines = rejected.trimEnd().split("\n");
    expect(lines[1]!.startsWith(`F1,"'=HYPERLINK(""https://evil.example/x"")",'+1+1,'-5,USD,open,2025-01-01,,,`)).toBe(true);
    expect(lines[2]!.startsWith(`F2,'@evil,'\tcmd,'=1+1,USD,`)).toBe(true);
    // No cell of the file starts a formula (reason texts quote the values too).
    for (const line of lines.slice(1)) {
      for (const cell of line.match(/("([^"]|"")*"|[^,]*)/g)!.filter((c) => c !== "")) {
        expect(cell.replace(/^"/, "")).not.toMatch(/^[=+\-@\t\r]/);
      }
    }
  });
});
