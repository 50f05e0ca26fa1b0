/**
 * Tails one event file: each call reads the records appended since the last
 * one, from the offset where the previous call stopped. A record cut short by
 * the end of the file is a writer still writing, so reading stops before it
 * and the next call starts there again. A corrupt record is data loss: the
 * file is stopped for good at that offset, and everything read before stays.
 */
import { open } from 'node:fs/promises';
import { DataLossError, readRecord, HEADER_BYTES, type FramedRecord } from '../writer/record.js';

/** Bytes read from disk at a time; a larger record is read whole. */
const DEFAULT_CHUNK_BYTES = 4 << 20;

export interface ReadPass {
  /** Complete records handed to the callback in this pass. */
  records: number;
  /** Bytes from the file's start up to the first unread record. */
  offset: number;
  /** True when the file ends inside a record (a writer mid-write, or a cut tail). */
  truncated: boolean;
}

export class EventFileLoader {
  /** File offset of the first record not yet read; every byte before it was read exactly once. */
  private next = 0;
  /** Set when a record proved corrupt; from then on the file is never read again. */
  private loss: DataLossError | null = null;

  constructor(
    readonly path: string,
    private readonly chunkBytes = DEFAULT_CHUNK_BYTES,
  ) {
    if (!(chunkBytes >= 1)) throw new RangeError(`invalid chunk size: ${chunkBytes} bytes`);
  }

  get offset(): number {
    return this.next;
  }

  get dataLoss(): DataLossError | null {
    return this.loss;
  }

  /**
   * Hands every complete record appended since the last call to `onRecord`,
   * in file order. The payload is a view into the chunk read from disk: keep
   * what it holds, never the view, so chunks can be freed. Awaits disk reads between chunks, so a large
   * file lets other work run while it loads. Throws DataLossError once, when
   * the corruption is met; later calls read nothing.
   */
  async readNew(onRecord: (record: FramedRecord) => void): Promise<ReadPass> {
    const pass: ReadPass = { records: 0, offset: this.next, truncated: false };
    if (this.loss) return pass;
    const handle = await open(this.path, 'r');
    try {
      const { size } = await handle.stat();
      let needed = HEADER_BYTES;
      while (this.next < size) {
        const length = Math.min(Math.max(this.chunkBytes, needed), size - this.next);
        if (length < needed) {
          pass.truncated = true;
          break;
        }
        pass.truncated = false;
        const chunk = Buffer.allocUnsafe(length);
        const { bytesRead } = await handle.read(chunk, 0, length, this.next);
        needed = this.parse(chunk.subarray(0, bytesRead), onRecord, pass);
        if (bytesRead < length) break;
      }
    } finally {
      await handle.close();
    }
    pass.offset = this.next;
    return pass;
  }

  /** Reads the records in `chunk` (which starts at `next`); returns the bytes the cut record needs. */
  private parse(chunk: Buffer, onRecord: (record: FramedRecord) => void, pass: ReadPass): number {
    const origin = this.next;
    let at = 0;
    // TODO(load-speed): readRecord allocates two DataViews and BigInts per
    // record, about half the cost of a small scalar record; reading the
    // length as two uint32 halves in writer/record.ts would lift scalar loads.
    try {
      for (;;) {
        const result = readRecord(chunk, at, this.path, origin);
        if (result.kind === 'truncated') {
          pass.truncated = true;
          return result.needed;
        }
        onRecord(result.record);
        pass.records += 1;
        at = result.record.next - origin;
        this.next = result.record.next;
      }
    } catch (error) {
      if (error instanceof DataLossError) this.loss = error;
      throw error;
    }
  }

  /** Reads the complete record at `offset` again (a payload served on request), checking its CRCs. */
  static async readRecordAt(path: string, offset: number, length: number): Promise<Uint8Array> {
    const bytes = await readBytesAt(path, offset, length);
    const result = readRecord(bytes, 0, path, offset);
    if (result.kind === 'truncated') {
      throw new RangeError(
        `record at ${offset} of ${path}: want ${result.needed} bytes, got ${length}`,
      );
    }
    return result.record.payload;
  }
}

/** `length` bytes at `offset` of `path`; throws when the file no longer holds them. */
export async function readBytesAt(
  path: string,
  offset: number,
  length: number,
): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const bytes = Buffer.allocUnsafe(length);
    const { bytesRead } = await handle.read(bytes, 0, length, offset);
    if (bytesRead < length) {
      throw new RangeError(
        `${path} ends at ${offset + bytesRead}: want ${length} bytes from ${offset}`,
      );
    }
    return bytes;
  } finally {
    await handle.close();
  }
}
