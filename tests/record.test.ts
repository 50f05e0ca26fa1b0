/**
 * TFRecord framing and its checksum, on bytes annotated by hand and on the
 * first record of a file TensorBoard's own writer produced.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { crc32c, maskedCrc32c } from '../writer/crc32c.js';
import {
  DataLossError,
  checkRecordAt,
  encodeRecord,
  firstCutRecord,
  FOOTER_BYTES,
  HEADER_BYTES,
  MAX_RECORD_BYTES,
  readRecord,
  recordFrame,
} from '../writer/record.js';

const ascii = (text: string) => new TextEncoder().encode(text);
/**
 * Hex bytes from an annotated listing: the first word of each line is data, the
 * rest is comment.
 */
const hex = (listing: string) =>
  Uint8Array.from(
    Buffer.from(
      listing
        .split('\n')
        .map((line) => line.trim().split(/\s+/)[0] ?? '')
        .join(''),
      'hex',
    ),
  );
/**
 * The file_version record of a file written by TensorBoard
 * (fixture empty_file/only_file_version).
 */
const TENSORBOARD_RECORD = hex(`
  4800000000000000                                   length 72, u64 little-endian
  fe92489d                                           masked CRC32C of the 8 length bytes
  0900000040fc54d941                                 wall_time (field 1, double) 1700000000
  1a0d627261696e2e4576656e743a32                     file_version (field 3) "brain.Event:2"
  522e0a2c                                           source_metadata (field 10) { writer:
  74656e736f72626f6172642e73756d6d6172792e             "tensorboard.summary.
  7772697465722e6576656e745f66696c655f777269746572      writer.event_file_writer" }
  0ccc0c95                                           masked CRC32C of the 72 payload bytes
`);
const TENSORBOARD_PAYLOAD = TENSORBOARD_RECORD.subarray(12, 84);

describe('CRC32C', () => {
  it('gives the Castagnoli check value 0xe3069283 for "123456789"', () => {
    expect(crc32c(ascii('123456789'))).toBe(0xe3069283);
  });

  it('agrees with the crc-32 package for every length and alignment around the word loop', () => {
    const reference = createRequire(import.meta.url)('crc-32/crc32c') as {
      buf(data: Uint8Array): number;
    };
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 7919 + 13) & 0xff);
    for (let offset = 0; offset < 5; offset++) {
      for (let length = 0; length + offset <= bytes.length; length += 7) {
        const data = bytes.subarray(offset, offset + length);
        expect(crc32c(data)).toBe(reference.buf(data) >>> 0);
      }
    }
  });

  it('masks by rotating right 15 bits and adding 0xa282ead8', () => {
    expect(maskedCrc32c(ascii('123456789'))).toBe(0xc78ab0e5);
    expect(maskedCrc32c(new Uint8Array())).toBe(0xa282ead8);
  });
});

describe('encodeRecord', () => {
  it('frames a payload exactly as TensorBoard does: length, its CRC, payload, payload CRC', () => {
    expect(encodeRecord(TENSORBOARD_PAYLOAD)).toEqual(Buffer.from(TENSORBOARD_RECORD));
  });

  it('frames an empty payload as a 16-byte record', () => {
    expect(encodeRecord(new Uint8Array()).toString('hex')).toBe(
      '0000000000000000' + // length 0
        '29039807' + // masked CRC32C of 8 zero bytes (CRC 0x8c28b28a), little-endian
        'd8ea82a2', // masked CRC32C of nothing: 0 + 0xa282ead8
    );
  });

  it('returns a header and footer around a payload without copying it', () => {
    const [header, footer] = recordFrame(TENSORBOARD_PAYLOAD);
    expect(header).toEqual(Buffer.from(TENSORBOARD_RECORD.subarray(0, HEADER_BYTES)));
    expect(footer).toEqual(Buffer.from(TENSORBOARD_RECORD.subarray(84)));
    expect(FOOTER_BYTES).toBe(4);
  });

  it('refuses a payload above the record cap with the sizes in the message', () => {
    const huge = { length: MAX_RECORD_BYTES + 1 } as Uint8Array;
    expect(() => recordFrame(huge)).toThrow(/1073741825 bytes exceeds the 1073741824-byte cap/);
  });
});

