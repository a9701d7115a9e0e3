/** teams: team,parent_team,manager_email — the org tree. Upserted by team name. */
import { z } from "zod";
import { issue, optionalEmail, optionalText, requiredText } from "./fields.ts";
import type { Kind } from "./kind.ts";

export type TeamRow = { name: string; parent: string | null; managerEmail: string | null };

export const teams: Kind<TeamRow> = {
  name: "teams",
  required: ["team", "parent_team", "manager_email"],
  optional: [],
  keyColumns: ["team"],
  key: (row) => row.name,
  schema: () =>
    z
      .object({ team: requiredText, parent_team: optionalText, manager_email: optionalEmail })
      .transform((r, ctx) => {
        if (r.parent_team === r.team) issue(ctx, "team is its own parent", `"${r.team}" cannot be its own parent`, ["parent_team"]);
        return { row: { name: r.team, parent: r.parent_team, managerEmail: r.manager_email }, fills: [] };
      }),
};
