// Reply → the message activity Teams receives: the card plus its charts, inline when small enough
// that the whole activity stays well under Teams' ~100 kB message limit, else at a signed URL.
import type { ChartRenderer } from "../../src/charts/index.ts";
import type { Logger } from "../../src/log.ts";
import type { Reply } from "../../src/reply.ts";
import { activityBytes, cardActivity, DEFAULT_MAX_TABLE_ROWS, replyToCard, type CardImage, type CardOptions } from "./card.ts";
import type { ChartStore } from "./charts.ts";

/** Inline images only while the whole activity stays under this. */
export const INLINE_BUDGET_BYTES = 60_000;
/** Never send more than this (Teams answers 413 somewhere above ~100 kB). */
export const MAX_ACTIVITY_BYTES = 80_000;

export type ComposerDeps = { renderer: ChartRenderer; charts: ChartStore; logger?: Logger | undefined };

export type Composed = ReturnType<typeof cardActivity>;

const URL_PLACEHOLDER = `https://${"x".repeat(200)}`;

/** What the caller adds to a card besides the reply: a share button, notes, a download link. */
export type Extras = Pick<CardOptions, "share" | "notes" | "download">;

export type Compose = (reply: Reply, extras?: Extras) => Promise<Composed>;

export function createComposer(deps: ComposerDeps): Compose {
  return async (reply, extras = {}) => {
    const rendered = await Promise.all(
      reply.charts.map(async (spec) => {
        try {
          return { png: await deps.renderer.render(spec), altText: deps.renderer.altText(spec) };
        } catch (e) {
          deps.logger?.error("teams_chart_render_failed", { kind: spec.kind, error: e instanceof Error ? e.message : String(e) });
          return null;
        }
      }),
    );
    const charts = rendered.filter((c): c is { png: Buffer; altText: string } => c !== null);
    const build = (images: CardImage[], maxTableRows: number) => cardActivity(replyToCard(reply, { ...extras, images, maxTableRows }), reply.title);

    // A table that leaves room for the charts (as links at worst).
    const asLinks = charts.map((c) => ({ url: URL_PLACEHOLDER, altText: c.altText }));
    let rows = DEFAULT_MAX_TABLE_ROWS;
    while (rows > 0 && activityBytes(build(asLinks, rows)) > INLINE_BUDGET_BYTES) rows = Math.floor(rows / 2);

    // Each chart inline if the activity still fits the budget with it, else stored and linked.
    const images: CardImage[] = [];
    for (const [i, c] of charts.entries()) {
      const inline = { url: `data:image/png;base64,${c.png.toString("base64")}`, altText: c.altText };
      const trial = build([...images, inline, ...asLinks.slice(i + 1)], rows);
      images.push(activityBytes(trial) <= INLINE_BUDGET_BYTES ? inline : { url: await deps.charts.put(c.png), altText: c.altText });
    }
    let activity = build(images, rows);
    while (rows > 0 && activityBytes(activity) > MAX_ACTIVITY_BYTES) {
      rows = Math.floor(rows / 2);
      activity = build(images, rows);
    }
    return activity;
  };
}
