/**
 * Tails one event file: each call reads the records appended since the last
 * one, from the offset where the previous call stopped. A record cut short by
 * the end of the file is a writer still writing, so reading stops before it
 * and the next call starts there again. A corrupt record is data loss: the
 * file is stopped for good at that offset, and everything read before stays.
 *
 * Event files only ever grow, so a file under the same name that holds fewer
 * bytes than were read, or other bytes where they were read, is another file:
 * replaced by a rename, cut short, or rewritten. Reading it on from the old
 * offset would splice two files, so every read checks first and throws
 * FileChangedError instead; the caller drops what the file gave and starts a
 * new loader on it.
 */
import type { Stats } from 'node:fs';
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
import { FileChangedError } from './model.js';

/** Bytes of the first record kept to recognise the file: its header and wall time at least. */
const HEAD_BYTES = 64;
/** Bytes kept from the end of the last record read: its payload's last bytes and checksum. */
const TAIL_BYTES = 16;

/**
 * Which file the name led to when it was first read. A new inode, device or
 * birth time is the usual sign of a replaced file, but not proof of one: a
 * copy renamed onto the name (rsync, `cp` then `mv`) holds the same bytes.
 */
interface FileIdentity {
  dev: number;
  ino: number;
  /**
   * Null where the file system keeps no birth time: libuv then reports 0, or
   * the change time in its place, which moves on every append. So a birth
   * time equal to the change time is not taken as one either.
   */
  birthtimeMs: number | null;
}

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
  /** The file first opened, or null before; updated when a copy of it took its name. */
  private identity: FileIdentity | null = null;
  /** The first record's first bytes (up to HEAD_BYTES), once it was read whole. */
  private head: Buffer | null = null;
  /** The last TAIL_BYTES bytes before `next`, or null while `next` is 0. */
  private tail: Buffer | null = null;

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
   * once, when the corruption is met; later calls read nothing. Throws
   * FileChangedError, having read nothing, when the name now leads to another
   * file (see `checkSameFile`); this loader is then done with.
   */
  async readNew(
    onRecord: (record: RecordView) => void,
    afterChunk?: () => void,
  ): Promise<ReadPass> {
    const pass: ReadPass = { records: 0, offset: this.next, truncated: false };
    const handle = await open(this.path, 'r');
    let ahead: Promise<Chunk> | null = null;
    let size = 0;
    try {
      const stats = await this.checkSameFile(handle);
      // A file stopped by data loss is still checked: its replacement is news.
      if (this.loss) return pass;
      size = stats.size;
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

  /**
   * The stats of the file open as `handle`; throws FileChangedError when it is
   * not the one read so far. It is another file when it holds fewer bytes
   * than were read, or when its first bytes or those just before the read
   * offset are not the ones read. A file with nothing new and the same
   * identity is taken as is, without reading; one with a new identity but
   * the same bytes is a copy of the same file and is read on from the offset.
   */
  private async checkSameFile(handle: FileHandle): Promise<Stats> {
    // Taken before the stat: a pass in flight may read on meanwhile, but what
    // it reads was in the file before the stat was, if it is the same file.
    const read: ReadSoFar = { next: this.next, head: this.head, tail: this.tail };
    const stats = await handle.stat();
    const change = await this.changeOf(handle, stats, read);
    if (change !== null) throw new FileChangedError(this.path, change);
    return stats;
  }

  /** Why the file is not the one `read` describes, or null when it is (see `checkSameFile`). */
  private async changeOf(
    handle: FileHandle,
    stats: Stats,
    read: ReadSoFar,
  ): Promise<string | null> {
    const known = this.identity;
    if (known === null || read.next === 0) {
      // Nothing read yet: whatever the name leads to now is the file.
      this.identity = identityOf(stats);
      return null;
    }
    if (stats.size < read.next) {
      return `it holds ${stats.size} bytes, fewer than the ${read.next} already read`;
    }
    const moved = movedFrom(known, stats);
    if (moved === null && stats.size === read.next) return null;
    const differs = await contentChange(handle, read);
    if (differs !== null) return moved === null ? differs : `${moved}, and ${differs}`;
    if (moved !== null) this.identity = identityOf(stats);
    return null;
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
        if (view.offset === 0) {
          this.head = Buffer.from(chunk.subarray(0, Math.min(size, HEAD_BYTES)));
        }
        onRecord(view);
        pass.records += 1;
        at += size;
        this.next = origin + at;
      }
    } catch (error) {
      if (error instanceof DataLossError) this.loss = error;
      throw error;
    } finally {
      // A record is at least HEADER_BYTES + FOOTER_BYTES = TAIL_BYTES long, so
      // the tail lies in this chunk whenever this chunk moved `next`.
      if (this.next > origin) {
        const end = this.next - origin;
        this.tail = Buffer.from(chunk.subarray(end - TAIL_BYTES, end));
      }
    }
  }

  /**
   * The payload of the record of `length` bytes at `offset`, which a pass
   * read, read again from disk for a payload served on request. The file must
   * still be the one read (as `readNew` checks it) and the record must pass
   * its checksums again; anything else means the file changed since, a
   * FileChangedError, which a deleted file is too.
   */
  async readRecordAgain(offset: number, length: number): Promise<Uint8Array> {
    const handle = await open(this.path, 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new FileChangedError(this.path, 'it no longer exists');
      throw error;
    });
    try {
      await this.checkSameFile(handle);
      const bytes = Buffer.allocUnsafe(length);
      const { bytesRead } = await handle.read(bytes, 0, length, offset);
      return this.payloadOf(bytes.subarray(0, bytesRead), offset, length);
    } finally {
      await handle.close();
    }
  }

  /** The payload of `bytes`, read at `offset` where a whole record of `length` bytes was. */
  private payloadOf(bytes: Buffer, offset: number, length: number): Uint8Array {
    let result: ReturnType<typeof readRecord>;
    try {
      result = readRecord(bytes, 0, this.path, offset);
    } catch (error) {
      if (!(error instanceof DataLossError)) throw error;
      const reason = `the record at offset ${offset} fails its ${error.part} checksum now`;
      throw new FileChangedError(this.path, reason, { cause: error });
    }
    if (result.kind === 'truncated' || result.record.next !== offset + length) {
      throw new FileChangedError(this.path, `no record of ${length} bytes at offset ${offset} now`);
    }
    return result.record.payload;
  }
}

