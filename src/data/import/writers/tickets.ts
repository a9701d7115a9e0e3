/** tickets → "Ticket": agent resolved per batch; upsert by externalId. */
import { sqlTimestamp } from "../../../time/sql.ts";
import { TICKET_TEXT_FIELDS, type TicketRow } from "../kinds/tickets.ts";
import { kept, unknownUser, upsertRows, userIds } from "./sql.ts";
import type { Checked, Writer } from "./writer.ts";

type Ready = TicketRow & { agentId: number };

const ts = (d: Date | null) => (d ? sqlTimestamp(d) : null);

export const ticketsWriter: Writer<TicketRow, Ready> = {
  async resolve(tx, rows) {
    const agents = await userIds(tx, rows.map((r) => r.agentEmail));
    return rows.map((row): Checked<Ready> => {
      const agentId = agents.get(row.agentEmail);
      return agentId === undefined
        ? { ok: false, issues: [unknownUser("agent_email", row.agentEmail, "import reps first")] }
        : { ok: true, value: { ...row, agentId } };
    });
  },

  async write(tx, rows, keep) {
    return upsertRows(tx, "Ticket", ["externalId"], [
      { name: "externalId", type: "text", values: rows.map((r) => r.ticketId) },
      { name: "agentId", type: "int", values: rows.map((r) => r.agentId), field: "agent_email" },
      { name: "openedAt", type: "timestamp(3)", values: rows.map((r) => ts(r.openedAt)), field: "opened_at" },
      { name: "firstResponseAt", type: "timestamp(3)", values: rows.map((r) => ts(r.firstResponseAt)), field: "first_response_at", keep: kept(keep, "first_response_at") },
      { name: "resolvedAt", type: "timestamp(3)", values: rows.map((r) => ts(r.resolvedAt)), field: "resolved_at", keep: kept(keep, "resolved_at") },
      { name: "csat", type: "smallint", values: rows.map((r) => r.csat), field: "csat", keep: kept(keep, "csat") },
      ...TICKET_TEXT_FIELDS.map((f) => ({ name: f, type: "text" as const, values: rows.map((r) => r[f]), field: f, keep: kept(keep, f) })),
    ]);
  },
};
