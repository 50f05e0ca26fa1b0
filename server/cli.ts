#!/usr/bin/env node
/**
 * The `lensboard` command: serve a logdir to the viewer, or export it. Flags
 * follow TensorBoard's names where it has one. Mistakes in the arguments and
 * reasons the server cannot start are one line on stderr with exit code 2;
 * SIGINT and SIGTERM close live streams and exit 0.
 */
import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import {
  formatSamples,
  parseBoolean,
  parseHost,
  parseLogdir,
  parsePort,
  parseSamplesPerPlugin,
  parseSeconds,
  type SamplesPerPlugin,
} from './cli-options.js';
import { exportLogdir } from './export.js';
import { createLogger, describeError } from './logger.js';
import { DEFAULT_CAPACITY } from './reservoir.js';
import {
  checkLogdir,
  DEFAULT_HOST,
  DEFAULT_PORT,
  DEFAULT_RELOAD_INTERVAL_SEC,
  serve,
  ServeError,
  type Serving,
} from './serve.js';

/**
 * Exit status for arguments that cannot work: bad flags, a missing logdir, a
 * host that is not this machine's, a taken port.
 */
const USAGE_EXIT = 2;
/**
 * Closing waits for the loader's pass in flight; a pass stuck on a dead
 * network mount must not hang the exit.
 */
const STOP_GRACE_MS = 5000;

interface ServeFlags {
  logdir?: string;
  port: number;
  host: string;
  reload_interval: number;
  samples_per_plugin: SamplesPerPlugin;
  purge_orphaned_data: boolean;
  verbose: boolean;
}

function buildProgram(): Command {
  const program = new Command('lensboard')
    .description(
      "Serve a TensorBoard logdir to lensboard's viewer: " +
        'per-neuron activations, class templates and workers.',
    )
    .enablePositionalOptions()
    .configureOutput({
      outputError: (text, write) => write(`lensboard: ${text.replace(/^error: /, '')}`),
    })
    .exitOverride()
    .addHelpText(
      'after',
      '\nExit status: 0 after SIGINT or SIGTERM; ' +
        '2 when the arguments, the logdir, the host or the port cannot be used.',
    );
  addServeOptions(program).action((flags: ServeFlags) => runServe(program, flags));
  program
    .command('export')
    .description('Print every run, tag and value of a logdir to stdout.')
    .requiredOption('--logdir <dir>', 'directory of TensorBoard event files', parseLogdir)
    .addOption(
      new Option('--format <format>', 'output format').choices(['json', 'csv']).default('json'),
    )
    .action((flags: { logdir: string; format: 'json' | 'csv' }) => runExport(flags));
  return program;
}

function addServeOptions(program: Command): Command {
  const samples = formatSamples(DEFAULT_CAPACITY);
  return (
    program
      // Not a commander requiredOption: that would also be demanded of `export`.
      .option(
        '--logdir <dir>',
        '(required) directory of TensorBoard event files; each directory holding one is a run',
        parseLogdir,
      )
      .option('--port <port>', 'port to listen on; 0 picks a free one', parsePort, DEFAULT_PORT)
      .option(
        '--host <host>',
        'address to bind; 0.0.0.0 serves other machines too. Bound to loopback, ' +
          'requests to names other than localhost, 127.x.x.x or [::1] are refused',
        parseHost,
        DEFAULT_HOST,
      )
      .option(
        '--reload_interval <seconds>',
        'seconds between reloads of the logdir',
        parseSeconds,
        DEFAULT_RELOAD_INTERVAL_SEC,
      )
      .addOption(
        new Option(
          '--samples_per_plugin <list>',
          'values kept per tag, as kind=count,...; 0 keeps all',
        )
          .argParser(parseSamplesPerPlugin)
          .default({}, samples),
      )
      .option(
        '--purge_orphaned_data <bool>',
        'hide values a restarted writer logged again (true|false)',
        parseBoolean,
        true,
      )
      .option('--verbose', 'log one line per request as well as problems', false)
  );
}

async function runServe(program: Command, flags: ServeFlags): Promise<void> {
  if (flags.logdir === undefined) program.error("required option '--logdir <dir>' not specified");
  // Only the URL line and problems are lost to a closed stdout or stderr
  // (`lensboard ... | head -1`, a terminal gone); the viewer goes on serving.
  onClosedPipe(process.stdout, () => {});
  onClosedPipe(process.stderr, () => {});
  const logger = createLogger(flags.verbose ? 'debug' : 'warn');
  const serving = await serve({
    logdir: flags.logdir,
    port: flags.port,
    host: flags.host,
    reloadIntervalSec: flags.reload_interval,
    samplesPerPlugin: flags.samples_per_plugin,
    purgeOrphanedData: flags.purge_orphaned_data,
    logger,
  });
  process.stdout.write(
    `lensboard is serving ${serving.reader.logdir} at ${serving.url} (Ctrl+C to stop)\n`,
  );
  stopOnSignals(serving);
}

/**
 * The first signal closes cleanly. Repeats are ignored: a terminal's Ctrl+C
 * reaches both tsx and this process, which would otherwise see it twice. A
 * close that hangs is cut short after STOP_GRACE_MS.
 */
function stopOnSignals(serving: Serving): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    setTimeout(
      () => fail(`still stopping ${STOP_GRACE_MS} ms after ${signal}; exiting`, 1),
      STOP_GRACE_MS,
    ).unref();
    serving.close().then(
      () => process.exit(0),
      (error: unknown) => fail(`error while stopping on ${signal}: ${describeError(error)}`, 1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function runExport(flags: { logdir: string; format: 'json' | 'csv' }): Promise<void> {
  // `lensboard export | head` closes the pipe once head has read its lines:
  // the reader has what it wanted, so the export ends with status 0, as it
  // would under `set -o pipefail` had it finished.
  onClosedPipe(process.stdout, () => process.exit(0));
  await checkLogdir(resolve(flags.logdir));
  const text = await exportLogdir(flags.logdir, { format: flags.format });
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/**
 * A write to a pipe whose reader has gone fails with EPIPE, which Node emits
 * as an 'error' event on the stream: unhandled, it ends the process with a
 * stack trace. `closed` runs instead; any other write error is reported.
 */
function onClosedPipe(stream: NodeJS.WriteStream, closed: () => void): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') closed();
    else
      fail(
        `cannot write to ${stream === process.stdout ? 'stdout' : 'stderr'}: ${error.message}`,
        1,
      );
  });
}

function fail(message: string, code: number): never {
  process.stderr.write(`lensboard: ${message}\n`);
  process.exit(code);
}

async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    // Commander has already printed its message; --help and --version end with code 0.
    if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : USAGE_EXIT);
    if (error instanceof ServeError) fail(error.message, USAGE_EXIT);
    fail(`internal error: ${describeError(error)}`, 1);
  }
}

await main(process.argv);
