import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Event } from '../proto/index.js';
import { LogdirLoader } from '../server/logdir-loader.js';
import {
  captureLogger,
  EVENTS_FILE,
  fileVersion,
  histogramEvent,
  imageEvent,
  scalar,
  scalars,
  sessionStart,
  tempLogdir,
  tensorEvent,
  textEvent,
  writeEvents,
} from './helpers/events.js';

const loaders: LogdirLoader[] = [];
function load(logdir: string, options = {}) {
  const loader = new LogdirLoader(logdir, options);
  loaders.push(loader);
  return loader;
}
afterEach(async () => {
  await Promise.all(loaders.splice(0).map((loader) => loader.close()));
});

describe('LogdirLoader on a scalar-heavy logdir', () => {
  /** 40 tags logged in turn at 150 steps, each value naming its tag and step. */
  function manyTags(): Event[] {
    const events: Event[] = [fileVersion()];
    for (let step = 0; step < 150; step++) {
      for (let t = 0; t < 40; t++) events.push(scalar(`metrics/tag_${t}`, step, t * 1000 + step));
    }
    return events;
  }

  it.each([97, 4096, undefined])(
    'keeps every value under its own tag, read in chunks of %s bytes',
    async (chunkBytes) => {
      const logdir = tempLogdir();
      writeEvents(join(logdir, 'run', EVENTS_FILE), manyTags());
      const loader = load(logdir, { chunkBytes, capacity: { scalars: Infinity } });
      await loader.reloadOnce();
      for (let t = 0; t < 40; t++) {
        const series = loader.scalars('run', `metrics/tag_${t}`)!;
        expect(series.total).toBe(150);
        const values = series.entries.map((point) => point.value);
        expect(values).toEqual(Array.from({ length: 150 }, (_, step) => t * 1000 + step));
      }
    },
  );

  it('samples each tag down to its capacity, keeping its first and newest step', async () => {
    const logdir = tempLogdir();
    writeEvents(join(logdir, 'run', EVENTS_FILE), manyTags());
    const loader = load(logdir, { capacity: { scalars: 20 } });
    await loader.reloadOnce();
    const series = loader.scalars('run', 'metrics/tag_7')!;
    const steps = series.entries.map((point) => point.step);
    expect(series.total).toBe(150);
    expect(steps).toHaveLength(20);
    expect([steps[0], steps[19]]).toEqual([0, 149]);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(series.entries.every((point) => point.value === 7000 + point.step)).toBe(true);
  });
});

