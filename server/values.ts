/**
 * Decoding of TensorProto contents into typed values: `tensor_content` (raw
 * little-endian bytes) or the typed repeated fields, for every DataType of
 * proto/. Strings decode as UTF-8. Nothing here knows about plugins.
 */
import { DataType, toSafeNumber, type Int64, type TensorProto } from '../proto/index.js';

/** A TensorProto as protobufjs decodes it, including the complex fields index.ts leaves out. */
type WireTensor = TensorProto & { scomplexVal?: number[]; dcomplexVal?: number[] };

/** Decoded tensor values: numbers (64-bit integers narrowed to doubles) or strings. */
export type TensorValues =
  | { kind: 'numeric'; dtype: string; shape: number[]; values: ArrayLike<number> }
  | { kind: 'string'; dtype: 'string'; shape: number[]; values: Uint8Array[] };

/** How one DataType is stored: its name, bytes per element in tensor_content, typed field. */
interface DtypeInfo {
  name: string;
  /** Bytes per element in tensor_content; complex types count both parts. */
  bytes: number;
  /** Numbers per element: 2 for complex (real, imaginary). */
  parts: number;
  field: keyof WireTensor;
  fromBytes: (view: DataView, at: number) => number;
}

const f32 = (v: DataView, at: number) => v.getFloat32(at, true);
const f64 = (v: DataView, at: number) => v.getFloat64(at, true);
const i64 = (v: DataView, at: number) => Number(v.getBigInt64(at, true));
const u64 = (v: DataView, at: number) => Number(v.getBigUint64(at, true));
const i32 = (v: DataView, at: number) => v.getInt32(at, true);
const u32 = (v: DataView, at: number) => v.getUint32(at, true);
const i16 = (v: DataView, at: number) => v.getInt16(at, true);
const u16 = (v: DataView, at: number) => v.getUint16(at, true);
const i8 = (v: DataView, at: number) => v.getInt8(at);
const u8 = (v: DataView, at: number) => v.getUint8(at);
const half = (v: DataView, at: number) => halfToNumber(v.getUint16(at, true));
const bfloat = (v: DataView, at: number) => bfloat16ToNumber(v.getUint16(at, true));

const DTYPES: Partial<Record<DataType | number, DtypeInfo>> = {
  [DataType.FLOAT]: { name: 'float32', bytes: 4, parts: 1, field: 'floatVal', fromBytes: f32 },
  [DataType.DOUBLE]: { name: 'float64', bytes: 8, parts: 1, field: 'doubleVal', fromBytes: f64 },
  [DataType.INT32]: { name: 'int32', bytes: 4, parts: 1, field: 'intVal', fromBytes: i32 },
  [DataType.UINT8]: { name: 'uint8', bytes: 1, parts: 1, field: 'intVal', fromBytes: u8 },
  [DataType.INT16]: { name: 'int16', bytes: 2, parts: 1, field: 'intVal', fromBytes: i16 },
  [DataType.INT8]: { name: 'int8', bytes: 1, parts: 1, field: 'intVal', fromBytes: i8 },
  8: { name: 'complex64', bytes: 8, parts: 2, field: 'scomplexVal', fromBytes: f32 },
  [DataType.INT64]: { name: 'int64', bytes: 8, parts: 1, field: 'int64Val', fromBytes: i64 },
  [DataType.BOOL]: { name: 'bool', bytes: 1, parts: 1, field: 'boolVal', fromBytes: u8 },
  11: { name: 'qint8', bytes: 1, parts: 1, field: 'intVal', fromBytes: i8 },
  12: { name: 'quint8', bytes: 1, parts: 1, field: 'intVal', fromBytes: u8 },
  13: { name: 'qint32', bytes: 4, parts: 1, field: 'intVal', fromBytes: i32 },
  14: { name: 'bfloat16', bytes: 2, parts: 1, field: 'halfVal', fromBytes: bfloat },
  15: { name: 'qint16', bytes: 2, parts: 1, field: 'intVal', fromBytes: i16 },
  16: { name: 'quint16', bytes: 2, parts: 1, field: 'intVal', fromBytes: u16 },
  [DataType.UINT16]: { name: 'uint16', bytes: 2, parts: 1, field: 'intVal', fromBytes: u16 },
  18: { name: 'complex128', bytes: 16, parts: 2, field: 'dcomplexVal', fromBytes: f64 },
  [DataType.HALF]: { name: 'float16', bytes: 2, parts: 1, field: 'halfVal', fromBytes: half },
  [DataType.UINT32]: { name: 'uint32', bytes: 4, parts: 1, field: 'uint32Val', fromBytes: u32 },
  [DataType.UINT64]: { name: 'uint64', bytes: 8, parts: 1, field: 'uint64Val', fromBytes: u64 },
};

