/**
 * An event file cut short or replaced while it is served: a listed payload
 * whose file changed is a 409 naming what was asked, never a 500, and the
 * request has the file read again without waiting for the reload interval.
 */
import { truncateSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { serve, type Serving } from '../server/serve.js';
import { getJson, waitUntilLoaded } from './helpers/app-server.js';
import {
  EVENTS_FILE,
  fileVersion,
  imageEvent,
  tempLogdir,
  tensorEvent,
  writeEvents,
} from './helpers/events.js';

const PNG_HEAD = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const png = (step: number) => Uint8Array.from([...PNG_HEAD, ...Array(100).fill(step)]);

let serving: Serving | undefined;
afterEach(async () => {
  await serving?.close();
  serving = undefined;
});

/** Serves a run of 10 images and 10 tensors, reloading only when asked to. */
async function servedRun(): Promise<{ file: string; api: (path: string) => string }> {
  const logdir = tempLogdir();
  const file = join(logdir, 'train', EVENTS_FILE);
  writeEvents(file, [
    fileVersion(),
    ...Array.from({ length: 10 }, (_, step) => imageEvent('img', step, [png(step)])),
    ...Array.from({ length: 10 }, (_, step) => tensorEvent('t', step, [2], [step, -step])),
  ]);
  serving = await serve({ logdir, port: 0, reloadIntervalSec: 3600 });
  await waitUntilLoaded(serving.url);
  const url = serving.url;
  return { file, api: (path) => `${url}api/${path}` };
}

describe('a served event file cut to half', () => {
  it('answers a listed image past the cut with a 409 naming step, tag and run', async () => {
    const { file, api } = await servedRun();
    truncateSync(file, Math.floor(statSync(file).size / 2));

    const { status, body } = await getJson(api('image?run=train&tag=img&step=9&index=0'));
    expect(status).toBe(409);
    expect(body.error.message).toBe(
      'could not read step 9 of tag "img" in run "train": its event file changed since it ' +
        'was listed (replaced, cut short or rewritten) and is being read again; list the tag again',
    );
    expect(JSON.stringify(body)).not.toContain(file);
  });

  it('answers a listed tensor past the cut with a 409 too', async () => {
    const { file, api } = await servedRun();
    truncateSync(file, Math.floor(statSync(file).size / 2));
    const { status, body } = await getJson(api('tensor?run=train&tag=t&id=9&format=json'));
    expect(status).toBe(409);
    expect(body.error.message).toMatch(/^could not read id 9 of tag "t" in run "train": /);
  });

  it('reads the file again at once, so every image then listed is served', async () => {
    const { file, api } = await servedRun();
    truncateSync(file, Math.floor(statSync(file).size / 2));
    expect((await getJson(api('image?run=train&tag=img&step=9&index=0'))).status).toBe(409);

    // Read again, the file lists fewer images, yet some: none while its old values are
    // dropped and it is not read yet, which a file of one chunk is only for a moment.
    const listed = async () => (await getJson(api('images?run=train&tag=img'))).body.entries;
    const count = async () => (await listed()).length;
    await expect.poll(async () => [0, 10].includes(await count()), { timeout: 10_000 }).toBe(false);
    const entries: { id: number; step: number }[] = await listed();
    for (const entry of entries) {
      const response = await fetch(api(`image?run=train&tag=img&id=${entry.id}&index=0`));
      expect(response.status).toBe(200);
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(png(entry.step));
    }
    const runs = (await getJson(api('runs'))).body.runs;
    expect(runs[0].warnings).toEqual([expect.stringMatching(/changed under its name/)]);
    expect(runs[0].lastStep).toBe(entries.at(-1)!.step);
  });
});
