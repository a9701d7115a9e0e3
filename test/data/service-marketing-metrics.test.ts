// The service and marketing metrics of issue 14, each checked against a recomputation from the
// raw rows written here (plain TypeScript over the generated rows, not the SQL under test), through
// the one figures path (fetchFigures): per person and overall, in a combined scan, and by group.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchFigures } from "../../src/data/figures.ts";
import type { Window } from "../../src/data/kpi-queries.ts";
import type { MetricId } from "../../src/metrics/index.ts";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.ts";

const WINDOW: Window = { start: new Date("2026-07-01T00:00:00Z"), end: new Date("2026-10-01T00:00:00Z"), timeZone: "UTC" };
const MIN = 60_000;

type T = { agent: number; opened: Date; first: Date | null; resolved: Date | null; csat: number | null };
type C = { owner: number; start: string; spend: number; leads: number; conversions: number; revenue: number };

/** A small deterministic generator (mulberry32), so a failure reproduces. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const inWindow = (d: Date | null) => d !== null && d >= WINDOW.start && d < WINDOW.end;
const share = (xs: boolean[]) => (xs.length === 0 ? null : xs.filter(Boolean).length / xs.length);

/** The definitions of the README, in TypeScript over raw rows. */
function expected(metric: MetricId, ts: T[], cs: C[], sla: number): number | null {
  const opened = ts.filter((t) => inWindow(t.opened));
  const cIn = cs.filter((c) => c.start >= "2026-07-01" && c.start < "2026-10-01");
  const sum = (f: (c: C) => number) => cIn.reduce((s, c) => s + f(c), 0);
  switch (metric) {
    case "tickets":
      return opened.length;
    case "backlog":
      return ts.filter((t) => t.opened < WINDOW.end && (t.resolved === null || t.resolved >= WINDOW.end)).length;
    case "resrate":
      return share(opened.map((t) => t.resolved !== null && t.resolved < WINDOW.end));
    case "sla":
      return share(opened.map((t) => t.first !== null && t.first.getTime() - t.opened.getTime() <= sla * MIN));
    case "satisfied":
      return share(ts.filter((t) => inWindow(t.resolved) && t.csat !== null).map((t) => t.csat! >= 4));
    case "spend":
      return sum((c) => c.spend);
    case "conversions":
      return sum((c) => c.conversions);
    case "attributed":
      return sum((c) => c.revenue);
    case "roas":
      return sum((c) => c.spend) === 0 ? null : sum((c) => c.revenue) / sum((c) => c.spend);
    case "cpa":
      return sum((c) => c.conversions) === 0 ? null : sum((c) => c.spend) / sum((c) => c.conversions);
    default:
      throw new Error(metric);
  }
}

const SERVICE: MetricId[] = ["tickets", "backlog", "resrate", "sla", "satisfied"];
const MARKETING: MetricId[] = ["spend", "conversions", "attributed", "roas", "cpa"];
/** Empty: counts are 0 (a person without records counts 0 in sums), rates undefined. */
const ZERO_WHEN_EMPTY: MetricId[] = ["tickets", "backlog", "spend", "conversions", "attributed"];

