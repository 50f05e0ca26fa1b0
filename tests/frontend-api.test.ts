// The viewer's API client decodes the server's contract: non-finite strings, binary tensors,
// errors.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError } from '../plugin-frontend/src/api.js';

const BASE = 'http://lensboard.test';

/** Answers each URL (without the base) from a table, recording what was asked. */
function serve(routes: Record<string, () => Response>) {
  const asked: string[] = [];
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    init?.signal?.throwIfAborted();
    const path = url.slice(BASE.length);
    asked.push(path);
    const route = routes[path];
    return route ? route() : json({ error: { status: 404, message: `no route ${path}` } }, 404);
  });
  return asked;
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

afterEach(() => vi.unstubAllGlobals());

describe('ApiClient', () => {
  it('decodes "NaN", "Infinity" and "-Infinity" scalar values back to numbers (B21)', async () => {
    serve({
      '/api/scalars?run=a&tag=loss': () =>
        json({
          run: 'a',
          tag: 'loss',
          total: 6,
          entries: [
            [0, 1.5, 0.5, 0],
            [1, 2.5, 'NaN', 0],
            [2, 3.5, 0.4, 0],
            [3, 4.5, 'Infinity', 0],
            [4, 5.5, '-Infinity', 1],
            [5, 6.5, 0.3, 1],
          ],
        }),
    });
    const series = await new ApiClient(BASE).scalars('a', 'loss');
    expect(series.total).toBe(6);
    expect(series.entries.map((point) => point.value)).toEqual([
      0.5,
      NaN,
      0.4,
      Infinity,
      -Infinity,
      0.3,
    ]);
    expect(series.entries[4]).toEqual({ step: 4, wallTime: 5.5, value: -Infinity, segment: 1 });
  });

  it('decodes non-finite histogram edges and counts', async () => {
    serve({
      '/api/histograms?run=a&tag=w': () =>
        json({
          run: 'a',
          tag: 'w',
          total: 1,
          entries: [
            {
              step: 5,
              wallTime: 1,
              segment: 0,
              buckets: [
                ['-Infinity', 0, 2],
                [0, 'NaN', 'Infinity'],
              ],
            },
          ],
        }),
    });
    const series = await new ApiClient(BASE).histograms('a', 'w');
    expect(series.entries[0].buckets).toEqual([
      [-Infinity, 0, 2],
      [0, NaN, Infinity],
    ]);
  });

  it('turns a binary tensor into shape, dtype and float32 values', async () => {
    const values = new Float32Array([1, -2.5, NaN, Infinity, 0, 6]);
    serve({
      '/api/tensor?run=a&tag=activations%2Fconv1&step=7': () =>
        new Response(values.buffer, {
          headers: {
            'Content-Type': 'application/octet-stream',
            'X-Tensor-Shape': '2,3',
            'X-Tensor-Dtype': 'float32',
            'X-Step': '7',
            'X-Wall-Time': '1700000000.25',
          },
        }),
    });
    const tensor = await new ApiClient(BASE).tensor('a', 'activations/conv1', 7);
    expect(tensor.shape).toEqual([2, 3]);
    expect(tensor.dtype).toBe('float32');
    expect(tensor.step).toBe(7);
    expect(tensor.wallTime).toBe(1700000000.25);
    expect(Array.from(tensor.values)).toEqual(Array.from(values));
  });

  it('reports a binary tensor whose length does not match its shape', async () => {
    serve({
      '/api/tensor?run=a&tag=t&step=1': () =>
        new Response(new Float32Array(5).buffer, { headers: { 'X-Tensor-Shape': '2,3' } }),
    });
    const call = new ApiClient(BASE).tensor('a', 't', 1);
    await expect(call).rejects.toThrow('tensor payload has 5 values, want 6 for shape [2,3]');
  });

  it('decodes the JSON form of a tensor, non-finite values included', async () => {
    serve({
      '/api/tensor?run=a&tag=t&step=1&format=json': () =>
        json({
          step: 1,
          wallTime: 2,
          dtype: 'float32',
          shape: [3],
          values: [1, 'NaN', '-Infinity'],
        }),
    });
    const tensor = await new ApiClient(BASE).tensorJson('a', 't', 1);
    expect(Array.from(tensor.values)).toEqual([1, NaN, -Infinity]);
  });

  it('raises ApiError with the status and the server message of an error body', async () => {
    serve({
      '/api/tags?run=x': () => json({ error: { status: 404, message: 'unknown run: "x"' } }, 404),
    });
    const error = await new ApiClient(BASE).tags('x').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 404,
      message: 'unknown run: "x"',
      url: `${BASE}/api/tags?run=x`,
    });
  });

  it('raises ApiError with status 0 when a body breaks the contract', async () => {
    serve({
      '/api/scalars?run=a&tag=t': () =>
        json({ run: 'a', tag: 't', total: 1, entries: [[0, 1, 'oops', 0]] }),
    });
    const error = await new ApiClient(BASE).scalars('a', 't').catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      status: 0,
      message: 'invalid entries[0] value: "oops" (want a number)',
    });
  });

  it('raises ApiError with status 0 when the server cannot be reached', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('fetch failed');
    });
    const error = await new ApiClient(BASE).runs().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 0, message: 'server unreachable (fetch failed)' });
  });

  it('passes the abort signal through so a superseded request stops', async () => {
    serve({ '/api/runs': () => json({ loading: false, runs: [], jobs: [], warnings: [] }) });
    const controller = new AbortController();
    controller.abort();
    await expect(new ApiClient(BASE).runs(controller.signal)).rejects.toThrow();
  });

  it('serves a series from its cache until a live change names its run and tag', async () => {
    const body = { run: 'a', tag: 'loss', total: 1, entries: [[0, 1, 0.5, 0]] };
    const asked = serve({
      '/api/scalars?run=a&tag=loss': () => json(body),
      '/api/scalars?run=a&tag=acc': () => json({ ...body, tag: 'acc' }),
    });
    const client = new ApiClient(BASE);
    await client.scalars('a', 'loss');
    await client.scalars('a', 'acc');
    client.invalidate([{ run: 'a', tag: 'acc', kind: 'scalars', lastStep: 1 }]);
    await client.scalars('a', 'loss');
    await client.scalars('a', 'acc');
    expect(asked).toEqual([
      '/api/scalars?run=a&tag=loss',
      '/api/scalars?run=a&tag=acc',
      '/api/scalars?run=a&tag=acc',
    ]);
  });

  it("refetches a run's tags after a change without a tag", async () => {
    const asked = serve({ '/api/tags?run=a': () => json({ run: 'a', tags: [] }) });
    const client = new ApiClient(BASE);
    await client.tags('a');
    client.invalidate([{ run: 'a' }]);
    await client.tags('a');
    expect(asked).toHaveLength(2);
  });
});
