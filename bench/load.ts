/**
 * Loads the logdirs bench/make-logdir.ts made and prints, per logdir: load
 * throughput (MB/s), the time until the first run shows a value, peak RSS,
 * and the 2x/1x load-time ratio; plus plain CRC32C speed as the ceiling an
 * image-heavy load is compared with. Figures only: nothing here passes or fails.
 *
 *   npx tsx bench/load.ts [--kinds scalars,images] [--scales 1,2] [--out dir]
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LogdirLoader } from '../server/logdir-loader.js';
import { crc32c } from '../writer/crc32c.js';

const DEFAULT_OUT = new URL('./out/', import.meta.url).pathname;
const MB = 2 ** 20;

function sizeOf(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? sizeOf(path) : statSync(path).size;
  }
  return total;
}

interface LoadFigures {
  seconds: number;
  firstValueSeconds: number;
  peakRssMb: number;
  mb: number;
}

async function measureLoad(logdir: string): Promise<LoadFigures> {
  const mb = sizeOf(logdir) / MB;
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 20);
  const loader = new LogdirLoader(logdir);
  const started = performance.now();
  let firstValue = NaN;
  loader.onChange((changes) => {
    if (Number.isNaN(firstValue) && changes.some((change) => change.tag !== undefined)) {
      firstValue = performance.now() - started;
    }
  });
  await loader.reloadOnce();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  await loader.close();
  return { seconds, firstValueSeconds: firstValue / 1000, peakRssMb: peakRss / MB, mb };
}

function crcSpeed(): number {
  const block = new Uint8Array(64 * MB).map((_, i) => i * 31);
  const started = performance.now();
  crc32c(block);
  crc32c(block);
  return (2 * 64) / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: DEFAULT_OUT },
      kinds: { type: 'string', default: 'scalars,images' },
      scales: { type: 'string', default: '1,2' },
    },
  });
  const crc = crcSpeed();
  console.log(`crc32c: ${crc.toFixed(0)} MB/s`);
  for (const kind of values.kinds.split(',')) {
    const times: number[] = [];
    for (const scale of values.scales.split(',')) {
      const logdir = join(values.out, `${kind}-${scale}x`);
      if (!existsSync(logdir)) {
        console.log(`${logdir}: missing, run bench/make-logdir.ts first`);
        continue;
      }
      const f = await measureLoad(logdir);
      times.push(f.seconds);
      const speed = f.mb / f.seconds;
      console.log(
        `${kind}-${scale}x: ${f.mb.toFixed(0)} MB in ${f.seconds.toFixed(2)} s = ` +
          `${speed.toFixed(0)} MB/s (${((100 * speed) / crc).toFixed(0)}% of crc32c), ` +
          `first value after ${f.firstValueSeconds.toFixed(3)} s, peak RSS ${f.peakRssMb.toFixed(0)} MB`,
      );
    }
    if (times.length === 2) {
      console.log(`${kind}: 2x/1x load time ratio ${(times[1] / times[0]).toFixed(2)}`);
    }
  }
}

await main();
