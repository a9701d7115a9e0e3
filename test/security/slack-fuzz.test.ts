// Fuzz (issue 12, Proof): signed random bodies into the real Bolt receiver over loopback — random
// JSON, random forms, random `payload`s, random block_actions, slash commands and events with
// fields of the wrong shape. The process survives every one and each gets a 2xx or 4xx (never a
// 5xx: malformed input is not a server error). KPI_FUZZ_SLACK_RUNS sets the count (default 300).
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { send, signedShare, slashCommand, startHarness, TEAM_CHANNEL, type Harness } from "../slack/support/harness.ts";

const RUNS = Number(process.env.KPI_FUZZ_SLACK_RUNS ?? 300);

let H: Harness;
const rejections: unknown[] = [];
const record = (e: unknown) => void rejections.push(e);
beforeAll(async () => {
  process.on("unhandledRejection", record);
  H = await startHarness();
});
afterAll(async () => {
  process.off("unhandledRejection", record);
  await H?.stop();
});

/** Anything, including the shapes Bolt trips over (null, arrays, strings where objects go). */
const anything = fc.jsonValue({ maxDepth: 3 });
/** Mostly the right shape (so requests get through to Bolt and the listeners), sometimes anything. */
const maybe = <T,>(a: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: a, weight: 40 }, { arbitrary: anything, weight: 1 }, { arbitrary: fc.constant(undefined), weight: 1 });
const userId = fc.oneof({ arbitrary: fc.constantFrom("UMIA", "UANN", "UADA", "UNOBODY"), weight: 10 }, { arbitrary: fc.constantFrom("", "U" + "X".repeat(300)), weight: 1 });
const text = fc.oneof(fc.constantFrom("team alpha sales q3-2026", "me", "help", "subscribe weekly team alpha", "<@UANN> sales", ""), fc.string({ maxLength: 200 }));

type Case = { body: string; contentType: string };
const json = (v: unknown): Case => ({ body: JSON.stringify(v) ?? "null", contentType: "application/json" });
const form = (fields: Record<string, unknown>): Case => ({
  body: new URLSearchParams(Object.entries(fields).flatMap(([k, v]) => (v === undefined ? [] : [[k, typeof v === "string" ? v : JSON.stringify(v) ?? ""] as [string, string]]))).toString(),
  contentType: "application/x-www-form-urlencoded",
});

const responseUrl = fc.oneof(
  { arbitrary: fc.constant("fake").map(() => H.fake.responseUrl("UMIA")), weight: 8 },
  { arbitrary: fc.constantFrom("http://127.0.0.1:1/attacker-collect", "https://hooks.slack.com/x", "not a url", ""), weight: 1 },
  { arbitrary: anything, weight: 1 },
);

const action = fc.record(
  {
    type: maybe(fc.constantFrom("button", "static_select")),
    action_id: maybe(fc.constantFrom("kpi_share", "kpi_run_0", "kpi_run_12", "other", "kpi_run_x")),
    block_id: maybe(fc.string({ maxLength: 10 })),
    value: maybe(fc.oneof(text, fc.constant(signedShare("UMIA", "team alpha sales q3-2026")))),
  },
);

const blockActions = fc
  .record(
    {
      type: maybe(fc.constant("block_actions")),
      user: maybe(fc.record({ id: maybe(userId), team_id: maybe(fc.constant("T0001")) })),
      team: maybe(fc.record({ id: maybe(fc.constant("T0001")) })),
      channel: maybe(fc.record({ id: maybe(fc.constantFrom(TEAM_CHANNEL, "DUMIA", "x")) })),
      container: maybe(fc.record({ type: maybe(fc.constant("message")), channel_id: maybe(fc.constant(TEAM_CHANNEL)) })),
      actions: maybe(fc.array(action, { minLength: 1, maxLength: 3 })),
      response_url: responseUrl,
    }
  )
  .map((payload) => form({ payload }));

const command = fc
  .record(
    {
      command: maybe(fc.constantFrom("/kpi", "/other")),
      text: maybe(text),
      user_id: maybe(userId),
      channel_id: maybe(fc.constantFrom(TEAM_CHANNEL, "D1")),
      team_id: maybe(fc.constant("T0001")),
      response_url: responseUrl,
      is_enterprise_install: maybe(fc.constantFrom("true", "false")),
    }
  )
  .map(form);

const event = fc
  .record(
    {
      type: maybe(fc.constantFrom("event_callback", "event_callback", "url_verification", "app_rate_limited")),
      challenge: maybe(fc.string({ maxLength: 20 })),
      event: maybe(
        fc.record(
          { type: maybe(fc.constantFrom("app_home_opened", "message", "app_mention")), user: maybe(userId), tab: maybe(fc.constantFrom("home", "messages")), channel: maybe(fc.constant("DUMIA")), item: maybe(fc.constant({})) }
        ),
      ),
      authorizations: maybe(fc.array(fc.record({ team_id: maybe(fc.constant("T0001")) }), { maxLength: 2 })),
    }
  )
  .map(json);

const randomJson = anything.map(json);
const randomForm = fc.dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 40 }), { maxKeys: 6 }).map(form);
const randomPayload = anything.map((payload) => form({ payload }));
const rawBytes = fc.tuple(fc.string({ unit: "binary", maxLength: 300 }), fc.constantFrom("application/json", "application/x-www-form-urlencoded", "text/plain", "application/json; charset=utf-8")).map(([body, contentType]): Case => ({ body, contentType }));

const slackBody = fc.oneof(
  { arbitrary: blockActions, weight: 4 },
  { arbitrary: command, weight: 3 },
  { arbitrary: event, weight: 2 },
  { arbitrary: randomJson, weight: 2 },
  { arbitrary: randomForm, weight: 2 },
  { arbitrary: randomPayload, weight: 2 },
  { arbitrary: rawBytes, weight: 1 },
);

describe(`Slack over HTTP under ${RUNS} signed random requests`, () => {
  it("answers each with a 2xx or 4xx, never a 5xx, and keeps serving", async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(slackBody, async ({ body, contentType }) => {
        // An answer that never comes (a request lost inside the receiver) fails here, not as a suite timeout.
        const res = await send(H.base, body, { contentType, timeoutMs: 10_000 });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status, `${contentType} ${body.slice(0, 300)}`).toBeGreaterThanOrEqual(200);
        expect(res.status, `${contentType} ${body.slice(0, 300)}`).toBeLessThan(500);
      }),
      { numRuns: RUNS },
    );
    // Both kinds of answer happened: the fuzz reached Bolt, and the gate refused.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(rejections).toEqual([]);
    expect(H.logs.filter((l) => /unhandled error|unexpected error/i.test(String(l.data.message ?? "")))).toEqual([]);
    // Still serving a real command afterwards.
    const body = slashCommand(H.fake, "UMIA", "team alpha sales q3-2026");
    expect((await send(H.base, body)).status).toBe(200);
    const id = Number(String(new URLSearchParams(body).get("response_url")).split("/").pop());
    await H.fake.waitFor(() => H.fake.responses.find((r) => r.id === id));
  }, 600_000);
});
