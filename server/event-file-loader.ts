/**
 * Tails one event file: each call reads the records appended since the last
 * one, from the offset where the previous call stopped. A record cut short by
 * the end of the file is a writer still writing, so reading stops before it
 * and the next call starts there again. A corrupt record is data loss: the
 * file is stopped for good at that offset, and everything read before stays.
 */
import { open, type FileHandle } from 'node:fs/promises';
import {
  checkRecordAt,
  DataLossError,
  firstCutRecord,
  FOOTER_BYTES,
  HEADER_BYTES,
  readRecord,
  type FramedRecord,
} from '../writer/record.js';
import { DEFAULT_CHUNK_BYTES, readChunk, releaseBuffer, type Chunk } from './file-chunks.js';

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
   * While one chunk is parsed the next is already being read, so disk and
   * checksums overlap, and a large file lets other work run between chunks.
   * `afterChunk` is called after each chunk's records. Throws DataLossError
   * once, when the corruption is met; later calls read nothing.
   */
  async readNew(
    onRecord: (record: RecordView) => void,
    afterChunk?: () => void,
  ): Promise<ReadPass> {
    const pass: ReadPass = { records: 0, offset: this.next, truncated: false };
    if (this.loss) return pass;
    const handle = await open(this.path, 'r');
    let ahead: Promise<Chunk> | null = null;
    let size = 0;
    try {
      size = (await handle.stat()).size;
      ahead = this.readAhead(handle, this.next, HEADER_BYTES, size);
      while (ahead) {
        const chunk = await ahead;
        // The next chunk starts at the first record this one cuts, so no
        // record is ever split between two buffers; it is read while this
        // one is checked.
        // TODO(load-speed): copying out of the page cache costs about as much
        // as native CRC32C, so on two busy cores image-heavy loads reach 30-60%
        // of the CRC32C-only limit; reads that overlap better need a free core.
        const [cut, needed] = firstCutRecord(chunk.bytes);
        const whole = chunk.bytes.length === chunk.length;
        ahead = whole ? this.readAhead(handle, chunk.offset + cut, needed, size) : null;
        this.parse(chunk.bytes, chunk.offset, onRecord, pass);
        releaseBuffer(chunk.buffer);
        afterChunk?.();
      }
    } finally {
      // A read still in flight must settle before its file handle closes.
      await ahead?.then((chunk) => releaseBuffer(chunk.buffer)).catch(() => undefined);
      await handle.close();
    }
    pass.truncated = this.next < size;
    pass.offset = this.next;
    return pass;
  }

  /** Starts reading the chunk at `offset`, which must hold `needed` bytes; null past the end. */
  private readAhead(
    handle: FileHandle,
    offset: number,
    needed: number,
    size: number,
  ): Promise<Chunk> | null {
    const length = Math.min(Math.max(this.chunkBytes, needed), size - offset);
    return length >= needed ? readChunk(handle, offset, length) : null;
  }

  /** Reads the whole records of `chunk` (file bytes from `origin`), up to the first cut one. */
  private parse(
    chunk: Buffer,
    origin: number,
    onRecord: (record: RecordView) => void,
    pass: ReadPass,
  ): void {
    const view = this.view;
    view.bytes = chunk;
    let at = 0;
    try {
      for (;;) {
        const size = checkRecordAt(chunk, at, this.path, origin);
        if (size < 0) return;
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

  /**
   * Reads the complete record at `offset` again (a payload served on request),
   * checking its CRCs.
   */
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
