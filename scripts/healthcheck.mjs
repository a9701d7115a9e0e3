// The container's HEALTHCHECK: exit 0 when GET /healthz on this host's PORT answers 200 within 4 s.
// Plain Node (the slim image has no curl); `node scripts/healthcheck.mjs`.
const port = process.env.PORT || "3000";
try {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(4000) });
  process.exit(res.status === 200 ? 0 : 1);
} catch {
  process.exit(1);
}
