/**
 * The masked CRC32C (Castagnoli) checksum that guards every TFRecord field.
 * Masking keeps a CRC of data that itself embeds CRCs from colliding with them.
 *
 * Every byte lensboard writes or reads passes through here, so the checksum
 * is picked by input size: `@node-rs/crc32` (native, SSE4.2, over 1 GB/s) for
 * long inputs, where its fixed cost per call (about 0.5 µs) is paid back, and
 * table-driven JavaScript for short ones (record headers, scalar events),
 * which has no call overhead. On a platform without a prebuilt native binary
 * the JavaScript alone does all of it. bench/crc32c.ts measures the crossover.
 */
import { createRequire } from 'node:module';
import { endianness } from 'node:os';

const POLYNOMIAL = 0x82f63b78; // Castagnoli, bit-reversed
const MASK_DELTA = 0xa282ead8;

/**
 * Inputs at least this long go to the native checksum when it loaded. Below
 * it, the JavaScript loop wins: measured about 2.5x faster at 40 bytes and
 * still ahead at 192; native leads from 256 on (1.5x at 512, 4x at 64 KiB).
 */
export const NATIVE_MIN_BYTES = 256;

/** Inputs shorter than this skip the word loop: building its view costs more than it saves. */
const WORD_LOOP_MIN_BYTES = 256;
/** Shorter inputs (record headers) go byte by byte: no view to look up. */
const VIEW_LOOP_MIN_BYTES = 16;
const WORDS_ARE_LITTLE_ENDIAN = endianness() === 'LE';

export type NativeCrc32c = (data: Uint8Array) => number;

/**
 * The native CRC32C if its package and prebuilt binary load, else null.
 * `load` stands for `require('@node-rs/crc32')`, so tests can make it fail.
 */
export function loadNativeCrc32c(
  load: () => unknown = () => createRequire(import.meta.url)('@node-rs/crc32'),
): NativeCrc32c | null {
  try {
    const candidate = (load() as { crc32c?: unknown }).crc32c;
    if (typeof candidate !== 'function') return null;
    const crc = candidate as NativeCrc32c;
    // A binary built for another CPU may load and still answer wrongly.
    const check = crc(Uint8Array.of(0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39));
    return check === 0xe3069283 ? crc : null;
  } catch {
    return null;
  }
}

const native = loadNativeCrc32c();

/** Which implementation checksums long inputs in this process. */
export const crc32cBackend: 'native' | 'js' = native ? 'native' : 'js';

/**
 * Sixteen 256-entry tables in one array: table t at offset 256·t gives the
 * CRC contribution of a byte followed by t zero bytes.
 */
const TABLES = buildTables();

function buildTables(): Int32Array {
  const tables = new Int32Array(256 * 16);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let bit = 0; bit < 8; bit++) c = c & 1 ? (c >>> 1) ^ POLYNOMIAL : c >>> 1;
    tables[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = tables[n];
    for (let t = 1; t < 16; t++) {
      c = (c >>> 8) ^ tables[c & 0xff];
      tables[t * 256 + n] = c;
    }
  }
  return tables;
}

/** The plain CRC32C of `data`, as an unsigned 32-bit integer. */
export function crc32c(data: Uint8Array): number {
  if (native !== null && data.length >= NATIVE_MIN_BYTES) return native(data);
  return jsCrc32c(data, 0, data.length);
}

/** The plain CRC32C of `data[start..end)`, without making a view of it when short. */
export function crc32cOfRange(data: Uint8Array, start: number, end: number): number {
  if (native !== null && end - start >= NATIVE_MIN_BYTES) return native(data.subarray(start, end));
  return jsCrc32c(data, start, end);
}

