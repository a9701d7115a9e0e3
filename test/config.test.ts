import { describe, expect, it } from "vitest";
import { ConfigError, clockFrom, loadConfig } from "../src/config.ts";

describe("configuration", () => {
  it("has sensible defaults with an empty environment", () => {
    const c = loadConfig({});
    expect([c.KPI_DATA_DIR, c.KPI_TIMEZONE, c.KPI_FISCAL_YEAR_START_MONTH, c.KPI_CURRENCY, c.PORT, c.KPI_DIGEST_CATCHUP_HOURS]).toEqual(["./.data", "UTC", 1, "USD", 3000, 6]);
    expect(c.DATABASE_URL).toBeUndefined();
  });
  it("names every bad variable and what it should be", () => {
    let message = "";
    try {
      loadConfig({ DATABASE_URL: "mysql://x", KPI_TIMEZONE: "Mars/Olympus", KPI_FISCAL_YEAR_START_MONTH: "13", KPI_DIGEST_CATCHUP_HOURS: "0", KPI_NOW: "yesterday" });
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      message = (e as Error).message;
    }
    for (const name of ["DATABASE_URL", "KPI_TIMEZONE", "KPI_FISCAL_YEAR_START_MONTH", "KPI_DIGEST_CATCHUP_HOURS", "KPI_NOW"]) expect(message).toContain(name);
    expect(message).toMatch(/IANA time zone/);
  });
  it("fixes the clock with KPI_NOW", () => {
    const now = clockFrom(loadConfig({ KPI_NOW: "2026-10-15T09:00:00Z" }));
    expect(now().toISOString()).toBe("2026-10-15T09:00:00.000Z");
    expect(now()).not.toBe(now()); // a fresh Date each time: callers may not mutate a shared one
  });
});