describe('readRecord', () => {
  it('reads a complete record and says where the next one starts', () => {
    const result = readRecord(TENSORBOARD_RECORD, 0, 'a.tfevents', 1000);
    expect(result.kind).toBe('record');
    if (result.kind !== 'record') return;
    expect(result.record.payload).toEqual(TENSORBOARD_PAYLOAD);
    expect(result.record.offset).toBe(1000);
    expect(result.record.next).toBe(1000 + 88);
  });

  it('reports a record cut inside its header or payload as truncated, not as corrupt', () => {
    expect(readRecord(TENSORBOARD_RECORD.subarray(0, 5), 0, 'f')).toEqual({
      kind: 'truncated',
      needed: HEADER_BYTES,
    });
    expect(readRecord(TENSORBOARD_RECORD.subarray(0, 80), 0, 'f')).toEqual({
      kind: 'truncated',
      needed: 88,
    });
  });

  it('reports a flipped length byte as data loss in the length, with file and offset', () => {
    const bytes = TENSORBOARD_RECORD.slice();
    bytes[0] ^= 0x01;
    expect(() => readRecord(bytes, 0, 'run/a.tfevents', 64)).toThrow(
      expect.objectContaining({
        name: 'DataLossError',
        file: 'run/a.tfevents',
        offset: 64,
        part: 'length',
      }),
    );
  });

  it('reports a flipped payload byte as data loss in the payload', () => {
    const bytes = TENSORBOARD_RECORD.slice();
    bytes[40] ^= 0x80;
    expect(() => readRecord(bytes, 0, 'f')).toThrow(DataLossError);
    expect(() => readRecord(bytes, 0, 'f')).toThrow(/payload checksum mismatch/);
  });

  it('reports a length of 2^40 with a valid checksum as corrupt without allocating it', () => {
    const header = Buffer.alloc(HEADER_BYTES + 100);
    header.writeBigUInt64LE(2n ** 40n, 0);
    header.writeUInt32LE(maskedCrc32c(header.subarray(0, 8)), 8);
    expect(() => readRecord(header, 0, 'f')).toThrow(/exceeds the 1073741824-byte cap/);
  });

  it('reads back what encodeRecord wrote, for payloads of many sizes', () => {
    for (const size of [0, 1, 11, 12, 255, 4096, 100_000]) {
      const payload = Uint8Array.from({ length: size }, (_, i) => (i * 31 + size) & 0xff);
      const result = readRecord(encodeRecord(payload), 0, 'f');
      expect(result.kind === 'record' && Uint8Array.from(result.record.payload)).toEqual(payload);
    }
  });
});

describe('checkRecordAt and firstCutRecord', () => {
  const records = [0, 5, 300].map((size) => encodeRecord(new Uint8Array(size).fill(size & 0xff)));
  const bytes = Buffer.concat(records);
  const sizes = records.map((record) => record.length);

  it('gives the size of a whole record, or minus the size a cut one needs', () => {
    expect(checkRecordAt(bytes, 0, 'f')).toBe(16);
    expect(checkRecordAt(bytes, 16, 'f')).toBe(21);
    expect(checkRecordAt(bytes.subarray(0, 16 + 21 + 100), 37, 'f')).toBe(-(300 + 16));
    expect(checkRecordAt(bytes.subarray(0, 16 + 21 + 5), 37, 'f')).toBe(-HEADER_BYTES);
  });

  it('finds the first record a buffer cuts and what it needs, or the end when none is cut', () => {
    expect(firstCutRecord(bytes)).toEqual([bytes.length, HEADER_BYTES]);
    expect(firstCutRecord(bytes.subarray(0, 20))).toEqual([16, HEADER_BYTES]);
    expect(firstCutRecord(bytes.subarray(0, 30))).toEqual([16, sizes[1]]);
    expect(firstCutRecord(bytes.subarray(0, 40))).toEqual([37, HEADER_BYTES]);
    expect(firstCutRecord(bytes.subarray(0, 60))).toEqual([37, sizes[2]]);
  });

  it('stops at an impossible length without asking for it', () => {
    const header = Buffer.alloc(HEADER_BYTES + 8);
    header.writeBigUInt64LE(2n ** 40n, 0);
    expect(firstCutRecord(Buffer.concat([records[0], header]))).toEqual([16, HEADER_BYTES]);
  });
});

describe('a file written by TensorBoard', () => {
  it('decodes record by record with readRecord', () => {
    const file =
      '/work/shared/fixtures/tensorboard/empty_file/logdir/only_file_version/' +
      'events.out.tfevents.1700000000.lensboard-fixture.4242.0';
    const bytes = readFileSync(file);
    expect(Uint8Array.from(bytes)).toEqual(TENSORBOARD_RECORD);
  });
});
