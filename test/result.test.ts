// Types only: checked by `tsc --noEmit` (part of `npm test`); the run itself asserts nothing more.
import { describe, expectTypeOf, it } from "vitest";
import type { Err, Ok, Result } from "../src/result.ts";

describe("Result", () => {
  it("is the success fields or the failure fields, told apart by ok", () => {
    expectTypeOf<Result<{ command: string }, { error: number }>>().toEqualTypeOf<{ ok: true; command: string } | { ok: false; error: number }>();
    expectTypeOf<Result<{ adapters: string[] }>>().toEqualTypeOf<{ ok: true; adapters: string[] } | { ok: false; error: string }>();
    expectTypeOf<Ok<{ value: 1 }>>().toEqualTypeOf<{ ok: true; value: 1 }>();
    expectTypeOf<Err<{ reply: string }>>().toEqualTypeOf<{ ok: false; reply: string }>();
  });

  it("narrows on ok", () => {
    const read = (r: Result<{ value: number }, { error: string }>) => (r.ok ? r.value : r.error.length);
    expectTypeOf(read).returns.toEqualTypeOf<number>();
  });
});
