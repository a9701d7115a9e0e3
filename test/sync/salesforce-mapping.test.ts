import { describe, expect, it } from "vitest";
import {
  campaignToRecord,
  caseToTicket,
  eventToActivity,
  hierarchy,
  money,
  opportunityToDeal,
  sfInstant,
  soqlDateTime,
  taskToActivity,
  type MapContext,
  type SfRole,
  type SfUser,
} from "../../src/sync/salesforce/mapping.ts";

const emails: Record<string, string> = { "005A": "ana@example.com", "005B": "bo@example.com" };
const ctx: MapContext = { emailOf: (id) => emails[id], multiCurrency: false, timeZone: "UTC" };

const opp = {
  Id: "006X",
  OwnerId: "005A",
  Account: { attributes: { type: "Account" }, Name: "Acme" },
  Amount: 1234.5,
  StageName: "Signed",
  IsClosed: true,
  IsWon: true,
  CreatedDate: "2026-03-01T09:30:00.000+0000",
  CloseDate: "2026-03-20",
  LeadSource: "Web",
  Type: "New Business",
  CampaignId: "701C",
  SystemModstamp: "2026-03-20T10:00:00.000+0000",
};

describe("Salesforce values", () => {
  it("reads Salesforce datetimes (+0000 offsets) as ISO UTC", () => {
    expect(sfInstant("2026-11-01T10:00:00.000+0000")).toBe("2026-11-01T10:00:00.000Z");
    expect(sfInstant("2026-11-01T12:00:00.000+0200")).toBe("2026-11-01T10:00:00.000Z");
    expect(sfInstant(null)).toBe("");
  });
  it("writes SOQL datetime literals rounded down to the second, so a cursor never skips a record", () => {
    expect(soqlDateTime("2026-11-01T10:00:05.300Z")).toBe("2026-11-01T10:00:05Z");
    expect(soqlDateTime("2026-11-01T10:00:05.000Z")).toBe("2026-11-01T10:00:05Z");
  });
  it("formats doubles as cents", () => {
    expect(money(1234.5)).toBe("1234.50");
    expect(money(0.1 + 0.2)).toBe("0.30");
    expect(money(null)).toBe("");
  });
});

describe("opportunityToDeal", () => {
  it("takes won from IsWon whatever the stage is called, keeping the stage name", () => {
    expect(opportunityToDeal(opp, ctx)).toEqual({
      deal_id: "salesforce:006X",
      owner_email: "ana@example.com",
      status: "won",
      created_at: "2026-03-01T09:30:00.000Z",
      closed_at: "2026-03-20",
      customer: "Acme",
      amount: "1234.50",
      campaign_id: "salesforce:701C",
      stage: "Signed",
      source: "Web",
      type: "New Business",
    });
  });
  it("is lost when closed and not won, even if the stage says 'Closed Won'", () => {
    const d = opportunityToDeal({ ...opp, IsWon: false, StageName: "Closed Won" }, ctx);
    expect(d.status).toBe("lost");
    expect(d.stage).toBe("Closed Won");
  });
  it("is open with no close date while not closed (CloseDate is only an expectation)", () => {
    const d = opportunityToDeal({ ...opp, IsWon: false, IsClosed: false, Amount: null }, ctx);
    expect(d.status).toBe("open");
    expect(d.closed_at).toBe("");
    expect(d.amount).toBe("");
  });
  it("counts a lost opportunity without an amount as 0", () => {
    expect(opportunityToDeal({ ...opp, IsWon: false, Amount: null }, ctx).amount).toBe("0.00");
  });
  it("closes a same-day (or back-dated) close at the creation instant, in the workspace time zone", () => {
    expect(opportunityToDeal({ ...opp, CloseDate: "2026-03-01" }, ctx).closed_at).toBe("2026-03-01T09:30:00.000Z");
    expect(opportunityToDeal({ ...opp, CloseDate: "2026-02-10" }, ctx).closed_at).toBe("2026-03-01T09:30:00.000Z");
    // 23:30 UTC on 1 March is already 2 March in Shanghai: a 2 March close is that same local day.
    const late = { ...opp, CreatedDate: "2026-03-01T23:30:00.000+0000", CloseDate: "2026-03-02" };
    expect(opportunityToDeal(late, ctx).closed_at).toBe("2026-03-02");
    expect(opportunityToDeal(late, { ...ctx, timeZone: "Asia/Shanghai" }).closed_at).toBe("2026-03-01T23:30:00.000Z");
  });
  it("selects the currency only in a multi-currency org", () => {
    expect(opportunityToDeal({ ...opp, CurrencyIsoCode: "EUR" }, ctx)).not.toHaveProperty("currency");
    expect(opportunityToDeal({ ...opp, CurrencyIsoCode: "EUR" }, { ...ctx, multiCurrency: true }).currency).toBe("EUR");
  });
  it("leaves the owner blank when it is no user (a queue): the import refuses a blank owner", () => {
    expect(opportunityToDeal({ ...opp, OwnerId: "00G9" }, ctx).owner_email).toBe("");
  });
  it("leaves customer and campaign blank when Salesforce has none", () => {
    const d = opportunityToDeal({ ...opp, Account: null, CampaignId: null }, ctx);
    expect(d.customer).toBe("");
    expect(d.campaign_id).toBe("");
  });
});

