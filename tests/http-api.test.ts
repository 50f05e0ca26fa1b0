/**
 * lensboard's HTTP API as `docs/http-api.md` specifies it, checked route by
 * route over a real server on a loopback port. An in-memory index covers the
 * cases that need exact control (payloads outside the sample, live changes).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseStrictJson } from '../server/json.js';
import { FakeReader } from './helpers/fake-reader.js';
import { getJson, startTestServer, type TestServer } from './helpers/app-server.js';
import { SseReader } from './helpers/sse.js';

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 7, 7]);
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2]);

function tensorAt(step: number, shape: number[], values: number[]) {
  return {
    step,
    wallTime: 1700000000.25 + step,
    dtype: 'float32',
    shape,
    values: Float32Array.from(values),
  };
}

describe('with an in-memory index', () => {
  let reader: FakeReader;
  let server: TestServer;

  beforeAll(async () => {
    reader = new FakeReader()
      .addScalars('train', 'loss', [0.5, NaN, 0.4, Infinity, -Infinity, 0.3])
      .addImages(
        'train',
        'digits',
        new Map([
          [0, [PNG, JPEG]],
          [9, [PNG]],
        ]),
        10,
      )
      .addUnlistedImage('train', 'digits', 4, PNG)
      .addHistograms('train', 'weights', [
        [
          [-1, 0, 3],
          [0, Infinity, NaN],
        ],
      ])
      .addText('train', 'notes', ['hello "world"\nline two'])
      .addTensors(
        'train',
        'activations/conv1',
        [tensorAt(0, [2, 3], [1, -2, NaN, Infinity, -Infinity, 0.25]), tensorAt(5, [], [42])],
        { role: 1, layerName: 'conv1', shape: [2, 3] },
      );
    server = await startTestServer(reader, { heartbeatMs: 50 });
  });

  afterAll(() => server.close());

  it('lists runs with the loading flag, jobs and warnings', async () => {
    const { status, body } = await getJson(`${server.base}/api/runs`);
    expect(status).toBe(200);
    expect(body.loading).toBe(false);
    expect(body.runs.map((run: { name: string }) => run.name)).toEqual(['train']);
    expect(body).toHaveProperty('jobs', []);
    expect(body).toHaveProperty('warnings', []);
  });

  it('answers an unknown run with a 404 that names it', async () => {
    const { status, body } = await getJson(`${server.base}/api/tags?run=eval`);
    expect(status).toBe(404);
    expect(body).toEqual({ error: { status: 404, message: 'unknown run: "eval"' } });
  });

  it('answers a missing run parameter with a 400 that names it', async () => {
    const { status, body } = await getJson(`${server.base}/api/scalars?tag=loss`);
    expect(status).toBe(400);
    expect(body.error.message).toBe('missing parameter: run');
  });

  it('says when a tag holds another kind of data than the route serves', async () => {
    const { status, body } = await getJson(`${server.base}/api/scalars?run=train&tag=digits`);
    expect(status).toBe(404);
    expect(body.error.message).toBe('tag "digits" in run "train" holds images, not scalars');
  });

  it('encodes non-finite scalars as strings so the body is strict JSON (B21)', async () => {
    const response = await fetch(`${server.base}/api/scalars?run=train&tag=loss`);
    const text = await response.text();
    const body = JSON.parse(text);

    expect(body.entries.map((entry: unknown[]) => entry[2])).toEqual([
      0.5,
      'NaN',
      0.4,
      'Infinity',
      '-Infinity',
      0.3,
    ]);
    const decoded = parseStrictJson(text) as { entries: number[][] };
    expect(decoded.entries.map((entry) => entry[2])).toEqual([
      0.5,
      NaN,
      0.4,
      Infinity,
      -Infinity,
      0.3,
    ]);
  });

  it('serves each listed image with its content type, by step and index', async () => {
    const png = await fetch(`${server.base}/api/image?run=train&tag=digits&step=0&index=0`);
    const jpeg = await fetch(`${server.base}/api/image?run=train&tag=digits&step=0&index=1`);

    expect(png.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await png.arrayBuffer())).toEqual(PNG);
    expect(jpeg.headers.get('content-type')).toBe('image/jpeg');
    expect(new Uint8Array(await jpeg.arrayBuffer())).toEqual(JPEG);
  });

  it('serves an image the sample left out when the index still reaches it', async () => {
    const listed = await getJson(`${server.base}/api/images?run=train&tag=digits`);
    expect(listed.body.total).toBe(10);
    expect(listed.body.entries.map((entry: { step: number }) => entry.step)).toEqual([0, 9]);

    const response = await fetch(`${server.base}/api/image?run=train&tag=digits&step=4&index=0`);
    expect(response.status).toBe(200);
  });

  it('answers an index past the images of an event with the count it holds', async () => {
    const { status, body } = await getJson(
      `${server.base}/api/image?run=train&tag=digits&step=9&index=1`,
    );
    expect(status).toBe(404);
    expect(body.error.message).toBe('no image 1 at step 9: the event holds 1 (indices 0..0)');
  });

  it('sends histogram rows with non-finite edges and counts as strings', async () => {
    const { body } = await getJson(`${server.base}/api/histograms?run=train&tag=weights`);
    expect(body.entries).toEqual([
      {
        step: 0,
        wallTime: 1700000000,
        segment: 0,
        buckets: [
          [-1, 0, 3],
          [0, 'Infinity', 'NaN'],
        ],
      },
    ]);
  });

  it('sends text values with their shape, quotes and newlines intact', async () => {
    const { body } = await getJson(`${server.base}/api/text?run=train&tag=notes`);
    expect(body.entries[0].values).toEqual(['hello "world"\nline two']);
    expect(body.entries[0].shape).toEqual([]);
  });

  it('lists tensors with lensboard metadata and each entry shape', async () => {
    const { body } = await getJson(`${server.base}/api/tensors?run=train&tag=activations%2Fconv1`);
    expect(body.metadata).toMatchObject({ role: 1, layerName: 'conv1', shape: [2, 3] });
    expect(body.entries.map((e: { shape: number[] }) => e.shape)).toEqual([[2, 3], []]);
  });

  it('serves a tensor as little-endian float32 bytes with its shape in headers', async () => {
    const response = await fetch(
      `${server.base}/api/tensor?run=train&tag=activations%2Fconv1&step=0`,
    );
    const bytes = new DataView(await response.arrayBuffer());
    const values = Array.from({ length: bytes.byteLength / 4 }, (_, i) =>
      bytes.getFloat32(i * 4, true),
    );

    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('x-tensor-shape')).toBe('2,3');
    expect(response.headers.get('x-tensor-dtype')).toBe('float32');
    expect(response.headers.get('x-step')).toBe('0');
    expect(response.headers.get('x-wall-time')).toBe('1700000000.25');
    expect(values).toEqual([1, -2, NaN, Infinity, -Infinity, 0.25]);
  });

  it('gives a rank-0 tensor an empty shape header and one value', async () => {
    const response = await fetch(
      `${server.base}/api/tensor?run=train&tag=activations%2Fconv1&step=5`,
    );
    expect(response.headers.get('x-tensor-shape')).toBe('');
    expect(new Float32Array(await response.arrayBuffer())).toEqual(Float32Array.from([42]));
  });

  it('serves a tensor as strict JSON with format=json', async () => {
    const { body } = await getJson(
      `${server.base}/api/tensor?run=train&tag=activations%2Fconv1&step=0&format=json`,
    );
    expect(body).toEqual({
      step: 0,
      wallTime: 1700000000.25,
      dtype: 'float32',
      shape: [2, 3],
      values: [1, -2, 'NaN', 'Infinity', '-Infinity', 0.25],
    });
  });

  it('answers a step with no tensor with a 404 naming step, tag and run', async () => {
    const { status, body } = await getJson(
      `${server.base}/api/tensor?run=train&tag=activations%2Fconv1&step=3`,
    );
    expect(status).toBe(404);
    expect(body.error.message).toBe(
      'no tensor at step 3 of tag "activations/conv1" in run "train"',
    );
  });

  describe('live updates', () => {
    let stream: SseReader | undefined;
    afterEach(async () => {
      await stream?.cancel().catch(() => undefined);
      stream = undefined;
      await expect.poll(() => reader.listenerCount).toBe(0);
    });

    it('forward each batch of changes as one `changes` event', async () => {
      const response = await fetch(`${server.base}/api/events`);
      expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      stream = new SseReader(response);
      await stream.waitFor(/: connected\n\n/);

      reader.emit([{ run: 'train', tag: 'loss', kind: 'scalars', lastStep: 6 }, { run: 'eval' }]);
      const match = await stream.waitFor(/event: changes\ndata: (.*)\n\n/);
      expect(JSON.parse(match![1])).toEqual([
        { run: 'train', tag: 'loss', kind: 'scalars', lastStep: 6 },
        { run: 'eval' },
      ]);
    });

    it('send a heartbeat comment while nothing changes', async () => {
      stream = new SseReader(await fetch(`${server.base}/api/events`));
      expect(await stream.waitFor(/: heartbeat\n\n/)).not.toBeNull();
    });

    it('stop listening to the index when the client goes away', async () => {
      stream = new SseReader(await fetch(`${server.base}/api/events`));
      await stream.waitFor(/: connected/);
      expect(reader.listenerCount).toBe(1);

      await stream.cancel();
      await expect.poll(() => reader.listenerCount).toBe(0);
      expect(server.app.events.size).toBe(0);
    });

    it('end every open stream when the server shuts down', async () => {
      stream = new SseReader(await fetch(`${server.base}/api/events`));
      await stream.waitFor(/: connected/);
      server.app.events.closeAll();
      expect(await stream.ended()).toBe(true);
      expect(reader.listenerCount).toBe(0);
    });
  });
});

describe('without a built viewer', () => {
  let dir: string;
  let server: TestServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lensboard-nobuild-'));
    server = await startTestServer(new FakeReader(), { staticDir: join(dir, 'missing') });
  });

  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers / with a message saying to run npm run build', async () => {
    const response = await fetch(`${server.base}/`);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('Run `npm run build`');
  });

  it('still serves the API', async () => {
    expect((await fetch(`${server.base}/api/runs`)).status).toBe(200);
  });
});
