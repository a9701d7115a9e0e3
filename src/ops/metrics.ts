// What an operator scrapes at GET /metrics (Prometheus text, prom-client). One registry per
// process, made by the entry point and handed to whatever records into it: no module globals,
// so two bots in one test process never mix their counts.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** Where gauges read their value at scrape time; each is optional (unmeasurable ones are left out). */
export type MetricSources = {
  /** Rollup deltas not folded in yet (src/data/rollups.ts). */
  rollupDeltasPending?: () => Promise<number>;
  /** Connections of the database pool checked out now (PostgreSQL; PGlite has no pool). */
  poolInUse?: () => number;
};

export type Metrics = {
  registry: Registry;
  /** Commands answered, by adapter (slack, teams, console) and reply kind (answer, help, error, denied, unlinked). */
  requests: Counter<"adapter" | "kind">;
  /** Replies refusing a figure the asker may not see. */
  denials: Counter<"adapter">;
  /** Seconds from a command's text reaching the core to its reply (stage "reply"), and to the platform accepting it (stage "delivered"). */
  answerSeconds: Histogram<"adapter" | "stage">;
  /** Scheduled messages: type digest|alert, outcome sent|failed|skipped. */
  deliveries: Counter<"type" | "outcome">;
  /** CRM sync runs per source (hubspot, salesforce, csv, …) and outcome (ok, failed): recorded by the sync jobs. */
  syncRuns: Counter<"source" | "outcome">;
  /** Seconds since this replica's last successful sync of a source (read at scrape time; absent before one). */
  syncLag: Gauge<"source">;
  /** Counts a sync run and, when it succeeded, restarts its source's lag from 0. */
  recordSync(source: string, ok: boolean): void;
};

/** Latency buckets (seconds) around Slack's 3 s ack limit and answers of a few seconds. */
const BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30];

/**
 * A fresh registry with the bot's metrics, process metrics (CPU, memory, event-loop lag, handles)
 * unless `process: false`, and the gauges of `sources`.
 *
 * @example
 * const metrics = createMetrics({ sources: { poolInUse: () => 2 } });
 * metrics.requests.inc({ adapter: "slack", kind: "answer" });
 * await metrics.registry.metrics(); // "# HELP kpi_requests_total …"
 */
export function createMetrics(options: { process?: boolean; sources?: MetricSources } = {}): Metrics {
  const registry = new Registry();
  if (options.process !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const sources = options.sources ?? {};
  if (sources.rollupDeltasPending) {
    const read = sources.rollupDeltasPending;
    new Gauge({
      name: "kpi_rollup_deltas_pending",
      help: "Rollup deltas written by imports and syncs, not folded into the rollup tables yet.",
      registers,
      async collect() {
        this.set(await read());
      },
    });
  }
  if (sources.poolInUse) {
    const read = sources.poolInUse;
    new Gauge({
      name: "kpi_db_pool_in_use",
      help: "Database connections checked out of the pool (PostgreSQL only).",
      registers,
      collect() {
        this.set(read());
      },
    });
  }
  const syncRuns = new Counter({ name: "kpi_sync_runs_total", help: "CRM sync runs by source and outcome (ok, failed).", labelNames: ["source", "outcome"], registers });
  // When each source last synced successfully on this replica (a gauge read at scrape time).
  const lastOk = new Map<string, number>();
  return {
    registry,
    requests: new Counter({ name: "kpi_requests_total", help: "Commands answered, by adapter and reply kind.", labelNames: ["adapter", "kind"], registers }),
    denials: new Counter({ name: "kpi_denials_total", help: "Replies that refused a figure the asker may not see.", labelNames: ["adapter"], registers }),
    answerSeconds: new Histogram({
      name: "kpi_answer_seconds",
      help: "Seconds from a command reaching the core to its reply (stage=reply) and to the platform accepting the reply (stage=delivered).",
      labelNames: ["adapter", "stage"],
      buckets: BUCKETS,
      registers,
    }),
    deliveries: new Counter({ name: "kpi_deliveries_total", help: "Scheduled messages by type (digest, alert) and outcome (sent, failed, skipped).", labelNames: ["type", "outcome"], registers }),
    syncRuns,
    syncLag: new Gauge({
      name: "kpi_sync_lag_seconds",
      help: "Seconds since this replica's last successful sync of a source (take the min over replicas: one replica syncs a source at a time).",
      labelNames: ["source"],
      registers,
      collect() {
        for (const [source, at] of lastOk) this.set({ source }, Math.max(0, (Date.now() - at) / 1000));
      },
    }),
    recordSync(source, ok) {
      syncRuns.inc({ source, outcome: ok ? "ok" : "failed" });
      if (ok) lastOk.set(source, Date.now());
    },
  };
}
