/**
 * The loading hot path: reads an Event that holds nothing but scalars
 * straight from its wire bytes, without building protobufjs messages or
 * allocating anything per record. Most records of a training log are such
 * events, so this decides load speed. Anything else (metadata, other kinds,
 * unknown fields, a value given twice) returns false and is decoded in full;
 * the scan never guesses, so whatever it accepts reads exactly as the full
 * decoder would read it.
 *
 * Accepted, with fields in any order: Event{wall_time=1, step=2 (non-negative
 * varint), summary=5} whose values are Value{tag=1, simple_value=2} or
 * Value{tag=1, tensor=8} with a rank-0 tensor holding one number: DT_FLOAT in
 * float_val (packed or not) or a 4-byte tensor_content, or DT_DOUBLE in
 * double_val or an 8-byte tensor_content.
 *
 * The layout every TensorFlow-style writer uses (fields in number order,
 * short lengths, a packed float_val or a simple_value) is matched first by
 * `scanUsualLayout`, in local variables only; any other layout is read by
 * the general field-by-field scan.
 */
import { endianness } from 'node:os';
import { DataType } from '../proto/index.js';

/** What one scanned event holds; reused from record to record. */
export class ScannedScalars {
  wallTime = 0;
  step = 0;
  /** Values in the event; entries past `count` in the arrays are stale. */
  count = 0;
  /** Per value: its tag's byte range in the scanned bytes, and its number. */
  tagStarts = new Int32Array(4);
  tagEnds = new Int32Array(4);
  values = new Float64Array(4);

  push(tagStart: number, tagEnd: number, value: number): void {
    if (this.count === this.values.length) this.grow();
    this.tagStarts[this.count] = tagStart;
    this.tagEnds[this.count] = tagEnd;
    this.values[this.count] = value;
    this.count += 1;
  }

  private grow(): void {
    const size = this.values.length * 2;
    this.tagStarts = copyInto(new Int32Array(size), this.tagStarts);
    this.tagEnds = copyInto(new Int32Array(size), this.tagEnds);
    this.values = copyInto(new Float64Array(size), this.values);
  }
}

function copyInto<T extends Int32Array | Float64Array>(to: T, from: T): T {
  to.set(from as never);
  return to;
}

// The cursor of the scan in progress: module state, so no object per record.
let bytes: Uint8Array = new Uint8Array(0);
let at = 0;

/** A varint of at most 7 bytes (< 2^49, exact as a double), or -1 when longer or cut at `end`. */
function varint(end: number): number {
  if (at < end && bytes[at] < 0x80) return bytes[at++];
  let result = 0;
  let scale = 1;
  for (let i = 0; i < 7 && at < end; i++) {
    const byte = bytes[at++];
    result += (byte & 0x7f) * scale;
    if (byte < 0x80) return result;
    scale *= 128;
  }
  return -1;
}

/** Reads a length prefix; the end of the delimited field, or -1 when it overruns `end`. */
function delimited(end: number): number {
  const length = varint(end);
  const fieldEnd = at + length;
  return length < 0 || fieldEnd > end ? -1 : fieldEnd;
}

const LITTLE_ENDIAN = endianness() === 'LE';
const number64 = new Float64Array(1);
const number32 = new Float32Array(number64.buffer, 0, 1);
const numberBytes = new Uint8Array(number64.buffer);

/** The little-endian float of `width` (4 or 8) bytes at the cursor, which it passes. */
function float(width: number): number {
  for (let i = 0; i < width; i++) {
    numberBytes[LITTLE_ENDIAN ? i : width - 1 - i] = bytes[at + i];
  }
  at += width;
  return width === 4 ? number32[0] : number64[0];
}

/**
 * Scans the Event in `source[start, end)` into `out`; false (with `out` in no
 * defined state) when it is not plain scalars. Tag ranges index `source`.
 */
export function scanScalarEvent(
  source: Uint8Array,
  start: number,
  end: number,
  out: ScannedScalars,
): boolean {
  return scanUsualLayout(source, start, end, out) || scanAnyLayout(source, start, end, out);
}

/**
 * Event{wall_time, step (optional, under 2^49), summary} with values
 * {tag, simple_value} or {tag, tensor{dtype FLOAT, shape {}, float_val
 * packed}}, every length under 128 but the summary's (under 16384); false
 * at the first byte that differs, leaving the event to `scanAnyLayout`.
 */
function scanUsualLayout(b: Uint8Array, start: number, end: number, out: ScannedScalars): boolean {
  const valuesStart = scanUsualHead(b, start, end, out);
  return valuesStart >= 0 && scanUsualValues(b, valuesStart, end, out);
}

/** Wall time, step and the summary's key and length; where its values start, or -1. */
function scanUsualHead(b: Uint8Array, start: number, end: number, out: ScannedScalars): number {
  let p = start;
  if (b[p] !== 0x09 || p + 9 > end) return -1;
  out.wallTime = float64At(b, p + 1);
  p += 9;
  let step = 0;
  if (b[p] === 0x10) {
    p += 1;
    for (let scale = 1; ; scale *= 128) {
      if (p >= end || scale > 2 ** 42) return -1;
      const byte = b[p++];
      step += (byte & 0x7f) * scale;
      if (byte < 0x80) break;
    }
  }
  out.step = step;
  if (b[p] !== 0x2a) return -1;
  let length = b[p + 1];
  p += 2;
  if (length >= 0x80) {
    if (b[p] >= 0x80) return -1;
    length = (length & 0x7f) + b[p++] * 128;
  }
  return p + length === end ? p : -1;
}

