// Chart specs → PNG and alt text. Everything else in this folder is detail.
export { createChartRenderer, type ChartRenderer, type ChartSize } from "./renderer.ts";
export { altText, ALT_TEXT_MAX } from "./alt-text.ts";
export { createPooledChartRenderer, defaultChartThreads, type PooledChartRenderer } from "./pool.ts";
