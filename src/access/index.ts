export * from "./rules.ts";
export * from "./identity.ts";
