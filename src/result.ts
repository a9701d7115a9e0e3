// Errors a user can cause are values, not exceptions: a step that can refuse returns a Result and
// its caller branches on `ok`. Exceptions stay for bugs and outages.

/** The success side: `ok: true` and the fields callers read (`command`, `value`, …). */
export type Ok<T extends object> = Flat<{ ok: true } & T>;
/** The failure side: `ok: false` and what the caller needs to answer (`error`, `reply`, …). */
export type Err<E extends object> = Flat<{ ok: false } & E>;

/**
 * Either side, told apart by `ok`; each keeps the field names its callers already read.
 *
 *   type Parsed = Result<{ command: Command }, { error: CommandError }>;
 *   // { ok: true; command: Command } | { ok: false; error: CommandError }
 */
export type Result<T extends object, E extends object = { error: string }> = Ok<T> | Err<E>;

// One object type instead of an intersection, so editors and errors show the fields.
type Flat<T> = { [K in keyof T]: T[K] };
