/**
 * DNS rebinding: a server bound to loopback answers only requests whose Host
 * is a loopback name or address, whatever the port; a server bound to a
 * wildcard address or a name answers any Host.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindHostWant, isLoopbackBind, isLoopbackHostHeader } from '../server/host-check.js';
import { serve, type Serving } from '../server/serve.js';
import { FakeReader } from './helpers/fake-reader.js';
import { startTestServer, type TestServer } from './helpers/app-server.js';
import { tempLogdir, writeRun } from './helpers/write-logdir.js';

interface Answer {
  status: number;
  type: string | undefined;
  body: string;
}

/** GET `path` from `base` with the Host header set to `host` (fetch may not set it). */
function getWithHost(base: string, path: string, host: string): Promise<Answer> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('a server bound to loopback by default', () => {
  let logdir: string;
  let serving: Serving;

  beforeAll(async () => {
    logdir = tempLogdir();
    await writeRun(logdir, 'train', (writer) => writer.scalar('loss', 1, 0));
    serving = await serve({ logdir, port: 0, staticDir: join(logdir, 'no-viewer') });
  });

  afterAll(() => serving.close());

  it.each([
    'localhost',
    'localhost:6007',
    'LOCALHOST:1',
    '127.0.0.1',
    '127.8.9.10:80',
    '[::1]:6007',
  ])('answers a request whose Host is %s', async (host) => {
    expect((await getWithHost(serving.url, '/api/runs', host)).status).toBe(200);
  });

  it.each([
    'evil.example',
    'evil.example:6007',
    '127.0.0.1.evil.example',
    'localhost.evil.example:6007',
    '10.0.0.1',
    '[::2]:6007',
    'localhost:6007@evil.example',
  ])('refuses a request whose Host is %s with a 403 naming it', async (host) => {
    const answer = await getWithHost(serving.url, '/api/runs', host);
    expect(answer.status).toBe(403);
    expect(answer.type).toMatch(/^application\/json/);
    const { error } = JSON.parse(answer.body);
    expect(error.status).toBe(403);
    expect(error.message).toContain(`refused Host ${JSON.stringify(host)}`);
    expect(error.message).toContain('start it with --host to serve other names');
  });

  it('refuses the viewer and live updates to another Host too, not only the API', async () => {
    for (const path of ['/', '/index.html', '/api/events']) {
      expect((await getWithHost(serving.url, path, 'evil.example')).status).toBe(403);
    }
  });

  it('refuses an HTTP/1.0 request without a Host header (Node refuses HTTP/1.1 ones)', async () => {
    const { port } = new URL(serving.url);
    const answer = await new Promise<string>((resolve, reject) => {
      let text = '';
      const socket = connect(Number(port), '127.0.0.1', () =>
        socket.end('GET /api/runs HTTP/1.0\r\n\r\n'),
      );
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 403 /);
    expect(answer).toContain('refused a request without a Host header');
  });
});

describe('an app not told it is bound to loopback', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(new FakeReader().addScalars('train', 'loss', [1]));
  });

  afterAll(() => server.close());

  it('answers any Host, as a server bound to 0.0.0.0 or a name does', async () => {
    const answer = await getWithHost(server.base, '/api/runs', 'lensboard.example:6007');
    expect(answer.status).toBe(200);
  });
});

describe('which bind addresses are loopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['0:0:0:0:0:0:0:1', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.5', false],
    ['lensboard.example', false],
  ])('%s is loopback: %s', (host, loopback) => {
    expect(isLoopbackBind(host)).toBe(loopback);
  });

  it('reads no other spelling of a loopback Host than localhost, 127.x.x.x and [::1]', () => {
    expect(isLoopbackHostHeader('127.1')).toBe(false);
    expect(isLoopbackHostHeader('::1')).toBe(false);
    expect(isLoopbackHostHeader('')).toBe(false);
    expect(isLoopbackHostHeader('localhost:')).toBe(false);
    expect(isLoopbackHostHeader('[::1]')).toBe(true);
  });
});

describe('which bind addresses are well formed', () => {
  it.each(['127.0.0.1', '0.0.0.0', '::', '::1', 'fe80::1%lo', 'localhost', 'gpu-box.lan', 'db_1.'])(
    '%s is a hostname or an IP literal',
    (host) => {
      expect(bindHostWant(host)).toBeUndefined();
    },
  );

  it.each([
    ['', /^an address to bind/],
    ['not a host!', /^a hostname \(letters, digits, hyphens and dots\) or an IP address$/],
    ['999.1.1.1', /^a hostname/],
    ['-lead.example', /^a hostname/],
    ['a..b', /^a hostname/],
    ['[::1]', /^an IPv6 address without brackets, as ::1$/],
  ])('%j is refused, wanting %s', (host, want) => {
    expect(bindHostWant(host)).toMatch(want);
  });
});