describe.each(backends)("service and marketing metrics on %s (independent recomputation)", (backend) => {
  let db: TestDatabase;
  let people: number[];
  const ts: T[] = [];
  const cs: C[] = [];
  beforeAll(async () => {
    db = await freshDatabase(backend);
    const rand = rng(14);
    people = [];
    for (let i = 0; i < 6; i++) people.push((await db.prisma.user.create({ data: { email: `p${i}@met.test`, name: `P${i}` } })).id);
    // Tickets from June to mid-October: some opened before the window and resolved in it or after,
    // some never answered or resolved; response times around the SLA target.
    for (let k = 0; k < 900; k++) {
      const agent = people[Math.floor(rand() * 5)]!; // the sixth person has no tickets
      const opened = new Date(Date.UTC(2026, 5, 1) + Math.floor(rand() * 135 * 86_400_000));
      const first = rand() < 0.1 ? null : new Date(opened.getTime() + Math.floor(rand() * 150) * MIN);
      const resolved = first === null || rand() < 0.15 ? null : new Date(first.getTime() + Math.floor(rand() * 20 * 86_400_000));
      const csat = resolved && rand() < 0.7 ? 1 + Math.floor(rand() * 5) : null;
      ts.push({ agent, opened, first, resolved, csat });
    }
    // Exactly on the SLA boundary (60 min): attained; one second more: missed.
    ts.push({ agent: people[0]!, opened: new Date("2026-08-03T10:00:00Z"), first: new Date("2026-08-03T11:00:00Z"), resolved: null, csat: null });
    ts.push({ agent: people[0]!, opened: new Date("2026-08-03T10:00:00Z"), first: new Date("2026-08-03T11:00:01Z"), resolved: null, csat: null });
    await db.prisma.ticket.createMany({
      data: ts.map((t, k) => ({ externalId: `t${k}`, agentId: t.agent, openedAt: t.opened, firstResponseAt: t.first, resolvedAt: t.resolved, csat: t.csat, category: k % 2 ? "billing" : "technical" })),
    });
    for (let k = 0; k < 120; k++) {
      const owner = people[Math.floor(rand() * 5)]!;
      const day = new Date(Date.UTC(2026, 5, 1) + Math.floor(rand() * 135) * 86_400_000).toISOString().slice(0, 10);
      const leads = Math.floor(rand() * 400);
      const conversions = Math.floor(rand() * (leads + 1) * 0.3);
      cs.push({ owner, start: day, spend: Math.floor(rand() * 5_000_00), leads, conversions, revenue: Math.floor(rand() * 20_000_00) });
    }
    await db.prisma.campaign.createMany({
      data: cs.map((c, k) => ({
        externalId: `c${k}`, name: `C${k}`, channel: k % 3 ? "email" : "webinar", startDate: new Date(`${c.start}T00:00:00Z`),
        spend: BigInt(c.spend), leads: c.leads, conversions: c.conversions, revenue: BigInt(c.revenue), ownerId: c.owner,
      })),
    });
  }, 120_000);
  afterAll(() => db?.dispose());

  const close = (a: number | null | undefined, b: number | null) => {
    if (b === null) expect(a ?? null).toBeNull();
    else expect(a).toBeCloseTo(b, 9);
  };

  it.each([...SERVICE, ...MARKETING])("%s per person and overall equals the recomputation from raw rows", async (m) => {
    const [set] = await fetchFigures(db.prisma, people, [{ metrics: [m], window: WINDOW }]);
    const f = set!.get(m)!;
    const isTicket = SERVICE.includes(m);
    close(f.total, expected(m, ts, cs, 60));
    for (const p of people) {
      const own = expected(m, ts.filter((t) => t.agent === p), cs.filter((c) => c.owner === p), 60);
      const got = f.perRep.get(p) ?? (ZERO_WHEN_EMPTY.includes(m) ? 0 : null);
      close(got, own);
    }
    expect(f.perRep.has(people[5]!)).toBe(false);
    expect(isTicket || f.totalCount > 0).toBe(true);
  });

  it("one combined scan (all service, all marketing metrics) gives the same figures as one metric at a time", async () => {
    const [all] = await fetchFigures(db.prisma, people, [{ metrics: [...SERVICE, ...MARKETING], window: WINDOW }]);
    for (const m of [...SERVICE, ...MARKETING]) close(all!.get(m)!.total, expected(m, ts, cs, 60));
  });

  it("SLA attainment follows the configured target (a 30- and a 120-minute target)", async () => {
    for (const sla of [30, 120]) {
      const [set] = await fetchFigures(db.prisma, people, [{ metrics: ["sla"], window: WINDOW }], { params: { slaMinutes: sla } });
      close(set!.get("sla")!.total, expected("sla", ts, cs, sla));
    }
    expect(expected("sla", ts, cs, 30)).not.toBeCloseTo(expected("sla", ts, cs, 120)!, 3);
  });

  it("a group's figure is the metric over the group's rows (by owner), and backlog has no time breakdown", async () => {
    const keys = new Map(people.map((p, i) => [p, i < 3 ? "A" : "B"]));
    for (const m of [...SERVICE, ...MARKETING]) {
      const [set] = await fetchFigures(db.prisma, people, [{ metrics: [m], window: WINDOW, groupBy: { kind: "owner", keys } }]);
      const f = set!.get(m)!;
      for (const g of ["A", "B"]) {
        const ids = new Set(people.filter((p) => keys.get(p) === g));
        const want = expected(m, ts.filter((t) => ids.has(t.agent)), cs.filter((c) => ids.has(c.owner)), 60);
        close(f.perGroup!.get(g)?.value ?? (want === 0 ? 0 : null), want);
      }
    }
    const [month] = await fetchFigures(db.prisma, people, [{ metrics: ["backlog", "tickets"], window: WINDOW, groupBy: { kind: "time", grain: "month" } }]);
    expect(month!.has("backlog")).toBe(false);
    expect([...month!.get("tickets")!.perGroup!.keys()].sort()).toEqual(["2026-07", "2026-08", "2026-09"]);
  });

  it("rejects an SLA target that is not a whole number of minutes before it reaches SQL", async () => {
    await expect(fetchFigures(db.prisma, people, [{ metrics: ["sla"], window: WINDOW }], { params: { slaMinutes: 1.5 } })).rejects.toThrow();
  });
});
