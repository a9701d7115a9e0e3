// Week (ISO, Monday) and month buckets of a window, in the workspace's time zone.
import { localDate, type Window } from "../data/kpi-queries.ts";

/**
 * Every bucket from the one containing the window's start to the one containing its end, in
 * order: weeks (months) without records are 0 for additive metrics and unknown otherwise, so the
 * regression's x is time, not the count of non-empty weeks. Buckets are local midnights as UTC dates.
 */
export function denseSeries(series: { bucket: Date; value: number | null }[], window: Window, grain: "week" | "month", additive: boolean): { bucket: Date; value: number | null }[] {
  const toUtcDay = (d: Date) => {
    const [y, m, day] = localDate(d, window.timeZone).split("-").map(Number) as [number, number, number];
    return new Date(Date.UTC(y, m - 1, day));
  };
  const trunc = (d: Date) =>
    grain === "month" ? new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)) : new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * 86_400_000);
  const first = trunc(toUtcDay(window.start));
  const last = trunc(toUtcDay(new Date(window.end.getTime() - 1)));
  const byTime = new Map(series.map((s) => [s.bucket.getTime(), s.value]));
  const out: { bucket: Date; value: number | null }[] = [];
  for (let b = first, i = 0; b <= last && i < 600; i++) {
    out.push({ bucket: b, value: byTime.get(b.getTime()) ?? (additive ? 0 : null) });
    b = grain === "month" ? new Date(Date.UTC(b.getUTCFullYear(), b.getUTCMonth() + 1, 1)) : new Date(b.getTime() + 7 * 86_400_000);
  }
  return out;
}