/** The summary's values from `p`, each a tag and then a simple value or a float tensor. */
function scanUsualValues(b: Uint8Array, p: number, end: number, out: ScannedScalars): boolean {
  out.count = 0;
  while (p < end) {
    // Summary.value: key, length, then the tag field's key and length.
    const valueEnd = p + 2 + b[p + 1];
    const tagLength = b[p + 3];
    if (b[p] !== 0x0a || b[p + 1] >= 0x80 || b[p + 2] !== 0x0a || tagLength >= 0x80) return false;
    const tagStart = p + 4;
    p = tagStart + tagLength;
    if (b[p] === 0x15 && p + 5 === valueEnd) {
      out.push(tagStart, tagStart + tagLength, float32At(b, p + 1));
    } else if (p + 12 === valueEnd && isFloatTensorHead(b, p)) {
      out.push(tagStart, tagStart + tagLength, float32At(b, p + 8));
    } else {
      return false;
    }
    p = valueEnd;
  }
  return p === end && out.count > 0;
}

/** `42 0a 08 01 12 00 2a 04` at `p`: tensor{dtype FLOAT, shape {}, float_val [4 bytes]}. */
function isFloatTensorHead(b: Uint8Array, p: number): boolean {
  return (
    b[p] === 0x42 &&
    b[p + 1] === 0x0a &&
    b[p + 2] === 0x08 &&
    b[p + 3] === 0x01 &&
    b[p + 4] === 0x12 &&
    b[p + 5] === 0x00 &&
    b[p + 6] === 0x2a &&
    b[p + 7] === 0x04
  );
}

function float32At(b: Uint8Array, p: number): number {
  for (let i = 0; i < 4; i++) numberBytes[LITTLE_ENDIAN ? i : 3 - i] = b[p + i];
  return number32[0];
}

function float64At(b: Uint8Array, p: number): number {
  for (let i = 0; i < 8; i++) numberBytes[LITTLE_ENDIAN ? i : 7 - i] = b[p + i];
  return number64[0];
}

function scanAnyLayout(
  source: Uint8Array,
  start: number,
  end: number,
  out: ScannedScalars,
): boolean {
  bytes = source;
  at = start;
  out.wallTime = 0;
  out.step = 0;
  out.count = 0;
  let sawSummary = false;
  while (at < end) {
    const key = varint(end);
    if (key === 0x09 && at + 8 <= end) {
      out.wallTime = float(8);
    } else if (key === 0x10) {
      out.step = varint(end);
      if (out.step < 0) return false;
    } else if (key === 0x2a && !sawSummary) {
      // A second summary field would merge in protobuf's rules but replace in
      // protobufjs's; the full decoder alone decides what such an event holds.
      const summaryEnd = delimited(end);
      if (summaryEnd < 0 || !scanSummary(summaryEnd, out)) return false;
      sawSummary = true;
    } else {
      return false;
    }
  }
  return sawSummary && out.count > 0;
}

function scanSummary(end: number, out: ScannedScalars): boolean {
  while (at < end) {
    if (varint(end) !== 0x0a) return false;
    const valueEnd = delimited(end);
    if (valueEnd < 0 || !scanValue(valueEnd, out)) return false;
  }
  return true;
}

/** One Summary.Value; a second value field (a oneof given twice) goes to the full decoder. */
function scanValue(end: number, out: ScannedScalars): boolean {
  let tagStart = -1;
  let tagEnd = -1;
  let value = NaN;
  let values = 0;
  while (at < end) {
    const key = varint(end);
    if (key === 0x0a) {
      tagEnd = delimited(end);
      if (tagEnd < 0) return false;
      tagStart = at;
      at = tagEnd;
    } else if (key === 0x15 && at + 4 <= end) {
      value = float(4);
      values += 1;
    } else if (key === 0x42) {
      const tensorEnd = delimited(end);
      if (tensorEnd < 0 || !scanScalarTensor(tensorEnd)) return false;
      value = tensorValue;
      values += 1;
    } else {
      return false;
    }
  }
  if (tagStart < 0 || values !== 1) return false;
  out.push(tagStart, tagEnd, value);
  return true;
}

/** The number of the tensor `scanScalarTensor` accepted last. */
let tensorValue = NaN;

/**
 * A rank-0 DT_FLOAT or DT_DOUBLE tensor holding exactly one number, from
 * exactly one source; anything else (a shape, other fields, no value or two)
 * is left to the full decoder.
 */
function scanScalarTensor(end: number): boolean {
  let dtype = DataType.INVALID as number;
  let width = 0;
  let sources = 0;
  while (at < end) {
    const key = varint(end);
    if (key === 0x08) {
      dtype = varint(end);
    } else if (key === 0x12) {
      // An empty TensorShapeProto is rank 0; any dim or unknown_rank is not.
      if (varint(end) !== 0) return false;
    } else if (key === 0x22 || key === 0x2a || key === 0x32) {
      // tensor_content, packed float_val, packed double_val: one number each.
      width = varint(end);
      if ((width !== 4 && width !== 8) || (key !== 0x22 && width !== (key === 0x2a ? 4 : 8))) {
        return false;
      }
      if (at + width > end) return false;
      tensorValue = float(width);
      sources += 1;
    } else if ((key === 0x2d && at + 4 <= end) || (key === 0x31 && at + 8 <= end)) {
      // Unpacked float_val or double_val.
      width = key === 0x2d ? 4 : 8;
      tensorValue = float(width);
      sources += 1;
    } else {
      return false;
    }
  }
  const wantWidth = dtype === DataType.FLOAT ? 4 : dtype === DataType.DOUBLE ? 8 : -1;
  return sources === 1 && width === wantWidth;
}