/** The JavaScript CRC32C of `data[start..end)`, whatever its length. */
export function jsCrc32c(data: Uint8Array, start: number, end: number): number {
  const t = TABLES;
  let crc = -1;
  let at = start;
  if (end - at >= WORD_LOOP_MIN_BYTES && WORDS_ARE_LITTLE_ENDIAN) {
    // Bytes up to the first 4-byte boundary, then 16-byte blocks as words.
    while (((data.byteOffset + at) & 3) !== 0) crc = (crc >>> 8) ^ t[(crc ^ data[at++]) & 0xff];
    const blocks = (end - at) >>> 4;
    crc = wordBlocks(new Int32Array(data.buffer, data.byteOffset + at, blocks * 4), crc);
    at += blocks * 16;
  }
  if (end - at >= VIEW_LOOP_MIN_BYTES) {
    // Slicing-by-8 over unaligned little-endian words of the underlying buffer,
    // then one slicing-by-4 step, leaving at most 3 bytes to the byte loop.
    const words = viewOf(data);
    const shift = data.byteOffset;
    for (; end - at >= 8; at += 8) {
      const a = crc ^ words.getInt32(shift + at, true);
      const b = words.getInt32(shift + at + 4, true);
      crc =
        t[1792 + (a & 0xff)] ^
        t[1536 + ((a >>> 8) & 0xff)] ^
        t[1280 + ((a >>> 16) & 0xff)] ^
        t[1024 + (a >>> 24)] ^
        t[768 + (b & 0xff)] ^
        t[512 + ((b >>> 8) & 0xff)] ^
        t[256 + ((b >>> 16) & 0xff)] ^
        t[b >>> 24];
    }
    if (end - at >= 4) {
      const a = crc ^ words.getInt32(shift + at, true);
      crc =
        t[768 + (a & 0xff)] ^
        t[512 + ((a >>> 8) & 0xff)] ^
        t[256 + ((a >>> 16) & 0xff)] ^
        t[a >>> 24];
      at += 4;
    }
  }
  while (at < end) crc = (crc >>> 8) ^ t[(crc ^ data[at++]) & 0xff];
  return ~crc >>> 0;
}

/**
 * A DataView of the ArrayBuffer behind the last input, kept so that the
 * records of one chunk (or of one writer buffer, or of Node's small-Buffer
 * pool) share one view instead of each building its own. It holds at most
 * that one ArrayBuffer alive. The same input object, the usual case, is
 * recognised without reading its `buffer`, which costs a getter call.
 */
let viewedData: Uint8Array | null = null;
let viewed: ArrayBufferLike | null = null;
let view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

function viewOf(data: Uint8Array): DataView<ArrayBufferLike> {
  if (data === viewedData) return view;
  viewedData = data;
  if (data.buffer !== viewed) {
    viewed = data.buffer;
    view = new DataView(data.buffer);
  }
  return view;
}

function wordBlocks(words: Int32Array, crc: number): number {
  const t = TABLES;
  for (let w = 0; w < words.length; w += 4) {
    const a = words[w] ^ crc;
    const b = words[w + 1];
    const c = words[w + 2];
    const d = words[w + 3];
    crc =
      t[3840 + (a & 0xff)] ^
      t[3584 + ((a >>> 8) & 0xff)] ^
      t[3328 + ((a >>> 16) & 0xff)] ^
      t[3072 + (a >>> 24)] ^
      t[2816 + (b & 0xff)] ^
      t[2560 + ((b >>> 8) & 0xff)] ^
      t[2304 + ((b >>> 16) & 0xff)] ^
      t[2048 + (b >>> 24)] ^
      t[1792 + (c & 0xff)] ^
      t[1536 + ((c >>> 8) & 0xff)] ^
      t[1280 + ((c >>> 16) & 0xff)] ^
      t[1024 + (c >>> 24)] ^
      t[768 + (d & 0xff)] ^
      t[512 + ((d >>> 8) & 0xff)] ^
      t[256 + ((d >>> 16) & 0xff)] ^
      t[d >>> 24];
  }
  return crc;
}

/** The masked CRC32C that TFRecord framing stores, as an unsigned 32-bit integer. */
export function maskedCrc32c(data: Uint8Array): number {
  return maskCrc32c(crc32c(data));
}

/** The masked CRC32C of `data[start..end)`. */
export function maskedCrc32cOfRange(data: Uint8Array, start: number, end: number): number {
  return maskCrc32c(crc32cOfRange(data, start, end));
}

/** Masks a plain CRC32C the way TFRecord framing stores it. */
export function maskCrc32c(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}
