/**
 * Requests per second and latency of lensboard's HTTP routes over a logdir
 * written by SummaryWriter: the run list, a 1000-point scalar series, an
 * image, and a 4x28x28x8 activation tensor as float32 bytes and as JSON.
 * Eight clients on loopback in the same process (so figures include the
 * client's own cost); after a warm-up, two seconds per route, best of three.
 *
 *   npx tsx bench/http-api.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '../server/serve.js';
import { SummaryWriter } from '../writer/index.js';

const CLIENTS = 8;
const ROUND_MS = 2000;
const TENSOR_SHAPE = [4, 28, 28, 8];

async function writeLogdir(logdir: string): Promise<void> {
  const writer = new SummaryWriter(join(logdir, 'train'));
  for (let step = 0; step < 1000; step++) writer.scalar('batch/loss', 1 / (step + 1), step);
  const pixels = new Uint8Array(28 * 28 * 3).map((_, i) => i % 256);
  writer.image('activation_grid/conv1', { data: pixels, width: 28, height: 28, channels: 3 }, 0);
  const size = TENSOR_SHAPE.reduce((a, b) => a * b);
  const values = Float32Array.from({ length: size }, (_, i) => Math.sin(i));
  writer.tensor('activations/conv1', values, TENSOR_SHAPE, 0);
  await writer.close();
}

/** Completed requests per second and mean latency of CLIENTS clients fetching `url` in a loop. */
async function measure(url: string): Promise<{ perSecond: number; meanMs: number; bytes: number }> {
  let done = 0;
  let bytes = 0;
  const until = performance.now() + ROUND_MS;
  const client = async () => {
    while (performance.now() < until) {
      const response = await fetch(url);
      bytes = (await response.arrayBuffer()).byteLength;
      if (!response.ok) throw new Error(`${url}: ${response.status}`);
      done++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: done / seconds, meanMs: (seconds * 1000 * CLIENTS) / done, bytes };
}

async function main(): Promise<void> {
  const logdir = mkdtempSync(join(tmpdir(), 'lensboard-bench-http-'));
  await writeLogdir(logdir);
  const serving = await serve({ logdir, port: 0 });
  const api = `${serving.url}api/`;
  const routes: [string, string][] = [
    ['runs', 'runs'],
    ['scalars (1000 points)', 'scalars?run=train&tag=batch%2Floss'],
    ['image (28x28 PNG)', 'image?run=train&tag=activation_grid%2Fconv1&step=0&index=0'],
    ['tensor float32 (25k values)', 'tensor?run=train&tag=activations%2Fconv1&step=0'],
    ['tensor JSON (25k values)', 'tensor?run=train&tag=activations%2Fconv1&step=0&format=json'],
  ];
  try {
    while (serving.reader.loading) await new Promise((resolve) => setTimeout(resolve, 20));
    console.log(
      `route                          req/s   mean ms   body bytes  (${CLIENTS} clients)`,
    );
    for (const [name, path] of routes) {
      const rounds = [];
      for (let round = 0; round < 3; round++) rounds.push(await measure(api + path));
      const best = rounds.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
      const row = [best.perSecond.toFixed(0).padStart(7), best.meanMs.toFixed(2).padStart(9)];
      console.log(`${name.padEnd(28)} ${row.join(' ')} ${String(best.bytes).padStart(12)}`);
    }
  } finally {
    await serving.close();
    rmSync(logdir, { recursive: true, force: true });
  }
}

await main();
