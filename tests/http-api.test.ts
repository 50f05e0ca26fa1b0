/**
 * lensboard's HTTP API as `docs/http-api.md` specifies it, checked route by
 * route over a real server on a loopback port. An in-memory index covers the
 * cases that need exact control (payloads outside the sample, live changes).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { TensorRole } from '../proto/index.js';
import { parseStrictJson, toStrictJson } from '../server/json.js';
import { defaultStaticDir } from '../server/routes/static.js';
import { serve, ServeError, type Serving } from '../server/serve.js';
import { FakeReader } from './helpers/fake-reader.js';
import {
  getJson,
  startTestServer,
  waitUntilLoaded,
  type TestServer,
} from './helpers/app-server.js';
import { REPO_ROOT } from './helpers/cli-process.js';
import { SseReader } from './helpers/sse.js';
import { greyImage, tempLogdir, writeRun } from './helpers/write-logdir.js';

const PNG_BYTES = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 7, 7]);
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
          [0, [PNG_BYTES, JPEG]],
          [9, [PNG_BYTES]],
        ]),
        10,
      )
      .addUnlistedImage('train', 'digits', 4, PNG_BYTES)
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
    expect(new Uint8Array(await png.arrayBuffer())).toEqual(PNG_BYTES);
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

    it('drop a client that stops reading once a megabyte waits unsent', async () => {
      const socket = connect(Number(new URL(server.base).port), '127.0.0.1');
      socket.write('GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      await expect.poll(() => reader.listenerCount).toBe(1);
      socket.pause();

      const bulky = [{ run: 'r'.repeat(64 * 1024) }];
      for (let batch = 0; batch < 400 && reader.listenerCount > 0; batch++) {
        reader.emit(bulky);
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(reader.listenerCount).toBe(0);
      expect(server.app.events.size).toBe(0);
      socket.destroy();
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

describe('over a logdir written by SummaryWriter', () => {
  let logdir: string;
  let serving: Serving;

  beforeAll(async () => {
    logdir = tempLogdir();
    await writeRun(
      logdir,
      'mnist/worker-0',
      (writer) => {
        [0.5, NaN, 0.4, Infinity, -Infinity, 0.3].forEach((value, step) =>
          writer.scalar('batch/loss', value, step),
        );
        for (let step = 0; step < 100; step++)
          writer.image('filters/conv1', greyImage(3, 2, step), step);
        writer.histogram('weight_histograms/dense/kernel', [-1, -0.5, 0, 0.5, 1, 1], 0);
        writer.text('notes', ['première ligne', 'zweite Zeile'], 0);
        writer.tensor('activations/conv1', [1, -2, 3.5, 0, 0.25, -0.75], [1, 2, 3], 7, {
          role: TensorRole.ACTIVATION,
          layerName: 'conv1',
          probeIds: [0],
        });
      },
      { workerRank: 0, worldSize: 2 },
    );
    await writeRun(logdir, 'mnist/worker-1', (writer) => writer.scalar('batch/loss', 1, 0));
    await writeRun(logdir, 'mnist/global', (writer) => writer.scalar('test/accuracy', 0.9, 0));
    serving = await serve({
      logdir,
      port: 0,
      samplesPerPlugin: { images: 10 },
      reloadIntervalSec: 0.2,
      staticDir: join(logdir, 'no-viewer'),
    });
    await waitUntilLoaded(serving.url);
  });

  afterAll(async () => {
    await serving.close();
    rmSync(logdir, { recursive: true, force: true });
  });

  const api = (path: string) => `${serving.url}api/${path}`;

  it('binds to loopback and reports the port it got', () => {
    expect(serving.url).toBe(`http://127.0.0.1:${serving.port}/`);
    expect(serving.port).toBeGreaterThan(0);
  });

  it('lists the workers and the global run of a job', async () => {
    const { body } = await getJson(api('runs'));
    expect(body.runs.map((run: { name: string }) => run.name).sort()).toEqual([
      'mnist/global',
      'mnist/worker-0',
      'mnist/worker-1',
    ]);
    expect(body.jobs).toEqual([
      { name: 'mnist', workers: ['mnist/worker-0', 'mnist/worker-1'], global: 'mnist/global' },
    ]);
  });

  it('lists the tags of a run with their kinds', async () => {
    const { body } = await getJson(api('tags?run=mnist%2Fworker-0'));
    const kinds = Object.fromEntries(
      body.tags.map((t: { tag: string; kind: string }) => [t.tag, t.kind]),
    );
    expect(kinds).toEqual({
      'batch/loss': 'scalars',
      'filters/conv1': 'images',
      'weight_histograms/dense/kernel': 'histograms',
      notes: 'text',
      'activations/conv1': 'tensors',
    });
  });

  it(
    'delivers scalars 0.5, NaN, 0.4, +Inf, -Inf, 0.3 ' + 'as strict JSON that decodes back (B21)',
    async () => {
      const response = await fetch(api('scalars?run=mnist%2Fworker-0&tag=batch%2Floss'));
      const text = await response.text();
      expect(text).not.toMatch(/\bNaN\b(?!")|(?<!")-?Infinity\b(?!")/);

      const body = parseStrictJson(text) as { total: number; entries: number[][] };
      expect(body.total).toBe(6);
      expect(body.entries.map(([step]) => step)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(body.entries.map((entry) => entry[2])).toEqual([
        0.5,
        NaN,
        Math.fround(0.4),
        Infinity,
        -Infinity,
        Math.fround(0.3),
      ]);
    },
  );

  it(
    'keeps the first and last of 100 image steps ' + 'and serves every listed image (B25)',
    async () => {
      const { body } = await getJson(api('images?run=mnist%2Fworker-0&tag=filters%2Fconv1'));
      const steps = body.entries.map((entry: { step: number }) => entry.step);
      expect(body.total).toBe(100);
      expect(steps).toHaveLength(10);
      expect(steps[0]).toBe(0);
      expect(steps.at(-1)).toBe(99);

      for (const entry of body.entries as { step: number; count: number }[]) {
        for (let index = 0; index < entry.count; index++) {
          const url = api(
            `image?run=mnist%2Fworker-0&tag=filters%2Fconv1&step=${entry.step}&index=${index}`,
          );
          const response = await fetch(url);
          expect(response.status, url).toBe(200);
          expect(response.headers.get('content-type')).toBe('image/png');
          const png = PNG.sync.read(Buffer.from(await response.arrayBuffer()));
          expect([png.width, png.height, png.data[0]]).toEqual([3, 2, entry.step]);
        }
      }
    },
  );

  it('serves histogram buckets and text as written', async () => {
    const histograms = await getJson(
      api('histograms?run=mnist%2Fworker-0&tag=weight_histograms%2Fdense%2Fkernel'),
    );
    const buckets: number[][] = histograms.body.entries[0].buckets;
    expect(buckets.reduce((sum, [, , count]) => sum + count, 0)).toBe(6);

    const text = await getJson(api('text?run=mnist%2Fworker-0&tag=notes'));
    expect(text.body.entries[0]).toMatchObject({
      step: 0,
      shape: [2],
      values: ['première ligne', 'zweite Zeile'],
    });
  });

  it('serves a raw tensor as float32 bytes and as JSON, with its metadata listed', async () => {
    const listed = await getJson(api('tensors?run=mnist%2Fworker-0&tag=activations%2Fconv1'));
    expect(listed.body.metadata).toMatchObject({
      role: TensorRole.ACTIVATION,
      layerName: 'conv1',
      workerRank: 0,
      worldSize: 2,
    });
    expect(listed.body.entries).toMatchObject([{ step: 7, dtype: 'float32', shape: [1, 2, 3] }]);

    const binary = await fetch(api('tensor?run=mnist%2Fworker-0&tag=activations%2Fconv1&step=7'));
    expect(binary.headers.get('x-tensor-shape')).toBe('1,2,3');
    expect(binary.headers.get('x-step')).toBe('7');
    expect(Array.from(new Float32Array(await binary.arrayBuffer()))).toEqual([
      1, -2, 3.5, 0, 0.25, -0.75,
    ]);

    const json = await getJson(
      api('tensor?run=mnist%2Fworker-0&tag=activations%2Fconv1&step=7&format=json'),
    );
    expect(json.body).toMatchObject({
      step: 7,
      shape: [1, 2, 3],
      values: [1, -2, 3.5, 0, 0.25, -0.75],
    });
  });

  it('answers a step the tensor was never logged at with a 404', async () => {
    const { status, body } = await getJson(
      api('tensor?run=mnist%2Fworker-0&tag=activations%2Fconv1&step=8'),
    );
    expect(status).toBe(404);
    expect(body.error.message).toBe(
      'no tensor at step 8 of tag "activations/conv1" in run "mnist/worker-0"',
    );
  });

  it('streams the changes of a reload pass after a writer appends', async () => {
    const stream = new SseReader(await fetch(api('events')));
    try {
      await stream.waitFor(/: connected/);
      await writeRun(logdir, 'mnist/worker-1', (writer) => writer.scalar('batch/loss', 0.5, 1));
      const match = await stream.waitFor(/event: changes\ndata: (.*"mnist\/worker-1".*)\n\n/);
      expect(JSON.parse(match![1])).toContainEqual(
        expect.objectContaining({
          run: 'mnist/worker-1',
          tag: 'batch/loss',
          kind: 'scalars',
          lastStep: 1,
        }),
      );
    } finally {
      await stream.cancel();
    }
  });
});

describe('serve()', () => {
  it('refuses a logdir that does not exist, naming it', async () => {
    const missing = join(tmpdir(), 'lensboard-no-such-logdir');
    await expect(serve({ logdir: missing, port: 0 })).rejects.toThrow(
      new ServeError(`logdir does not exist: ${missing}`, 'logdir'),
    );
  });

  it('refuses an empty logdir rather than serving the current directory', async () => {
    await expect(serve({ logdir: '', port: 0 })).rejects.toThrow(
      'invalid logdir: "" (want a directory; "." for the current one)',
    );
  });

  it('refuses an empty host rather than listening on every interface', async () => {
    await expect(serve({ logdir: tmpdir(), port: 0, host: '' })).rejects.toThrow(
      'invalid host: "" (want an address to bind, such as 127.0.0.1 or 0.0.0.0',
    );
  });

  it('names a host that is not an address of this machine as a host failure', async () => {
    // 192.0.2.0/24 is reserved for documentation: no machine has it.
    const starting = serve({ logdir: tmpdir(), port: 0, host: '192.0.2.1' });
    await expect(starting).rejects.toThrow(
      'cannot listen on host "192.0.2.1": not an address of this machine',
    );
    await expect(starting).rejects.toMatchObject({ failure: 'host' });
  });

  it('refuses option values a script got wrong, showing the value and what is wanted', async () => {
    const logdir = tmpdir();
    await expect(serve({ logdir, port: 70000 })).rejects.toThrow(
      'invalid port: 70000 (want an integer from 0 to 65535)',
    );
    await expect(serve({ logdir, reloadIntervalSec: NaN })).rejects.toThrow(
      'invalid reloadIntervalSec: NaN',
    );
    await expect(serve({ logdir, samplesPerPlugin: { images: -1 } })).rejects.toThrow(
      'invalid samplesPerPlugin.images: -1 (want a positive integer or Infinity)',
    );
  });

  it('closes once however often close() is called', async () => {
    const logdir = tempLogdir();
    const serving = await serve({ logdir, port: 0 });
    await Promise.all([serving.close(), serving.close()]);
    await expect(serving.close()).resolves.toBeUndefined();
    await expect(fetch(`${serving.url}api/runs`)).rejects.toThrow();
    rmSync(logdir, { recursive: true, force: true });
  });

  it('reports a port in use as such and leaves the other server running', async () => {
    const logdir = tempLogdir();
    const first = await serve({ logdir, port: 0 });
    try {
      await expect(serve({ logdir, port: first.port })).rejects.toThrow(
        `port ${first.port} on 127.0.0.1 is already in use`,
      );
      expect((await fetch(`${first.url}api/runs`)).status).toBe(200);
    } finally {
      await first.close();
      rmSync(logdir, { recursive: true, force: true });
    }
  });
});

describe('logging', () => {
  it('writes nothing for answered requests, client mistakes included, by default', async () => {
    const server = await startTestServer(new FakeReader().addScalars('train', 'loss', [1]));
    try {
      await fetch(`${server.base}/api/scalars?run=train&tag=loss`);
      await fetch(`${server.base}/api/scalars?run=nope&tag=loss`);
      await fetch(`${server.base}/api/image?run=train&tag=loss&step=x&index=0`);
      expect(server.logs).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('writes one line per request at debug level, with status', async () => {
    const server = await startTestServer(new FakeReader(), { logLevel: 'debug' });
    try {
      await fetch(`${server.base}/api/runs`);
      await expect.poll(() => server.logs.length).toBe(1);
      expect(server.logs[0]).toMatch(/^lensboard debug: GET \/api\/runs 200 \d+\.\d ms$/);
    } finally {
      await server.close();
    }
  });
});

describe('the default viewer directory', () => {
  it('is dist/plugin-frontend under the package root, found from the server module', () => {
    expect(defaultStaticDir()).toBe(join(REPO_ROOT, 'dist', 'plugin-frontend'));
  });
});

describe('strict JSON', () => {
  it('spells non-finite numbers at any depth and in typed arrays as strings', () => {
    const body = {
      a: [1, NaN, { b: -Infinity }],
      c: Float32Array.from([0.5, Infinity]),
      d: 'NaN',
    };
    expect(toStrictJson(body)).toBe(
      '{"a":[1,"NaN",{"b":"-Infinity"}],"c":[0.5,"Infinity"],"d":"NaN"}',
    );
  });

  it('leaves the value it encodes unchanged', () => {
    const entries = [[0, 1, NaN, 0]];
    toStrictJson({ entries });
    expect(entries[0][2]).toBeNaN();
  });
});
