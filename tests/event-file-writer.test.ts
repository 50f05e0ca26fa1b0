/**
 * The event-file layer: file naming and creation, the queue and its bound,
 * flush and close, and what happens to I/O errors.
 */
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventFileWriter, SummaryWriter } from '../writer/index.js';
import { onlyEventFile, readEvents, runChild, stepOf } from './helpers/read-events.js';

let writers: EventFileWriter[] = [];
afterEach(async () => {
  await Promise.all(writers.map((writer) => writer.close().catch(() => undefined)));
  writers = [];
});

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'lb-event-file-'));
}

function newWriter(runDir: string, options = {}): EventFileWriter {
  const writer = new EventFileWriter(runDir, options);
  writers.push(writer);
  return writer;
}

const scalarEvent = (step: number) => ({
  wallTime: 1700000000 + step,
  step,
  summary: { value: [{ tag: 'loss', tensor: { dtype: 1, floatVal: [step] } }] },
});

describe('event file creation', () => {
  it('names the file events.out.tfevents.<seconds>.<host>.<pid>.<counter>', () => {
    const before = Math.floor(Date.now() / 1000);
    const writer = newWriter(tempDir());
    const match = /^events\.out\.tfevents\.(\d+)\.(.+)\.(\d+)\.(\d+)$/.exec(
      basename(writer.filePath),
    );
    expect(match).not.toBeNull();
    expect(Number(match![1])).toBeGreaterThanOrEqual(before);
    expect(match![2]).toBe(hostname());
    expect(Number(match![3])).toBe(process.pid);
  });

  it('creates missing directories and accepts existing ones', () => {
    const runDir = join(tempDir(), 'job', 'worker-0');
    const first = newWriter(runDir);
    const second = newWriter(runDir);
    expect(first.filePath).not.toBe(second.filePath);
    expect(readdirSync(runDir).sort()).toEqual(
      [basename(first.filePath), basename(second.filePath)].sort(),
    );
  });

  it('never opens a file that already exists, so no other writer is truncated', () => {
    const runDir = tempDir();
    const seconds = Math.floor(Date.now() / 1000);
    const taken: string[] = [];
    for (const second of [seconds, seconds + 1]) {
      for (let counter = 0; counter < 300; counter++) {
        const name = `events.out.tfevents.${second}.${hostname()}.${process.pid}.${counter}`;
        writeFileSync(join(runDir, name), 'someone else');
        taken.push(name);
      }
    }
    const writer = newWriter(runDir);
    expect(taken).not.toContain(basename(writer.filePath));
    for (const name of taken) expect(readFileSync(join(runDir, name), 'utf8')).toBe('someone else');
  });

  it('reports a run directory it cannot create with the path in the error', () => {
    const blocker = join(tempDir(), 'a-file');
    writeFileSync(blocker, '');
    expect(() => new EventFileWriter(join(blocker, 'run'))).toThrow(/a-file/);
  });

  it('says which component is a file when the run directory runs through one', () => {
    const blocker = join(tempDir(), 'a-file');
    writeFileSync(blocker, '');
    for (const runDir of [join(blocker, 'run'), join(blocker, 'job', 'worker-0'), blocker]) {
      expect(() => new EventFileWriter(runDir)).toThrow(
        `cannot create run directory ${runDir}: ${blocker} is a file, not a directory`,
      );
    }
  });
});

