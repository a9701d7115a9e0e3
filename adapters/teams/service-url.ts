// Where the bot may send: an activity's serviceUrl names the Bot Connector that replies, member
// lookups and stored references go to. Only Bot Framework's own hosts are trusted (public, US
// government and China clouds); anything else would carry our answers (and, in Azure mode, our
// app token) to whoever wrote the URL.
//
// Hosts from Microsoft's docs: Teams' service endpoints (smba.trafficmanager.net, the GCC, GCC High
// and DoD smba.infra hosts) and Bot Framework's channel domains (*.botframework.com, .us, .azure.cn).

export const SERVICE_HOSTS: readonly string[] = [
  "smba.trafficmanager.net",
  "smba.infra.gcc.teams.microsoft.com",
  "smba.infra.gov.teams.microsoft.us",
  "smba.infra.dod.teams.microsoft.us",
];

export const SERVICE_HOST_SUFFIXES: readonly string[] = [".botframework.com", ".botframework.us", ".botframework.azure.cn"];

/**
 * Whether the bot may send to this serviceUrl: https on a Bot Framework host (default port, no
 * credentials in the URL), or a host listed in `extraHosts` (host or host:port, any scheme; tests).
 *
 * @example
 * isAllowedServiceUrl("https://smba.trafficmanager.net/amer/", []) // => true
 * isAllowedServiceUrl("http://127.0.0.1:4000/attacker-collect", []) // => false
 * isAllowedServiceUrl("http://127.0.0.1:4000/", ["127.0.0.1:4000"]) // => true
 */
export function isAllowedServiceUrl(serviceUrl: unknown, extraHosts: readonly string[]): boolean {
  if (typeof serviceUrl !== "string" || serviceUrl.length > 2000) return false;
  let url: URL;
  try {
    url = new URL(serviceUrl);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol !== "https:" && url.protocol !== "http:") return false;
  const host = url.hostname.toLowerCase();
  if (extraHosts.includes(url.host.toLowerCase()) || extraHosts.includes(host)) return true;
  if (url.protocol !== "https:" || url.port !== "") return false;
  return SERVICE_HOSTS.includes(host) || SERVICE_HOST_SUFFIXES.some((s) => host.endsWith(s) && host.length > s.length);
}
