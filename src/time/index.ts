// Time in one place: civil-calendar arithmetic, time zones, series buckets and SQL literals.
// Below command, data, insights and digests; imports nothing of theirs.
export * from "./calendar.ts";
export * from "./zone.ts";
export * from "./buckets.ts";
export * from "./sql.ts";
