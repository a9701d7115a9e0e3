/**
 * The rejected-rows file written by --skip-invalid: the rejected records as they were, plus a
 * `reason` column, beside the input (deals.csv → deals.rejected.csv). Written to a ".partial"
 * file during the import and renamed only once the import has committed. Cells that would start
 * a spreadsheet formula are prefixed with "'" (src/csv.ts).
 */
import { open, rename, rm, type FileHandle } from "node:fs/promises";
import { csvLine } from "../../csv.ts";

/** deals.csv → deals.rejected.csv; export.txt → export.txt.rejected.csv. */
export function rejectedPath(input: string): string {
  return `${input.replace(/\.csv$/i, "")}.rejected.csv`;
}

export { csvLine };

export class RejectedFile {
  private handle: FileHandle | null = null;
  private rows = 0;

  constructor(
    readonly path: string,
    private readonly header: readonly string[],
  ) {}

  private get partial(): string {
    return `${this.path}.partial`;
  }

  /** Append a batch of rejected records (cells as read, and the reason text). */
  async add(records: readonly { cells: readonly string[]; reason: string }[]): Promise<void> {
    if (records.length === 0) return;
    if (!this.handle) {
      this.handle = await open(this.partial, "w");
      await this.handle.write(csvLine([...this.header, "reason"]));
    }
    const width = this.header.length;
    const text = records
      .map((r) => csvLine([...r.cells, ...Array<string>(Math.max(0, width - r.cells.length)).fill(""), r.reason]))
      .join("");
    await this.handle.write(text);
    this.rows += records.length;
  }

  /** Move the file into place; returns its path, or null when nothing was rejected. */
  async commit(): Promise<string | null> {
    if (!this.handle) return null;
    await this.handle.close();
    this.handle = null;
    await rename(this.partial, this.path);
    return this.path;
  }

  /** Throw the partial file away (the import did not commit). */
  async discard(): Promise<void> {
    if (!this.handle) return;
    await this.handle.close();
    this.handle = null;
    await rm(this.partial, { force: true });
  }
}
