/**
 * Decoding of the server's JSON bodies into the viewer's types. The wire
 * spells non-finite numbers as "NaN", "Infinity" and "-Infinity"; every other
 * number is plain JSON. A body that breaks the contract raises WireError naming
 * the field and the value, so a server bug shows as a message, not a blank view.
 */
import type {
  HistogramEntry,
  ImageEntry,
  LoadedTensor,
  PayloadEntry,
  ScalarPoint,
  Series,
  TensorEntry,
  TensorSeries,
  TextEntry,
} from './api-types.js';

export class WireError extends Error {
  override name = 'WireError';
}

const NON_FINITE: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
};

/** A number that may be non-finite: a JSON number or one of the three strings. */
export function decodeNumber(value: unknown, field: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value in NON_FINITE) return NON_FINITE[value];
  throw new WireError(`invalid ${field}: ${JSON.stringify(value)} (want a number)`);
}

/** A number the contract says is always finite (steps, wall times, sizes). */
export function decodeFinite(value: unknown, field: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new WireError(`invalid ${field}: ${JSON.stringify(value)} (want a finite number)`);
}

function decodeArray(value: unknown, field: string): unknown[] {
  if (Array.isArray(value)) return value;
  throw new WireError(`invalid ${field}: ${JSON.stringify(value)} (want an array)`);
}

function decodeShape(value: unknown, field: string): number[] {
  return decodeArray(value, field).map((size, i) => decodeFinite(size, `${field}[${i}]`));
}

type Body = Record<string, unknown>;

function decodeSeries<T>(body: Body, decodeEntry: (entry: unknown, i: number) => T) {
  const entries = decodeArray(body.entries, 'entries').map(decodeEntry);
  return {
    run: String(body.run),
    tag: String(body.tag),
    total: decodeFinite(body.total, 'total'),
    entries,
  };
}

function entryBase(entry: Body, i: number) {
  return {
    step: decodeFinite(entry.step, `entries[${i}].step`),
    wallTime: decodeFinite(entry.wallTime, `entries[${i}].wallTime`),
    segment: decodeFinite(entry.segment ?? 0, `entries[${i}].segment`),
  };
}

/** An image or tensor entry's id and its own description, when the server sent them. */
function payloadBase(entry: Body, i: number): PayloadEntry {
  const id = entry.id === undefined ? null : decodeFinite(entry.id, `entries[${i}].id`);
  const base: PayloadEntry = { ...entryBase(entry, i), id };
  if (typeof entry.description === 'string') base.description = entry.description;
  return base;
}

export function decodeScalars(body: Body): Series<ScalarPoint> {
  return decodeSeries(body, (raw, i) => {
    const row = decodeArray(raw, `entries[${i}]`);
    return {
      step: decodeFinite(row[0], `entries[${i}] step`),
      wallTime: decodeFinite(row[1], `entries[${i}] wall time`),
      value: decodeNumber(row[2], `entries[${i}] value`),
      segment: decodeFinite(row[3] ?? 0, `entries[${i}] segment`),
    };
  });
}

export function decodeImages(body: Body): Series<ImageEntry> {
  return decodeSeries(body, (raw, i) => {
    const entry = raw as Body;
    return {
      ...payloadBase(entry, i),
      width: decodeFinite(entry.width, `entries[${i}].width`),
      height: decodeFinite(entry.height, `entries[${i}].height`),
      count: decodeFinite(entry.count ?? 1, `entries[${i}].count`),
    };
  });
}

export function decodeHistograms(body: Body): Series<HistogramEntry> {
  return decodeSeries(body, (raw, i) => {
    const entry = raw as Body;
    const buckets = decodeArray(entry.buckets, `entries[${i}].buckets`).map((bucket, j) => {
      const field = `entries[${i}].buckets[${j}]`;
      const [left, right, count] = decodeArray(bucket, field);
      return [
        decodeNumber(left, `${field} left`),
        decodeNumber(right, `${field} right`),
        decodeNumber(count, `${field} count`),
      ] as [number, number, number];
    });
    return { ...entryBase(entry, i), buckets };
  });
}

export function decodeText(body: Body): Series<TextEntry> {
  return decodeSeries(body, (raw, i) => {
    const entry = raw as Body;
    return {
      ...entryBase(entry, i),
      shape: decodeShape(entry.shape ?? [], `entries[${i}].shape`),
      values: decodeArray(entry.values, `entries[${i}].values`).map(String),
    };
  });
}

export function decodeTensors(body: Body): TensorSeries {
  const series = decodeSeries(body, (raw, i): TensorEntry => {
    const entry = raw as Body;
    return {
      ...payloadBase(entry, i),
      dtype: String(entry.dtype),
      shape: decodeShape(entry.shape, `entries[${i}].shape`),
    };
  });
  return { ...series, metadata: (body.metadata ?? null) as TensorSeries['metadata'] };
}

/** The `format=json` form of one tensor. */
export function decodeTensorJson(body: Body): LoadedTensor {
  const values = decodeArray(body.values, 'values');
  return {
    step: decodeFinite(body.step, 'step'),
    wallTime: decodeFinite(body.wallTime, 'wallTime'),
    dtype: String(body.dtype),
    shape: decodeShape(body.shape, 'shape'),
    values: Float32Array.from(values, (value, i) => decodeNumber(value, `values[${i}]`)),
  };
}

/** The `X-Tensor-Shape` header: comma-separated sizes, empty for a scalar. */
export function decodeShapeHeader(header: string | null): number[] {
  if (header === null) throw new WireError('missing X-Tensor-Shape header');
  if (header.trim() === '') return [];
  return header.split(',').map((size) => {
    const value = Number(size);
    if (Number.isSafeInteger(value) && value >= 0) return value;
    throw new WireError(
      `invalid X-Tensor-Shape: ${JSON.stringify(header)} (want sizes like 4,28,28)`,
    );
  });
}

/** Little-endian float32 bytes as a Float32Array, checked against the shape. */
export function decodeFloat32(bytes: ArrayBuffer, shape: number[]): Float32Array {
  const want = shape.reduce((product, size) => product * size, 1);
  if (bytes.byteLength !== want * 4) {
    const got = bytes.byteLength / 4;
    throw new WireError(`tensor payload has ${got} values, want ${want} for shape [${shape}]`);
  }
  if (LITTLE_ENDIAN) return new Float32Array(bytes);
  const view = new DataView(bytes);
  return Float32Array.from({ length: want }, (_, i) => view.getFloat32(i * 4, true));
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