describe("activities", () => {
  it("maps Task subtypes to call, email or other, dated by ActivityDate else CreatedDate", () => {
    const t = { Id: "00T1", OwnerId: "005B", WhatId: "006X", TaskSubtype: "Call", ActivityDate: "2026-04-02", CreatedDate: "2026-04-01T08:00:00.000+0000" };
    expect(taskToActivity(t, ctx)).toEqual({ activity_id: "salesforce:00T1", owner_email: "bo@example.com", type: "call", occurred_at: "2026-04-02", deal_id: "salesforce:006X" });
    expect(taskToActivity({ ...t, TaskSubtype: "Email", ActivityDate: null }, ctx)).toMatchObject({ type: "email", occurred_at: "2026-04-01T08:00:00.000Z" });
    expect(taskToActivity({ ...t, TaskSubtype: "Task" }, ctx).type).toBe("other");
    expect(taskToActivity({ ...t, TaskSubtype: "LinkedIn" }, ctx).type).toBe("other");
  });
  it("links an activity to a deal only when WhatId is an opportunity", () => {
    expect(taskToActivity({ Id: "00T2", OwnerId: "005A", WhatId: "001ACC", TaskSubtype: "Call", CreatedDate: "2026-04-01T08:00:00.000+0000" }, ctx).deal_id).toBe("");
  });
  it("maps an Event to a meeting at its start", () => {
    const e = { Id: "00U1", OwnerId: "005A", WhatId: null, ActivityDateTime: "2026-05-05T14:00:00.000+0000", ActivityDate: "2026-05-05", CreatedDate: "2026-05-01T08:00:00.000+0000" };
    expect(eventToActivity(e, ctx)).toEqual({ activity_id: "salesforce:00U1", owner_email: "ana@example.com", type: "meeting", occurred_at: "2026-05-05T14:00:00.000Z", deal_id: "" });
    expect(eventToActivity({ ...e, ActivityDateTime: null }, ctx).occurred_at).toBe("2026-05-05");
  });
});

describe("caseToTicket", () => {
  const c = { Id: "5001", OwnerId: "005B", CreatedDate: "2026-06-01T08:00:00.000+0000", ClosedDate: "2026-06-02T08:00:00.000+0000", IsClosed: true, First_Response__c: "2026-06-01T09:00:00.000+0000", CSAT__c: 4 };
  it("has no first response or CSAT unless their fields are configured", () => {
    expect(caseToTicket(c, ctx, {})).toEqual({ ticket_id: "salesforce:5001", agent_email: "bo@example.com", opened_at: "2026-06-01T08:00:00.000Z", resolved_at: "2026-06-02T08:00:00.000Z", first_response_at: "", csat: "" });
  });
  it("reads the configured first-response and CSAT fields", () => {
    expect(caseToTicket(c, ctx, { firstResponse: "First_Response__c", csat: "CSAT__c" })).toMatchObject({ first_response_at: "2026-06-01T09:00:00.000Z", csat: "4" });
  });
  it("is unresolved while open, whatever ClosedDate says", () => {
    expect(caseToTicket({ ...c, IsClosed: false }, ctx, {}).resolved_at).toBe("");
  });
});

