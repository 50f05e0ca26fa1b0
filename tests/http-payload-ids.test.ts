/**
 * Payload addressing over HTTP: image and tensor entries carry ids that reach
 * every kept value (several at one step included), `step` still reaches the
 * newest value at a step, and entries carry the descriptions their values
 * restated.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { serve, type Serving } from '../server/serve.js';
import { getJson, waitUntilLoaded } from './helpers/app-server.js';
import { greyImage, tempLogdir, writeRun } from './helpers/write-logdir.js';

const TBX_FIXTURE = '/work/shared/fixtures/wild/tbx20_legacy_scalars_images_histos';

async function serveLogdir(logdir: string): Promise<Serving> {
  const serving = await serve({
    logdir,
    port: 0,
    reloadIntervalSec: 60,
    staticDir: join(logdir, 'no-viewer'),
  });
  await waitUntilLoaded(serving.url);
  return serving;
}

function sha256(bytes: ArrayBuffer): string {
  return createHash('sha256').update(new Uint8Array(bytes)).digest('hex');
}

/** The grey level of an image's first pixel: greyImage() encodes its seed there. */
function shadeOf(bytes: ArrayBuffer): number {
  return PNG.sync.read(Buffer.from(bytes)).data[0];
}

describe('a tensorboardX logdir with four image events at step 0', () => {
  let serving: Serving;
  const api = (path: string) => `${serving.url}api/${path}`;
  const group = 'run=images%2FMNIST&tag=MNIST_group';

  beforeAll(async () => {
    serving = await serveLogdir(join(TBX_FIXTURE, 'logdir'));
  });
  afterAll(() => serving.close());

  it('lists the four events with distinct ids 0..3, all at step 0', async () => {
    const { status, body } = await getJson(api(`images?${group}`));
    expect(status).toBe(200);
    expect(body.entries.map((entry: { id: number }) => entry.id)).toEqual([0, 1, 2, 3]);
    expect(body.entries.map((entry: { step: number }) => entry.step)).toEqual([0, 0, 0, 0]);
  });

  it('serves each event by its id: four distinct PNGs, those TensorBoard read', async () => {
    const expected = JSON.parse(readFileSync(join(TBX_FIXTURE, 'expected.json'), 'utf8'));
    const events = expected.run_data['images/MNIST'].images.MNIST_group.events;
    const digests: string[] = [];
    for (const id of [0, 1, 2, 3]) {
      const response = await fetch(api(`image?${group}&id=${id}&index=0`));
      expect(response.status, `id ${id}`).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
      digests.push(sha256(await response.arrayBuffer()));
    }
    expect(new Set(digests).size).toBe(4);
    expect(digests).toEqual(events.map((event: { png_sha256: string[] }) => event.png_sha256[0]));
  });

  it('serves step 0 as the newest of the four events, the one with id 3', async () => {
    const byStep = await fetch(api(`image?${group}&step=0&index=0`));
    const byId = await fetch(api(`image?${group}&id=3&index=0`));
    expect(sha256(await byStep.arrayBuffer())).toBe(sha256(await byId.arrayBuffer()));
  });

  it('answers 404 for an id past the four, naming the id', async () => {
    const { status, body } = await getJson(api(`image?${group}&id=4&index=0`));
    expect(status).toBe(404);
    expect(body.error.message).toContain('id 4');
  });
});

