/**
 * Event files read in chunks, into buffers shared by every file of the
 * process: files are read one after another, and reusing their buffers
 * spares the garbage collector hundreds of megabytes of short-lived
 * allocations when a large logdir loads. A buffer belongs to one read pass
 * from `readChunk` until `releaseBuffer`.
 */
import type { FileHandle } from 'node:fs/promises';

/** Bytes read from disk at a time; a larger record is read whole. */
export const DEFAULT_CHUNK_BYTES = 4 << 20;

/** File bytes from `offset`: `bytes` is the part of `buffer` that `length` asked for and got. */
export interface Chunk {
  bytes: Buffer;
  offset: number;
  length: number;
  buffer: Buffer;
}

/** Reads up to `length` bytes at `offset` into a buffer of the pool (or a new one when larger). */
export async function readChunk(
  handle: FileHandle,
  offset: number,
  length: number,
): Promise<Chunk> {
  const buffer = takeBuffer(length);
  try {
    const { bytesRead } = await handle.read(buffer, 0, length, offset);
    return { bytes: buffer.subarray(0, bytesRead), offset, length, buffer };
  } catch (error) {
    releaseBuffer(buffer);
    throw error;
  }
}

/** Spare buffers of the default chunk size; a few cover the read passes that run at once. */
const sparePool: Buffer[] = [];
const POOLED_BUFFERS = 4;

function takeBuffer(length: number): Buffer {
  if (length <= DEFAULT_CHUNK_BYTES) {
    return sparePool.pop() ?? Buffer.allocUnsafeSlow(DEFAULT_CHUNK_BYTES);
  }
  return Buffer.allocUnsafeSlow(length);
}

/** Gives a chunk's buffer back once nothing reads it any more. */
export function releaseBuffer(buffer: Buffer): void {
  if (buffer.length === DEFAULT_CHUNK_BYTES && sparePool.length < POOLED_BUFFERS) {
    sparePool.push(buffer);
  }
}