describe('options', () => {
  const cases: [string, unknown, string][] = [
    // Node runs a timer above 2^31 - 1 ms after 1 ms: a flush a millisecond.
    ['flushIntervalMs', 3e9, 'invalid flushIntervalMs: 3000000000 (want milliseconds above 0'],
    ['flushIntervalMs', 0, 'invalid flushIntervalMs: 0 ('],
    ['flushIntervalMs', Infinity, 'invalid flushIntervalMs: Infinity ('],
    ['flushIntervalMs', NaN, 'invalid flushIntervalMs: NaN ('],
    ['flushIntervalMs', '1000', 'invalid flushIntervalMs: "1000" ('],
    ['maxQueuedBytes', -1, 'invalid maxQueuedBytes: -1 (want an integer >= 1)'],
    ['maxQueuedBytes', 0.5, 'invalid maxQueuedBytes: 0.5 ('],
    ['maxQueuedBytes', null, 'invalid maxQueuedBytes: null ('],
    ['onError', 'log', 'invalid onError: "log" (want a function)'],
    ['onError', null, 'invalid onError: null (want a function)'],
    ['workerRank', -1, 'invalid workerRank: -1 (want an integer from 0 to 2147483647)'],
    ['worldSize', '4', 'invalid worldSize: "4" ('],
  ];

  it.each(cases)(
    'refuses %s: %s at construction, naming the option and its value, before any file',
    (name, value, message) => {
      const runDir = join(tempDir(), 'run');
      expect(() => new SummaryWriter(runDir, { [name]: value })).toThrow(message);
      expect(existsSync(runDir)).toBe(false);
    },
  );

  it('refuses a workerRank at or above worldSize, naming both, before any file', () => {
    const runDir = join(tempDir(), 'run');
    expect(() => new SummaryWriter(runDir, { workerRank: 5, worldSize: 2 })).toThrow(
      'invalid workerRank: 5 (want an integer from 0 to 1, below worldSize 2)',
    );
    expect(() => new SummaryWriter(runDir, { workerRank: 2, worldSize: 2 })).toThrow(
      'invalid workerRank: 2',
    );
    expect(existsSync(runDir)).toBe(false);
  });

  it('takes any rank when worldSize is 0 or absent (not distributed)', () => {
    expect(() => newWriter(tempDir(), { workerRank: 5, worldSize: 0 })).not.toThrow();
    expect(() => newWriter(tempDir(), { workerRank: 5 })).not.toThrow();
  });

  it('refuses an empty run directory by name instead of an mkdir ENOENT', () => {
    for (const make of [() => new SummaryWriter(''), () => new EventFileWriter('')]) {
      expect(make).toThrow('invalid runDir: "" (want a directory path, e.g. "runs/experiment-1")');
    }
    expect(() => new SummaryWriter(undefined as never)).toThrow('invalid runDir: undefined');
  });

  it('accepts the largest timer Node keeps, 2^31 - 1 ms', () => {
    expect(() => newWriter(tempDir(), { flushIntervalMs: 2 ** 31 - 1 })).not.toThrow();
  });

  it('refuses options that are not an object', () => {
    const runDir = join(tempDir(), 'run');
    expect(() => new SummaryWriter(runDir, null as never)).toThrow('invalid options: null');
    expect(() => new EventFileWriter(runDir, 1000 as never)).toThrow('invalid options: 1000');
  });
});

