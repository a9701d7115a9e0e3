/** Loads the NIST StRD fixtures in test/fixtures/nist and compares with relative tolerances. */
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { z } from "zod";

const univariateSchema = z.object({
  name: z.string(),
  kind: z.literal("univariate"),
  n: z.number().int(),
  certified: z.object({ mean: z.number(), std: z.number() }),
  data: z.array(z.number()),
});

const linearSchema = z.object({
  name: z.string(),
  kind: z.literal("linear"),
  intercept: z.literal(true),
  n: z.number().int(),
  certified: z.object({ slope: z.number(), intercept: z.number(), residualSD: z.number(), rSquared: z.number() }),
  x: z.array(z.number()),
  y: z.array(z.number()),
});

function readFixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../fixtures/nist/${name}.json`, import.meta.url), "utf8"));
}

export function readUnivariate(name: string): z.infer<typeof univariateSchema> {
  return univariateSchema.parse(readFixture(name));
}

export function readLinear(name: string): z.infer<typeof linearSchema> {
  return linearSchema.parse(readFixture(name));
}

/** Asserts |actual − expected| ≤ tolerance · |expected| (absolute when expected is 0). */
export function expectRelativelyClose(actual: number | null | undefined, expected: number, tolerance: number): void {
  expect(actual).toBeTypeOf("number");
  const error = Math.abs((actual as number) - expected) / (expected === 0 ? 1 : Math.abs(expected));
  expect(error, `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}