describe('over a run whose values repeat steps and restate descriptions', () => {
  let logdir: string;
  let serving: Serving;
  const api = (path: string) => `${serving.url}api/${path}`;
  const scale = (bound: string) => `red = -${bound} ... blue = +${bound}`;
  const templates = 'run=train&tag=template_images%2Fdense';
  const images = 'run=train&tag=repeated';
  const tensors = 'run=train&tag=activations%2Fdense';

  beforeAll(async () => {
    logdir = tempLogdir();
    await writeRun(logdir, 'train', (writer) => {
      // The colour scale changes at step 2 and back at step 4; the writer
      // restates metadata only at a change, so steps 1 and 3 carry none.
      ['0.2656', '0.2656', '0.4905', '0.4905', '0.2656'].forEach((bound, step) =>
        writer.image('template_images/dense', greyImage(2, 2, step), step, {
          description: scale(bound),
        }),
      );
      // Two events at step 5 (a writer logging one image per event), then step 6.
      writer.image('repeated', greyImage(2, 2, 50), 5);
      writer.image('repeated', [greyImage(2, 2, 51), greyImage(2, 2, 52)], 5);
      writer.image('repeated', greyImage(2, 2, 60), 6);
      writer.tensor('activations/dense', [1, 2], [2], 3, undefined, { description: 'first' });
      writer.tensor('activations/dense', [3, 4], [2], 3, undefined, { description: 'second' });
    });
    serving = await serveLogdir(logdir);
  });

  afterAll(async () => {
    await serving.close();
    rmSync(logdir, { recursive: true, force: true });
  });

  it('gives an image entry the colour scale its step restated, and none where it is the tag’s', async () => {
    const { body } = await getJson(api(`images?${templates}`));
    const described = body.entries.map((entry: { description?: string }) => entry.description);
    expect(described).toEqual([undefined, undefined, scale('0.4905'), scale('0.4905'), undefined]);
    expect(body.entries[0]).not.toHaveProperty('description');
    const tags = (await getJson(api('tags?run=train'))).body.tags;
    const tag = tags.find((info: { tag: string }) => info.tag === 'template_images/dense');
    expect(tag.description).toBe(scale('0.2656'));
  });

  it('gives a tensor entry its own description when it differs from the tag’s', async () => {
    const { body } = await getJson(api(`tensors?${tensors}`));
    expect(body.entries).toMatchObject([
      { id: 0, step: 3 },
      { id: 1, step: 3, description: 'second' },
    ]);
    expect(body.entries[0]).not.toHaveProperty('description');
  });

  it('serves each event at a repeated step by id, and the newest by step', async () => {
    const { body } = await getJson(api(`images?${images}`));
    expect(body.entries.map((e: { id: number; step: number }) => [e.id, e.step])).toEqual([
      [0, 5],
      [1, 5],
      [2, 6],
    ]);
    const shade = async (query: string) =>
      shadeOf(await (await fetch(api(`image?${images}&${query}`))).arrayBuffer());
    expect(await shade('id=0&index=0')).toBe(50);
    expect(await shade('id=1&index=1')).toBe(52);
    expect(await shade('step=5&index=0')).toBe(51);
    expect(await shade('id=2&index=0')).toBe(60);
  });

  it('answers 404 for an index past the event the id names, with its count', async () => {
    const { status, body } = await getJson(api(`image?${images}&id=0&index=1`));
    expect(status).toBe(404);
    expect(body.error.message).toBe('no image 1 at id 0: the event holds 1 (indices 0..0)');
  });

  it('serves each tensor at a repeated step by id, and the newest by step', async () => {
    const values = async (query: string) =>
      (await getJson(api(`tensor?${tensors}&${query}&format=json`))).body.values;
    expect(await values('id=0')).toEqual([1, 2]);
    expect(await values('id=1')).toEqual([3, 4]);
    expect(await values('step=3')).toEqual([3, 4]);
    const response = await fetch(api(`tensor?${tensors}&id=0`));
    expect(response.headers.get('x-step')).toBe('3');
    expect(Array.from(new Float32Array(await response.arrayBuffer()))).toEqual([1, 2]);
  });

  it('answers 404 naming the id for a tensor id no entry has', async () => {
    const { status, body } = await getJson(api(`tensor?${tensors}&id=2`));
    expect(status).toBe(404);
    expect(body.error.message).toBe('no tensor at id 2 of tag "activations/dense" in run "train"');
  });

  it.each([
    ['image', images, 'id=0&step=5&index=0'],
    ['tensor', tensors, 'id=0&step=3'],
  ])('answers 400 naming id and step when a %s request gives both', async (route, q, at) => {
    const { status, body } = await getJson(api(`${route}?${q}&${at}`));
    expect(status).toBe(400);
    expect(body.error.message).toMatch(/conflicting parameters: id="0" and step="\d" /);
  });

  it.each([
    ['image', images, 'index=0'],
    ['tensor', tensors, 'format=json'],
  ])('answers 400 naming id and step when a %s request gives neither', async (route, q, rest) => {
    const { status, body } = await getJson(api(`${route}?${q}&${rest}`));
    expect(status).toBe(400);
    expect(body.error.message).toBe('missing parameter: id or step (want one of them)');
  });

  it.each(['-1', '1.5', 'abc', '', '9007199254740993'])(
    'answers 400 for id=%s, showing the value received',
    async (id) => {
      const { status, body } = await getJson(api(`tensor?${tensors}&id=${id}`));
      expect(status).toBe(400);
      expect(body.error.message).toBe(
        `invalid id: ${JSON.stringify(id)} (want a non-negative integer)`,
      );
    },
  );

  it('answers 400 for an id given twice', async () => {
    const { status, body } = await getJson(api(`tensor?${tensors}&id=0&id=1`));
    expect(status).toBe(400);
    expect(body.error.message).toBe('repeated parameter: id (given 2 times, want once)');
  });
});
