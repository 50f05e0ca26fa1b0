/**
 * B13: a worker that never calls close() loses nothing queued, whether it
 * returns normally, calls process.exit() or is sent SIGTERM/SIGINT. Each case
 * runs in its own Node process.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  onlyEventFile,
  readEvents,
  runChild,
  stepOf,
  type ChildResult,
} from './helpers/read-events.js';

function runDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'lb-exit-')), 'worker-0');
}

/** Writes `count` scalars (steps 0..count-1) without close(), then runs `ending`. */
function childWriting(dir: string, count: number, ending: string): string {
  return `
    const writer = new lb.SummaryWriter(${JSON.stringify(dir)});
    for (let step = 0; step < ${count}; step++) writer.scalar('loss', step / 10, step);
    ${ending}
  `;
}

/** Runs a child that prints "ready <file>" and then waits to be signalled. */
function signalledChild(body: string, signal: NodeJS.Signals): Promise<ChildResult> {
  return runChild(body, {
    onStdout: (text, send) => {
      if (text.includes('ready')) send(signal);
    },
  });
}

const KEEP_ALIVE = `
  console.log('ready');
  setInterval(() => {}, 1000);
`;

function scalarSteps(file: string): number[] {
  return readEvents(file)
    .filter((event) => event.summary)
    .map(stepOf);
}

/** The child's one event file, after checking it reported nothing on stderr. */
function onlyFile(result: ChildResult, dir: string): string {
  expect(result.stderr).toBe('');
  return onlyEventFile(dir);
}

const range = (count: number) => Array.from({ length: count }, (_, step) => step);

describe.each([9, 500])('a worker writing %i scalars and never closing', (count) => {
  it('has every event on disk after returning normally', async () => {
    const dir = runDir();
    const result = await runChild(childWriting(dir, count, ''));
    expect(result.code).toBe(0);
    expect(scalarSteps(onlyFile(result, dir))).toEqual(range(count));
  });

  it('has every event on disk after process.exit(0)', async () => {
    const dir = runDir();
    const result = await runChild(childWriting(dir, count, 'process.exit(0);'));
    expect(result.code).toBe(0);
    expect(scalarSteps(onlyFile(result, dir))).toEqual(range(count));
  });

  it('has every event queued before SIGTERM on disk, and still dies of SIGTERM', async () => {
    const dir = runDir();
    const result = await signalledChild(childWriting(dir, count, KEEP_ALIVE), 'SIGTERM');
    expect(result.signal).toBe('SIGTERM');
    expect(scalarSteps(onlyFile(result, dir))).toEqual(range(count));
  });

  it('has every event queued before SIGINT on disk, and still dies of SIGINT', async () => {
    const dir = runDir();
    const result = await signalledChild(childWriting(dir, count, KEEP_ALIVE), 'SIGINT');
    expect(result.signal).toBe('SIGINT');
    expect(scalarSteps(onlyFile(result, dir))).toEqual(range(count));
  });
});

describe('a program with its own signal handling', () => {
  it('keeps control of SIGTERM: lensboard flushes and the program decides how to end', async () => {
    const dir = runDir();
    const ending = `
      process.on('SIGTERM', () => {
        writer.scalar('loss', 99, 99);
        process.exit(3);
      });
      ${KEEP_ALIVE}
    `;
    const result = await signalledChild(childWriting(dir, 5, ending), 'SIGTERM');
    expect(result.code).toBe(3);
    expect(scalarSteps(onlyFile(result, dir))).toEqual([0, 1, 2, 3, 4, 99]);
  });
});

describe('exit while a background write is in flight', () => {
  it(
    'completes the file: ' + 'the in-flight batch is rewritten synchronously at its offset',
    async () => {
      const dir = runDir();
      const ending = `
      writer.tensor('weights', new Float32Array(1 << 20).fill(0.5), [1 << 20], 0);
      for (let step = 100; step < 200; step++) writer.scalar('loss', step, step);
      process.exit(0);
    `;
      const result = await runChild(childWriting(dir, 100, ending));
      expect(result.code).toBe(0);
      const events = readEvents(onlyFile(result, dir));
      expect(events.filter((event) => event.summary)).toHaveLength(201);
    },
  );
});

