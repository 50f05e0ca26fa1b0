/**
 * lensboard's server as a library (`lensboard/server`): serve a logdir from a
 * script, as the MNIST demo does while it trains, or build the HTTP app over
 * any LogdirReader.
 */
export {
  serve,
  ServeError,
  DEFAULT_HOST,
  DEFAULT_PORT,
  DEFAULT_RELOAD_INTERVAL_SEC,
  type ServeFailure,
  type ServeOptions,
  type Serving,
} from './serve.js';
export { createApp, type AppOptions, type LensboardApp } from './app.js';
export { createLogger, silentLogger, type Logger, type LogLevel } from './logger.js';
export { LogdirLoader, type LogdirLoaderOptions } from './logdir-loader.js';
export { exportLogdir, type ExportOptions } from './export.js';
export type { SamplesPerPlugin } from './cli-options.js';
export type * from './model.js';