/** The lowercase name of a DataType (`float32`, `string`, ...), or `dtype(<n>)` if unknown. */
export function dtypeName(dtype: number | undefined): string {
  if ((dtype ?? 0) === DataType.STRING) return 'string';
  return DTYPES[dtype ?? 0]?.name ?? `dtype(${dtype ?? 0})`;
}

/** The shape of a tensor; an unknown rank reads as a vector of its elements. */
export function tensorShape(tensor: TensorProto): number[] {
  return (tensor.tensorShape?.dim ?? []).map((dim) => toSafeNumber(dim.size));
}

export function elementCount(shape: number[]): number {
  return shape.reduce((product, size) => product * size, 1);
}

/**
 * Decodes a tensor's values. Throws a RangeError naming the problem for a
 * DataType that holds no numbers (resource, variant) or contents that do not
 * fit the shape.
 */
export function decodeTensor(tensor: TensorProto): TensorValues {
  const shape = tensorShape(tensor);
  if (tensor.dtype === DataType.STRING) {
    const values = fillToCount(tensor.stringVal ?? [], elementCount(shape), new Uint8Array(0));
    return { kind: 'string', dtype: 'string', shape, values };
  }
  const info = DTYPES[tensor.dtype ?? 0];
  if (!info) throw new RangeError(`unsupported tensor dtype: ${dtypeName(tensor.dtype)}`);
  const count = elementCount(shape) * info.parts;
  const content = tensor.tensorContent;
  const values =
    content && content.length > 0
      ? fromContent(content, info, count)
      : fromTypedField(tensor as WireTensor, info, count);
  return { kind: 'numeric', dtype: info.name, shape, values };
}

function fromContent(content: Uint8Array, info: DtypeInfo, count: number): ArrayLike<number> {
  const step = info.bytes / info.parts;
  if (content.length !== count * step) {
    throw new RangeError(
      `tensor_content of ${content.length} bytes does not fit ${count} ${info.name} values: ` +
        `want ${count * step} bytes`,
    );
  }
  const view = new DataView(content.buffer, content.byteOffset, content.length);
  const single = info.name === 'float32' || info.name === 'complex64';
  const values = single ? new Float32Array(count) : new Float64Array(count);
  for (let i = 0; i < count; i++) values[i] = info.fromBytes(view, i * step);
  return values;
}

function fromTypedField(tensor: WireTensor, info: DtypeInfo, count: number): ArrayLike<number> {
  const raw = (tensor[info.field] ?? []) as (number | boolean | Int64)[];
  const numbers = raw.map((item) => widen(item, info));
  return fillToCount(numbers, count, 0);
}

function widen(item: number | boolean | Int64, info: DtypeInfo): number {
  if (typeof item === 'boolean') return item ? 1 : 0;
  if (typeof item !== 'number') return Number(item.toString());
  if (info.field !== 'halfVal') return info.name === 'float32' ? Math.fround(item) : item;
  return info.name === 'bfloat16' ? bfloat16ToNumber(item) : halfToNumber(item);
}

/**
 * TensorFlow writes a tensor whose values are all equal as one typed value
 * (or none for zeros) and lets readers repeat the last one to the shape.
 */
function fillToCount<T>(values: T[], count: number, zero: T): T[] {
  if (values.length === count) return values;
  if (values.length > count) {
    throw new RangeError(`tensor holds ${values.length} values, shape wants ${count}`);
  }
  const fill = values.length > 0 ? values[values.length - 1] : zero;
  const filled = values.slice();
  while (filled.length < count) filled.push(fill);
  return filled;
}

/** IEEE 754 binary16 bits to a number. */
export function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** bfloat16 bits are the high half of a float32. */
export function bfloat16ToNumber(bits: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, (bits & 0xffff) << 16);
  return view.getFloat32(0);
}

const utf8 = new TextDecoder('utf-8');

/** Decodes string-tensor elements as UTF-8, replacing invalid sequences. */
export function decodeStrings(values: Uint8Array[]): string[] {
  return values.map((bytes) => utf8.decode(bytes));
}
