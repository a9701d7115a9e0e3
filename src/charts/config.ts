// ChartSpec → Chart.js configuration, one builder per kind. Pure: no canvas here.
import type { ChartConfiguration } from "chart.js";
import type { ChartSpec } from "../reply.ts";
import { barConfig } from "./bar.ts";
import { distributionConfig } from "./distribution.ts";
import { personalConfig } from "./personal.ts";
import { trendConfig } from "./trend.ts";

export function chartConfig(spec: ChartSpec): ChartConfiguration {
  switch (spec.kind) {
    case "bar":
      return barConfig(spec) as ChartConfiguration;
    case "trend":
      return trendConfig(spec) as ChartConfiguration;
    case "personal":
      return personalConfig(spec) as ChartConfiguration;
    case "distribution":
      return distributionConfig(spec) as ChartConfiguration;
  }
}
