/**
 * Raw tensor bytes are little-endian on disk whatever the machine: a typed
 * array is written as it is on little-endian hosts, and swapped into a copy
 * on big-endian ones.
 */
import { endianness } from 'node:os';

const HOST_IS_LITTLE_ENDIAN = endianness() === 'LE';

export function toLittleEndian<T extends Float32Array | Float64Array>(array: T): T {
  if (HOST_IS_LITTLE_ENDIAN) return array;
  const copy = array.slice() as T;
  const bytes = new Uint8Array(copy.buffer, copy.byteOffset, copy.byteLength);
  const width = copy.BYTES_PER_ELEMENT;
  for (let at = 0; at < bytes.length; at += width) bytes.subarray(at, at + width).reverse();
  return copy;
}
