import { expect } from "vitest";
import { parseCommand, type Command, type ParseContextInput, type Period } from "../../src/command/index.ts";

/** A parse context at a fixed instant. */
export function at(now: string, more: Omit<ParseContextInput, "now"> = {}): ParseContextInput {
  return { now: new Date(now), ...more };
}

/** Parses and insists on success. */
export function command(text: string, ctx: ParseContextInput): Command {
  const result = parseCommand(text, ctx);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(text)} to parse, got ${JSON.stringify(result.error)}`);
  return result.command;
}

export type QueryCommand = Extract<Command, { kind: "query" }>;
export type CompareCommand = Extract<Command, { kind: "compare" }>;

export function query(text: string, ctx: ParseContextInput): QueryCommand {
  const c = command(text, ctx);
  expect(c.kind).toBe("query");
  return c as QueryCommand;
}

export function compare(text: string, ctx: ParseContextInput): CompareCommand {
  const c = command(text, ctx);
  expect(c.kind).toBe("compare");
  return c as CompareCommand;
}

/** A period as plain strings, for readable expectations. */
export function show(p: Period | undefined): { start: string; end: string; label: string; grain: string } | undefined {
  return p && { start: p.start.toISOString(), end: p.end.toISOString(), label: p.label, grain: p.grain };
}

/** The period of a query, as plain strings. */
export function periodOf(text: string, ctx: ParseContextInput): ReturnType<typeof show> {
  return show(query(text, ctx).period);
}

/** Expected period from local-midnight instants written as ISO strings. */
export function span(start: string, end: string, label: string, grain: string): ReturnType<typeof show> {
  return { start: new Date(start).toISOString(), end: new Date(end).toISOString(), label, grain };
}
