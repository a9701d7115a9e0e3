/** The shape every import kind has: its columns, a row schema and the key rows are upserted by. */
import type { z } from "zod";
import type { ParseContext, Parsed } from "./fields.ts";

export type Kind<Row> = {
  name: string;
  /** Columns the header must have (values may still be blank where the column allows it). */
  required: readonly string[];
  /** Columns the header may have; a missing one reads as blank in every row. */
  optional: readonly string[];
  /** Other header names accepted for a column (deals: owner → owner_email). */
  aliases?: Readonly<Record<string, string>>;
  /** Validate and convert one record (column → cell text). */
  schema(p: ParseContext): z.ZodType<Parsed<Row>, Record<string, string>>;
  /** The identity a row is upserted by; two rows with the same key in one file are duplicates. */
  key(row: Row): string;
  /** Which column(s) make the key, for messages ("deal_id"). */
  keyColumns: readonly string[];
};

/** "2025-03-31 16:00 UTC" for messages. */
export function showInstant(d: Date): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
