/**
 * Who works at the demo company: teams, people, and the few whose numbers tell a story (a star,
 * a rep with a clearly low win rate, a recent joiner, a slow service agent). Pure data.
 */
import { DEMO_EMAIL_DOMAIN } from "./markers.ts";

export const DEMO_ADMIN_EMAIL = `admin@${DEMO_EMAIL_DOMAIN}`;
/** Manages the East sales team (six reps, one of them the low performer). */
export const DEMO_MANAGER_EMAIL = `daniel.brooks@${DEMO_EMAIL_DOMAIN}`;
/** An ordinary East rep, linked to Slack and Teams. */
export const DEMO_REP_EMAIL = `emily.carter@${DEMO_EMAIL_DOMAIN}`;

/** Story roles: each makes one kind of insight visible in the demo. */
export type Story =
  | "star" // top of APAC on won revenue and win rate
  | "low" // East: win rate far below the team (robust z ≤ −2)
  | "recent" // joined ~6 weeks before now, few deals
  | "slow"; // service agent: slow responses, lower CSAT (Service APAC as a whole is the low team)

export type PersonPlan = {
  name: string;
  /** Local part of the email, e.g. "wang.fang" for 王芳. */
  login: string;
  timezone: string;
  locale: "en" | "zh-CN";
  story?: Story;
  /** Days employed before `now`; drawn at random when absent. */
  tenureDays?: number;
};

export type SalesTeamPlan = {
  name: string;
  /** Scales typical deal size for the team's market. */
  dealScale: number;
  manager: PersonPlan;
  reps: PersonPlan[];
};

const NY = "America/New_York";
const LA = "America/Los_Angeles";
const LDN = "Europe/London";
const SH = "Asia/Shanghai";

const en = (name: string, timezone: string, extra: Partial<PersonPlan> = {}): PersonPlan => ({
  name,
  login: name.toLowerCase().replace(/\s+/g, "."),
  timezone,
  locale: "en",
  ...extra,
});
const zh = (name: string, login: string, extra: Partial<PersonPlan> = {}): PersonPlan => ({
  name,
  login,
  timezone: SH,
  locale: "zh-CN",
  ...extra,
});

export const SALES_ORG = { name: "Sales", head: en("Olivia Bennett", NY, { tenureDays: 2100 }) };

export const SALES_TEAMS: readonly SalesTeamPlan[] = [
  {
    name: "East",
    dealScale: 1.1,
    manager: en("Daniel Brooks", NY, { tenureDays: 1900 }),
    reps: [
      en("Emily Carter", NY),
      en("Michael Reed", NY),
      en("Sarah Collins", NY),
      en("James Turner", NY, { story: "low" }),
      en("Jessica Hayes", NY),
      en("Ryan Foster", NY),
    ],
  },
  {
    name: "West",
    dealScale: 1.05,
    manager: en("Laura Kim", LA, { tenureDays: 1500 }),
    reps: [
      en("Kevin Nguyen", LA),
      en("Ashley Morgan", LA),
      en("Brandon Lee", LA),
      en("Megan Price", LA, { tenureDays: 420 }),
      en("Tyler Scott", LA, { story: "recent", tenureDays: 42 }),
    ],
  },
  {
    name: "North",
    dealScale: 1.0,
    manager: en("Oliver Hughes", LDN, { tenureDays: 1700 }),
    reps: [
      en("Charlotte Evans", LDN),
      en("George Walsh", LDN),
      en("Amelia Clarke", LDN),
      en("Harry Patel", LDN),
      en("Sophie Wright", LDN),
    ],
  },
  {
    name: "APAC",
    dealScale: 0.85,
    manager: zh("陈静", "chen.jing", { tenureDays: 1600 }),
    reps: [
      zh("王芳", "wang.fang", { story: "star" }),
      zh("李伟", "li.wei"),
      zh("刘洋", "liu.yang"),
      zh("赵敏", "zhao.min"),
      zh("黄磊", "huang.lei", { tenureDays: 270 }),
      zh("周婷", "zhou.ting"),
    ],
  },
];

