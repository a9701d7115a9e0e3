// Issue 16 (operators): GET /metrics counts what the bot did, behind METRICS_TOKEN; one request
// id follows a command from the Slack adapter through the core to the response_url call and the
// audit row. Real Bolt and HTTP on loopback against the fake Slack, on PGlite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metricsHandler } from "../../adapters/http/metrics.ts";
import { createMetrics, type Metrics } from "../../src/ops/metrics.ts";
import { backends } from "../support/databases.ts";
import { send, slashCommand, startHarness, type Harness } from "../slack/support/harness.ts";

const TOKEN = "metrics-test-token-123";

/** The value of one sample in Prometheus text, e.g. sample(text, 'kpi_requests_total{adapter="slack",kind="answer"}'). */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(series + " "));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe.each(backends)("metrics and request ids on %s", (backend) => {
  let H: Harness;
  let metrics: Metrics;
  beforeAll(async () => {
    metrics = createMetrics({ process: true });
    H = await startHarness({ backend, metrics });
    H.http.route("/metrics", metricsHandler(metrics, TOKEN), "GET");
  });
  afterAll(() => H?.stop());

  const scrape = async (auth?: string) => fetch(`${H.base}/metrics`, auth ? { headers: { authorization: auth } } : {});

  /** Send the commands, wait until fake Slack got every answer. */
  async function ask(commands: [user: string, text: string][]): Promise<void> {
    const before = H.fake.responses.length;
    const acks = await Promise.all(commands.map(([user, text]) => send(H.base, slashCommand(H.fake, user, text))));
    expect(acks.map((r) => r.status)).toEqual(commands.map(() => 200));
    await H.fake.waitFor(() => H.fake.responses.length >= before + commands.length);
  }

  it("refuses /metrics without the bearer token (or with a wrong one), serves it with it", async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape(`Bearer ${TOKEN}x`)).status).toBe(401);
    expect((await scrape(TOKEN)).status).toBe(401);
    const ok = await scrape(`Bearer ${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await ok.text();
    // Process metrics and the sync hook are there from the start.
    expect(text).toContain("process_resident_memory_bytes");
    expect(text).toContain("nodejs_eventloop_lag_seconds");
    expect(text).toContain("# TYPE kpi_sync_runs_total counter");
    expect(text).toContain("# TYPE kpi_sync_lag_seconds gauge");
  });

  it("counts requests by adapter and reply kind, denials, and both latency stages, as the audit log and fake Slack saw them", async () => {
    await ask([
      ["UMIA", "team alpha sales q3-2026"],
      ["UANN", "me sales q3-2026"],
      ["UANN", "team beta sales q3-2026"],
      ["UMIA", "team beta sales q3-2026"],
      ["UMIA", "hlep me"],
    ]);
    const text = await (await scrape(`Bearer ${TOKEN}`)).text();
    // Independent counts: what fake Slack received, and what the audit log wrote.
    const delivered = H.fake.responses.filter((r) => r.status === 200 && r.body.response_type === "ephemeral");
    const denied = await H.db.prisma.auditLog.count({ where: { platform: "slack", decision: "denied" } });
    const allowed = await H.db.prisma.auditLog.count({ where: { platform: "slack", decision: "allowed" } });
    expect(denied).toBe(2);
    expect(allowed).toBe(2);
    expect(sample(text, 'kpi_requests_total{adapter="slack",kind="answer"}')).toBe(allowed);
    expect(sample(text, 'kpi_requests_total{adapter="slack",kind="denied"}')).toBe(denied);
    expect(sample(text, 'kpi_requests_total{adapter="slack",kind="error"}')).toBe(1);
    expect(sample(text, 'kpi_denials_total{adapter="slack"}')).toBe(denied);
    expect(sample(text, 'kpi_answer_seconds_count{adapter="slack",stage="reply"}')).toBe(5);
    expect(sample(text, 'kpi_answer_seconds_count{adapter="slack",stage="delivered"}')).toBe(delivered.length);
    // Delivered includes the reply stage: its sum is at least as large.
    expect(sample(text, 'kpi_answer_seconds_sum{adapter="slack",stage="delivered"}')).toBeGreaterThanOrEqual(sample(text, 'kpi_answer_seconds_sum{adapter="slack",stage="reply"}'));
  });

  it("gives each command one request id on its received, answered and delivered lines and its audit row", async () => {
    const logsBefore = H.logs.length;
    await ask([
      ["UMIA", "team alpha sales q3-2026"],
      ["UANN", "team beta sales q3-2026"],
    ]);
    await H.fake.waitFor(() => H.logs.slice(logsBefore).filter((l) => l.event === "reply_delivered").length >= 2);
    const lines = H.logs.slice(logsBefore);
    const received = lines.filter((l) => l.event === "request_received");
    expect(received.map((l) => l.data.user).sort()).toEqual(["UANN", "UMIA"]);
    const ids = received.map((l) => l.data.requestId as string);
    expect(new Set(ids).size).toBe(2);
    for (const l of received) {
      const id = l.data.requestId;
      expect(typeof id).toBe("string");
      const mine = lines.filter((x) => x.data.requestId === id).map((x) => x.event);
      expect(mine).toEqual(["request_received", "request_answered", "reply_delivered"]);
      const rows = await H.db.prisma.auditLog.findMany({ where: { requestId: id as string } });
      expect(rows.map((r) => [r.platformUserId, r.decision])).toEqual([[l.data.user, l.data.user === "UMIA" ? "allowed" : "denied"]]);
    }
    // The core's line says the kind, never the text typed.
    const answered = lines.filter((l) => l.event === "request_answered");
    expect(answered.map((l) => l.data.kind).sort()).toEqual(["answer", "denied"]);
    expect(JSON.stringify(answered)).not.toContain("beta");
  });
});

describe("metric gauges read at scrape time", () => {
  it("reports rollup deltas pending and the database pool from their sources, and leaves out what is not given", async () => {
    let pending = 7;
    const m = createMetrics({ process: false, sources: { rollupDeltasPending: async () => pending, poolInUse: () => 3 } });
    expect(sample(await m.registry.metrics(), "kpi_rollup_deltas_pending")).toBe(7);
    pending = 0;
    const text = await m.registry.metrics();
    expect(sample(text, "kpi_rollup_deltas_pending")).toBe(0);
    expect(sample(text, "kpi_db_pool_in_use")).toBe(3);
    expect(text).not.toContain("process_cpu");
    const bare = await createMetrics({ process: false }).registry.metrics();
    expect(bare).not.toContain("kpi_db_pool_in_use");
  });

  it("keeps two registries apart (no module globals)", async () => {
    const a = createMetrics({ process: false });
    const b = createMetrics({ process: false });
    a.deliveries.inc({ type: "digest", outcome: "sent" });
    expect(sample(await a.registry.metrics(), 'kpi_deliveries_total{type="digest",outcome="sent"}')).toBe(1);
    expect(sample(await b.registry.metrics(), 'kpi_deliveries_total{type="digest",outcome="sent"}')).toBe(0);
  });
});
