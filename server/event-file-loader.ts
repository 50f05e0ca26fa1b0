/**
 * Tails one event file: each call reads the records appended since the last
 * one, from the offset where the previous call stopped. A record cut short by
 * the end of the file is a writer still writing, so reading stops before it
 * and the next call starts there again. A corrupt record is data loss: the
 * file is stopped for good at that offset, and everything read before stays.
 */
import { open } from 'node:fs/promises';
import {
  checkRecordAt,
  DataLossError,
  FOOTER_BYTES,
  HEADER_BYTES,
  readRecord,
  type FramedRecord,
} from '../writer/record.js';

/** Bytes read from disk at a time; a larger record is read whole. */
const DEFAULT_CHUNK_BYTES = 4 << 20;
const EMPTY = Buffer.alloc(0);

export interface ReadPass {
  /** Complete records handed to the callback in this pass. */
  records: number;
  /** Bytes from the file's start up to the first unread record. */
  offset: number;
  /** True when the file ends inside a record (a writer mid-write, or a cut tail). */
  truncated: boolean;
}

/**
 * One complete record, as a `readNew` callback sees it. The loader reuses one
 * view and one chunk buffer for every record of a pass, so the view and its
 * bytes are valid only during the call: keep what they hold, never them.
 */
export class RecordView implements FramedRecord {
  /** The chunk the record sits in; its payload is `bytes[payloadStart, payloadEnd)`. */
  bytes: Uint8Array = new Uint8Array(0);
  payloadStart = 0;
  payloadEnd = 0;
  offset = 0;
  next = 0;

  /** The payload as its own view (one allocation; the scalar scan reads `bytes` instead). */
  get payload(): Uint8Array {
    return this.bytes.subarray(this.payloadStart, this.payloadEnd);
  }
}

export class EventFileLoader {
  /** File offset of the first record not yet read; every byte before it was read exactly once. */
  private next = 0;
  /** Set when a record proved corrupt; from then on the file is never read again. */
  private loss: DataLossError | null = null;
  /** The one view every record of a pass is shown through. */
  private readonly view = new RecordView();

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
   * in file order (see `RecordView` for how long a record stays valid).
   * Awaits disk reads between chunks, so a large file lets other work run
   * while it loads. Throws DataLossError once, when the corruption is met;
   * later calls read nothing.
   */
  async readNew(onRecord: (record: RecordView) => void): Promise<ReadPass> {
    const pass: ReadPass = { records: 0, offset: this.next, truncated: false };
    if (this.loss) return pass;
    const handle = await open(this.path, 'r');
    try {
      const { size } = await handle.stat();
      let needed = HEADER_BYTES;
      let chunk = EMPTY;
      while (this.next < size) {
        const length = Math.min(Math.max(this.chunkBytes, needed), size - this.next);
        if (length < needed) {
          pass.truncated = true;
          break;
        }
        pass.truncated = false;
        // One buffer per pass, replaced only by a larger one: no allocation per chunk.
        if (chunk.length < length) chunk = Buffer.allocUnsafe(length);
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
  private parse(chunk: Buffer, onRecord: (record: RecordView) => void, pass: ReadPass): number {
    const origin = this.next;
    const view = this.view;
    view.bytes = chunk;
    let at = 0;
    try {
      for (;;) {
        const size = checkRecordAt(chunk, at, this.path, origin);
        if (size < 0) {
          pass.truncated = true;
          return -size;
        }
        view.offset = origin + at;
        view.payloadStart = at + HEADER_BYTES;
        view.payloadEnd = at + size - FOOTER_BYTES;
        view.next = origin + at + size;
        onRecord(view);
        pass.records += 1;
        at += size;
        this.next = origin + at;
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
