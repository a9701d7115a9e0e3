// npm run teams:package [-- --out dist/kpi-bot-teams.zip --developer "Acme IT" --website https://… --privacy https://… --terms https://…]
// Writes the Teams app package (manifest.json + icons) for Apps → Manage your apps → Upload an app.
// The bot id comes from MICROSOFT_APP_ID (a placeholder without it); PUBLIC_URL's host becomes a
// valid domain and the default for the developer links.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { buildTeamsPackage, COMMANDS, PLACEHOLDER_ID } from "../adapters/teams/package.ts";
import { runMain, UsageError } from "../src/cli.ts";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const httpsUrl = (name: string, value: string) => {
  try {
    if (new URL(value).protocol === "https:") return value;
  } catch {
    // fall through
  }
  throw new UsageError(`${name} must be an https:// URL (Teams requires it), got '${value}'`);
};

await runMain(async () => {
  const { values } = parseArgs({
    options: {
      out: { type: "string", default: "dist/kpi-bot-teams.zip" },
      developer: { type: "string", default: "kpi-bot" },
      website: { type: "string" },
      privacy: { type: "string" },
      terms: { type: "string" },
    },
    allowPositionals: false,
  });
  const env = process.env;
  const botId = env.MICROSOFT_APP_ID?.trim() || PLACEHOLDER_ID;
  if (!GUID.test(botId)) throw new UsageError(`MICROSOFT_APP_ID must be a GUID, got '${botId}'`);
  const appId = env.TEAMS_APP_ID?.trim() || undefined;
  if (appId && !GUID.test(appId)) throw new UsageError(`TEAMS_APP_ID must be a GUID, got '${appId}'`);
  const publicUrl = env.PUBLIC_URL?.trim() ? httpsUrl("PUBLIC_URL", env.PUBLIC_URL.trim()) : undefined;
  const site = values.website ? httpsUrl("--website", values.website) : publicUrl ?? "https://example.com/kpi-bot";
  const pkg = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as { version: string };

  const zip = buildTeamsPackage({
    botId,
    appId,
    version: pkg.version,
    publicUrl,
    developerName: values.developer!,
    websiteUrl: site,
    privacyUrl: values.privacy ? httpsUrl("--privacy", values.privacy) : site,
    termsOfUseUrl: values.terms ? httpsUrl("--terms", values.terms) : site,
  });
  const out = path.resolve(values.out!);
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, zip);

  console.log(`wrote ${path.relative(process.cwd(), out)} (${zip.length} bytes): manifest.json, color.png, outline.png; ${COMMANDS.length} commands`);
  if (botId === PLACEHOLDER_ID) console.warn("warning: MICROSOFT_APP_ID is not set: the manifest names a placeholder bot id; set it and run again before uploading");
  if (!publicUrl) console.warn("warning: PUBLIC_URL is not set: no valid domain listed (chart images load from PUBLIC_URL)");
  if (!values.website && !publicUrl) console.warn("warning: the developer links are placeholders; pass --website/--privacy/--terms");
});
