/**
 * Protobuf encoding of small summary events, by hand, for the writer's hot
 * path: the generic encoder costs several microseconds per scalar.
 *
 * A summary event is `Event { wall_time = 1; step = 2; summary = 5 }` around
 * one `Summary.Value { tag = 1; tensor = 8; metadata = 9 }`. Fields are laid
 * out in number order with a zero step left out, exactly as protobufjs and
 * TensorBoard's writer lay them out, so both encodings give the same bytes.
 * Large events (tensors, images) go through protobufjs: their cost is in
 * their payload, not in the envelope.
 */
const encoder = new TextEncoder();

// Field keys: (field number << 3) | wire type.
const EVENT_WALL_TIME = 0x09; // 1, fixed64
const EVENT_STEP = 0x10; // 2, varint
const EVENT_SUMMARY = 0x2a; // 5, length-delimited
const SUMMARY_VALUE = 0x0a; // 1, length-delimited
const VALUE_TAG = 0x0a; // 1, length-delimited

/**
 * The encoded `tag` field of each tag seen; cleared when full, so a tag per
 * step cannot grow it forever.
 */
const tagFields = new Map<string, Uint8Array>();
const TAG_CACHE_LIMIT = 10_000;

/** Bytes of the Event carrying one summary value of `valueSize` bytes. */
export function summaryEventSize(step: number, valueSize: number): number {
  const summarySize = 1 + varintSize(valueSize) + valueSize;
  const stepSize = step === 0 ? 0 : 1 + varintSize(step);
  return 9 + stepSize + 1 + varintSize(summarySize) + summarySize;
}

/**
 * Writes the Event around one summary value, up to the value itself; returns
 * the offset where the `valueSize` value bytes go. `step` is a non-negative
 * safe integer.
 */
export function writeSummaryEventHead(
  out: Buffer,
  at: number,
  wallTime: number,
  step: number,
  valueSize: number,
): number {
  out[at] = EVENT_WALL_TIME;
  out.writeDoubleLE(wallTime, at + 1);
  at += 9;
  if (step !== 0) {
    out[at++] = EVENT_STEP;
    at = writeVarint(out, at, step);
  }
  out[at++] = EVENT_SUMMARY;
  at = writeVarint(out, at, 1 + varintSize(valueSize) + valueSize);
  out[at++] = SUMMARY_VALUE;
  return writeVarint(out, at, valueSize);
}

/** The encoded `tag` field (1) of a Summary.Value. */
export function tagFieldOf(tag: string): Uint8Array {
  let field = tagFields.get(tag);
  if (field) return field;
  const bytes = encoder.encode(tag);
  field = new Uint8Array(1 + varintSize(bytes.length) + bytes.length);
  field[0] = VALUE_TAG;
  field.set(bytes, writeVarint(field, 1, bytes.length));
  if (tagFields.size >= TAG_CACHE_LIMIT) tagFields.clear();
  tagFields.set(tag, field);
  return field;
}

/** Bytes of the base-128 varint of a non-negative safe integer. */
export function varintSize(value: number): number {
  let size = 1;
  while (value >= 128) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

/** Writes a non-negative safe integer as a varint; returns the offset after it. */
export function writeVarint(out: Uint8Array, at: number, value: number): number {
  while (value >= 128) {
    out[at++] = (value % 128) | 0x80;
    value = Math.floor(value / 128);
  }
  out[at++] = value;
  return at;
}
