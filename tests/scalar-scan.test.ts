/**
 * The scalar wire scan against the full decoder: on every record of the
 * fixture logdirs, and on odd but valid encodings built byte by byte. What
 * the scan accepts must read exactly as decodeEvent + migration reads it;
 * what it declines goes to the decoder, so declining is always safe.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataType, decodeEvent, encodeEvent, toSafeNumber, type Event } from '../proto/index.js';
import { migrateValue } from '../server/data-compat.js';
import { scanScalarEvent, ScannedScalars } from '../server/scalar-scan.js';
import { decodeTensor } from '../server/values.js';
import { checkRecordAt, FOOTER_BYTES, HEADER_BYTES } from '../writer/record.js';

interface Scalars {
  wallTime: number;
  step: number;
  values: [tag: string, value: number][];
}

/** What the scan reads from `payload`, or null when it declines. */
function scanned(payload: Uint8Array): Scalars | null {
  // Offsets inside a larger buffer, as the loader scans records in a chunk.
  const chunk = new Uint8Array(payload.length + 7);
  chunk.set(payload, 3);
  const out = new ScannedScalars();
  if (!scanScalarEvent(chunk, 3, 3 + payload.length, out)) return null;
  const text = (i: number) =>
    new TextDecoder().decode(chunk.subarray(out.tagStarts[i], out.tagEnds[i]));
  const values = Array.from({ length: out.count }, (_, i): [string, number] => [
    text(i),
    out.values[i],
  ]);
  return { wallTime: out.wallTime, step: out.step, values };
}

/** What the full decoder reads, for an event whose values are all one-number tensors. */
function decoded(payload: Uint8Array): Scalars {
  const event = decodeEvent(payload);
  const values = (event.summary?.value ?? []).map((value): [string, number] => {
    const tensor = migrateValue(value)!.tensor!;
    return [value.tag ?? '', decodeTensor(tensor).values[0] as number];
  });
  return { wallTime: event.wallTime ?? 0, step: toSafeNumber(event.step), values };
}

function eventFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return eventFiles(path);
    return name.includes('tfevents') ? [path] : [];
  });
}

function payloadsOf(file: string): Uint8Array[] {
  const bytes = readFileSync(file);
  const payloads: Uint8Array[] = [];
  for (let at = 0; at < bytes.length;) {
    let size: number;
    try {
      size = checkRecordAt(bytes, at, file);
    } catch {
      break; // the corrupt fixtures: records before the damage are enough
    }
    if (size < 0) break;
    payloads.push(bytes.subarray(at + HEADER_BYTES, at + size - FOOTER_BYTES));
    at += size;
  }
  return payloads;
}

// Field keys: (field number << 3) | wire type.
const varint = (value: number): number[] => {
  const out: number[] = [];
  for (; value >= 0x80; value = Math.floor(value / 128)) out.push((value % 128) | 0x80);
  return [...out, value];
};
const field = (key: number, body: number[]) => [key, ...varint(body.length), ...body];
const float32 = (value: number) => [...Buffer.from(Float32Array.of(value).buffer)];
const float64 = (value: number) => [...Buffer.from(Float64Array.of(value).buffer)];
const tag = (text: string) => field(0x0a, [...Buffer.from(text)]);
const wallTime = (value: number) => [0x09, ...float64(value)];
const step = (value: number) => [0x10, ...varint(value)];
const summary = (...values: number[][]) =>
  field(
    0x2a,
    values.flatMap((v) => field(0x0a, v)),
  );
/** A summary of one value made of `fields`. */
const value = (...fields: number[][]) => summary(fields.flat());
const tensor = (...fields: number[][]) => field(0x42, fields.flat());
const FLOAT = [0x08, DataType.FLOAT];
const DOUBLE = [0x08, DataType.DOUBLE];
const RANK_0 = [0x12, 0x00];
const bytesOf = (...parts: number[][]) => Uint8Array.from(parts.flat());

