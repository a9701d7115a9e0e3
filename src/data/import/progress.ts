/**
 * The progress line a long import shows on a terminal: rows, share of the file, rows/s, redrawn
 * in place on stderr at most every `intervalMs`. Prints nothing when the stream is not a TTY.
 */

export type Progress = {
  rowsRead: number;
  bytesRead: number;
  totalBytes: number;
  elapsedMs: number;
};

type Terminal = { isTTY?: boolean; write(text: string): unknown };

export function progressLine(
  stream: Terminal,
  label: string,
  options: { intervalMs?: number; now?: () => number } = {},
): { update(p: Progress): void; finish(): void } {
  const interval = options.intervalMs ?? 100;
  const now = options.now ?? (() => performance.now());
  let last = -Infinity;
  let drawn = false;
  return {
    update(p) {
      if (!stream.isTTY) return;
      const t = now();
      if (t - last < interval) return;
      last = t;
      const rate = p.elapsedMs > 0 ? Math.round((p.rowsRead * 1000) / p.elapsedMs) : 0;
      const share = p.totalBytes > 0 ? ` (${Math.floor((100 * p.bytesRead) / p.totalBytes)}%)` : "";
      stream.write(`\r\x1b[2K${label}: ${p.rowsRead.toLocaleString("en-US")} rows${share}, ${rate.toLocaleString("en-US")} rows/s`);
      drawn = true;
    },
    finish() {
      if (drawn) stream.write("\r\x1b[2K");
      drawn = false;
    },
  };
}
