// A view's series load one by one: a failing (run, tag) or run never blanks the others.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../plugin-frontend/src/api.js';
import { errorText } from '../plugin-frontend/src/components/status.js';
import { loadTagPanels } from '../plugin-frontend/src/views/load-series.js';
import { api } from '../plugin-frontend/src/api.js';

const LONG_TAG = 'x'.repeat(100_000);

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

function tagInfo(tag: string) {
  return { tag, kind: 'scalars', pluginName: 'scalars', displayName: tag, description: '' };
}

/** The server as the viewer meets it: `a` and `b` logged `loss`, `a` a tag too long to ask for. */
function serve(): void {
  vi.stubGlobal('fetch', async (url: string) => {
    const query = new URLSearchParams(url.slice(url.indexOf('?') + 1));
    const run = query.get('run')!;
    const tag = query.get('tag');
    if (url.includes('/api/tags')) {
      if (run === 'gone')
        return json({ error: { status: 404, message: 'unknown run: "gone"' } }, 404);
      const tags = run === 'a' ? ['loss', LONG_TAG] : ['loss'];
      return json({ run, tags: tags.map(tagInfo) });
    }
    // Node answers a request line this long with a bare status line, no body.
    if (tag === LONG_TAG)
      return new Response(null, { status: 431, statusText: 'Request Header Fields Too Large' });
    if (run === 'b') return json({ error: { status: 500, message: 'payload unreadable' } }, 500);
    return json({ run, tag, total: 1, entries: [[0, 1, 0.5, 0]] });
  });
}

afterEach(() => {
  vi.unstubAllGlobals();
  api.invalidateAll();
});

describe('loadTagPanels', () => {
  it('keeps every other series when one (run, tag) fails, and names the failed one', async () => {
    serve();
    const loaded = await loadTagPanels(
      ['a', 'b'],
      'scalars',
      (run, tag, signal) => api.scalars(run, tag, signal),
      new AbortController().signal,
    );
    const loss = loaded.panels.find((panel) => panel.tag === 'loss')!;
    expect(loss.series.map((series) => series.run)).toEqual(['a']);
    expect(loss.failures.map((failure) => failure.run)).toEqual(['b']);
    expect(errorText(loss.failures[0].error)).toBe('payload unreadable (HTTP 500)');

    const long = loaded.panels.find((panel) => panel.tag === LONG_TAG)!;
    expect(long.series).toEqual([]);
    expect(long.failures).toHaveLength(1);
    expect(errorText(long.failures[0].error)).toBe(
      '431 Request Header Fields Too Large: the run or tag name is too long for a request; ' +
        'log it under a shorter name',
    );
    expect(loaded.runFailures).toEqual([]);
  });

  it('reports a run whose tag list fails (removed meanwhile) and loads the other runs', async () => {
    serve();
    const loaded = await loadTagPanels(
      ['gone', 'a'],
      'scalars',
      (run, tag, signal) => api.scalars(run, tag, signal),
      new AbortController().signal,
    );
    expect(loaded.runFailures.map((failure) => failure.run)).toEqual(['gone']);
    expect(loaded.runFailures[0].error).toBeInstanceOf(ApiError);
    expect(loaded.panels.find((panel) => panel.tag === 'loss')!.series).toHaveLength(1);
  });

  it('rejects as a whole when aborted, instead of reporting every request as failed', async () => {
    serve();
    const controller = new AbortController();
    const loading = loadTagPanels(
      ['a', 'b'],
      'scalars',
      (run, tag, signal) => api.scalars(run, tag, signal),
      controller.signal,
    );
    controller.abort();
    await expect(loading).rejects.toThrow();
  });
});
