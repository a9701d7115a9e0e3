// Bench case: Slack HTTP mode under a burst. The real bot runs as its own process
// (`adapters/main.ts`, Slack adapter, PostgreSQL with the demo CRM) against the fake Slack Web API
// in this process; signed slash commands go in `concurrency` at a time. Reported per level: the
// ack (HTTP 200 to Slack, which gives up at 3 s) and the answer (its arrival at response_url),
// p50/p95, answers per second, and how many were refused as busy or never answered.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import pg from "pg";
import { openDatabase } from "../src/data/db.ts";
import { DEMO_MANAGER_EMAIL, seedDemo } from "../src/data/seed/demo.ts";
import { startFakeSlack, type FakeSlack } from "../test/slack/support/fake-slack.ts";
import { percentile, type Case } from "./harness.ts";
import { createHmac } from "node:crypto";

const SECRET = "bench-signing-secret-0123456789abcdef";
const USER = "U0BENCHMGR";
const NOW = "2026-11-26T12:00:00Z";
const root = path.resolve(import.meta.dirname, "..");

export type LoadOptions = {
  /** PostgreSQL server URL (any database); the bench uses its own database `kpi_load_bench` there. */
  serverUrl: string;
  levels: number[];
  commands: number;
  text?: string;
  env?: Record<string, string>;
  log?: (s: string) => void;
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

/** A database with the demo CRM, created once and kept between runs. */
async function demoDatabase(serverUrl: string): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const exists = await admin.query(`SELECT 1 FROM pg_database WHERE datname = 'kpi_load_bench'`);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE kpi_load_bench`);
  } finally {
    await admin.end();
  }
  const u = new URL(serverUrl);
  u.pathname = "/kpi_load_bench";
  const url = u.toString();
  const db = await openDatabase({ kind: "postgres", url });
  try {
    if ((await db.prisma.user.count({ where: { email: DEMO_MANAGER_EMAIL } })) === 0) await seedDemo(db, { now: new Date(NOW) });
  } finally {
    await db.close();
  }
  return url;
}

function signed(body: string): Record<string, string> {
  const ts = String(Math.floor(Date.now() / 1000));
  return {
    "content-type": "application/x-www-form-urlencoded",
    "x-slack-request-timestamp": ts,
    "x-slack-signature": "v0=" + createHmac("sha256", SECRET).update(`v0:${ts}:${body}`).digest("hex"),
  };
}

async function startBot(dbUrl: string, fake: FakeSlack, extraEnv: Record<string, string>): Promise<{ base: string; child: ChildProcess; stop(): Promise<void> }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env, DATABASE_URL: dbUrl, KPI_NOW: NOW, LOG_LEVEL: "error", PORT: String(port), KPI_ADAPTERS: "slack",
    SLACK_BOT_TOKEN: "xoxb-bench", SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, ...extraEnv,
  };
  delete env.SLACK_APP_TOKEN;
  const child = spawn(process.execPath, ["--import", "tsx", "adapters/main.ts"], { cwd: root, env, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the bot exited (${child.exitCode}): ${stderr}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`the bot did not start within 60 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base, child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 25_000).unref();
      }),
  };
}

type Sample = { ack: number; answer: number | null; status: number; busy: boolean };

/** `commands` signed slash commands, `concurrency` in flight; waits for every answer (or 20 s). */
async function burst(base: string, fake: FakeSlack, text: string, commands: number, concurrency: number): Promise<{ samples: Sample[]; wallMs: number }> {
  const pending = new Map<string, number>();
  const samples: Sample[] = [];
  let next = 0;
  const t0 = performance.now();
  const one = async () => {
    const responseUrl = fake.responseUrl(USER);
    const body = new URLSearchParams({
      token: "x", team_id: "T0001", team_domain: "acme", channel_id: "C0BENCH", channel_name: "bench", user_id: USER, user_name: "mgr",
      command: "/kpi", text, api_app_id: "A0KPI", is_enterprise_install: "false", response_url: responseUrl, trigger_id: "1.2.3",
    }).toString();
    const start = performance.now();
    pending.set(responseUrl, start);
    const r = await fetch(`${base}/slack/events`, { method: "POST", headers: signed(body), body });
    const ackBody = await r.text();
    const ack = performance.now() - start;
    // The answer is the first message at this command's response_url.
    const id = Number(new URL(responseUrl).pathname.split("/").pop());
    const deadline = performance.now() + 20_000;
    let answer: number | null = null;
    let busy = false;
    while (performance.now() < deadline) {
      const got = fake.responses.find((x) => x.id === id);
      if (got) {
        answer = got.at - start;
        busy = /busy/i.test(JSON.stringify(got.body));
        break;
      }
      await new Promise((res) => setTimeout(res, 5));
    }
    samples.push({ ack, answer, status: r.status, busy: busy || /busy/i.test(ackBody) });
  };
  const workers = Array.from({ length: concurrency }, async () => {
    while (next < commands) {
      next++;
      await one();
    }
  });
  await Promise.all(workers);
  return { samples, wallMs: performance.now() - t0 };
}

export async function slackLoadCases(o: LoadOptions): Promise<Case[]> {
  const log = o.log ?? (() => {});
  const text = o.text ?? "team sales last-quarter";
  const dbUrl = await demoDatabase(o.serverUrl);
  const fake = await startFakeSlack();
  fake.emails.set(USER, DEMO_MANAGER_EMAIL);
  const bot = await startBot(dbUrl, fake, o.env ?? {});
  const cases: Case[] = [];
  try {
    await burst(bot.base, fake, text, 10, 1); // warm-up: identity link, caches, Chart.js, JIT
    for (const level of o.levels) {
      const { samples, wallMs } = await burst(bot.base, fake, text, o.commands, level);
      const acks = samples.map((s) => s.ack).sort((a, b) => a - b);
      const answered = samples.filter((s) => s.answer !== null && !s.busy);
      const answers = answered.map((s) => s.answer!).sort((a, b) => a - b);
      const busy = samples.filter((s) => s.busy).length;
      const lost = samples.filter((s) => s.answer === null).length;
      const bad = samples.filter((s) => s.status !== 200).length;
      const note = `answers p50 ${fmt(percentile(answers, 0.5))} p95 ${fmt(percentile(answers, 0.95))} ms · ${((answered.length / wallMs) * 1000).toFixed(1)} answers/s · busy ${busy} · unanswered ${lost} · non-200 ${bad}`;
      log(`slack burst ×${level}: ack p50 ${fmt(percentile(acks, 0.5))} p95 ${fmt(percentile(acks, 0.95))} ms; ${note}`);
      cases.push({
        name: `slack HTTP: ${o.commands} \`/kpi ${text}\`, ${level} in flight — ack`,
        n: acks.length, p50_ms: round(percentile(acks, 0.5)), p95_ms: round(percentile(acks, 0.95)),
        rss_mb: Math.round(process.memoryUsage().rss / 1e6), note,
      });
      cases.push({
        name: `slack HTTP: ${o.commands} \`/kpi ${text}\`, ${level} in flight — answer`,
        n: answers.length, p50_ms: round(percentile(answers, 0.5)), p95_ms: round(percentile(answers, 0.95)),
        rss_mb: Math.round(process.memoryUsage().rss / 1e6),
      });
    }
  } finally {
    await bot.stop();
    await fake.close();
  }
  return cases;
}

const round = (x: number) => Math.round(x * 100) / 100;
const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : "–");