describe('LogdirLoader on a plain logdir', () => {
  it('serves scalars, images, histograms, text and tensors of one run', async () => {
    const logdir = tempLogdir();
    const png = Uint8Array.from([137, 80, 78, 71, 1, 2, 3]);
    writeEvents(join(logdir, 'train', EVENTS_FILE), [
      fileVersion(),
      ...scalars('loss', [0, 1, 2]),
      imageEvent('digits', 0, [png, Uint8Array.of(9, 9)], 28, 14),
      histogramEvent('w', 0, [
        [0, 1, 5],
        [1, 2, 7],
      ]),
      textEvent('notes', 0, 'héllo'),
      tensorEvent('activations/dense', 3, [2, 2], [1, -2, 3.5, 4]),
    ]);
    const loader = load(logdir);
    await loader.reloadOnce();

    expect(loader.loading).toBe(false);
    expect(loader.runs().map((run) => [run.name, run.status])).toEqual([['train', 'ok']]);
    expect(loader.scalars('train', 'loss')?.entries.map((p) => p.value)).toEqual([
      0,
      Math.fround(0.1),
      Math.fround(0.2),
    ]);
    const image = loader.images('train', 'digits')?.entries[0];
    expect(image).toMatchObject({ step: 0, width: 28, height: 14, count: 2 });
    expect(await loader.readImage('train', 'digits', { step: 0 }, 0)).toEqual(Buffer.from(png));
    expect(await loader.readImage('train', 'digits', { step: 0 }, 2)).toBeUndefined();
    expect(loader.histograms('train', 'w')?.entries[0].buckets).toEqual([
      [0, 1, 5],
      [1, 2, 7],
    ]);
    expect(loader.text('train', 'notes')?.entries[0].values).toEqual(['héllo']);
    expect(loader.tensors('train', 'activations/dense')?.entries[0]).toMatchObject({
      dtype: 'float32',
      shape: [2, 2],
    });
    const tensor = await loader.readTensor('train', 'activations/dense', { step: 3 });
    expect(Array.from(tensor?.values ?? [])).toEqual([1, -2, 3.5, 4]);
  });

  it('answers undefined for unknown runs, tags and tags of another kind', async () => {
    const logdir = tempLogdir();
    writeEvents(join(logdir, EVENTS_FILE), [fileVersion(), ...scalars('loss', [0])]);
    const loader = load(logdir);
    await loader.reloadOnce();

    expect(loader.runs().map((run) => run.name)).toEqual(['.']);
    expect(loader.scalars('nope', 'loss')).toBeUndefined();
    expect(loader.scalars('.', 'nope')).toBeUndefined();
    expect(loader.images('.', 'loss')).toBeUndefined();
    expect(loader.tags('nope')).toBeUndefined();
  });

  it('groups <job>/worker-<rank> and <job>/global runs into jobs ordered by rank', async () => {
    const logdir = tempLogdir();
    for (const run of ['mnist/worker-10', 'mnist/worker-2', 'mnist/global', 'solo']) {
      writeEvents(join(logdir, run, EVENTS_FILE), [fileVersion(), ...scalars('loss', [0])]);
    }
    const loader = load(logdir);
    await loader.reloadOnce();

    expect(loader.jobs()).toEqual([
      { name: 'mnist', workers: ['mnist/worker-2', 'mnist/worker-10'], global: 'mnist/global' },
    ]);
    const solo = loader.runs().find((run) => run.name === 'solo');
    expect(solo).toMatchObject({ job: null, worker: null });
    const worker = loader.runs().find((run) => run.name === 'mnist/worker-10');
    expect(worker?.worker).toEqual({ kind: 'worker', rank: 10 });
  });

  it('picks up new runs, new files and appended records, and drops deleted runs', async () => {
    const logdir = tempLogdir();
    writeEvents(join(logdir, 'a', EVENTS_FILE), [fileVersion(), ...scalars('loss', [0, 1])]);
    const loader = load(logdir);
    const seen: string[] = [];
    loader.onChange((changes) => seen.push(...changes.map((c) => `${c.run}:${c.tag ?? ''}`)));
    await loader.reloadOnce();

    writeEvents(join(logdir, 'a', EVENTS_FILE), scalars('loss', [2]), true);
    writeEvents(join(logdir, 'b', EVENTS_FILE), [fileVersion(), ...scalars('acc', [0])]);
    seen.length = 0;
    await loader.reloadOnce();
    expect(loader.scalars('a', 'loss')?.entries.map((p) => p.step)).toEqual([0, 1, 2]);
    expect(loader.runs().map((run) => run.name)).toEqual(['a', 'b']);
    expect(seen).toContain('a:loss');
    expect(seen).toContain('b:acc');

    rmSync(join(logdir, 'b'), { recursive: true });
    await loader.reloadOnce();
    expect(loader.runs().map((run) => run.name)).toEqual(['a']);
  });

  it('reloads on its own interval after start() and stops after close()', async () => {
    const logdir = tempLogdir();
    const path = join(logdir, 'run', EVENTS_FILE);
    writeEvents(path, [fileVersion(), ...scalars('loss', [0])]);
    const loader = load(logdir, { reloadIntervalMs: 20 });
    await loader.start();
    writeEvents(path, scalars('loss', [1]), true);
    await new Promise<void>((resolve) => {
      const stop = loader.onChange(() => {
        stop();
        resolve();
      });
    });
    expect(loader.scalars('run', 'loss')?.total).toBe(2);
    await loader.close();
  });

  it('reports a logdir that does not exist as info, not as a warning', async () => {
    const logger = captureLogger();
    const loader = load(join(tempLogdir(), 'missing'), { logger });
    await loader.reloadOnce();
    expect(loader.runs()).toEqual([]);
    expect(logger.lines.warn).toEqual([]);
    expect(logger.lines.info.join('\n')).toMatch(/does not exist yet/);
  });

  it('warns once when the logdir is deleted while served, and reads it again when it reappears', async () => {
    const logdir = tempLogdir();
    writeEvents(join(logdir, 'run', EVENTS_FILE), [fileVersion(), ...scalars('loss', [0, 1])]);
    const logger = captureLogger();
    const loader = load(logdir, { logger });
    await loader.reloadOnce();

    rmSync(logdir, { recursive: true });
    await loader.reloadOnce();
    await loader.reloadOnce();
    expect(loader.runs()).toEqual([]);
    expect(logger.lines.warn).toEqual([
      `logdir was deleted: ${logdir} (no runs until it reappears)`,
    ]);
    expect(loader.warnings()).toEqual(logger.lines.warn);

    writeEvents(join(logdir, 'run', EVENTS_FILE), [fileVersion(), ...scalars('loss', [5])]);
    await loader.reloadOnce();
    expect(loader.runs().map((run) => run.name)).toEqual(['run']);
    expect(loader.scalars('run', 'loss')?.entries.map((point) => point.step)).toEqual([5]);
    expect(loader.warnings()).toEqual([]);
    expect(logger.lines.info).toContain(`logdir is readable again: ${logdir}`);
    expect(logger.lines.warn).toHaveLength(1);
  });

  it('warns once each time the logdir is replaced by a file, and recovers in between', async () => {
    const logdir = tempLogdir();
    const path = join(logdir, 'run', EVENTS_FILE);
    writeEvents(path, [fileVersion(), ...scalars('loss', [0])]);
    const logger = captureLogger();
    const loader = load(logdir, { logger });
    for (let round = 0; round < 2; round++) {
      await loader.reloadOnce();
      rmSync(logdir, { recursive: true });
      writeFileSync(logdir, 'not a directory');
      await loader.reloadOnce();
      await loader.reloadOnce();
      expect(loader.runs()).toEqual([]);
      expect(loader.warnings()).toEqual([expect.stringMatching(/^cannot list .*ENOTDIR/)]);
      rmSync(logdir);
      writeEvents(path, [fileVersion(), ...scalars('loss', [0])]);
    }
    await loader.reloadOnce();
    expect(loader.runs().map((run) => run.name)).toEqual(['run']);
    expect(logger.lines.warn).toHaveLength(2);
  });

  it('refuses an empty logdir, which would read the current directory', () => {
    expect(() => new LogdirLoader('')).toThrow(
      'invalid logdir: "" (want a directory; "." for the current one)',
    );
  });

  it(
    'ignores files without tfevents in their name ' + 'and directories without event files',
    async () => {
      const logdir = tempLogdir();
      mkdirSync(join(logdir, 'notes'));
      writeFileSync(join(logdir, 'notes', 'notes.txt'), 'hello');
      writeEvents(join(logdir, 'run', EVENTS_FILE), [fileVersion(), ...scalars('loss', [0])]);
      const loader = load(logdir);
      await loader.reloadOnce();
      expect(loader.runs().map((run) => run.name)).toEqual(['run']);
    },
  );

  it('rejects a reload interval that is not a positive number', () => {
    expect(() => new LogdirLoader('/tmp', { reloadIntervalMs: 0 })).toThrow(
      'invalid reload interval: 0 ms',
    );
  });
});

