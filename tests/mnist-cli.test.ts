/**
 * `npm start` as a user meets it, run from source as real processes: a bad
 * flag stops it before it prints anything else; a taken viewer port, or a
 * host it cannot bind, is named while training goes on; tfjs's banner is not
 * repeated after the job's own line; and workers whose coordinator is killed
 * leave quietly, their logs on disk.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toSafeNumber } from '../proto/index.js';
import { REPO_ROOT } from './helpers/cli-process.js';
import { onlyEventFile, readEvents } from './helpers/read-events.js';

/** A job small enough to finish in seconds on the pure-JS backend. */
const TINY = ['--model', 'linear', '--steps', '2', '--train-size', '100'];

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Settles once every process holding the output has exited, workers too. */
  closed: Promise<number | null>;
}

/**
 * `main.ts` in one Node process (no tsx wrapper in between, so signals reach
 * it); with `group`, the leader of a process group of its own and its workers.
 */
function start(args: string[], logdir: string, group = false): Run {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'examples/mnist/main.ts', '--logdir', logdir, ...args],
    { cwd: REPO_ROOT, detached: group },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const closed = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    }),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, closed };
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let waited = 0; waited < 60_000; waited += 50) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function tempLogdir(): string {
  return mkdtempSync(path.join(tmpdir(), 'mnist-cli-'));
}

describe('a flag out of range', () => {
  it('stops npm start before its first line, with exit status 2 and one line', async () => {
    const logdir = tempLogdir();
    const run = start(['--workers', '0', '--no-serve'], logdir);
    expect(await run.closed).toBe(2);
    expect(run.stdout()).toBe('');
    expect(run.stderr()).toBe(
      "lensboard-mnist: option '--workers <n>' argument '0' is invalid. " +
        'Want a whole number from 1 to 10.\n',
    );
    expect(readdirSync(logdir)).toEqual([]);
  });
});

describe('a job whose viewer port is taken', () => {
  let holder: Server;
  let port: number;
  let run: Run;
  let code: number | null;

  beforeAll(async () => {
    holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    port = (holder.address() as AddressInfo).port;
    run = start([...TINY, '--port', String(port)], tempLogdir());
    code = await run.closed;
  });

  afterAll(() => holder.close());

  it('names the port and the flags that avoid it, and trains to the end', () => {
    expect(run.stderr()).toContain(
      `viewer not started: port ${port} on 127.0.0.1 is already in use`,
    );
    expect(run.stderr()).toContain('choose another port with --port N');
    expect(run.stderr()).toContain('skip the viewer with --no-serve');
    expect(run.stdout()).toMatch(/linear fedavg: test accuracy [\d.]+% on 10000 images/);
    expect(code).toBe(0);
  });

  it("says once which tfjs computes, with no banner of tfjs's own", () => {
    const output = run.stdout() + run.stderr();
    expect(output.match(/^tfjs: /gm)).toHaveLength(1);
    expect(output).not.toContain('looks like you are running TensorFlow.js in Node.js');
  });
});

describe('a job whose viewer host is not an address of this machine', () => {
  it('says why the viewer cannot bind, not to choose another port, and trains to the end', async () => {
    // 192.0.2.0/24 is reserved for documentation: well formed, but no machine has it.
    const run = start([...TINY, '--host', '192.0.2.1', '--port', '0'], tempLogdir());
    expect(await run.closed).toBe(0);
    expect(run.stderr()).toContain(
      'viewer not started: cannot listen on host "192.0.2.1": not an address of this machine',
    );
    expect(run.stderr()).toContain('give an address of this machine with --host');
    expect(run.stderr()).not.toContain('choose another port');
    expect(run.stdout()).toMatch(/linear fedavg: test accuracy [\d.]+% on 10000 images/);
  });
});

describe.each([
  ['SIGTERM', 143, 'the coordinator'],
  ['SIGINT', 130, 'the coordinator'],
  ['SIGTERM', 143, 'the whole process group'],
] as const)('a job stopped by %s (exit %i) sent to %s', (signal, status, target) => {
  it('says it was interrupted by that signal, with no worker failed', async () => {
    // CNN experts: one request is 10 local steps, seconds of work per worker.
    const args = ['--mode', 'experts', '--steps', '1000', '--train-size', '400', '--no-serve'];
    const group = target === 'the whole process group';
    const run = start(args, tempLogdir(), group);
    await until(() => /10\/1000 steps/.test(run.stderr()), 'the first round');
    process.kill(group ? -run.child.pid! : run.child.pid!, signal);

    expect(await run.closed).toBe(status);
    expect(run.stderr()).toContain(`interrupted by ${signal}: workers stopped, logs flushed`);
    expect(run.stderr()).not.toContain('failed');
  });
});

describe('a coordinator killed while its workers compute', () => {
  it('lets each worker finish its request, flush its log and exit with one line', async () => {
    const logdir = tempLogdir();
    // CNN experts: one request is 10 local steps, seconds of work per worker.
    const args = ['--mode', 'experts', '--steps', '1000', '--train-size', '400', '--no-serve'];
    const run = start(args, logdir);
    await until(() => /10\/1000 steps/.test(run.stderr()), 'the first round');
    // The second round's requests go out as the first round's line is printed.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = run.stderr().length;
    run.child.kill('SIGKILL');
    await run.closed;

    const after = run.stderr().slice(before).trimEnd().split('\n');
    expect(after).toHaveLength(2);
    for (const line of after) {
      expect(line).toMatch(
        /^worker [01] \(pid \d+\): the coordinator is gone \(.+\); its log is flushed, exiting$/,
      );
    }
    const [runName] = readdirSync(logdir);
    for (const rank of [0, 1]) {
      const file = onlyEventFile(path.join(logdir, runName, `worker-${rank}`));
      const lossSteps = readEvents(file)
        .filter((event) => event.summary?.value?.[0]?.tag === 'batch/loss')
        .map((event) => toSafeNumber(event.step));
      // Whole requests of 10 steps, the one in flight at the kill included.
      const last = lossSteps.length;
      expect(lossSteps, `worker ${rank}`).toEqual(Array.from({ length: last }, (_, i) => i + 1));
      expect(last % 10, `worker ${rank}`).toBe(0);
      expect(last, `worker ${rank}`).toBeGreaterThanOrEqual(20);
    }
  });
});