describe('queue, flush and close', () => {
  it('puts every event written before flush() in the file, in order', async () => {
    const writer = newWriter(tempDir());
    for (let step = 0; step < 1000; step++) writer.write(scalarEvent(step));
    await writer.flush();
    const steps = readEvents(writer.filePath).slice(1).map(stepOf);
    expect(steps).toEqual(Array.from({ length: 1000 }, (_, step) => step));
  });

  it('flushes on its own every flushIntervalMs without any call', async () => {
    const writer = newWriter(tempDir(), { flushIntervalMs: 20 });
    writer.write(scalarEvent(1));
    await vi.waitFor(() => expect(readEvents(writer.filePath)).toHaveLength(2), { timeout: 5000 });
  });

  it('flushes scalars framed in its shared buffer on its own too', async () => {
    const writer = new SummaryWriter(join(tempDir(), 'run'), { flushIntervalMs: 20 });
    writer.scalar('loss', 0.5, 1);
    await vi.waitFor(() => expect(readEvents(writer.filePath)).toHaveLength(2), { timeout: 5000 });
    await writer.close();
  });

  it('writes the queue synchronously when an append would pass maxQueuedBytes', () => {
    const writer = newWriter(tempDir(), { maxQueuedBytes: 4096 });
    for (let step = 0; step < 1000; step++) writer.write(scalarEvent(step));
    // No await since the first write: only the overflow policy can have written.
    const onDisk = statSync(writer.filePath).size;
    const perEvent = readFileSync(writer.filePath).length / readEvents(writer.filePath).length;
    expect(onDisk).toBeGreaterThan(1000 * perEvent - 4096 - 2 * perEvent);
  });

  it('keeps record order when background writes and overflow writes interleave', async () => {
    const writer = newWriter(tempDir(), { maxQueuedBytes: 2048, flushIntervalMs: 1 });
    const payload = new Float32Array(300);
    for (let step = 0; step < 400; step++) {
      writer.write({
        ...scalarEvent(step),
        summary: {
          value: [
            { tag: 'x', tensor: { dtype: 1, tensorContent: new Uint8Array(payload.buffer) } },
          ],
        },
      });
      if (step % 37 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await writer.close();
    expect(readEvents(writer.filePath).slice(1).map(stepOf)).toEqual(
      Array.from({ length: 400 }, (_, step) => step),
    );
  });

  it('refuses writes after close() and returns the same promise from every close()', async () => {
    const writer = newWriter(tempDir());
    writer.write(scalarEvent(0));
    const closing = writer.close();
    expect(writer.close()).toBe(closing);
    await closing;
    expect(() => writer.write(scalarEvent(1))).toThrow(/is closed/);
    expect(readEvents(writer.filePath)).toHaveLength(2);
  });
});

describe('I/O errors', () => {
  // A file-size limit makes the kernel refuse writes past it (EFBIG), as a
  // full disk does with ENOSPC: the writer must handle both the same way.
  it('reach onError and the next flush() naming the file, never the training loop', async () => {
    const runDir = join(tempDir(), 'run');
    const child = await runChild(
      `
      const errors = [];
      const writer = new lb.SummaryWriter(${JSON.stringify(runDir)}, {
        onError: (e) => errors.push(e),
      });
      const big = new Float32Array(64 * 1024);
      let thrown = null;
      try {
        for (let step = 0; step < 40; step++) {
          writer.scalar('loss', step, step);
          writer.tensor('weights', big, [big.length], step);
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      } catch (error) { thrown = String(error); }
      let flushError = null;
      try { await writer.flush(); } catch (error) { flushError = error; }
      let closeError = null;
      try { await writer.close(); } catch (error) { closeError = error; }
      console.log(JSON.stringify({
        thrown,
        file: writer.filePath,
        onError: errors.map((e) => ({ message: e.message, code: e.code })),
        flush: flushError && {
          message: flushError.message,
          code: flushError.code,
          file: flushError.file,
        },
        close: closeError && closeError.message,
      }));
      `,
      { fileSizeLimitKiB: 1024 },
    );
    expect(child.stderr).not.toMatch(/Uncaught|unhandled/i);
    const result = JSON.parse(child.stdout);
    expect(result.thrown).toBeNull();
    expect(result.onError).toHaveLength(1);
    expect(result.onError[0].code).toBe('EFBIG');
    expect(result.onError[0].message).toContain(result.file);
    expect(result.flush).toMatchObject({ code: 'EFBIG', file: result.file });
    expect(result.flush.message).toMatch(/events were not written/);
    expect(result.close).toContain(result.file);
  });

  // Each case appends events and flushes once into a file the kernel cuts at
  // the size limit; whatever the write path (one batch at flush, background
  // batches while the loop yields, synchronous overflow writes), every event
  // is either readable in the file or counted as not written.
  // Events appended, the file_version record included.
  const lossCases: [string, string, object, number][] = [
    [
      'scalars framed in the shared buffer, written by flush()',
      'for (let step = 0; step < 20000; step++) writer.scalar("loss", step, step);',
      {},
      1 + 20000,
    ],
    [
      'large events written in the background while the loop yields',
      `for (let step = 0; step < 40; step++) {
        writer.scalar('loss', step, step);
        writer.tensor('weights', new Float32Array(16 * 1024), [16 * 1024], step);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }`,
      { flushIntervalMs: 1 },
      1 + 40 * 2,
    ],
    [
      'scalars written synchronously when the queue bound is reached',
      'for (let step = 0; step < 20000; step++) writer.scalar("loss", step, step);',
      { maxQueuedBytes: 16 * 1024 },
      1 + 20000,
    ],
  ];

  it.each(lossCases)(
    'count every event not in the file as not written: %s',
    async (_, append, options, total) => {
      const runDir = join(tempDir(), 'run');
      const child = await runChild(
        `
      const errors = [];
      const writer = new lb.SummaryWriter(${JSON.stringify(runDir)}, {
        ...${JSON.stringify(options)},
        onError: (e) => errors.push(e),
      });
      ${append}
      let lost = null;
      await writer.flush().catch((error) => (lost = error.lostEvents));
      console.log(JSON.stringify({ lost, reported: errors.map((e) => e.lostEvents) }));
      `,
        { fileSizeLimitKiB: 64 },
      );
      const { lost, reported } = JSON.parse(child.stdout);
      const events = readEvents(onlyEventFile(runDir), { allowCutTail: true });
      expect(events.length).toBeGreaterThan(0);
      expect(events.length).toBeLessThan(total);
      expect(lost).toBe(total - events.length);
      // onError hears of the error when it strikes, with the events lost by then.
      expect(reported).toHaveLength(1);
      expect(reported[0]).toBeGreaterThan(0);
      expect(reported[0]).toBeLessThanOrEqual(lost);
    },
  );

  it('keeps every record written before the error readable', async () => {
    const runDir = join(tempDir(), 'run');
    await runChild(
      `
      const writer = new lb.SummaryWriter(${JSON.stringify(runDir)}, { onError: () => {} });
      for (let step = 0; step < 100000; step++) writer.scalar('loss', step, step);
      await writer.close().catch(() => {});
      `,
      { fileSizeLimitKiB: 64 },
    );
    const file = join(runDir, readdirSync(runDir)[0]);
    const bytes = readFileSync(file);
    expect(bytes.length).toBeLessThanOrEqual(64 * 1024);
    // The intact prefix decodes to steps 0..n-1 in order; only the cut record at
    // the end is missing.
    const complete = readEvents(file, { allowCutTail: true }).slice(1);
    expect(complete.length).toBeGreaterThan(100);
    expect(complete.map(stepOf)).toEqual(Array.from({ length: complete.length }, (_, i) => i));
  });
});

// SummaryWriter is the public face of the same layer; it exposes the file it writes.
describe('SummaryWriter', () => {
  it('exposes its run directory and file path', async () => {
    const runDir = join(tempDir(), 'run');
    const writer = new SummaryWriter(runDir);
    expect(writer.runDir).toBe(runDir);
    expect(writer.filePath.startsWith(runDir)).toBe(true);
    await writer.close();
  });
});
