/**
 * The HTTP layer never reads a file named by a request: runs, tags, steps and
 * indices are looked up in the reader's index, static files come only from the
 * viewer's directory, and malformed parameters are refused with a 400 naming
 * the parameter and the value.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeReader } from './helpers/fake-reader.js';
import {
  getJson,
  startTestServer,
  waitUntilLoaded,
  type TestServer,
} from './helpers/app-server.js';
import { tempLogdir, writeRun } from './helpers/write-logdir.js';
import { serve, type Serving } from '../server/serve.js';

const SECRET = 'lensboard-secret-4f7a';
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

let root: string;
let server: TestServer;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'lensboard-security-'));
  mkdirSync(join(root, 'viewer'));
  writeFileSync(join(root, 'viewer', 'index.html'), '<!doctype html><title>viewer</title>');
  writeFileSync(join(root, 'secret.txt'), SECRET);
  const reader = new FakeReader(join(root, 'logdir'))
    .addScalars('train', 'loss', [1, 2])
    .addImages('train', 'digits', new Map([[0, [PNG]]]))
    .failPayload('train', 'digits', '0/0', new Error(`EACCES: ${join(root, 'logdir')}/x`));
  server = await startTestServer(reader, { staticDir: join(root, 'viewer') });
});

afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

async function bodyText(path: string): Promise<{ status: number; text: string }> {
  const response = await fetch(server.base + path);
  return { status: response.status, text: await response.text() };
}

describe('run and tag names that look like paths', () => {
  const traversals = [
    '..',
    '../..',
    '../secret.txt',
    '%2e%2e%2fsecret.txt',
    '%2E%2E%2F%2E%2E%2Fsecret.txt',
    '..%2F..%2Fetc%2Fpasswd',
    encodeURIComponent(join(root ?? '/tmp', 'secret.txt')),
    '%2Fetc%2Fpasswd',
    '..%5C..%5Csecret.txt',
    'train%2F..%2F..%2Fsecret.txt',
  ];

  it.each(traversals)(
    'are unknown runs, answered 404 without reading a file: run=%s',
    async (run) => {
      const { status, body } = await getJson(`${server.base}/api/scalars?run=${run}&tag=loss`);
      expect(status).toBe(404);
      expect(body.error.message).toMatch(/^unknown run: "/);
      expect(JSON.stringify(body)).not.toContain(SECRET);
    },
  );

  it.each(traversals)('are unknown tags of a known run: tag=%s', async (tag) => {
    const { status, body } = await getJson(`${server.base}/api/scalars?run=train&tag=${tag}`);
    expect(status).toBe(404);
    expect(body.error.message).toMatch(/^unknown tag: ".*" in run "train"$/);
  });

  it('addresses images only through the index, whatever the tag spells', async () => {
    const { status, text } = await bodyText(
      `/api/image?run=train&tag=..%2F..%2Fsecret.txt&step=0&index=0`,
    );
    expect(status).toBe(404);
    expect(text).not.toContain(SECRET);
  });

  it('refuses a run name holding a NUL byte with a 400 naming the run', async () => {
    const { status, body } = await getJson(`${server.base}/api/tags?run=train%00..%2Fsecret.txt`);
    expect(status).toBe(400);
    expect(body.error.message).toBe(
      'invalid run: "train\\u0000../secret.txt" (a run name never holds a NUL byte)',
    );
  });

  it('treats a tag holding a NUL byte as an unknown tag', async () => {
    const { status, body } = await getJson(`${server.base}/api/scalars?run=train&tag=loss%00`);
    expect(status).toBe(404);
    expect(body.error.message).toBe('unknown tag: "loss\\u0000" in run "train"');
  });
});

describe('static files', () => {
  const escapes = [
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/..%2fsecret.txt',
    '/viewer/..%2f..%2fsecret.txt',
    '//secret.txt',
    `/${encodeURIComponent(join(root ?? '/tmp', 'secret.txt'))}`,
    '/secret.txt%00.html',
    '/..%5csecret.txt',
  ];

  it.each(escapes)('never serve a file outside the viewer directory: %s', async (path) => {
    const { status, text } = await bodyText(path);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(text).not.toContain(SECRET);
  });

  it('serve the viewer at /', async () => {
    const { status, text } = await bodyText('/');
    expect(status).toBe(200);
    expect(text).toContain('<title>viewer</title>');
  });
});

describe('numeric parameters', () => {
  const badSteps: [string, string][] = [
    ['NaN', 'NaN'],
    ['1e400', '1e400'],
    ['99999999999999999999', '99999999999999999999'],
    ['9007199254740993', '9007199254740993'],
    ['1.5', '1.5'],
    ['0x10', '0x10'],
    ['', ''],
    ['%20', ' '],
    ['Infinity', 'Infinity'],
  ];

  it.each(badSteps)('refuse step=%s with a 400 that shows the value', async (raw, shown) => {
    const { status, body } = await getJson(
      `${server.base}/api/image?run=train&tag=digits&step=${raw}&index=0`,
    );
    expect(status).toBe(400);
    expect(body.error.message).toBe(
      `invalid step: ${JSON.stringify(shown)} (want an integer in the safe-integer range)`,
    );
  });

  it.each(['-1', '1.0', '1e3', '18446744073709551616'])(
    'refuse index=%s with a 400 naming the index',
    async (index) => {
      const { status, body } = await getJson(
        `${server.base}/api/image?run=train&tag=digits&step=0&index=${index}`,
      );
      expect(status).toBe(400);
      expect(body.error.message).toBe(`invalid index: "${index}" (want a non-negative integer)`);
    },
  );

  it('accepts a negative step as a step that may simply not exist', async () => {
    const { status, body } = await getJson(
      `${server.base}/api/image?run=train&tag=digits&step=-3&index=0`,
    );
    expect(status).toBe(404);
    expect(body.error.message).toBe('no image 0 at step -3 of tag "digits" in run "train"');
  });

  it('reads a huge but valid index as a missing image, not as an allocation', async () => {
    const { status } = await getJson(
      `${server.base}/api/image?run=train&tag=digits&step=0&index=9007199254740991`,
    );
    expect(status).toBe(404);
  });
});

describe('parameter shapes', () => {
  it('refuses a repeated run parameter rather than picking one', async () => {
    const { status, body } = await getJson(`${server.base}/api/tags?run=train&run=..`);
    expect(status).toBe(400);
    expect(body.error.message).toBe('repeated parameter: run (given 2 times, want once)');
  });

  it('refuses a repeated step parameter', async () => {
    const url = `${server.base}/api/image?run=train&tag=digits&step=0&step=1&index=0`;
    const { status, body } = await getJson(url);
    expect(status).toBe(400);
    expect(body.error.message).toBe('repeated parameter: step (given 2 times, want once)');
  });

  it('does not read bracketed names as nested objects', async () => {
    const { status, body } = await getJson(`${server.base}/api/tags?run[]=train&run[x]=train`);
    expect(status).toBe(400);
    expect(body.error.message).toBe('missing parameter: run');
  });

  it('refuses an unknown tensor format by name and value', async () => {
    const url = `${server.base}/api/tensor?run=train&tag=loss&step=0&format=xml`;
    const { status, body } = await getJson(url);
    expect(status).toBe(400);
    expect(body.error.message).toBe('invalid format: "xml" (want "json" or "binary")');
  });

  it.each([
    ['POST', '/api/runs'],
    ['OPTIONS', '/api/runs'],
    ['OPTIONS', '/api/image'],
    ['PUT', '/api/scalars'],
    ['DELETE', '/api/nothing'],
    ['OPTIONS', '/'],
    ['PATCH', '/index.html'],
  ])('answers %s %s with a JSON 405 and the allowed methods', async (method, path) => {
    const response = await fetch(server.base + path, { method });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await response.json();
    expect(body.error).toEqual({
      status: 405,
      message: expect.stringMatching(`^method not allowed: ${method} `),
    });
  });

  it('answers an unknown API route with a JSON 404', async () => {
    const { status, body } = await getJson(`${server.base}/api/../../secret.txt`);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(body)).not.toContain(SECRET);
    const unknown = await getJson(`${server.base}/api/nothing`);
    expect(unknown).toEqual({
      status: 404,
      body: { error: { status: 404, message: 'unknown API route: /nothing' } },
    });
  });
});

describe('malformed percent-encoding', () => {
  it.each([
    '/%',
    '/%E0%A4%A',
    '/api/%',
    '/api/scalars?run=%&tag=loss',
    '/api/scalars?run=train&tag=%ZZ',
  ])('is a client error with a JSON body, never a fault: %s', async (path) => {
    const response = await fetch(server.base + path);
    expect(response.status).toBe(404);
    expect((await response.json()).error.status).toBe(404);
  });
});

describe('server faults', () => {
  it('answer a failed read with a 500 that hides the cause and logs it once', async () => {
    const url = `${server.base}/api/image?run=train&tag=digits&step=0&index=0`;
    const first = await getJson(url);
    const second = await getJson(url);

    expect(first.status).toBe(500);
    expect(first.body.error.message).toBe('could not read step 0 of tag "digits" in run "train"');
    expect(JSON.stringify(first.body)).not.toContain('EACCES');
    expect(second.status).toBe(500);
    const errors = server.logs.filter((line) => line.startsWith('lensboard error:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('EACCES');
  });
});

describe('a logdir with symlinks leading out of it', () => {
  let outer: string;
  let serving: Serving;

  beforeAll(async () => {
    outer = tempLogdir('lensboard-symlinks-');
    const logdir = join(outer, 'logdir');
    mkdirSync(join(outer, 'outside'));
    writeFileSync(join(outer, 'outside', 'secret.txt'), SECRET);
    await writeRun(logdir, 'train', (writer) => writer.scalar('loss', 1, 0));
    symlinkSync(join(outer, 'outside'), join(logdir, 'escape'));
    symlinkSync(join(outer, 'outside', 'secret.txt'), join(logdir, 'train', 'secret.txt'));
    serving = await serve({ logdir, port: 0, staticDir: join(outer, 'no-viewer') });
    await waitUntilLoaded(serving.url);
  });

  afterAll(async () => {
    await serving.close();
    rmSync(outer, { recursive: true, force: true });
  });

  const probes = [
    'tags?run=escape',
    'tags?run=escape%2Fsecret.txt',
    'tags?run=train%2Fsecret.txt',
    'scalars?run=train&tag=secret.txt',
    'text?run=train&tag=secret.txt',
    'image?run=train&tag=secret.txt&step=0&index=0',
    'tensor?run=escape&tag=secret.txt&step=0',
  ];

  it.each(probes)('answers %s with a 404 and none of the outside file', async (probe) => {
    const response = await fetch(`${serving.url}api/${probe}`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain(SECRET);
  });

  it('never lists the outside file in runs or tags', async () => {
    const runs = await (await fetch(`${serving.url}api/runs`)).text();
    const tags = await (await fetch(`${serving.url}api/tags?run=train`)).text();
    expect(JSON.parse(runs).runs.map((run: { name: string }) => run.name)).toEqual(['train']);
    expect(runs + tags).not.toContain(SECRET);
    expect(runs + tags).not.toContain('secret.txt');
  });
});
