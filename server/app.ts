/**
 * Builds the Express app that serves a loaded logdir: the JSON and binary API
 * of `docs/http-api.md` under `/api`, live updates, and the built viewer.
 * Errors from every route are turned into responses here and nowhere else.
 */
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { loopbackHostsOnly } from './host-check.js';
import { HttpError } from './http-error.js';
import { describeError, silentLogger, type Logger } from './logger.js';
import type { LogdirReader } from './model.js';
import { sendJson } from './respond.js';
import { EventStreams, HEARTBEAT_MS } from './routes/events.js';
import { histogramsRoutes } from './routes/histograms.js';
import { imagesRoutes } from './routes/images.js';
import { runsRoutes } from './routes/runs.js';
import { scalarsRoutes } from './routes/scalars.js';
import { defaultStaticDir, staticRoutes } from './routes/static.js';
import { tensorsRoutes } from './routes/tensors.js';
import { textRoutes } from './routes/text.js';

export interface AppOptions {
  reader: LogdirReader;
  logger?: Logger;
  /** The built viewer; defaults to `dist/plugin-frontend/` under the package root. */
  staticDir?: string;
  heartbeatMs?: number;
  /**
   * Refuse requests whose Host is not a loopback name (DNS rebinding); for a
   * server bound to loopback. Off unless asked: only the caller knows the bind.
   */
  loopbackOnly?: boolean;
}

export interface LensboardApp {
  app: Express;
  /** The open `/api/events` streams; `closeAll()` ends them for shutdown. */
  events: EventStreams;
}

/**
 * Distinct server faults remembered so each is logged once at error level; a
 * client polling a broken file repeats the same one. The set is bounded.
 */
const MAX_REMEMBERED_PROBLEMS = 1000;

export function createApp(options: AppOptions): LensboardApp {
  const { reader, logger = silentLogger } = options;
  const events = new EventStreams(reader, options.heartbeatMs ?? HEARTBEAT_MS);
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', false);

  app.use(requestLog(logger), securityHeaders);
  if (options.loopbackOnly) app.use(loopbackHostsOnly);
  app.use(onlyGetAndHead);
  app.use(
    '/api',
    runsRoutes(reader),
    scalarsRoutes(reader),
    imagesRoutes(reader),
    histogramsRoutes(reader),
    textRoutes(reader),
    tensorsRoutes(reader),
    events.routes(),
    unknownApiRoute,
  );
  app.use(staticRoutes(options.staticDir ?? defaultStaticDir()), unknownPath);
  app.use(errorResponder(logger));
  return { app, events };
}

/** One line per request, at debug level only: the default log holds problems, not traffic. */
function requestLog(logger: Logger): RequestHandler {
  return function logRequest(req, res, next) {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      logger.debug(`${req.method} ${req.originalUrl} ${res.statusCode} ${ms.toFixed(1)} ms`);
    });
    next();
  };
}

const securityHeaders: RequestHandler = function securityHeaders(_req, res, next) {
  res.set({ 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' });
  next();
};

/**
 * Every path, API or viewer, is read-only. The check comes before the routers
 * because Express's routers answer OPTIONS on their own, with a plain-text
 * 200, for any path they hold a route for.
 */
const onlyGetAndHead: RequestHandler = function onlyGetAndHead(req, _res, next) {
  if (req.method === 'GET' || req.method === 'HEAD') {
    next();
    return;
  }
  next(
    new HttpError(405, `method not allowed: ${req.method} (lensboard answers GET and HEAD only)`),
  );
};

const unknownApiRoute: RequestHandler = function unknownApiRoute(req, _res, next) {
  next(HttpError.notFound(`unknown API route: ${req.path}`));
};

const unknownPath: RequestHandler = function unknownPath(req, _res, next) {
  next(HttpError.notFound(`not found: ${req.path}`));
};

function errorResponder(logger: Logger): ErrorRequestHandler {
  const logged = new Set<string>();
  return function respondWithError(error, req, res, _next) {
    const httpError = toHttpError(error);
    logProblem(logger, logged, httpError, `${req.method} ${req.originalUrl}`);
    if (res.headersSent) {
      res.end();
      return;
    }
    if (httpError.status === 405) res.set('Allow', 'GET, HEAD');
    const body = { error: { status: httpError.status, message: httpError.message } };
    sendJson(res, body, httpError.status);
  };
}

/**
 * Client errors are expected and logged at debug level; server faults are
 * logged once per distinct problem at error level, with their causes.
 */
function logProblem(logger: Logger, logged: Set<string>, error: HttpError, request: string): void {
  if (error.status < 500) {
    logger.debug(`${request}: ${error.status} ${error.message}`);
    return;
  }
  const problem = describeError(error);
  if (logged.has(problem)) {
    logger.debug(`${request}: ${error.status} ${problem} (logged before)`);
    return;
  }
  if (logged.size >= MAX_REMEMBERED_PROBLEMS) logged.clear();
  logged.add(problem);
  logger.error(`${request}: ${problem}`);
}

/**
 * Express and its static middleware raise errors with a `status` for bad
 * requests (an undecodable path); those keep their status. Anything else is
 * a fault whose details stay in the log, not in the response.
 */
function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new HttpError(status, (error as Error).message ?? 'bad request', { cause: error });
  }
  return new HttpError(500, 'internal server error', { cause: error });
}