/** What a loader had read of its file at one moment; in the same file, bytes below `next` stay. */
interface ReadSoFar {
  next: number;
  head: Buffer | null;
  tail: Buffer | null;
}

/** Which bytes `read` kept are not in the file now, or null when all of them are. */
async function contentChange(handle: FileHandle, read: ReadSoFar): Promise<string | null> {
  const { head, tail, next } = read;
  if (head !== null && !(await holdsAt(handle, 0, head))) {
    return `its first ${head.length} bytes are not those read`;
  }
  if (tail !== null && !(await holdsAt(handle, next - tail.length, tail))) {
    return `the ${tail.length} bytes before offset ${next} are not those read`;
  }
  return null;
}

function identityOf(stats: Stats): FileIdentity {
  const birth = stats.birthtimeMs;
  const kept = birth > 0 && birth !== stats.ctimeMs;
  return { dev: stats.dev, ino: stats.ino, birthtimeMs: kept ? birth : null };
}

/** How `stats` shows another file than `known`, or null when it shows the same one. */
function movedFrom(known: FileIdentity, stats: Stats): string | null {
  if (stats.dev !== known.dev || stats.ino !== known.ino) {
    return `its inode is ${stats.dev}:${stats.ino}, not ${known.dev}:${known.ino}`;
  }
  if (known.birthtimeMs !== null && stats.birthtimeMs !== known.birthtimeMs) {
    return 'it was created again (its birth time changed)';
  }
  return null;
}

/** True when the file open as `handle` holds `bytes` at `offset`. */
async function holdsAt(handle: FileHandle, offset: number, bytes: Buffer): Promise<boolean> {
  const found = Buffer.allocUnsafe(bytes.length);
  const { bytesRead } = await handle.read(found, 0, bytes.length, offset);
  return bytesRead === bytes.length && found.equals(bytes);
}
