/**
 * Loads the logdirs bench/make-logdir.ts made and prints, per logdir: load
 * throughput (MB/s of wall time, and of the process's own CPU time, since
 * the machine is shared), the time until the first run shows a value, peak
 * RSS, and the 2x/1x load-time ratio. The ceiling each load is compared with
 * is the CRC32C limit: the time the project's own `crc32c` (native above its
 * size threshold, JavaScript below) needs to check every record of the same
 * files, record by record, as loading must; next to it, a looser ceiling
 * that also reads the files (see `readAndCrcLimit`). Figures only: nothing
 * here passes or fails. Run one kind per process, so one kind's heap cannot
 * weigh on the other's figures.
 *
 *   npx tsx bench/load.ts [--kinds scalars,images] [--scales 1,2] [--out dir]
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LogdirLoader } from '../server/logdir-loader.js';
import { crc32c, crc32cBackend, crc32cOfRange } from '../writer/crc32c.js';
import { FOOTER_BYTES, HEADER_BYTES } from '../writer/record.js';

const DEFAULT_OUT = new URL('./out/', import.meta.url).pathname;
const MB = 2 ** 20;

function filesOf(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesOf(path) : [path];
  });
}

interface LoadFigures {
  seconds: number;
  cpuSeconds: number;
  firstValueSeconds: number;
  peakRssMb: number;
  mb: number;
  loadAverage: string;
}

async function measureLoad(logdir: string): Promise<LoadFigures> {
  const mb = filesOf(logdir).reduce((sum, file) => sum + statSync(file).size, 0) / MB;
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 20);
  const loader = new LogdirLoader(logdir);
  const cpu = process.cpuUsage();
  const started = performance.now();
  let firstValue = NaN;
  loader.onChange((changes) => {
    if (Number.isNaN(firstValue) && changes.some((change) => change.tag !== undefined)) {
      firstValue = performance.now() - started;
    }
  });
  await loader.reloadOnce();
  const seconds = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  clearInterval(sampler);
  await loader.close();
  const cpuSeconds = (user + system) / 1e6;
  const firstValueSeconds = firstValue / 1000;
  return {
    seconds,
    cpuSeconds,
    firstValueSeconds,
    peakRssMb: peakRss / MB,
    mb,
    loadAverage: loadAverage(),
  };
}

/** The 1, 5 and 15 minute load averages: other work on the machine weighs on every figure. */
function loadAverage(): string {
  return loadavg()
    .map((n) => n.toFixed(1))
    .join(' ');
}

/** MB/s of checksumming every record of `logdir` (both CRCs), timing only the checksums. */
function crcLimit(logdir: string): number {
  let bytes = 0;
  let milliseconds = 0;
  for (const file of filesOf(logdir)) {
    const data = readFileSync(file);
    const started = performance.now();
    let sink = 0;
    for (let at = 0; at + HEADER_BYTES <= data.length;) {
      const payloadEnd = at + HEADER_BYTES + data.readUInt32LE(at);
      if (payloadEnd + FOOTER_BYTES > data.length) break;
      sink ^= crc32cOfRange(data, at, at + 8) ^ crc32cOfRange(data, at + HEADER_BYTES, payloadEnd);
      at = payloadEnd + FOOTER_BYTES;
    }
    milliseconds += performance.now() - started;
    bytes += data.length + (sink & 0);
  }
  return bytes / MB / (milliseconds / 1000);
}

/**
 * MB/s of a second, looser ceiling: reading every file in 4 MiB chunks, one
 * read ahead, and checksumming each chunk whole. It counts the copy out of
 * the page cache that any reader pays and the CRC32C limit leaves out.
 */
async function readAndCrcLimit(logdir: string): Promise<number> {
  const buffers = [Buffer.allocUnsafeSlow(4 * MB), Buffer.allocUnsafeSlow(4 * MB)];
  let bytes = 0;
  let sink = 0;
  const started = performance.now();
  for (const file of filesOf(logdir)) {
    const handle = await open(file, 'r');
    let position = 0;
    let ahead = handle.read(buffers[0], 0, 4 * MB, 0);
    for (let turn = 1; ; turn ^= 1) {
      const { bytesRead, buffer } = await ahead;
      if (bytesRead === 0) break;
      position += bytesRead;
      ahead = handle.read(buffers[turn], 0, 4 * MB, position);
      sink ^= crc32c(buffer.subarray(0, bytesRead));
    }
    bytes += position;
    await handle.close();
  }
  const seconds = (performance.now() - started) / 1000;
  return (bytes + (sink & 0)) / MB / seconds;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: DEFAULT_OUT },
      kinds: { type: 'string', default: 'scalars,images' },
      scales: { type: 'string', default: '1,2' },
    },
  });
  console.log(`crc32c: ${crc32cBackend} above its threshold; load average ${loadAverage()}`);
  for (const kind of values.kinds.split(',')) {
    const logdirs: [string, string][] = [];
    for (const scale of values.scales.split(',')) {
      const logdir = join(values.out, `${kind}-${scale}x`);
      if (existsSync(logdir)) logdirs.push([`${kind}-${scale}x`, logdir]);
      else console.log(`${logdir}: missing, run bench/make-logdir.ts first`);
    }
    // Every load before any CRC32C limit: the limit reads whole files, whose
    // garbage would otherwise count in the next load's peak RSS.
    const loads: LoadFigures[] = [];
    for (const [, logdir] of logdirs) loads.push(await measureLoad(logdir));
    for (const [i, [name, logdir]] of logdirs.entries()) {
      report(name, loads[i], crcLimit(logdir), await readAndCrcLimit(logdir));
    }
    if (loads.length === 2) {
      const ratio = loads[1].seconds / loads[0].seconds;
      const cpuRatio = loads[1].cpuSeconds / loads[0].cpuSeconds;
      console.log(
        `${kind}: 2x/1x load time ratio ${ratio.toFixed(2)} (of CPU time ${cpuRatio.toFixed(2)})`,
      );
    }
  }
}

function report(name: string, f: LoadFigures, crc: number, readAndCrc: number): void {
  const speed = f.mb / f.seconds;
  const percent = (limit: number) => `${((100 * speed) / limit).toFixed(0)}%`;
  console.log(
    `${name}: ${f.mb.toFixed(0)} MB in ${f.seconds.toFixed(2)} s = ` +
      `${speed.toFixed(0)} MB/s (${(f.mb / f.cpuSeconds).toFixed(0)} MB/s of CPU time), ` +
      `first value after ${f.firstValueSeconds.toFixed(3)} s, ` +
      `peak RSS ${f.peakRssMb.toFixed(0)} MB; ` +
      `load average at its end ${f.loadAverage}\n` +
      `  ${percent(crc)} of the CRC32C limit (${crc.toFixed(0)} MB/s), ` +
      `${percent(readAndCrc)} of reading plus CRC32C of whole chunks ` +
      `(${readAndCrc.toFixed(0)} MB/s)`,
  );
}

await main();
