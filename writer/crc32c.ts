/**
 * The masked CRC32C (Castagnoli) checksum that guards every TFRecord field.
 * Masking keeps a CRC of data that itself embeds CRCs from colliding with them.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const crc32cModule = require('crc-32/crc32c') as {
  buf(data: Uint8Array, seed?: number): number;
};

const MASK_DELTA = 0xa282ead8;

/** The plain CRC32C of `data`, as an unsigned 32-bit integer. */
export function crc32c(data: Uint8Array): number {
  return crc32cModule.buf(data) >>> 0;
}

/** The masked CRC32C that TFRecord framing stores, as an unsigned 32-bit integer. */
export function maskedCrc32c(data: Uint8Array): number {
  const crc = crc32c(data);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}
