import {
  appendFileSync,
  copyFileSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportLogdir } from '../server/export.js';
import { LogdirLoader, type LogdirLoaderOptions } from '../server/logdir-loader.js';
import { FileChangedError } from '../server/model.js';
import {
  captureLogger,
  EVENTS_FILE,
  fileVersion,
  imageEvent,
  record,
  records,
  scalar,
  scalars,
  sessionStart,
  tempLogdir,
  tensorEvent,
  textEvent,
  writeEvents,
} from './helpers/events.js';

const loaders: LogdirLoader[] = [];
function load(logdir: string, options: LogdirLoaderOptions = {}) {
  const loader = new LogdirLoader(logdir, options);
  loaders.push(loader);
  return loader;
}
afterEach(async () => {
  await Promise.all(loaders.splice(0).map((loader) => loader.close()));
});

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const stepsOf = (loader: LogdirLoader, run: string, tag: string) =>
  loader.scalars(run, tag)?.entries.map((point) => point.step);

describe('reading logdirs that are being written', () => {
  it('B04: tails two worker files of one run appended in turns, every point once', async () => {
    const logdir = tempLogdir();
    const files = ['events.out.tfevents.1.host.1.0', 'events.out.tfevents.1.host.2.0'];
    for (const name of files) writeEvents(join(logdir, 'run', name), [fileVersion()]);
    const loader = load(logdir);
    for (let step = 0; step < 10; step++) {
      for (const name of files)
        writeEvents(join(logdir, 'run', name), scalars('loss', [step]), true);
      await loader.reloadOnce();
    }
    const points = loader.scalars('run', 'loss')?.entries ?? [];
    expect(points).toHaveLength(20);
    const segments = [...new Set(points.map((point) => point.segment))];
    const stepsBySegment = segments.map((segment) =>
      points.filter((point) => point.segment === segment).map((point) => point.step),
    );
    expect(stepsBySegment).toEqual([range(0, 10), range(0, 10)]);
  });

  it('B06: an empty profile file and a notes.txt appearing never stop the tail', async () => {
    const logdir = tempLogdir();
    const live = join(logdir, 'train', EVENTS_FILE);
    writeEvents(live, [fileVersion(), ...scalars('loss', [0])]);
    const logger = captureLogger();
    const loader = load(logdir, { logger });
    await loader.reloadOnce();

    writeFileSync(join(logdir, 'train', 'events.out.tfevents.2.host.profile-empty'), '');
    writeFileSync(join(logdir, 'train', 'notes.txt'), 'not an event file');
    writeEvents(live, scalars('loss', [1]), true);
    await loader.reloadOnce();
    writeEvents(live, scalars('loss', [2]), true);
    await loader.reloadOnce();

    expect(stepsOf(loader, 'train', 'loss')).toEqual([0, 1, 2]);
    expect(loader.runs()[0]).toMatchObject({ fileCount: 2, warnings: [] });
    expect(logger.lines.warn).toEqual([]);
  });

  it('B08: a text value between scalar steps deletes nothing', async () => {
    const logdir = tempLogdir();
    writeEvents(join(logdir, 'run', EVENTS_FILE), [
      fileVersion(1, 'brain.Event:1'),
      ...scalars('S', [0, 1, 2]),
      textEvent('T', 0, 'note'),
      ...scalars('S', [3]),
    ]);
    const loader = load(logdir);
    await loader.reloadOnce();
    expect(stepsOf(loader, 'run', 'S')).toEqual([0, 1, 2, 3]);
    expect(loader.text('run', 'T')?.entries.map((entry) => entry.step)).toEqual([0]);
  });

  it("B09: one writer's START marker never removes another writer's values", async () => {
    const logdir = tempLogdir();
    writeEvents(join(logdir, 'run', 'events.out.tfevents.1.host.1.0'), [
      fileVersion(),
      ...scalars('loss', range(0, 11)),
    ]);
    writeEvents(join(logdir, 'run', 'events.out.tfevents.2.host.2.0'), [
      fileVersion(),
      sessionStart(0),
      ...scalars('loss', range(0, 11)),
    ]);
    const loader = load(logdir);
    await loader.reloadOnce();
    expect(loader.scalars('run', 'loss')?.entries).toHaveLength(22);
    expect(loader.runs()[0].warnings).toEqual([]);
  });

  it('B09: a START purges only the values of its own file at or after its step', async () => {
    const logdir = tempLogdir();
    writeEvents(join(logdir, 'run', 'events.out.tfevents.1.host.1.0'), [
      fileVersion(),
      ...scalars('loss', range(0, 11)),
    ]);
    writeEvents(join(logdir, 'run', 'events.out.tfevents.2.host.2.0'), [
      fileVersion(),
      ...scalars('loss', range(0, 11)),
      sessionStart(5),
      ...scalars('loss', range(5, 8)),
    ]);
    const loader = load(logdir);
    await loader.reloadOnce();
    const points = loader.scalars('run', 'loss')?.entries ?? [];
    expect(points.map((point) => point.step)).toEqual([...range(0, 11), ...range(0, 5), 5, 6, 7]);
    expect(loader.runs()[0].warnings).toEqual([expect.stringMatching(/hid 6 values/)]);
  });

  it('B11: two launches in one directory are separate segments, never one line', async () => {
    const logdir = tempLogdir();
    writeEvents(join(logdir, 'run', 'events.out.tfevents.1.host.1.0'), [
      fileVersion(),
      ...scalars('loss', range(0, 100), 1000),
    ]);
    writeEvents(join(logdir, 'run', 'events.out.tfevents.9.host.1.0'), [
      fileVersion(),
      ...scalars('loss', range(0, 100), 9000),
    ]);
    writeEvents(join(logdir, 'again', EVENTS_FILE), [
      fileVersion(),
      ...scalars('loss', range(0, 100), 1000),
      ...scalars('loss', range(0, 100), 9000),
    ]);
    const loader = load(logdir);
    await loader.reloadOnce();
    for (const run of ['run', 'again']) {
      const points = loader.scalars(run, 'loss')?.entries ?? [];
      expect(points.map((point) => point.segment)).toEqual([
        ...Array(100).fill(0),
        ...Array(100).fill(1),
      ]);
    }
  });

  it('B21: non-finite scalar values survive the reader and strict JSON export', async () => {
    const logdir = tempLogdir();
    const values = [0.5, NaN, 0.4, Infinity, -Infinity, 0.3];
    writeEvents(join(logdir, 'run', EVENTS_FILE), [
      fileVersion(),
      ...values.map((value, step) => scalar('v', step, value)),
    ]);
    const loader = load(logdir);
    await loader.reloadOnce();
    const read = loader.scalars('run', 'v')?.entries.map((point) => point.value);
    expect(read).toEqual(values.map(Math.fround));

    const exported = JSON.parse(await exportLogdir(logdir, { format: 'json' }));
    expect(exported.runs.run.scalars.v.map((row: unknown[]) => row[2])).toEqual([
      Math.fround(0.5),
      'NaN',
      Math.fround(0.4),
      'Infinity',
      '-Infinity',
      Math.fround(0.3),
    ]);
    const csv = await exportLogdir(logdir, { format: 'csv' });
    expect(csv.split('\n')[0]).toBe('run,tag,step,wall_time,value');
    expect(csv.split('\n')[2]).toBe('run,v,1,1001,NaN');
  });

  it(
    'B25: 100 image steps with a limit of 10 keep first and last, ' +
      'and every listed image reads',
    async () => {
      const logdir = tempLogdir();
      const events = range(0, 100).map((step) => imageEvent('img', step, [Uint8Array.of(step, 1)]));
      writeEvents(join(logdir, 'run', EVENTS_FILE), [fileVersion(), ...events]);
      const loader = load(logdir, { capacity: { images: 10 } });
      await loader.reloadOnce();

      const series = loader.images('run', 'img')!;
      expect(series.total).toBe(100);
      expect(series.entries).toHaveLength(10);
      expect(series.entries[0].step).toBe(0);
      expect(series.entries[9].step).toBe(99);
      for (const entry of series.entries) {
        const bytes = await loader.readImage('run', 'img', { id: entry.id }, 0);
        expect(Array.from(bytes ?? [])).toEqual([entry.step, 1]);
      }
    },
  );

  it('B27: image series hold an index of offsets, never the image bytes', async () => {
    const logdir = tempLogdir();
    const big = new Uint8Array(256 * 1024).fill(7);
    writeEvents(join(logdir, 'run', EVENTS_FILE), [
      fileVersion(),
      ...range(0, 8).map((step) => imageEvent('img', step, [big])),
    ]);
    const loader = load(logdir);
    await loader.reloadOnce();
    const listed = JSON.stringify(loader.images('run', 'img'));
    expect(listed.length).toBeLessThan(2000);
    expect((await loader.readImage('run', 'img', { step: 7 }, 0))?.length).toBe(big.length);
  });

  it('B28: values of a large file are visible before its loading finishes', async () => {
    const logdir = tempLogdir();
    const events = scalars('loss', range(0, 4000));
    writeEvents(join(logdir, 'run', EVENTS_FILE), [fileVersion(), ...events]);
    const loader = load(logdir, { chunkBytes: 4096 });
    const done = loader.reloadOnce();
    const partial: number[] = [];
    while (loader.loading) {
      partial.push(loader.scalars('run', 'loss')?.total ?? 0);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await done;
    expect(partial.some((total) => total > 0 && total < 4000)).toBe(true);
    expect(loader.scalars('run', 'loss')?.total).toBe(4000);
  });

  it('B33: a 0-byte file and a header-only file are runs with no data, then data', async () => {
    const logdir = tempLogdir();
    const a = join(logdir, 'A', EVENTS_FILE);
    const b = join(logdir, 'B', EVENTS_FILE);
    writeEvents(a, []);
    writeEvents(b, [fileVersion()]);
    const logger = captureLogger();
    const loader = load(logdir, { logger });
    await loader.reloadOnce();
    await loader.reloadOnce();
    expect(loader.runs().map((run) => [run.name, run.status, run.warnings])).toEqual([
      ['A', 'no-data', []],
      ['B', 'no-data', []],
    ]);

    writeEvents(a, [fileVersion(), ...scalars('loss', [0])], true);
    writeEvents(b, scalars('loss', [0]), true);
    await loader.reloadOnce();
    expect(loader.runs().map((run) => run.status)).toEqual(['ok', 'ok']);
    expect(logger.lines.warn).toEqual([]);
  });

  it(
    'B02: data loss is reported once, ' + 'the file is not retried, the next file is read',
    async () => {
      const logdir = tempLogdir();
      const first = join(logdir, 'run', 'events.out.tfevents.1.host.1.0');
      const [a, b, c] = scalars('loss', [0, 1, 2]).map(record);
      const bad = Buffer.from(b);
      bad[bad.length - 6] ^= 1;
      writeEvents(first, [fileVersion()]);
      appendFileSync(first, Buffer.concat([a, bad, c]));
      const logger = captureLogger();
      const loader = load(logdir, { logger });
      await loader.reloadOnce();
      await loader.reloadOnce();
      expect(stepsOf(loader, 'run', 'loss')).toEqual([0]);

      writeEvents(join(logdir, 'run', 'events.out.tfevents.2.host.1.0'), [
        fileVersion(),
        ...scalars('loss', [3, 4]),
      ]);
      await loader.reloadOnce();
      expect(stepsOf(loader, 'run', 'loss')).toEqual([0, 3, 4]);
      const warnings = loader.runs()[0].warnings;
      expect(warnings).toEqual([
        expect.stringMatching(/data loss in .*1\.host\.1\.0 at offset \d+/),
      ]);
      expect(logger.lines.warn).toHaveLength(1);
    },
  );

  it('skips a value that does not fit its plugin with one warning per tag', async () => {
    const logdir = tempLogdir();
    const badScalar = scalar('loss', 1, 0);
    badScalar.summary!.value![0].tensor = { dtype: 7, tensorShape: {}, stringVal: [] };
    writeEvents(join(logdir, 'run', EVENTS_FILE), [
      fileVersion(),
      scalar('loss', 0, 1),
      badScalar,
      badScalar,
      scalar('loss', 2, 3),
    ]);
    const loader = load(logdir);
    await loader.reloadOnce();
    expect(stepsOf(loader, 'run', 'loss')).toEqual([0, 2]);
    expect(loader.runs()[0].warnings).toEqual([
      expect.stringMatching(/skipped values of tag "loss" .*invalid scalar: got a string tensor/),
    ]);
  });

  it("derives a run's last step, wall time and first event time from the files that remain", async () => {
    const logdir = tempLogdir();
    const older = join(logdir, 'run', 'events.out.tfevents.1.host.1.0');
    const newer = join(logdir, 'run', 'events.out.tfevents.2.host.1.0');
    writeEvents(older, [fileVersion(500), ...scalars('loss', range(0, 30), 1000)]);
    writeEvents(newer, [fileVersion(600), ...scalars('loss', range(30, 40), 2000)]);
    const loader = load(logdir);
    await loader.reloadOnce();
    expect(loader.runs()[0]).toMatchObject({ lastStep: 39, lastWallTime: 2039, fileCount: 2 });

    rmSync(newer);
    await loader.reloadOnce();
    expect(loader.runs()[0]).toMatchObject({ lastStep: 29, lastWallTime: 1029, fileCount: 1 });
    expect(loader.runs()[0].firstEventTime).toBe(500);

    rmSync(older);
    writeEvents(newer, [fileVersion(700), ...scalars('loss', [3], 3000)]);
    await loader.reloadOnce();
    expect(loader.runs()[0]).toMatchObject({
      lastStep: 3,
      lastWallTime: 3003,
      firstEventTime: 700,
    });
  });

  it('counts exactly the values of the files that remain in total, sampled or not', async () => {
    const logdir = tempLogdir();
    const gone = join(logdir, 'run', 'events.out.tfevents.1.host.1.0');
    const kept = join(logdir, 'run', 'events.out.tfevents.2.host.1.0');
    const images = (from: number, to: number) =>
      range(from, to).map((step) => imageEvent('img', step, [Uint8Array.of(step)]));
    writeEvents(gone, [fileVersion(), ...images(0, 70), ...scalars('loss', range(0, 70))]);
    writeEvents(kept, [fileVersion(), ...images(70, 100), ...scalars('loss', range(70, 100))]);
    const loader = load(logdir, { capacity: { images: 10, scalars: 10 } });
    await loader.reloadOnce();
    rmSync(gone);
    await loader.reloadOnce();

    const tags = loader.tags('run')!;
    expect(tags.map(({ tag, total }) => [tag, total]).sort()).toEqual([
      ['img', 30],
      ['loss', 30],
    ]);
    expect(loader.images('run', 'img')!.total).toBe(30);
    expect(loader.scalars('run', 'loss')!.total).toBe(30);
  });

  it('counts the values a restart hid exactly in total while the sample holds them all', async () => {
    const logdir = tempLogdir();
    writeEvents(join(logdir, 'run', 'events.out.tfevents.1.host.1.0'), [
      fileVersion(),
      ...scalars('loss', range(0, 20)),
    ]);
    writeEvents(join(logdir, 'run', 'events.out.tfevents.2.host.1.0'), [
      fileVersion(),
      ...scalars('loss', range(0, 10)),
      sessionStart(4),
      ...scalars('loss', range(4, 6)),
    ]);
    const loader = load(logdir);
    await loader.reloadOnce();
    // 20 from the first file; 4 + 2 from the second, whose steps 4..9 were hidden.
    expect(loader.scalars('run', 'loss')!.total).toBe(26);
    expect(loader.scalars('run', 'loss')!.entries).toHaveLength(26);
  });

  it('drops the values of an event file that was deleted', async () => {
    const logdir = tempLogdir();
    const gone = join(logdir, 'run', 'events.out.tfevents.1.host.1.0');
    writeEvents(gone, [fileVersion(), ...scalars('loss', [0, 1])]);
    writeEvents(join(logdir, 'run', 'events.out.tfevents.2.host.1.0'), scalars('loss', [5]));
    const loader = load(logdir);
    await loader.reloadOnce();
    rmSync(gone);
    await loader.reloadOnce();
    expect(stepsOf(loader, 'run', 'loss')).toEqual([5]);
  });
});

describe('an event file changed under its name', () => {
  const path = (logdir: string) => join(logdir, 'run', EVENTS_FILE);
  const values = (loader: LogdirLoader) =>
    loader.scalars('run', 'loss')?.entries.map((point) => [point.step, point.value]);
  /** One writer's file: its first record's wall time tells it from another writer's. */
  const launch = (wallTime: number, steps: number[], scale: number) => [
    fileVersion(wallTime),
    ...steps.map((step) => scalar('loss', step, step * scale)),
  ];

  async function loaded(events: ReturnType<typeof launch>) {
    const logdir = tempLogdir();
    writeEvents(path(logdir), events);
    const logger = captureLogger();
    const loader = load(logdir, { logger });
    await loader.reloadOnce();
    return { logdir, logger, loader };
  }

  /** The one warning a change gives, naming the file, in the log and the run's warnings. */
  function expectOneWarning(
    logdir: string,
    logger: ReturnType<typeof captureLogger>,
    loader: LogdirLoader,
  ) {
    expect(logger.lines.warn).toHaveLength(1);
    expect(logger.lines.warn[0]).toContain(`event file ${path(logdir)} changed under its name`);
    expect(loader.runs()[0].warnings).toEqual([
      expect.stringMatching(/read it again from the start$/),
    ]);
  }

  it('drops the old values and reads a file renamed onto the name from its start', async () => {
    const { logdir, logger, loader } = await loaded(launch(1, range(0, 40), 1));
    writeEvents(`${path(logdir)}.tmp`, launch(2, range(0, 50), -1));
    renameSync(`${path(logdir)}.tmp`, path(logdir));
    await loader.reloadOnce();

    expect(values(loader)).toEqual(range(0, 50).map((step) => [step, -step]));
    expect(loader.scalars('run', 'loss')!.total).toBe(50);
    expect(loader.runs()[0]).toMatchObject({ lastStep: 49, firstEventTime: 2 });
    expectOneWarning(logdir, logger, loader);
    await loader.reloadOnce();
    expect(logger.lines.warn).toHaveLength(1);
  });

  it.each([
    ['shorter', range(0, 5)],
    ['longer', range(0, 30)],
  ])('serves the new values of a file rewritten in place, %s', async (_, steps) => {
    const { logdir, logger, loader } = await loaded(launch(1, range(0, 20), 1));
    writeFileSync(path(logdir), records(launch(2, steps, 10)));
    await loader.reloadOnce();
    expect(values(loader)).toEqual(steps.map((step) => [step, step * 10]));
    expectOneWarning(logdir, logger, loader);
  });

  it('reads a file cut to half again, and serves every image it then lists', async () => {
    const logdir = tempLogdir();
    const images = range(0, 10).map((step) => imageEvent('img', step, [Buffer.alloc(100, step)]));
    writeEvents(path(logdir), [fileVersion(), ...images]);
    const logger = captureLogger();
    const loader = load(logdir, { logger });
    await loader.reloadOnce();
    truncateSync(path(logdir), Math.floor(statSync(path(logdir)).size / 2));

    const last = loader.images('run', 'img')!.entries.at(-1)!;
    const error = await loader.readImage('run', 'img', { id: last.id }, 0).catch((e) => e);
    expect(error).toBeInstanceOf(FileChangedError);
    await loader.reloadOnce();

    const entries = loader.images('run', 'img')!.entries;
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.length).toBeLessThan(10);
    for (const entry of entries) {
      const bytes = await loader.readImage('run', 'img', { id: entry.id }, 0);
      expect(bytes).toEqual(Buffer.alloc(100, entry.step));
    }
    expectOneWarning(logdir, logger, loader);
  });

  it('reads a file again when a payload read found it changed in place, same size', async () => {
    const logdir = tempLogdir();
    const tensors = range(0, 4).map((step) => tensorEvent('t', step, [2], [step, step]));
    writeEvents(path(logdir), [fileVersion(), ...tensors]);
    const logger = captureLogger();
    const loader = load(logdir, { logger });
    await loader.reloadOnce();
    const bytes = readFileSync(path(logdir));
    bytes[bytes.length - 10] ^= 1;
    writeFileSync(path(logdir), bytes);

    const error = await loader.readTensor('run', 't', { step: 3 }).catch((e) => e);
    expect(error).toBeInstanceOf(FileChangedError);
    await loader.reloadOnce();
    // Read again from the start, the file now ends in data loss at its last record.
    expect(loader.tensors('run', 't')!.entries.map((entry) => entry.step)).toEqual([0, 1, 2]);
    expect(logger.lines.warn[0]).toMatch(/fails its payload checksum now/);
    expect(logger.lines.warn[1]).toMatch(/data loss in .* at offset/);
  });

  it('reads on, without a warning, a copy of the same file renamed onto the name', async () => {
    const { logdir, logger, loader } = await loaded(launch(1, range(0, 10), 1));
    copyFileSync(path(logdir), `${path(logdir)}.tmp`);
    appendFileSync(
      `${path(logdir)}.tmp`,
      records(range(10, 15).map((step) => scalar('loss', step, step))),
    );
    renameSync(`${path(logdir)}.tmp`, path(logdir));
    await loader.reloadOnce();
    expect(values(loader)).toEqual(range(0, 15).map((step) => [step, step]));
    expect(logger.lines.warn).toEqual([]);
  });
});
