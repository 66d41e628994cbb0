// Docker HEALTHCHECK (and any process manager): exit 0 when GET /health answers 200, else 1.
// Plain JavaScript on node's own fetch, so the image needs neither curl nor a TypeScript loader.
const port = process.env.HEALTH_PORT;
if (!port) {
  console.error('HEALTH_PORT is not set: the bot serves no health endpoint to check.');
  process.exit(1);
}
try {
  const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(4000) });
  if (res.status !== 200) console.error(`unhealthy (${res.status}): ${await res.text()}`);
  process.exit(res.status === 200 ? 0 : 1);
} catch (err) {
  console.error(`no answer from the health endpoint on port ${port}: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
