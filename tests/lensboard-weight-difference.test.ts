// The weights view subtracts the workers' average only from layers every worker logged.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TensorSeries } from '../plugin-frontend/src/api-types.js';
import { sharedTags, type WeightCatalog } from '../plugin-frontend/src/lensboard/weight-data.js';

function json(body: unknown): Response {
  return new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } });
}

/** Workers that log the shared trunk; worker-1 also logs a layer of its own. */
const WORKER_TAGS: Record<string, string[]> = {
  'job/worker-0': ['templates/trunk', 'batch/loss'],
  'job/worker-1': ['templates/trunk', 'templates/extra'],
};

function serve(): void {
  vi.stubGlobal('fetch', async (url: string) => {
    const run = new URLSearchParams(url.slice(url.indexOf('?') + 1)).get('run')!;
    const tags = WORKER_TAGS[run].map((tag) => ({ tag, kind: 'tensors', description: '' }));
    return json({ run, tags });
  });
}

/** A global run's catalog: the trunk, and expert layers no worker has. */
function catalog(tags: string[]): WeightCatalog {
  const series = new Map(tags.map((tag) => [tag, { tag } as unknown as TensorSeries]));
  return {
    run: 'job/global',
    templates: [],
    kernels: [],
    series,
    failures: new Map(),
    steps: [],
    kept: 0,
    total: 0,
  };
}

afterEach(() => vi.unstubAllGlobals());

describe('weight tags shared with the workers', () => {
  const workers = Object.keys(WORKER_TAGS);

  it('are the tags of the run that every worker logged', async () => {
    serve();
    const own = catalog(['templates/trunk', 'templates/expert0', 'templates/extra']);
    const shared = await sharedTags(own, workers, new AbortController().signal);
    expect([...shared]).toEqual(['templates/trunk']);
  });

  it('are none when the run logged only layers the workers lack', async () => {
    serve();
    const own = catalog(['templates/expert0_features', 'templates/expert1_features']);
    const shared = await sharedTags(own, workers, new AbortController().signal);
    expect(shared.size).toBe(0);
  });
});
