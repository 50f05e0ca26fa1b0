/**
 * The `lensboard` command as a user meets it: it serves a logdir on loopback
 * and prints where, stops cleanly on SIGTERM and SIGINT, prints each mistake
 * as one line with exit status 2, documents every flag, and exports; a
 * reader that closes its output early ends an export quietly.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, RunningCli, runCli } from './helpers/cli-process.js';
import { SseReader } from './helpers/sse.js';
import { tempLogdir, writeRun } from './helpers/write-logdir.js';

let logdir: string;

beforeAll(async () => {
  logdir = tempLogdir('lensboard-cli-');
  await writeRun(logdir, 'train', (writer) => {
    [0.9, 0.5, NaN].forEach((loss, step) => writer.scalar('loss', loss, step));
  });
});

afterAll(() => rmSync(logdir, { recursive: true, force: true }));

/**
 * `lensboard ...args` in one Node process whose stdout is closed before it
 * writes, as by `| head` that has read enough: every write then fails with EPIPE.
 */
function runWithClosedStdout(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
    cwd: REPO_ROOT,
  });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const result = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    }),
  );
  return { child, result };
}

async function freePort(): Promise<number> {
  const probe: Server = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A failed start prints exactly one line, and never a stack trace. */
function expectOneLineError(stderr: string, message: string | RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(message);
  expect(stderr).not.toMatch(/^\s+at /m);
}

describe.each(['SIGTERM', 'SIGINT'] as const)('a running lensboard stopped by %s', (signal) => {
  let cli: RunningCli;
  let url: string;

  beforeAll(async () => {
    cli = new RunningCli(['--logdir', logdir, '--port', '0', '--reload_interval', '1']);
    url = await cli.url();
  });

  afterAll(() => {
    if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
  });

  it('prints a loopback URL and serves the logdir there', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(cli.printed).toContain(`lensboard is serving ${logdir} at ${url}`);
    // The first reload pass may still run when the URL is printed.
    const runNames = async () => {
      const body = await (await fetch(`${url}api/runs`)).json();
      return body.loading ? null : body.runs.map((run: { name: string }) => run.name);
    };
    await expect.poll(runNames, { timeout: 20_000 }).toEqual(['train']);
  });

  it(`ends live streams and exits with status 0`, async () => {
    const stream = new SseReader(await fetch(`${url}api/events`));
    await stream.waitFor(/: connected/);

    cli.child.kill(signal);
    expect(await stream.ended()).toBe(true);
    const result = await cli.result;
    expect(result).toMatchObject({ code: 0, signal: null, stderr: '' });
  });
});

