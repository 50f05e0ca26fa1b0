/**
 * The loading hot path: reads an Event that holds nothing but scalars
 * straight from its wire bytes, without building protobufjs messages. Most
 * records of a training log are such events, so this decides load speed.
 * Anything else (metadata, other kinds, unknown fields) returns null and is
 * decoded in full; the scan never guesses.
 *
 * Accepted: Event{wall_time=1, step=2 (non-negative), summary=5} whose values
 * are Value{tag=1, simple_value=2} or Value{tag=1, tensor=8} with a rank-0
 * DT_FLOAT tensor in float_val or a 4-byte tensor_content.
 */
import { DataType } from '../proto/index.js';

export interface ScannedScalars {
  wallTime: number;
  step: number;
  /** Per value: the tag's byte range in the payload, and the float value. */
  tagStarts: number[];
  tagEnds: number[];
  values: number[];
}

/** A cursor over protobuf wire bytes; every read returns -1 on malformed input. */
class Wire {
  at: number;

  constructor(
    readonly bytes: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.at = start;
  }

  /** Reads a varint of at most 7 bytes (< 2^49, exact as a double); -1 otherwise. */
  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 7 && this.at < this.end; i++) {
      const byte = this.bytes[this.at++];
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
    return -1;
  }

  /** Reads a length prefix and returns the end of the delimited field, or -1. */
  delimited(): number {
    const length = this.varint();
    const end = this.at + length;
    return length < 0 || end > this.end ? -1 : end;
  }
}

const scratch = new DataView(new ArrayBuffer(8));

function float32At(bytes: Uint8Array, at: number): number {
  for (let i = 0; i < 4; i++) scratch.setUint8(i, bytes[at + i]);
  return scratch.getFloat32(0, true);
}

function float64At(bytes: Uint8Array, at: number): number {
  for (let i = 0; i < 8; i++) scratch.setUint8(i, bytes[at + i]);
  return scratch.getFloat64(0, true);
}

/** Scans `payload` into `out` (reused between calls); false if the event is not plain scalars. */
export function scanScalarEvent(payload: Uint8Array, out: ScannedScalars): boolean {
  const wire = new Wire(payload, 0, payload.length);
  out.wallTime = 0;
  out.step = 0;
  out.tagStarts.length = out.tagEnds.length = out.values.length = 0;
  let sawSummary = false;
  while (wire.at < wire.end) {
    const key = wire.varint();
    if (key === 0x09 && wire.at + 8 <= wire.end) {
      out.wallTime = float64At(payload, wire.at);
      wire.at += 8;
    } else if (key === 0x10) {
      out.step = wire.varint();
      if (out.step < 0) return false;
    } else if (key === 0x2a) {
      const end = wire.delimited();
      if (end < 0 || !scanSummary(new Wire(payload, wire.at, end), out)) return false;
      wire.at = end;
      sawSummary = true;
    } else {
      return false;
    }
  }
  return sawSummary && out.values.length > 0;
}

function scanSummary(wire: Wire, out: ScannedScalars): boolean {
  while (wire.at < wire.end) {
    if (wire.varint() !== 0x0a) return false;
    const end = wire.delimited();
    if (end < 0 || !scanValue(new Wire(wire.bytes, wire.at, end), out)) return false;
    wire.at = end;
  }
  return true;
}

function scanValue(wire: Wire, out: ScannedScalars): boolean {
  let tagStart = -1;
  let tagEnd = -1;
  let value: number | null = null;
  while (wire.at < wire.end) {
    const key = wire.varint();
    if (key === 0x0a) {
      tagEnd = wire.delimited();
      tagStart = wire.at;
      if (tagEnd < 0) return false;
      wire.at = tagEnd;
    } else if (key === 0x15 && wire.at + 4 <= wire.end) {
      value = float32At(wire.bytes, wire.at);
      wire.at += 4;
    } else if (key === 0x42) {
      const end = wire.delimited();
      value = end < 0 ? null : scanScalarTensor(new Wire(wire.bytes, wire.at, end));
      if (value === null) return false;
      wire.at = end;
    } else {
      return false;
    }
  }
  if (tagStart < 0 || value === null) return false;
  out.tagStarts.push(tagStart);
  out.tagEnds.push(tagEnd);
  out.values.push(value);
  return true;
}

/** A rank-0 DT_FLOAT tensor's one value, or null for any other tensor. */
function scanScalarTensor(wire: Wire): number | null {
  let dtype = 0;
  let value: number | null = null;
  while (wire.at < wire.end) {
    const key = wire.varint();
    if (key === 0x08) {
      dtype = wire.varint();
    } else if (key === 0x12) {
      // Only an empty shape (rank 0) is a scalar here.
      if (wire.varint() !== 0) return null;
    } else if (key === 0x2a || key === 0x22) {
      // Packed float_val, or tensor_content: exactly four bytes either way.
      if (wire.varint() !== 4 || wire.at + 4 > wire.end) return null;
      value = float32At(wire.bytes, wire.at);
      wire.at += 4;
    } else {
      return null;
    }
  }
  return dtype === DataType.FLOAT ? value : null;
}
