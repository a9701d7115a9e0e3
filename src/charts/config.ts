// ChartSpec → Chart.js configuration, one builder per kind. Pure: no canvas here.
import type { ChartConfiguration } from "chart.js";
import { createFormats, type Formats } from "../format/index.ts";
import type { ChartSpec } from "../reply.ts";
import { barConfig } from "./bar.ts";
import { distributionConfig } from "./distribution.ts";
import { personalConfig } from "./personal.ts";
import { trendConfig } from "./trend.ts";

/** `formats`: the renderer's own, so its Intl formatters are built once per renderer. */
export function chartConfig(spec: ChartSpec, formats: Formats = createFormats()): ChartConfiguration {
  switch (spec.kind) {
    case "bar":
      return barConfig(spec, formats) as ChartConfiguration;
    case "trend":
      return trendConfig(spec, formats) as ChartConfiguration;
    case "personal":
      return personalConfig(spec, formats) as ChartConfiguration;
    case "distribution":
      return distributionConfig(spec, formats) as ChartConfiguration;
  }
}
