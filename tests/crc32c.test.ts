/**
 * The CRC32C backends: the JavaScript tables and the native module give the
 * same checksum for every length and alignment, and a native module that
 * fails to load (or answers wrongly) leaves the JavaScript in charge.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  crc32c,
  crc32cOfRange,
  jsCrc32c,
  loadNativeCrc32c,
  NATIVE_MIN_BYTES,
} from '../writer/crc32c.js';

const reference = createRequire(import.meta.url)('crc-32/crc32c') as {
  buf(data: Uint8Array): number;
};
const bytes = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7919 + 13) & 0xff);
/**
 * Every short length (each path of the table loops and their tails), and both
 * sides of each threshold.
 */
const LENGTHS = [
  ...Array.from({ length: 41 }, (_, i) => i),
  63,
  64,
  65,
  255,
  256,
  257,
  NATIVE_MIN_BYTES - 1,
  NATIVE_MIN_BYTES,
];

describe('crc32c', () => {
  it(
    'agrees with the crc-32 package ' + 'on both sides of the native threshold, at every alignment',
    () => {
      for (const length of [...LENGTHS, 1000, 4093]) {
        for (let offset = 0; offset < 8; offset++) {
          const data = bytes.subarray(offset, offset + length);
          const want = reference.buf(data) >>> 0;
          expect(crc32c(data), `length ${length} offset ${offset}`).toBe(want);
          expect(jsCrc32c(data, 0, data.length), `js, length ${length}`).toBe(want);
          expect(crc32cOfRange(bytes, offset, offset + length)).toBe(want);
        }
      }
    },
  );

  it('uses the native module when it loads and answers the check value', () => {
    const native = loadNativeCrc32c();
    expect(native).not.toBeNull();
    expect(native!(bytes)).toBe(jsCrc32c(bytes, 0, bytes.length));
  });

  it('falls back to JavaScript when the native module is missing, lacks crc32c or is wrong', () => {
    expect(
      loadNativeCrc32c(() => {
        throw new Error('Cannot find module @node-rs/crc32-linux-x64-gnu');
      }),
    ).toBeNull();
    expect(loadNativeCrc32c(() => ({}))).toBeNull();
    expect(loadNativeCrc32c(() => ({ crc32c: () => 0 }))).toBeNull();
  });
});
