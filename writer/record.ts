/**
 * TFRecord framing, both ways. One record on disk is:
 *
 *     u64le  payload length N
 *     u32le  masked CRC32C of those 8 length bytes
 *     N      payload (one serialized Event)
 *     u32le  masked CRC32C of the payload
 *
 * A file that ends inside a record is the normal state of a file that is still
 * being written, so reading reports "truncated" and the caller retries later
 * from the same offset. A checksum mismatch is data loss and has its own error.
 */
import { maskedCrc32c, maskedCrc32cOfRange } from './crc32c.js';

export const HEADER_BYTES = 12;
export const FOOTER_BYTES = 4;

/**
 * Records larger than this are refused by the writer and reported as corrupt
 * by the reader: a damaged length field must never make the reader allocate
 * (or wait for) terabytes. 1 GiB is far above any summary a viewer can use.
 */
export const MAX_RECORD_BYTES = 1 << 30;

/** Frames one payload as a complete record. */
export function encodeRecord(payload: Uint8Array): Buffer {
  const [header, footer] = recordFrame(payload);
  return Buffer.concat([header, payload, footer]);
}

/**
 * The bytes that go before and after `payload` to make it a record, so that a
 * large payload can be written as it is (scatter-gather) instead of copied.
 */
export function recordFrame(payload: Uint8Array): [header: Buffer, footer: Buffer] {
  if (payload.length > MAX_RECORD_BYTES) {
    throw new RangeError(
      `record payload of ${payload.length} bytes exceeds the ${MAX_RECORD_BYTES}-byte cap`,
    );
  }
  const header = Buffer.allocUnsafe(HEADER_BYTES);
  // The length fits in 32 bits (the cap is 2^30), so the high word is zero.
  header.writeUInt32LE(payload.length, 0);
  header.writeUInt32LE(0, 4);
  header.writeUInt32LE(maskedCrc32c(header.subarray(0, 8)), 8);
  const footer = Buffer.allocUnsafe(FOOTER_BYTES);
  footer.writeUInt32LE(maskedCrc32c(payload), 0);
  return [header, footer];
}

/**
 * Frames, in place, a payload of `payloadLength` bytes already written at
 * `at + HEADER_BYTES` in `out`: writes the header before it and the footer
 * after it. `out` must have room for the whole record from `at`.
 */
export function frameInPlace(out: Buffer, at: number, payloadLength: number): void {
  if (payloadLength > MAX_RECORD_BYTES) {
    throw new RangeError(
      `record payload of ${payloadLength} bytes exceeds the ${MAX_RECORD_BYTES}-byte cap`,
    );
  }
  out.writeUInt32LE(payloadLength, at);
  out.writeUInt32LE(0, at + 4);
  out.writeUInt32LE(maskedCrc32cOfRange(out, at, at + 8), at + 8);
  const payloadEnd = at + HEADER_BYTES + payloadLength;
  out.writeUInt32LE(maskedCrc32cOfRange(out, at + HEADER_BYTES, payloadEnd), payloadEnd);
}

/** Which part of a record failed its checksum or sanity check. */
export type DataLossPart = 'length' | 'payload';

/**
 * Bytes on disk that can never become a valid record: a failed checksum or an
 * impossible length. Retrying the same offset cannot help; the reader stops
 * this file and keeps everything read before `offset`.
 */
export class DataLossError extends Error {
  override readonly name = 'DataLossError';

  constructor(
    readonly file: string,
    readonly offset: number,
    readonly part: DataLossPart,
    readonly detail: string,
  ) {
    super(`data loss in ${file} at offset ${offset}: ${part} ${detail}`);
  }
}

/** One complete record found in a buffer. */
export interface FramedRecord {
  /** Offset of the record's first header byte, relative to the buffer's origin. */
  offset: number;
  /** The payload, a view into the caller's buffer (not a copy). */
  payload: Uint8Array;
  /** Offset just past this record: where the next one starts. */
  next: number;
}

export type ReadRecordResult =
  | { kind: 'record'; record: FramedRecord }
  /** The buffer ends inside a record; `needed` bytes from `offset` would complete it. */
  | { kind: 'truncated'; needed: number };

/**
 * Reads the record starting at `at` in `bytes`. `origin` is the file offset of
 * `bytes[0]`, so offsets in results and errors are file offsets. `file` names
 * the source in errors. Throws DataLossError for corrupt framing.
 */
