// Placeholder until the slack adapter lands: starting it explains itself instead of failing obscurely.
import type { Runtime } from "../../src/runtime.ts";
import type { Running } from "../choose.ts";
import type { HttpHost } from "../http/server.ts";

export async function start(_rt: Runtime, _http: HttpHost): Promise<Running> {
  throw new Error("the slack adapter is not part of this build yet; unset KPI_ADAPTERS / its credentials to run the console");
}
