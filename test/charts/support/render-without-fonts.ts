// Renders a chart spec (JSON on stdin) to PNG on stdout as the renderer draws it — same
// Chart.js configuration, same canvas options — except that no font is registered: what a bare
// machine without our font package would draw. Run in its own process, because registration is
// process-wide and cannot be undone for one render.
import { ChartJSNodeCanvas } from "chartjs-node-canvas";
import { chartConfig } from "../../../src/charts/config.ts";
import { canvasOptions } from "../../../src/charts/renderer.ts";
import { ChartSpec } from "../../../src/reply.ts";

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const { spec, width, height } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { spec: unknown; width: number; height: number };
const canvas = new ChartJSNodeCanvas(canvasOptions(width, height));
process.stdout.write(await canvas.renderToBuffer(chartConfig(ChartSpec.parse(spec)), "image/png"));