describe("campaignToRecord", () => {
  it("maps Type to channel and the Salesforce totals to spend, leads, conversions, revenue", () => {
    const r = { Id: "701C", Name: "Spring", Type: "Webinar", StartDate: "2026-03-01", EndDate: null, ActualCost: 999.9, NumberOfLeads: 40, NumberOfConvertedLeads: 7, AmountWonOpportunities: 12000, OwnerId: "005A", CreatedDate: "2026-02-01T00:00:00.000+0000" };
    expect(campaignToRecord(r, ctx)).toEqual({ campaign_id: "salesforce:701C", name: "Spring", channel: "Webinar", start_date: "2026-03-01", end_date: "", spend: "999.90", leads: "40", conversions: "7", revenue: "12000.00", owner_email: "ana@example.com" });
  });
  it("starts an undated campaign the day it was created, with zero totals and channel (none)", () => {
    const r = { Id: "701D", Name: "Misc", Type: null, StartDate: null, EndDate: null, ActualCost: null, NumberOfLeads: null, NumberOfConvertedLeads: null, AmountWonOpportunities: null, OwnerId: null, CreatedDate: "2026-02-01T05:00:00.000+0000" };
    expect(campaignToRecord(r, ctx)).toMatchObject({ channel: "(none)", start_date: "2026-02-01", spend: "0.00", leads: "0", conversions: "0", revenue: "0.00", owner_email: "" });
  });
});

describe("hierarchy", () => {
  const roles: SfRole[] = [
    { Id: "00E3", Name: "East Rep", ParentRoleId: "00E2" },
    { Id: "00E1", Name: "VP", ParentRoleId: null },
    { Id: "00E2", Name: "East Manager", ParentRoleId: "00E1" },
    { Id: "00E4", Name: "Ops", ParentRoleId: "00E1" },
    { Id: "00E5", Name: "Ops", ParentRoleId: "00E1" },
  ];
  const u = (Id: string, Email: string, ManagerId: string | null, UserRoleId: string | null, IsActive = true): SfUser => ({ Id, Email, Name: Email.split("@")[0]!, IsActive, ManagerId, UserRoleId });
  const users: SfUser[] = [
    u("005V", "vp@x.com", null, "00E1"),
    u("005M", "Mgr@X.com", "005V", "00E2"),
    u("005P", "pat@x.com", "005V", "00E2"),
    u("005R1", "r1@x.com", "005M", "00E3"),
    u("005R2", "r2@x.com", "005M", "00E3"),
    u("005R3", "r3@x.com", "005V", "00E3"),
    // inactive members do not vote
    u("005R4", "r4@x.com", "005V", "00E3", false),
    u("005R5", "r5@x.com", "005V", "00E3", false),
  ];
  const h = hierarchy(users, roles);

  it("makes a team per role, parents listed before their children, same-named roles told apart", () => {
    const order = h.teams.map((t) => t.team);
    expect(order.indexOf("VP")).toBeLessThan(order.indexOf("East Manager"));
    expect(order.indexOf("East Manager")).toBeLessThan(order.indexOf("East Rep"));
    expect(h.teams).toContainEqual({ team: "East Rep", parent_team: "East Manager" });
    expect(h.teams).toContainEqual({ team: "VP", parent_team: "" });
    expect(h.teams.filter((t) => (t.team ?? "").startsWith("Ops")).map((t) => t.team).sort()).toEqual(["Ops (00E4)", "Ops (00E5)"]);
  });
  it("gives a team the manager most of its active members report to", () => {
    // independently: East Rep's active members r1, r2 → Mgr, r3 → vp: Mgr wins 2–1
    expect(h.teamManagers).toContainEqual({ team: "East Rep", manager_email: "mgr@x.com" });
    expect(h.teamManagers).toContainEqual({ team: "East Manager", manager_email: "vp@x.com" });
    // the VP reports to no one: no manager for the VP team
    expect(h.teamManagers.find((t) => t.team === "VP")).toBeUndefined();
  });
  it("breaks a tie by the earliest email", () => {
    const tie = hierarchy([u("1", "b@x.com", null, null), u("2", "a@x.com", null, null), u("3", "m1@x.com", "1", "R"), u("4", "m2@x.com", "2", "R")], [{ Id: "R", Name: "R", ParentRoleId: null }]);
    expect(tie.teamManagers).toEqual([{ team: "R", manager_email: "a@x.com" }]);
  });
  it("lists people with their role's team and active flag, lowercased emails, and whom they report to", () => {
    expect(h.people).toContainEqual({ email: "mgr@x.com", name: "Mgr", team: "East Manager", active: "true" });
    expect(h.people).toContainEqual({ email: "r4@x.com", name: "r4", team: "East Rep", active: "false" });
    expect(h.reportsTo).toContainEqual({ email: "r1@x.com", manager_email: "mgr@x.com" });
    expect(h.reportsTo.find((r) => r.email === "vp@x.com")).toBeUndefined();
  });
  it("survives a role cycle by putting it at the top", () => {
    const c = hierarchy([], [{ Id: "A", Name: "A", ParentRoleId: "B" }, { Id: "B", Name: "B", ParentRoleId: "A" }]);
    expect(c.teams).toHaveLength(2);
  });
});