export const SERVICE_TEAM = {
  name: "Service",
  manager: en("Hannah Wilson", NY, { tenureDays: 1400 }),
  agents: [en("Lucas Martin", NY, { story: "slow" }), en("Priya Shah", LDN), zh("孙丽", "sun.li"), en("Ethan Young", NY)],
};

/**
 * A second service team with a story of its own (generated from streams of its own, so the rest
 * of the demo is unchanged by it): lower CSAT, slower answers and a growing backlog — the team
 * `/kpi org csat by team` finds.
 */
export const SERVICE_APAC_TEAM = {
  name: "Service APAC",
  manager: zh("郭强", "guo.qiang", { tenureDays: 900 }),
  agents: [zh("马超", "ma.chao"), zh("林娜", "lin.na"), zh("何军", "he.jun")],
};

export const MARKETING_TEAM = {
  name: "Marketing",
  manager: en("Natalie Ross", NY, { tenureDays: 1300 }),
  members: [en("Chloe Adams", LDN), zh("吴昊", "wu.hao")],
};

export const ADMINS: readonly PersonPlan[] = [
  { name: "Demo Admin", login: "admin", timezone: "UTC", locale: "en", tenureDays: 1800 },
  en("Grace Liu", SH, { tenureDays: 1200 }),
];

/** Standard-time UTC offset in hours, to place working hours (DST is ignored: it is demo data). */
export const UTC_OFFSET_HOURS: Readonly<Record<string, number>> = {
  UTC: 0,
  [NY]: -5,
  [LA]: -8,
  [LDN]: 0,
  [SH]: 8,
};

export function emailOf(p: PersonPlan): string {
  return `${p.login}@${DEMO_EMAIL_DOMAIN}`;
}

export const CUSTOMER_WORDS = {
  en: {
    first: ["Northwind", "Contoso", "Fabrikam", "Blue Harbor", "Summit", "Pioneer", "Lakeside", "Granite", "Redwood", "Brightline", "Ironwood", "Silverlake", "Cobalt", "Maple Leaf", "Harbor Point", "Evergreen"],
    second: ["Logistics", "Health", "Foods", "Systems", "Energy", "Retail", "Bank", "Labs", "Manufacturing", "Media", "Insurance", "Analytics"],
  },
  zh: {
    first: ["华信", "金石", "东方", "恒达", "新元", "博远", "天合", "瑞丰", "嘉禾", "远航", "盛世", "海川"],
    second: ["科技", "物流", "制造", "贸易", "医疗", "软件", "能源", "食品"],
  },
} as const;

export const CAMPAIGN_CHANNELS = [
  // channel, weight, median spend (dollars), cost per lead (dollars), duration in days [min, max]
  { channel: "email", weight: 3, spend: 2_500, costPerLead: 25, days: [10, 30] },
  { channel: "paid_search", weight: 3, spend: 15_000, costPerLead: 120, days: [30, 60] },
  { channel: "social", weight: 2, spend: 8_000, costPerLead: 90, days: [21, 45] },
  { channel: "event", weight: 1, spend: 30_000, costPerLead: 250, days: [1, 3] },
  { channel: "webinar", weight: 2, spend: 3_000, costPerLead: 40, days: [1, 1] },
  { channel: "content", weight: 1, spend: 6_000, costPerLead: 60, days: [45, 90] },
] as const;

export const CAMPAIGN_THEMES = [
  "Forecasting 101",
  "Pipeline Health Check",
  "Customer Success Summit",
  "Year-End Push",
  "Spring Launch",
  "Partner Roadshow",
  "Data-Driven Selling",
  "Retention Playbook",
  "APAC Growth Forum",
  "Quarterly Product Update",
];
