/**
 * Calls per second and MB/s of each CRC32C lensboard has (the JavaScript
 * tables, the native `@node-rs/crc32`, and the size-picking `crc32c` that
 * framing uses) over inputs from a record header to a large image, to place
 * `NATIVE_MIN_BYTES` where native starts to win. Best of five rounds each.
 *
 *   npx tsx bench/crc32c.ts
 */
import { crc32c, crc32cBackend, jsCrc32c, loadNativeCrc32c } from '../writer/crc32c.js';

const SIZES = [8, 40, 64, 128, 192, 256, 512, 1024, 4096, 65536, 1 << 20];
const BYTES_PER_ROUND = 8 << 20;

type Checksum = (data: Uint8Array) => number;

function callsPerSecond(checksum: Checksum, views: Uint8Array[], calls: number): number {
  let best = 0;
  let sink = 0;
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    for (let i = 0; i < calls; i++) sink ^= checksum(views[i & 15]);
    best = Math.max(best, calls / ((performance.now() - started) / 1000));
  }
  if (sink === 0.5) console.log(sink); // keeps the loop from being optimised away
  return best;
}

function main(): void {
  const native = loadNativeCrc32c();
  const source = new Uint8Array((1 << 20) + 16).map((_, i) => (i * 2654435761) >>> 24);
  const candidates: [string, Checksum | null][] = [
    ['js', (data) => jsCrc32c(data, 0, data.length)],
    ['native', native],
    ['crc32c', crc32c],
  ];
  console.log(`crc32c picks: native above its threshold: ${crc32cBackend === 'native'}`);
  for (const size of SIZES) {
    // Sixteen views at different alignments, as record payloads fall in a chunk.
    const views = Array.from({ length: 16 }, (_, k) => source.subarray(k, k + size));
    const calls = Math.max(16, Math.floor(BYTES_PER_ROUND / size));
    const cells = candidates.map(([name, checksum]) => {
      if (!checksum) return `${name} n/a`;
      const rate = callsPerSecond(checksum, views, calls);
      return `${name} ${(rate / 1e6).toFixed(2)} M/s ${((rate * size) / 2 ** 20).toFixed(0)} MB/s`;
    });
    console.log(`${String(size).padStart(8)} B: ${cells.join(' | ')}`);
  }
}

main();
