/**
 * Turns whatever array a caller logs into numbers the summaries can use.
 * tfjs hands out Float32Array for float tensors, Int32Array for int32 and
 * Uint8Array for bool. Typed arrays are always converted, never refused: a
 * training loop that logs "all weights" must not stop on an int tensor. The
 * caller learns what was converted and warns once.
 *
 * A plain array is the caller's own code, so any element that is not a
 * number (a string, a nested array, a hole, a boolean) is a bug to report at
 * the call, naming the element: converted, it would be a NaN in the summary.
 */
import { describe } from '../arguments.js';

/** Arrays whose elements are already numbers with no loss. */
export type NumericArray = ArrayLike<number>;

export interface Converted<T> {
  values: T;
  /** The source's type name when values were converted with a possible change, else null. */
  convertedFrom: string | null;
}

/** Values as float32, as raw tensors store them. */
export function toFloat32(values: unknown, name: string): Converted<Float32Array> {
  if (values instanceof Float32Array) return { values, convertedFrom: null };
  const numbers = toNumbers(values, name);
  const converted = Float32Array.from(numbers.values);
  // Float64 to float32 is the expected narrowing of a float tensor; integers,
  // booleans and bigints change meaning (or precision beyond 2^24) and are reported.
  const silent = numbers.convertedFrom === null && isFloatArray(values);
  return {
    values: converted,
    convertedFrom: silent ? null : (numbers.convertedFrom ?? typeName(values)),
  };
}

/** Values as numbers of any precision, as a histogram reads them. */
export function toNumbers(values: unknown, name: string): Converted<NumericArray> {
  if (ArrayBuffer.isView(values) && !(values instanceof DataView)) {
    if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
      return { values: Float64Array.from(values, Number), convertedFrom: typeName(values) };
    }
    return { values: values as unknown as NumericArray, convertedFrom: null };
  }
  if (Array.isArray(values)) {
    return { values: checkedPlainArray(values, name), convertedFrom: null };
  }
  throw new TypeError(
    `invalid ${name}: ${describe(values)} (want an array or a typed array of numbers)`,
  );
}

/** The element count of an array-like, checked to be one. */
export function lengthOf(values: unknown, name: string): number {
  const length = (values as ArrayLike<unknown> | null)?.length;
  if (typeof values !== 'object' || typeof length !== 'number' || !Number.isSafeInteger(length)) {
    throw new TypeError(
      `invalid ${name}: ${describe(values)} (want an array or a typed array of numbers)`,
    );
  }
  return length;
}

function checkedPlainArray(values: unknown[], name: string): number[] {
  for (let i = 0; i < values.length; i++) {
    if (typeof values[i] !== 'number') {
      throw new TypeError(
        `invalid ${name}: ${describe(values[i])} at index ${i} (want a number; ` +
          'a plain array must hold numbers only)',
      );
    }
  }
  return values as number[];
}

function isFloatArray(values: unknown): boolean {
  return values instanceof Float64Array || Array.isArray(values);
}

function typeName(values: unknown): string {
  return (values as object)?.constructor?.name ?? typeof values;
}