describe('LogdirLoader payload ids', () => {
  const png = (step: number) => Uint8Array.of(137, 80, 78, 71, step);

  it('numbers values in reading order, so a sampled entry keeps its ordinal', async () => {
    const logdir = tempLogdir();
    const events = [
      fileVersion(),
      ...range(100).map((step) => imageEvent('img', step, [png(step)])),
    ];
    writeEvents(join(logdir, 'run', EVENTS_FILE), events);
    const loader = load(logdir, { capacity: { images: 10 } });
    await loader.reloadOnce();
    const entries = loader.images('run', 'img')!.entries;
    expect(entries).toHaveLength(10);
    expect(entries.every((entry) => entry.id === entry.step)).toBe(true);
    for (const entry of entries) {
      const bytes = await loader.readImage('run', 'img', { id: entry.id }, 0);
      expect(Array.from(bytes ?? [])).toEqual(Array.from(png(entry.step)));
    }
    const dropped = range(100).find((id) => !entries.some((entry) => entry.id === id))!;
    expect(await loader.readImage('run', 'img', { id: dropped }, 0)).toBeUndefined();
  });

  it('never reuses the id of a value a restart hid', async () => {
    const logdir = tempLogdir();
    const path = join(logdir, 'run', EVENTS_FILE);
    const tensor = (step: number, value: number) => tensorEvent('t', step, [1], [value]);
    writeEvents(path, [fileVersion(), tensor(0, 10), tensor(1, 11), tensor(2, 12)]);
    const loader = load(logdir);
    await loader.reloadOnce();
    writeEvents(path, [sessionStart(1), tensor(1, 21)], true);
    await loader.reloadOnce();

    const entries = loader.tensors('run', 't')!.entries;
    expect(entries.map((entry) => [entry.id, entry.step])).toEqual([
      [0, 0],
      [3, 1],
    ]);
    expect(await loader.readTensor('run', 't', { id: 1 })).toBeUndefined();
    expect(Array.from((await loader.readTensor('run', 't', { id: 3 }))!.values)).toEqual([21]);
  });

  it('keeps the ids of one file when another file of the run is removed', async () => {
    const logdir = tempLogdir();
    const older = join(logdir, 'run', 'events.out.tfevents.1.host');
    const newer = join(logdir, 'run', 'events.out.tfevents.2.host');
    writeEvents(older, [fileVersion(), imageEvent('img', 0, [png(0)])]);
    writeEvents(newer, [fileVersion(), imageEvent('img', 1, [png(1)])]);
    const loader = load(logdir);
    await loader.reloadOnce();
    rmSync(older);
    await loader.reloadOnce();

    expect(loader.images('run', 'img')!.entries.map((entry) => entry.id)).toEqual([1]);
    const bytes = await loader.readImage('run', 'img', { id: 1 }, 0);
    expect(Array.from(bytes ?? [])).toEqual(Array.from(png(1)));
  });
});

function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}
