/**
 * Serves a logdir: loads it with LogdirLoader, which keeps tailing it, and
 * answers HTTP with the app of `app.ts`. The MNIST demo calls `serve` to show
 * the viewer while it trains; the command line calls it for `lensboard`.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createApp } from './app.js';
import { bindHostWant, isLoopbackBind } from './host-check.js';
import { describeError, silentLogger, type Logger } from './logger.js';
import { checkLogdirPath, LogdirLoader } from './logdir-loader.js';
import type { LogdirReader } from './model.js';
import type { SamplesPerPlugin } from './cli-options.js';

export interface ServeOptions {
  logdir: string;
  /** 6007 unless given; 0 picks a free port. */
  port?: number;
  /**
   * 127.0.0.1 unless given: the viewer is private to this machine unless asked
   * otherwise. Bound to loopback, it answers only requests whose Host is a
   * loopback name (see host-check.ts); bound to anything else, any Host.
   */
  host?: string;
  /** Seconds between reload passes; 5 unless given. */
  reloadIntervalSec?: number;
  /** Values kept per tag by kind; Infinity keeps all. Unlisted kinds keep the defaults. */
  samplesPerPlugin?: SamplesPerPlugin;
  /** Hide values a restarted writer logged again; true unless given, as in TensorBoard. */
  purgeOrphanedData?: boolean;
  logger?: Logger;
  /** The built viewer; defaults to `dist/plugin-frontend/` under the package root. */
  staticDir?: string;
}

export interface Serving {
  url: string;
  port: number;
  reader: LogdirReader;
  /** Ends live-update streams, stops reloading and closes the port. */
  close(): Promise<void>;
}

/** What kept the server from starting, for callers that advise differently on each. */
export type ServeFailure = 'logdir' | 'port-in-use' | 'port-forbidden' | 'host';

/** A reason the server could not start: bad logdir, host or port. Its message is for the user. */
export class ServeError extends Error {
  override readonly name = 'ServeError';

  constructor(
    message: string,
    readonly failure: ServeFailure,
  ) {
    super(message);
  }
}

export const DEFAULT_PORT = 6007;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_RELOAD_INTERVAL_SEC = 5;

export async function serve(options: ServeOptions): Promise<Serving> {
  checkOptions(options);
  const logdir = resolve(options.logdir);
  await checkLogdir(logdir);
  const logger = options.logger ?? silentLogger;
  const loader = createLoader(logdir, options, logger);
  const host = options.host ?? DEFAULT_HOST;
  const { app, events } = createApp({
    reader: loader,
    logger,
    staticDir: options.staticDir,
    loopbackOnly: isLoopbackBind(host),
  });
  const server = createServer(app);
  await listen(server, host, options.port ?? DEFAULT_PORT);

  // The first pass runs while the server already answers: routes serve
  // partial data with `loading: true` rather than a blank page.
  loader
    .start()
    .catch((error: unknown) => logger.error(`loading ${logdir}: ${describeError(error)}`));

  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  const close = () => {
    events.closeAll();
    closing ??= loader.close().then(() => closeServer(server));
    return closing;
  };
  return { url: urlOf(host, port), port, reader: loader, close };
}

/** Options from scripts get the same got/want errors as the command line's flags. */
function checkOptions(options: ServeOptions): void {
  const { host, port, reloadIntervalSec, samplesPerPlugin = {} } = options;
  // Checked before resolve(), which turns '' into the current directory.
  checkLogdirPath(options.logdir);
  // Checked before listen(), which takes '' for every interface.
  const want = host === undefined ? undefined : bindHostWant(host);
  if (want !== undefined)
    throw new RangeError(`invalid host: ${JSON.stringify(host)} (want ${want})`);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    throw new RangeError(`invalid port: ${port} (want an integer from 0 to 65535)`);
  }
  if (reloadIntervalSec !== undefined && !(reloadIntervalSec > 0 && reloadIntervalSec <= 86_400)) {
    throw new RangeError(
      `invalid reloadIntervalSec: ${reloadIntervalSec} (want seconds in (0, 86400])`,
    );
  }
  for (const [kind, count] of Object.entries(samplesPerPlugin)) {
    if (!(count === Infinity || (Number.isInteger(count) && count > 0))) {
      throw new RangeError(
        `invalid samplesPerPlugin.${kind}: ${count} (want a positive integer or Infinity)`,
      );
    }
  }
}

function createLoader(logdir: string, options: ServeOptions, logger: Logger): LogdirLoader {
  return new LogdirLoader(logdir, {
    reloadIntervalMs: (options.reloadIntervalSec ?? DEFAULT_RELOAD_INTERVAL_SEC) * 1000,
    capacity: options.samplesPerPlugin,
    purgeOrphanedData: options.purgeOrphanedData,
    logger,
  });
}

/** A missing or unreadable logdir is a mistake to report now, not an empty viewer later. */
export async function checkLogdir(logdir: string): Promise<void> {
  const info = await stat(logdir).catch(() => undefined);
  if (info === undefined) throw new ServeError(`logdir does not exist: ${logdir}`, 'logdir');
  if (!info.isDirectory()) throw new ServeError(`logdir is not a directory: ${logdir}`, 'logdir');
  try {
    await access(logdir, constants.R_OK | constants.X_OK);
  } catch {
    throw new ServeError(`logdir is not readable: ${logdir}`, 'logdir');
  }
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(listenError(error, host, port));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolvePromise();
    });
  });
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  const where = `port ${port} on ${host}`;
  const onHost = `cannot listen on host ${JSON.stringify(host)}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return new ServeError(
        `${where} is already in use (choose another port; 0 picks a free one)`,
        'port-in-use',
      );
    case 'EACCES':
      return new ServeError(
        `no permission to listen on ${where} (ports below 1024 need privileges)`,
        'port-forbidden',
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ServeError(`${onHost}: the name does not resolve`, 'host');
    case 'EADDRNOTAVAIL':
    case 'EINVAL':
      return new ServeError(`${onHost}: not an address of this machine`, 'host');
    default:
      return error;
  }
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolvePromise, reject) =>
    server.close((error) => (error ? reject(error) : resolvePromise())),
  );
}

/** The address to print: a wildcard bind is reached through localhost; IPv6 needs brackets. */
function urlOf(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}/`;
}