export function readRecord(
  bytes: Uint8Array,
  at: number,
  file: string,
  origin = 0,
): ReadRecordResult {
  const size = checkRecordAt(bytes, at, file, origin);
  if (size < 0) return { kind: 'truncated', needed: -size };
  const payload = bytes.subarray(at + HEADER_BYTES, at + size - FOOTER_BYTES);
  return { kind: 'record', record: { offset: origin + at, payload, next: origin + at + size } };
}

/**
 * Checks the framing and both checksums of the record at `at` in `bytes` and
 * returns its whole size in bytes; its payload is `bytes[at + HEADER_BYTES,
 * at + size - FOOTER_BYTES)`. When `bytes` ends inside the record, returns
 * minus the size it needs from `at` (never 0: a record has at least 16 bytes).
 * Allocates nothing for a good record, since a scalar log holds millions.
 * Throws DataLossError, with `origin + at` as the offset, for corrupt framing.
 */
export function checkRecordAt(bytes: Uint8Array, at: number, file: string, origin = 0): number {
  const available = bytes.length - at;
  if (available < HEADER_BYTES) return -HEADER_BYTES;

  const lengthCrc = lengthChecksum(bytes, at);
  const storedLengthCrc = uint32At(bytes, at + 8);
  if (lengthCrc !== storedLengthCrc) {
    const detail = checksumDetail(lengthCrc, storedLengthCrc);
    throw new DataLossError(file, origin + at, 'length', detail);
  }
  // The u64 length as two u32 halves: any high bit set is far above the cap.
  const length = uint32At(bytes, at);
  const lengthHigh = uint32At(bytes, at + 4);
  if (lengthHigh !== 0 || length > MAX_RECORD_BYTES) {
    const stated = BigInt(lengthHigh) * 2n ** 32n + BigInt(length);
    const detail = `of ${stated} bytes exceeds the ${MAX_RECORD_BYTES}-byte cap`;
    throw new DataLossError(file, origin + at, 'length', detail);
  }

  const size = HEADER_BYTES + length + FOOTER_BYTES;
  if (available < size) return -size;

  const payloadEnd = at + HEADER_BYTES + length;
  const payloadCrc = maskedCrc32cOfRange(bytes, at + HEADER_BYTES, payloadEnd);
  const storedPayloadCrc = uint32At(bytes, payloadEnd);
  if (payloadCrc !== storedPayloadCrc) {
    const detail = checksumDetail(payloadCrc, storedPayloadCrc);
    throw new DataLossError(file, origin + at, 'payload', detail);
  }
  return size;
}

/**
 * Where the first record that `bytes` does not hold whole starts (its length
 * when every record is whole) and how many bytes that record needs, from the
 * length fields alone, so a reader can fetch the next chunk from there while
 * it checks this one. The checksums are checked when the records are read;
 * a length past the cap asks for a header only, since reading stops there
 * with data loss anyway.
 */
export function firstCutRecord(bytes: Uint8Array): [at: number, needed: number] {
  let at = 0;
  while (bytes.length - at >= HEADER_BYTES) {
    const length = uint32At(bytes, at);
    if (uint32At(bytes, at + 4) !== 0 || length > MAX_RECORD_BYTES) break;
    const size = HEADER_BYTES + length + FOOTER_BYTES;
    if (bytes.length - at < size) return [at, size];
    at += size;
  }
  return [at, HEADER_BYTES];
}

function uint32At(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}

/**
 * Masked CRCs of the length fields of records under 64 KiB, computed once
 * each: a scalar log repeats a handful of lengths millions of times. Zero
 * means "not yet known"; a length whose masked CRC is 0 is just recomputed.
 */
const SHORT_LENGTH_CRCS = new Uint32Array(1 << 16);
const lengthScratch = new Uint8Array(8);

/** The masked CRC32C of the 8 length bytes at `at`. */
function lengthChecksum(bytes: Uint8Array, at: number): number {
  const short = bytes[at + 2] === 0 && bytes[at + 3] === 0 && uint32At(bytes, at + 4) === 0;
  if (!short) return maskedCrc32cOfRange(bytes, at, at + 8);
  const length = bytes[at] | (bytes[at + 1] << 8);
  const known = SHORT_LENGTH_CRCS[length];
  if (known !== 0) return known;
  lengthScratch[0] = bytes[at];
  lengthScratch[1] = bytes[at + 1];
  const crc = maskedCrc32c(lengthScratch);
  SHORT_LENGTH_CRCS[length] = crc;
  return crc;
}

function checksumDetail(computed: number, stored: number): string {
  const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;
  return `checksum mismatch: got ${hex(stored)}, want ${hex(computed)}`;
}
