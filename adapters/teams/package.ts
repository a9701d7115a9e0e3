// The Teams app package: manifest.json (schema 1.17) naming the bot and its commands, a 192×192
// colour icon and a 32×32 white-on-transparent outline icon, zipped at the archive root.
import { createCanvas } from "canvas";
import { zip } from "./zip.ts";

export const MANIFEST_VERSION = "1.17";
export const PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000";
export const ACCENT = "#2F6FEB";

/** What the command menu offers (≤ 10; title ≤ 32 characters, description ≤ 128). */
export const COMMANDS: readonly { title: string; description: string }[] = [
  { title: "kpi me", description: "Your own standing this month (private)" },
  { title: "kpi team sales last-quarter", description: "A team's sales with flagged low and top performers, reasons and advice" },
  { title: "kpi rep", description: "One rep's figures, e.g. kpi rep li.wei@example.com winrate (managers: your reps)" },
  { title: "kpi top 5 sales q3", description: "The five best by sales in Q3" },
  { title: "kpi compare q2 vs q3", description: "Two periods side by side" },
  { title: "kpi org deals ytd", description: "The whole organisation, year to date (admins and top managers)" },
  { title: "kpi subscribe weekly team sales", description: "A weekly digest in this chat; kpi subscriptions lists them" },
  { title: "kpi alert team winrate below 20%", description: "A message when a metric crosses a threshold" },
  { title: "kpi metrics", description: "Every metric and how it is computed" },
  { title: "kpi help", description: "How to ask, in English or Chinese" },
];

export type PackageOptions = {
  /** The bot's Microsoft App ID (also the Teams app id unless appId is given). */
  botId: string;
  appId?: string | undefined;
  version: string;
  /** https base of the bot (PUBLIC_URL): its host becomes a valid domain. */
  publicUrl?: string | undefined;
  websiteUrl: string;
  privacyUrl: string;
  termsOfUseUrl: string;
  developerName: string;
};

/** manifest.json as an object. Pure. */
export function buildManifest(o: PackageOptions) {
  const scopes = ["personal", "team", "groupChat"];
  const host = o.publicUrl ? new URL(o.publicUrl).host : undefined;
  return {
    $schema: `https://developer.microsoft.com/en-us/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`,
    manifestVersion: MANIFEST_VERSION,
    version: o.version,
    id: o.appId ?? o.botId,
    developer: { name: o.developerName, websiteUrl: o.websiteUrl, privacyUrl: o.privacyUrl, termsOfUseUrl: o.termsOfUseUrl },
    name: { short: "kpi-bot", full: "kpi-bot: CRM performance in chat" },
    description: {
      short: "Sales, service and marketing KPIs with flags and advice",
      full:
        "Ask kpi-bot for a metric, a scope and a period (\"kpi team sales last-quarter\", or @kpi-bot in a channel). " +
        "It answers with the figures, changes against the previous period, a chart, the people flagged low or top with the reason " +
        "and a suggestion, and follow-up buttons. Figures about individual people are sent to you privately. " +
        "Digests and alerts arrive on a schedule. English and Chinese.",
    },
    icons: { color: "color.png", outline: "outline.png" },
    accentColor: ACCENT,
    bots: [
      {
        botId: o.botId,
        scopes,
        supportsFiles: false,
        isNotificationOnly: false,
        commandLists: [{ scopes, commands: COMMANDS.map((c) => ({ title: c.title, description: c.description })) }],
      },
    ],
    permissions: ["identity", "messageTeamMembers"],
    validDomains: host ? [host] : [],
  };
}

/** Three rising bars: the app's symbol, drawn in `colour` inside a size×size square, on whole pixels (crisp, no half-transparent edges). */
function bars(ctx: ReturnType<ReturnType<typeof createCanvas>["getContext"]>, x: number, y: number, size: number, colour: string): void {
  ctx.fillStyle = colour;
  const w = Math.round(size * 0.22);
  const gap = Math.floor((size - 3 * w) / 2);
  [0.45, 0.7, 1].forEach((h, i) => {
    const height = Math.round(size * h);
    ctx.fillRect(x + i * (w + gap), y + size - height, w, height);
  });
}

/** 192×192 colour icon: white bars on the accent colour, symbol in the central safe area. */
export function colorIcon(): Buffer {
  const canvas = createCanvas(192, 192);
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = ACCENT;
  ctx.fillRect(0, 0, 192, 192);
  bars(ctx, 48, 48, 96, "#FFFFFF");
  return canvas.toBuffer("image/png");
}

/** 32×32 outline icon: white bars on a transparent background, as Teams requires. */
export function outlineIcon(): Buffer {
  const canvas = createCanvas(32, 32);
  const ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, 32, 32);
  bars(ctx, 4, 4, 24, "#FFFFFF");
  return canvas.toBuffer("image/png");
}

/** The zip to upload to Teams (Apps → Manage your apps → Upload an app). */
export function buildTeamsPackage(o: PackageOptions): Buffer {
  return zip([
    { name: "manifest.json", data: Buffer.from(JSON.stringify(buildManifest(o), null, 2) + "\n") },
    { name: "color.png", data: colorIcon() },
    { name: "outline.png", data: outlineIcon() },
  ]);
}
