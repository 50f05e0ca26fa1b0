/**
 * `npm start`: trains MNIST across worker processes, logs every worker and the
 * combined model under `./runs`, and serves the viewer on it while training
 * and after. With no flags it runs the demo's two jobs on two workers that
 * each see half of the classes: CNN experts combined by a trained layer, then
 * a linear model trained by federated averaging.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CommanderError } from 'commander';
import { serve, ServeError, type Serving } from '../../server/index.js';
import { runJob, type JobResult } from './coordinator.js';
import { parseFlags, plannedJobs, type Flags } from './flags.js';
import { JobInterrupted, type Progress } from './job-context.js';
import { jobOptions, type JobSettings } from './job-options.js';
import { ProgressBar } from './progress.js';
import { backendModule, quietTfjsAdvice } from './tf.js';

/** A run directory name not used before: launches never write into an old run. */
function freshRunName(logdir: string, settings: JobSettings): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const base = `${stamp}-${settings.model}-${settings.mode}`;
  let name = base;
  for (let n = 2; existsSync(path.join(logdir, name)); n++) name = `${base}-${n}`;
  return name;
}

/**
 * The viewer is a convenience: when it cannot start (its port is taken, most
 * often) the job trains and logs all the same, and says how to get it next time.
 */
async function startViewer(flags: Flags): Promise<Serving | null> {
  if (!flags.serve) return null;
  try {
    const serving = await serve({ logdir: flags.logdir, port: flags.port, host: flags.host });
    console.log(`lensboard viewer: ${serving.url}`);
    return serving;
  } catch (error) {
    console.error(`viewer not started: ${(error as Error).message}`);
    console.error(`training goes on without the viewer; next time ${viewerAdvice(error)}`);
    return null;
  }
}

/** What to change for the viewer to start, by what stopped it. */
function viewerAdvice(error: unknown): string {
  const skip = 'skip the viewer with --no-serve';
  switch (error instanceof ServeError ? error.failure : undefined) {
    case 'port-in-use':
      return `choose another port with --port N, or ${skip}`;
    case 'port-forbidden':
      return `choose a port from 1024 up with --port N, or ${skip}`;
    case 'host':
      return `give an address of this machine with --host (such as 127.0.0.1), or ${skip}`;
    default:
      return skip;
  }
}

async function trainAll(flags: Flags, signal: AbortSignal): Promise<JobResult[]> {
  const results: JobResult[] = [];
  for (const settings of plannedJobs(flags)) {
    const options = jobOptions({ ...settings, run: freshRunName(flags.logdir, settings) });
    const bar = new ProgressBar(`${options.model}/${options.mode}`);
    try {
      const hooks = {
        onProgress: (p: Progress) => bar.update(p),
        onPhase: (d: string) => bar.phase(d),
      };
      results.push(await runJob(options, { ...hooks, signal }));
    } finally {
      bar.stop();
    }
    const { test, seconds, runDir } = results[results.length - 1];
    console.log(
      `${options.model} ${options.mode}: test accuracy ${(test.accuracy * 100).toFixed(2)}% ` +
        `on ${10_000} images, ${seconds.toFixed(0)} s, logged to ${runDir}`,
    );
  }
  return results;
}

type StopSignal = 'SIGINT' | 'SIGTERM';

/** 128 plus the signal's number: what shells and supervisors read as "stopped by it". */
const SIGNAL_EXIT: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Resolves on the first SIGINT or SIGTERM, having aborted with the signal's
 * name as the reason; a second one ends the process at once.
 */
function onInterrupt(abort: AbortController): Promise<void> {
  return new Promise((resolve) => {
    const handler = (signal: StopSignal) => {
      if (abort.signal.aborted) process.exit(SIGNAL_EXIT[signal]);
      abort.abort(signal);
      resolve();
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
}

/** Which tfjs computes, said once for the job: every process keeps tfjs's own advice quiet. */
function backendSummary(): string {
  return backendModule === '@tensorflow/tfjs-node'
    ? 'tfjs: native backend (@tensorflow/tfjs-node)'
    : 'tfjs: pure-JavaScript backend (@tensorflow/tfjs; ' +
        '@tensorflow/tfjs-node would train faster where it installs)';
}

/** The checked flags; on a mistake commander has printed it, and the process exits. */
function flagsOrExit(argv: string[]): Flags {
  try {
    return parseFlags(argv);
  } catch (error) {
    if (error instanceof CommanderError) process.exit(error.exitCode);
    throw error;
  }
}

async function main(): Promise<void> {
  const flags = flagsOrExit(process.argv);
  quietTfjsAdvice();
  console.log(
    `${backendSummary()}; ${flags.workers} workers, logs in ${path.resolve(flags.logdir)}`,
  );
  const viewer = await startViewer(flags);
  const abort = new AbortController();
  const interrupted = onInterrupt(abort);
  try {
    await trainAll(flags, abort.signal);
    if (viewer && !abort.signal.aborted) {
      console.log(`training done; the viewer stays at ${viewer.url} (Ctrl-C to stop)`);
      await interrupted;
    }
  } catch (error) {
    if (error instanceof JobInterrupted) {
      const signal = abort.signal.reason as StopSignal;
      console.error(`interrupted by ${signal}: workers stopped, logs flushed`);
      process.exitCode = SIGNAL_EXIT[signal];
    } else {
      console.error(`job stopped: ${(error as Error).message}; everything logged so far is kept`);
      process.exitCode = 1;
    }
  } finally {
    await viewer?.close();
  }
  process.exit();
}

await main();