describe('scanScalarEvent', () => {
  const roots = ['/work/shared/fixtures/tensorboard', '/work/shared/fixtures/wild'];
  const files = roots.flatMap(eventFiles);

  it('reads every fixture record it accepts exactly as the full decoder does', () => {
    let accepted = 0;
    for (const file of files) {
      for (const payload of payloadsOf(file)) {
        const scan = scanned(payload);
        if (scan === null) continue;
        accepted += 1;
        expect(scan, file).toEqual(decoded(payload));
      }
    }
    expect(accepted).toBeGreaterThan(100);
  });

  it('accepts the layout protobufjs writes for TF2 scalars and simple values', () => {
    const event: Event = {
      wallTime: 1700000000.25,
      step: 300,
      summary: {
        value: [
          { tag: 'loss', tensor: { dtype: DataType.FLOAT, tensorShape: {}, floatVal: [0.5] } },
          { tag: 'acc', simpleValue: 0.75 },
        ],
      },
    };
    const payload = encodeEvent(event);
    expect(scanned(payload)).toEqual({
      wallTime: 1700000000.25,
      step: 300,
      values: [
        ['loss', 0.5],
        ['acc', 0.75],
      ],
    });
  });

  it.each([
    [
      'fields out of number order',
      bytesOf(value(tag('a'), [0x15, ...float32(1.5)]), step(7), wallTime(2)),
    ],
    [
      'the value before the tag',
      bytesOf(wallTime(2), summary([0x15, ...float32(1.5), ...tag('a')])),
    ],
    [
      'tensor fields out of order',
      bytesOf(wallTime(2), value(tag('a'), tensor([0x2a, 4, ...float32(3)], RANK_0, FLOAT))),
    ],
    [
      'float_val unpacked',
      bytesOf(wallTime(2), step(1), value(tag('a'), tensor(FLOAT, [0x2d, ...float32(-2.5)]))),
    ],
    [
      'float in tensor_content',
      bytesOf(wallTime(2), value(tag('a'), tensor(FLOAT, RANK_0, [0x22, 4, ...float32(NaN)]))),
    ],
    [
      'double_val packed',
      bytesOf(wallTime(2), value(tag('a'), tensor(DOUBLE, RANK_0, [0x32, 8, ...float64(0.1)]))),
    ],
    [
      'double_val unpacked',
      bytesOf(wallTime(2), value(tag('a'), tensor(DOUBLE, [0x31, ...float64(1e300)]))),
    ],
    [
      'double in tensor_content',
      bytesOf(wallTime(2), value(tag('a'), tensor(DOUBLE, [0x22, 8, ...float64(-0)]))),
    ],
    ['a step of 2^40', bytesOf(wallTime(2), step(2 ** 40), value(tag('a'), [0x15, ...float32(1)]))],
    ['no wall time', bytesOf(step(3), value(tag('a'), [0x15, ...float32(1)]))],
    [
      'a tag repeated (last wins)',
      bytesOf(wallTime(1), summary([...tag('old'), 0x15, ...float32(1), ...tag('new')])),
    ],
    ['a UTF-8 tag', bytesOf(wallTime(1), value(tag('verlust/ä→ö'), [0x15, ...float32(1)]))],
    [
      'a summary longer than 127 bytes',
      bytesOf(
        wallTime(1),
        summary(
          ...Array.from({ length: 12 }, (_, i) => [
            ...tag(`metrics/tag_${i}`),
            0x15,
            ...float32(i),
          ]),
        ),
      ),
    ],
  ])('reads %s as the decoder does', (_, payload) => {
    const scan = scanned(payload);
    expect(scan).not.toBeNull();
    expect(scan).toEqual(decoded(payload));
  });

  it.each([
    [
      'summary metadata',
      bytesOf(
        wallTime(1),
        value(tag('a'), field(0x4a, field(0x0a, [0x0a, 1, 0x41])), [0x15, ...float32(1)]),
      ),
    ],
    [
      'an unknown Event field',
      bytesOf(wallTime(1), [0x58, 1], value(tag('a'), [0x15, ...float32(1)])),
    ],
    [
      'an unknown Value field',
      bytesOf(wallTime(1), value(tag('a'), [0x15, ...float32(1)], [0x60, 1])),
    ],
    ['a file_version event', bytesOf(wallTime(1), field(0x1a, [...Buffer.from('brain.Event:2')]))],
    ['an empty summary', bytesOf(wallTime(1), field(0x2a, []))],
    ['a value without a tag', bytesOf(wallTime(1), summary([0x15, ...float32(1)]))],
    [
      'a node_name instead of a tag',
      bytesOf(wallTime(1), value(field(0x3a, [0x61]), [0x15, ...float32(1)])),
    ],
    [
      'simple_value and tensor in one value',
      bytesOf(
        wallTime(1),
        value(tag('a'), [0x15, ...float32(1)], tensor(FLOAT, [0x2d, ...float32(2)])),
      ),
    ],
    [
      'a tensor of shape [1]',
      bytesOf(
        wallTime(1),
        value(tag('a'), tensor(FLOAT, field(0x12, field(0x12, [0x08, 1])), [0x2d, ...float32(2)])),
      ),
    ],
    ['a tensor with no value', bytesOf(wallTime(1), value(tag('a'), tensor(FLOAT, RANK_0)))],
    [
      'two float values',
      bytesOf(wallTime(1), value(tag('a'), tensor(FLOAT, [0x2a, 8, ...float32(1), ...float32(2)]))),
    ],
    [
      'float_val and tensor_content',
      bytesOf(
        wallTime(1),
        value(tag('a'), tensor(FLOAT, [0x2d, ...float32(1)], [0x22, 4, ...float32(2)])),
      ),
    ],
    [
      'a DT_DOUBLE tensor holding float_val',
      bytesOf(wallTime(1), value(tag('a'), tensor(DOUBLE, [0x2d, ...float32(1)]))),
    ],
    [
      'an int32 tensor',
      bytesOf(wallTime(1), value(tag('a'), tensor([0x08, DataType.INT32], [0x38, 5]))),
    ],
    [
      'a negative step',
      bytesOf(
        wallTime(1),
        [0x10, ...Array(9).fill(0xff), 0x01],
        value(tag('a'), [0x15, ...float32(1)]),
      ),
    ],
    ['a length past the end', bytesOf(wallTime(1), [0x2a, 40, 0x0a, 2])],
    [
      'two summary fields, which decoders merge or replace',
      bytesOf(
        wallTime(2),
        value(tag('a'), [0x15, ...float32(1)]),
        value(tag('b'), [0x15, ...float32(2)]),
      ),
    ],
    ['a cut wall time', bytesOf([0x09, 1, 2, 3])],
  ])('declines %s, leaving it to the full decoder', (_, payload) => {
    expect(scanned(payload)).toBeNull();
  });
});
