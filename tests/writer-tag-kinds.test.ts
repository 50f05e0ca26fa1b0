/**
 * One tag, one kind: readers keep the plugin of a tag's first value per
 * (run, tag), so the writer refuses a value of another kind for a tag
 * instead of writing values no reader would show.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SummaryWriter } from '../writer/index.js';
import { readSummaries } from './helpers/read-events.js';

let writers: SummaryWriter[] = [];
afterEach(async () => {
  await Promise.all(writers.map((writer) => writer.close().catch(() => undefined)));
  writers = [];
});

function newWriter(): SummaryWriter {
  const writer = new SummaryWriter(join(mkdtempSync(join(tmpdir(), 'lb-kinds-')), 'run'));
  writers.push(writer);
  return writer;
}

async function loggedTags(writer: SummaryWriter): Promise<[string, string | undefined][]> {
  await writer.flush();
  return readSummaries(writer.filePath).map((event) => {
    const value = event.summary!.value![0];
    return [value.tag!, value.metadata?.pluginData?.pluginName];
  });
}

const onePixel = { data: new Uint8Array(1), width: 1, height: 1, channels: 1 as const };

describe('a tag logged as a second kind', () => {
  const laterKinds: [string, (writer: SummaryWriter) => void][] = [
    ['a tensor', (w) => w.tensor('x', [1], [1], 1)],
    ['a histogram', (w) => w.histogram('x', [1, 2], 1)],
    ['a text', (w) => w.text('x', 'note', 1)],
    ['an image', (w) => w.image('x', onePixel, 1)],
  ];

  it.each(laterKinds)(
    'is refused as %s after a scalar, naming the tag and both kinds, and writes nothing',
    async (_, call) => {
      const writer = newWriter();
      writer.scalar('x', 1, 0);
      expect(() => call(writer)).toThrow(
        /for tag "x": the tag holds scalar values \(plugin "scalars"\)/,
      );
      expect(await loggedTags(writer)).toEqual([['x', 'scalars']]);
    },
  );

  it('is refused as a scalar after a tensor, with the kind attempted named', async () => {
    const writer = newWriter();
    writer.tensor('x', [1], [1], 0);
    expect(() => writer.scalar('x', 1, 1)).toThrow(
      'invalid scalar for tag "x": the tag holds tensor values (plugin "lensboard")',
    );
    writer.tensor('x', [2], [1], 1);
    expect(await loggedTags(writer)).toEqual([
      ['x', 'lensboard'],
      ['x', undefined],
    ]);
  });

  it('leaves other tags free to take any kind', async () => {
    const writer = newWriter();
    writer.scalar('x', 1, 0);
    writer.histogram('y', [1], 0);
    writer.scalar('x', 2, 1);
    expect((await loggedTags(writer)).map(([tag]) => tag)).toEqual(['x', 'y', 'x']);
  });

  it('is decided by the first value queued: a call that throws claims no kind', async () => {
    const writer = newWriter();
    expect(() => writer.tensor('x', [1, 2], [3], 0)).toThrow(/got 2 values/);
    writer.scalar('x', 1, 0);
    expect(await loggedTags(writer)).toEqual([['x', 'scalars']]);
  });

  it('is still refused after the event file is deleted and a new one started', async () => {
    const writer = newWriter();
    writer.scalar('x', 1, 0);
    await writer.flush();
    rmSync(writer.filePath);
    writer.scalar('x', 2, 1);
    await writer.flush();
    expect(() => writer.histogram('x', [1], 2)).toThrow(/the tag holds scalar values/);
  });
});
