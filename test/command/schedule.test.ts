import { describe, expect, it } from "vitest";
import { formatCommandError, parseCommand } from "../../src/command/index.ts";

const ctx = { now: new Date("2026-11-26T12:00:00Z") };
const ok = (text: string) => {
  const r = parseCommand(text, ctx);
  if (!r.ok) throw new Error(`${text}: ${formatCommandError(r.error, r.lang)}`);
  return r.command;
};
const err = (text: string) => {
  const r = parseCommand(text, ctx);
  if (r.ok) throw new Error(`${text} parsed`);
  return formatCommandError(r.error, r.lang);
};

describe("scheduling commands", () => {
  it("reads a weekly subscription with day, time and zone", () => {
    expect(ok("/kpi subscribe weekly team sales mon 09:00 Asia/Shanghai")).toEqual({
      kind: "subscribe", cadence: "weekly", day: 1, time: "09:00", timeZone: "Asia/Shanghai",
      scope: { kind: "team" }, metric: "sales", delivery: "here", lang: "en",
    });
  });
  it("defaults monthly subscriptions to the 1st at 09:00, and personal ones to private delivery", () => {
    expect(ok("subscribe monthly org winrate")).toMatchObject({ cadence: "monthly", day: 1, time: "09:00", scope: { kind: "org" }, metric: "winrate", delivery: "here" });
    expect(ok("subscribe weekly me")).toMatchObject({ scope: { kind: "me" }, delivery: "private", day: 1 });
    expect(ok("subscribe weekly team east sales fri 17:30 private")).toMatchObject({ day: 5, time: "17:30", delivery: "private", scope: { kind: "team", name: "east" } });
    expect(ok("subscribe monthly team east deals 15th 08:00")).toMatchObject({ day: 15, time: "08:00" });
  });
  it("reads Chinese subscriptions", () => {
    expect(ok("订阅 每周 团队 销售额 周一 09:00")).toMatchObject({ kind: "subscribe", cadence: "weekly", day: 1, metric: "sales", lang: "zh" });
  });
  it("reads alerts with percentages and plain numbers", () => {
    expect(ok("/kpi alert team winrate below 20%")).toEqual({
      kind: "alert", scope: { kind: "team" }, metric: "winrate", op: "below", threshold: 0.2, percent: true, delivery: "here", lang: "en",
    });
    expect(ok("alert rep @x frt above 60")).toMatchObject({ scope: { kind: "rep", who: "@x" }, metric: "frt", op: "above", threshold: 60, percent: false });
  });
  it("reads quota milestone alerts, en and zh, always private", () => {
    expect(ok("/kpi alert me quota milestones")).toEqual({ kind: "milestones", scope: { kind: "me" }, lang: "en" });
    expect(ok("/kpi alert team east quota milestones")).toEqual({ kind: "milestones", scope: { kind: "team", name: "east" }, lang: "en" });
    expect(ok("alert me milestone private")).toEqual({ kind: "milestones", scope: { kind: "me" }, lang: "en" });
    expect(ok("/kpi 提醒 我 配额 里程碑")).toEqual({ kind: "milestones", scope: { kind: "me" }, lang: "zh" });
    expect(ok("/kpi 提醒 团队 east 配额 里程碑")).toEqual({ kind: "milestones", scope: { kind: "team", name: "east" }, lang: "zh" });
    expect(err("alert me winrate milestones")).toMatch(/alert me quota milestones/);
    expect(err("alert me quota milestones here")).toMatch(/alert me quota milestones/);
    expect(err("alert team quota milestones last quarter")).toMatch(/alert me quota milestones/);
    expect(err("提醒 我 赢单率 里程碑")).toMatch(/提醒 我 配额 里程碑/);
  });
  it("lists and removes", () => {
    expect(ok("subscriptions")).toEqual({ kind: "subscriptions", lang: "en" });
    expect(ok("alerts")).toEqual({ kind: "alerts", lang: "en" });
    expect(ok("unsubscribe S12")).toEqual({ kind: "unsubscribe", ref: "S12", lang: "en" });
    expect(ok("unsubscribe a7")).toEqual({ kind: "unsubscribe", ref: "A7", lang: "en" });
    expect(ok("unsubscribe 3")).toEqual({ kind: "unsubscribe", ref: "S3", lang: "en" });
  });
  it("explains what is wrong with a schedule", () => {
    expect(err("subscribe team sales")).toMatch(/subscribe weekly team sales mon 09:00/);
    expect(err("subscribe weekly team sales 25:00")).toMatch(/schedule '25:00'/);
    expect(err("subscribe weekly team sales Mars/Olympus")).toMatch(/Mars\/Olympus/);
    expect(err("subscribe monthly team sales 31st")).toMatch(/days 1–28/);
    expect(err("subscribe weekly team sales last-quarter")).toMatch(/week just ended/);
    expect(err("alert team winrate")).toMatch(/alert team winrate below 20%/);
    expect(err("alert team below 20%")).toMatch(/metric/);
    expect(err("unsubscribe everything")).toMatch(/unsubscribe S3/);
    expect(err("subscribe weekly org salse")).toMatch(/did you mean 'sales'/);
  });
});
