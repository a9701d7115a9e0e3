import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addBuckets, bucketStart } from "../../src/time/buckets.ts";
import { sqlBucket, sqlTimestamp } from "../../src/time/sql.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";

describe("sqlTimestamp", () => {
  it("renders a UTC instant as timestamp text", () => {
    expect(sqlTimestamp(new Date("2025-03-31T16:00:00.5Z"))).toBe("2025-03-31 16:00:00.500");
  });
});

describe.each(backends)("SQL buckets on %s", (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase(backend, { migrate: false });
  });
  afterAll(() => db?.dispose());

  it("date_trunc and bucketStart agree on weeks and months, at every weekday and month edge", async () => {
    // Every 7 h 13 min over three years: all weekdays, hours, month and year ends.
    const instants: Date[] = [];
    for (let t = Date.parse("2025-12-01T00:00:00Z"); t < Date.parse("2028-03-01T00:00:00Z"); t += 26_000_000) instants.push(new Date(t));
    instants.push(new Date("2026-12-31T23:59:59.999Z"), new Date("2027-01-04T00:00:00Z"), addBuckets(new Date("2028-02-01T00:00:00Z"), "month", 1));
    for (const grain of ["week", "month"] as const) {
      const rows = await db.prisma.$queryRawUnsafe<{ b: Date }[]>(
        `SELECT ${sqlBucket(grain, "t")} AS b FROM unnest($1::timestamp[]) WITH ORDINALITY AS u(t, i) ORDER BY i`,
        instants.map(sqlTimestamp),
      );
      expect(rows.map((r) => new Date(r.b).toISOString())).toEqual(instants.map((i) => bucketStart(i, grain).toISOString()));
    }
  });
});
