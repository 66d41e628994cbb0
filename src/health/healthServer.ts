import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.js';
import { ConfigError } from '../model/errors.js';
import type { HealthReport } from './healthReport.js';

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/**
 * `GET /health` → the report as JSON: 200 when ok, 503 otherwise (unhealthy or stopping), so
 * Docker's HEALTHCHECK and process managers need no JSON parsing. Nothing else is served.
 */
export async function startHealthServer(options: { port: number; host: string; report: () => HealthReport; logger: Logger }): Promise<HealthServer> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://health').pathname;
    if (path !== '/health') return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try GET /health\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
    const report = options.report();
    const body = JSON.stringify(report);
    res.writeHead(report.status === 'ok' ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  // Nothing is read from the requests: a slow or idle client must not hold a socket for long.
  server.requestTimeout = 5000;
  server.headersTimeout = 5000;
  server.keepAliveTimeout = 1000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => resolve());
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new ConfigError(`HEALTH_PORT ${options.port} is already in use. Stop the other process or pick another port.`);
    throw new ConfigError(`The health endpoint could not listen on ${options.host}:${options.port} (${code ?? (err as Error).message}). Check HEALTH_HOST and HEALTH_PORT.`);
  }
  const { port } = server.address() as AddressInfo;
  options.logger.info({ host: options.host, port }, 'health endpoint listening at /health');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
