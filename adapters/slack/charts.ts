// The reply's charts → PNGs → Slack files (files.uploadV2 flow). A failed chart never stops the
// text: it comes back as { unavailable } and the message says so.
import type { Logger } from "../../src/log.ts";
import type { ChartRenderer } from "../../src/charts/index.ts";
import type { Reply } from "../../src/reply.ts";
import type { SlackApi } from "./api.ts";
import type { ChartImage } from "./blocks.ts";

/** At most this many charts per answer (the core sends one or two). */
export const MAX_CHARTS = 3;

export type ChartDeps = { renderer: ChartRenderer; api: SlackApi; logger: Logger };

/**
 * Render and upload each chart, shared into `channel` (and `threadTs` when given): a slack_file
 * image block shows only files shared where its readers can see them.
 */
export async function uploadCharts(reply: Reply, where: { channel: string; threadTs?: string }, deps: ChartDeps): Promise<ChartImage[]> {
  const out: ChartImage[] = [];
  for (const [i, spec] of reply.charts.slice(0, MAX_CHARTS).entries()) {
    const altText = deps.renderer.altText(spec);
    try {
      const png = await deps.renderer.render(spec);
      const fileId = await deps.api.uploadPng({
        channel: where.channel,
        ...(where.threadTs ? { threadTs: where.threadTs } : {}),
        png,
        filename: `kpi-${spec.kind}-${i + 1}.png`,
        title: spec.title,
        altText,
      });
      out.push({ fileId, title: spec.title, altText });
    } catch (e) {
      deps.logger.error("slack_chart_unavailable", { chart: spec.kind, error: e instanceof Error ? e.message.slice(0, 200) : String(e) });
      out.push({ unavailable: true, title: spec.title });
    }
  }
  return out;
}
