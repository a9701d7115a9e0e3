/** The part of unzipper (a dependency of exceljs, pinned to the same version) the XLSX reader uses. */
declare module "unzipper" {
  import type { Readable } from "node:stream";
  export type ZipEntry = { path: string; type: "File" | "Directory"; uncompressedSize: number; stream(): Readable };
  export type ZipSource = { stream(offset: number, length?: number): Readable; size(): Promise<number> };
  const unzipper: { Open: { custom(source: ZipSource, options?: { tailSize?: number }): Promise<{ files: ZipEntry[] }> } };
  export default unzipper;
}
