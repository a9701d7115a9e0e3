// Issue 11, "Dependencies point one way": charts and formatting sit below the answers, and the
// console does not reach into scripts/.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

/** Every relative import of the .ts files under `dir`, resolved to a path from the repository root. */
async function imports(dir: string): Promise<{ file: string; target: string }[]> {
  const out: { file: string; target: string }[] = [];
  for (const entry of await readdir(path.join(root, dir), { recursive: true })) {
    if (!entry.endsWith(".ts")) continue;
    const file = path.join(dir, entry);
    const text = await readFile(path.join(root, file), "utf8");
    for (const m of text.matchAll(/(?:from\s+|import\(\s*)["'](\.{1,2}\/[^"']+)["']/g)) {
      out.push({ file, target: path.relative(root, path.resolve(root, path.dirname(file), m[1]!)) });
    }
  }
  return out;
}

describe("dependencies", () => {
  it("charts import nothing from insights", async () => {
    expect((await imports("src/charts")).filter((i) => i.target.startsWith("src/insights"))).toEqual([]);
  });

  it("formatting imports only the reply's types below it", async () => {
    const outside = (await imports("src/format")).filter((i) => !i.target.startsWith("src/format/") && i.target !== "src/reply.ts");
    expect(outside).toEqual([]);
  });

  it("the console imports nothing from scripts/", async () => {
    expect((await imports("adapters/console")).filter((i) => i.target.startsWith("scripts/"))).toEqual([]);
  });

  it("no Intl formatter is cached at module level in formatting or charts", async () => {
    for (const dir of ["src/format", "src/charts"]) {
      for (const entry of await readdir(path.join(root, dir))) {
        const text = await readFile(path.join(root, dir, entry), "utf8");
        // A top-level `const x = new Map(` or `let` is module state; inside functions it is indented.
        expect(text, `${dir}/${entry}`).not.toMatch(/^(?:export\s+)?(?:const|let|var)\s+\w+\s*=\s*new\s+(?:Map|Set|Intl\.)/m);
        expect(text, `${dir}/${entry}`).not.toMatch(/^(?:export\s+)?let\s/m);
      }
    }
  });
});
