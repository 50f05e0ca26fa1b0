/**
 * Runs lensboard's Express app on a loopback port for in-process HTTP tests,
 * with a logger whose lines the test can read.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type LensboardApp } from '../../server/app.js';
import { createLogger, type LogLevel } from '../../server/logger.js';
import type { LogdirReader } from '../../server/model.js';

export interface TestServer {
  base: string;
  app: LensboardApp;
  logs: string[];
  close(): Promise<void>;
}

export async function startTestServer(
  reader: LogdirReader,
  options: { staticDir?: string; heartbeatMs?: number; logLevel?: LogLevel } = {},
): Promise<TestServer> {
  const logs: string[] = [];
  const logger = createLogger(options.logLevel ?? 'info', (line) => logs.push(line));
  const app = createApp({ reader, logger, ...options });
  const server = createServer(app.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, app, logs, close: () => closeServer(server, app) };
}

function closeServer(server: Server, app: LensboardApp): Promise<void> {
  app.events.closeAll();
  server.closeAllConnections();
  return new Promise((resolve, reject) =>
    server.close((error) => (error ? reject(error) : resolve())),
  );
}

/** Fetches a JSON route and returns status and parsed body. */
export async function getJson(url: string): Promise<{ status: number; body: any }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

/** The first reload pass runs after serve() resolves; tests that count values wait for it. */
export async function waitUntilLoaded(url: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if ((await getJson(`${url}api/runs`)).body.loading === false) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} still loading after 200 polls`);
}