describe('mistakes in the arguments', () => {
  it('names a logdir that does not exist, with exit status 2', async () => {
    const missing = join(logdir, 'no-such-dir');
    const result = await runCli(['--logdir', missing]);
    expect(result.code).toBe(2);
    expectOneLineError(result.stderr, `lensboard: logdir does not exist: ${missing}`);
  });

  it('names a logdir that is a file', async () => {
    const file = join(logdir, 'notes.txt');
    writeFileSync(file, 'not a directory');
    const result = await runCli(['--logdir', file]);
    expect(result.code).toBe(2);
    expectOneLineError(result.stderr, `lensboard: logdir is not a directory: ${file}`);
  });

  it.skipIf(process.getuid?.() === 0)('names a logdir it may not read', async () => {
    const locked = join(logdir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o000);
    try {
      const result = await runCli(['--logdir', locked]);
      expect(result.code).toBe(2);
      expectOneLineError(result.stderr, `lensboard: logdir is not readable: ${locked}`);
    } finally {
      chmodSync(locked, 0o700);
    }
  });

  it.each([
    ['lensboard', ['--logdir', '', '--port', '0']],
    ['lensboard export', ['export', '--logdir', '']],
  ])(
    '%s refuses an empty --logdir in one line naming the flag, not reading the current directory',
    async (_, args) => {
      const result = await runCli(args);
      expect(result.code).toBe(2);
      expectOneLineError(
        result.stderr,
        /^lensboard: option '--logdir <dir>' argument '' is invalid\. Want a directory/,
      );
    },
  );

  it.each([
    ['', /^lensboard: option '--host <host>' argument '' is invalid\. Want an address to bind/],
    [
      'not a host!',
      /^lensboard: option '--host <host>' argument 'not a host!' is invalid\. Want a/,
    ],
  ])('refuses --host %j in one line naming the flag, before listening', async (host, message) => {
    const result = await runCli(['--logdir', logdir, '--port', '0', '--host', host]);
    expect(result.code).toBe(2);
    expectOneLineError(result.stderr, message);
  });

  it('names a host that is not an address of this machine, with exit status 2', async () => {
    // 192.0.2.0/24 is reserved for documentation: no machine has it.
    const result = await runCli(['--logdir', logdir, '--port', '0', '--host', '192.0.2.1']);
    expect(result.code).toBe(2);
    expectOneLineError(
      result.stderr,
      'lensboard: cannot listen on host "192.0.2.1": not an address of this machine',
    );
  });

  it('asks for --logdir when it is missing', async () => {
    const result = await runCli(['--port', '0']);
    expect(result.code).toBe(2);
    expectOneLineError(result.stderr, "lensboard: required option '--logdir <dir>' not specified");
  });

  it.each([
    [
      ['--port', '70000'],
      /--port <port>' argument '70000' is invalid\. Want an integer from 0 to 65535/,
    ],
    [
      ['--samples_per_plugin', 'scalars=ten'],
      /argument 'scalars=ten' is invalid\. Bad count for scalars: "ten"/,
    ],
    [
      ['--samples_per_plugin', 'pictures=3'],
      /Bad entry "pictures=3": want kind=count with kind one of scalars, images/,
    ],
    [['--reload_interval', '0'], /--reload_interval <seconds>' argument '0' is invalid/],
  ])('refuses %j in one line naming the flag and value', async (args, message) => {
    const result = await runCli(['--logdir', logdir, ...args]);
    expect(result.code).toBe(2);
    expectOneLineError(result.stderr, message);
  });

  it('says the port is in use when another server holds it', async () => {
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      const result = await runCli(['--logdir', logdir, '--port', String(port)]);
      expect(result.code).toBe(2);
      expectOneLineError(result.stderr, `lensboard: port ${port} on 127.0.0.1 is already in use`);
    } finally {
      holder.close();
    }
  });
});

describe('help and export', () => {
  it('lists every flag with its default in --help', async () => {
    const result = await runCli(['--help']);
    const help = result.stdout.replace(/\s+/g, ' ');
    expect(result.code).toBe(0);
    for (const flag of [
      '--logdir <dir> (required)',
      '--port <port> port to listen on; 0 picks a free one (default: 6007)',
      '(default: "127.0.0.1")',
      '--reload_interval <seconds> seconds between reloads of the logdir (default: 5)',
      '(default: scalars=1000,images=10,histograms=500,tensors=100,text=100)',
      '(true|false) (default: true)',
      '--verbose',
      'export',
    ]) {
      expect(help).toContain(flag);
    }
  });

  it('exports the scalars of a logdir as CSV on stdout', async () => {
    const result = await runCli(['export', '--logdir', logdir, '--format', 'csv']);
    const lines = result.stdout.trimEnd().split('\n');
    expect(result.code).toBe(0);
    expect(lines).toHaveLength(4);
    expect(lines.slice(1).map((line) => line.split(',').slice(0, 3).join(','))).toEqual([
      'train,loss,0',
      'train,loss,1',
      'train,loss,2',
    ]);
  });

  it('exports strict JSON by default', async () => {
    const result = await runCli(['export', '--logdir', logdir]);
    expect(result.code).toBe(0);
    expect(() => JSON.parse(result.stdout)).not.toThrow();
    expect(result.stdout).toContain('"NaN"');
  });

  it('ends an export quietly with status 0 when its reader closes the pipe', async () => {
    const { result } = runWithClosedStdout(['export', '--logdir', logdir]);
    expect(await result).toEqual({ code: 0, stderr: '' });
  });

  it('goes on serving when its stdout is closed, and still stops cleanly', async () => {
    const port = await freePort();
    const { child, result } = runWithClosedStdout(['--logdir', logdir, '--port', String(port)]);
    const answers = () =>
      fetch(`http://127.0.0.1:${port}/api/runs`).then(
        (response) => response.status,
        () => null,
      );
    await expect.poll(answers, { timeout: 20_000 }).toBe(200);
    child.kill('SIGTERM');
    expect(await result).toEqual({ code: 0, stderr: '' });
  });

  it('refuses an unknown export format by name', async () => {
    const result = await runCli(['export', '--logdir', logdir, '--format', 'xml']);
    expect(result.code).toBe(2);
    expectOneLineError(result.stderr, /argument 'xml' is invalid\. Allowed choices are json, csv/);
  });
});