describe('after close()', () => {
  it(
    'leaves no lensboard listener behind, ' + 'so Node handles signals as it would without it',
    async () => {
      const dir = runDir();
      const result = await runChild(`
      const names = ['SIGTERM', 'SIGINT', 'SIGHUP', 'exit', 'beforeExit'];
      const count = () => names.map((name) => process.listenerCount(name));
      const before = count();
      const writer = new lb.SummaryWriter(${JSON.stringify(dir)});
      const open = count();
      await writer.close();
      console.log(JSON.stringify({ before, open, after: count() }));
    `);
      const { before, open, after } = JSON.parse(result.stdout);
      expect(open).toEqual(before.map((listeners: number) => listeners + 1));
      expect(after).toEqual(before);
    },
  );
});

describe('an I/O error while flushing on the way out', () => {
  // 20,000 scalars queued (no background write ran) into a file the kernel
  // cuts at its size limit: the exit flush itself meets the error.
  const body = (dir: string, ending: string, options = '{ flushIntervalMs: 60_000 }') => `
    const writer = new lb.SummaryWriter(${JSON.stringify(dir)}, ${options});
    for (let step = 0; step < 20000; step++) writer.scalar('loss', step, step);
    ${ending}
  `;

  /** The one line the child printed, and the events really missing from its file. */
  function reportAndLoss(result: ChildResult, dir: string): [string[], number] {
    const file = onlyEventFile(dir);
    const inFile = readEvents(file, { allowCutTail: true }).length;
    const lines = result.stderr.split('\n').filter((line) => line.length > 0);
    return [lines, 1 + 20000 - inFile];
  }

  it('is printed to stderr at once after process.exit(), with the file and the events lost', async () => {
    const dir = runDir();
    const result = await runChild(body(dir, 'process.exit(0);'), { fileSizeLimitKiB: 64 });
    expect(result.code).toBe(0);
    const [lines, lost] = reportAndLoss(result, dir);
    expect(lost).toBeGreaterThan(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(onlyEventFile(dir));
    expect(lines[0]).toContain('EFBIG');
    expect(lines[0]).toContain(`${lost} events were not written`);
  });

  it('is printed to stderr before SIGTERM is raised again', async () => {
    const dir = runDir();
    const result = await runChild(body(dir, KEEP_ALIVE), {
      fileSizeLimitKiB: 64,
      onStdout: (text, send) => {
        if (text.includes('ready')) send('SIGTERM');
      },
    });
    expect(result.signal).toBe('SIGTERM');
    const [lines, lost] = reportAndLoss(result, dir);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/\[EFBIG\] EventFileError: cannot write event file /);
    expect(lines[0]).toContain(`${lost} events were not written`);
  });

  it('goes to onError instead when one is given, called before the process ends', async () => {
    const dir = runDir();
    const options = `{
      flushIntervalMs: 60_000,
      onError: (e) => require('node:fs').writeSync(1, 'onError ' + e.lostEvents + '\\n'),
    }`;
    const result = await runChild(
      `import { createRequire } from 'node:module';
      const require = createRequire(import.meta.url);
      ${body(dir, 'process.exit(0);', options)}`,
      { fileSizeLimitKiB: 64 },
    );
    const [lines, lost] = reportAndLoss(result, dir);
    expect(lines).toEqual([]);
    expect(result.stdout.trim()).toBe(`onError ${lost}`);
  });

  it('is printed at the exit when it struck just before, too late for a warning', async () => {
    const dir = runDir();
    // The queue bound makes the append write synchronously and fail; the
    // process exits before the warning's tick.
    const options = '{ flushIntervalMs: 60_000, maxQueuedBytes: 16 * 1024 }';
    const result = await runChild(body(dir, 'process.exit(0);', options), {
      fileSizeLimitKiB: 64,
    });
    const [lines, lost] = reportAndLoss(result, dir);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`${lost} events were not written`);
  });
});
