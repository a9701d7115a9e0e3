export { METRICS, METRIC_IDS, MetricId, ROLLED_UP, isRolledUp, scorecardMetrics, valueRange, type Metric, type RolledMetric } from "./registry.ts";
export { CLOSED, DEFAULT_METRIC_PARAMS, MetricFunction, MetricParams, RECORDS, Unit, type MetricSpec, type RecordKind, type RollupSum, type SqlSource } from "./metric.ts";
