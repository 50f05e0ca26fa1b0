/**
 * The masked CRC32C (Castagnoli) checksum that guards every TFRecord field.
 * Masking keeps a CRC of data that itself embeds CRCs from colliding with them.
 *
 * Every byte lensboard writes or reads passes through here, so this is a
 * slicing-by-16 implementation over 32-bit little-endian words: about twice
 * the throughput of the `crc-32` package's byte-wise slicing on this
 * project's machines (see bench/decode.ts). Short inputs (record headers,
 * scalar events) take the plain byte loop, which has no setup cost.
 */
import { endianness } from 'node:os';

const POLYNOMIAL = 0x82f63b78; // Castagnoli, bit-reversed
const MASK_DELTA = 0xa282ead8;

/** Inputs shorter than this skip the word loop: its setup costs more than it saves. */
const WORD_LOOP_MIN_BYTES = 64;
const WORDS_ARE_LITTLE_ENDIAN = endianness() === 'LE';

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
  return crc32cOfRange(data, 0, data.length);
}

/** The plain CRC32C of `data[start..end)`, without making a view of it. */
export function crc32cOfRange(data: Uint8Array, start: number, end: number): number {
  let crc = -1;
  let at = start;
  if (end - at >= WORD_LOOP_MIN_BYTES && WORDS_ARE_LITTLE_ENDIAN) {
    // Bytes up to the first 4-byte boundary, then 16-byte blocks as words.
    while (((data.byteOffset + at) & 3) !== 0)
      crc = (crc >>> 8) ^ TABLES[(crc ^ data[at++]) & 0xff];
    const blocks = (end - at) >>> 4;
    crc = wordBlocks(new Int32Array(data.buffer, data.byteOffset + at, blocks * 4), crc);
    at += blocks * 16;
  }
  while (at < end) crc = (crc >>> 8) ^ TABLES[(crc ^ data[at++]) & 0xff];
  return ~crc >>> 0;
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
  return mask(crc32c(data));
}

/** The masked CRC32C of `data[start..end)`. */
export function maskedCrc32cOfRange(data: Uint8Array, start: number, end: number): number {
  return mask(crc32cOfRange(data, start, end));
}

function mask(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}
