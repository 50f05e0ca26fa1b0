/**
 * One event file in one run directory: Events in, framed records on disk.
 *
 * Appending never waits for the disk. `write()` encodes and frames the event
 * at once (so the caller may reuse its arrays) and queues the bytes; the queue
 * is written asynchronously when it passes `DRAIN_BYTES`, every
 * `flushIntervalMs`, on `flush()` and on `close()`.
 *
 * Every batch of records is given its file offset when it leaves the queue and
 * is written there with a positional write. Writes may therefore finish in
 * any order, and at process exit a batch still in flight can be rewritten
 * synchronously at the same offset without risk of duplicating it.
 *
 * I/O errors (ENOSPC, EACCES, ...) never throw into the caller of `write()`:
 * the first one goes to `onError`, every later `flush()`/`close()` rejects
 * with it, and events written after it are counted, not queued. Every event
 * not in the file is counted as lost: those queued, those appended later, and
 * those of the batch a write failed in whose records did not reach the file.
 * On the way out of the process (`flushSync()`) an error is reported at once,
 * to stderr unless `onError` is given: a process warning would print after
 * the process has gone.
 *
 * A deleted file (alone or with its run directory) would swallow every later
 * write without an error. So after each write one fstat checks the file is
 * still in place; a batch counts as confirmed only then. If it is gone, the
 * run directory is re-created and a new file takes over, first its own
 * file_version and then every unconfirmed record, and `onError` is told with
 * an `EventFileDeletedError`.
 */
import {
  closeSync,
  fstatSync,
  fsync,
  mkdirSync,
  openSync,
  statSync,
  writeSync,
  writev,
  writevSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { EventType, type Event } from '../proto/index.js';
import { checkOptionsObject, checkRunDir, describe } from './arguments.js';
import { registerForExit, unregisterForExit, type ExitFlushable } from './exit-hooks.js';
import { FOOTER_BYTES, frameInPlace, HEADER_BYTES, recordFrame } from './record.js';

const writevAsync = promisify(writev);
const fsyncAsync = promisify(fsync);

/** The default period of the background flush: events reach the OS within a second. */
export const DEFAULT_FLUSH_INTERVAL_MS = 1000;

/** The default bound of the in-memory queue. */
export const DEFAULT_MAX_QUEUED_BYTES = 64 * 1024 * 1024;

/** Queued bytes that start a background write before the next periodic flush. */
const DRAIN_BYTES = 1024 * 1024;

/** Size of each shared buffer small records are framed into. */
const ARENA_BYTES = 64 * 1024;

export const FILE_VERSION = 'brain.Event:2';
export const SOURCE_WRITER = 'lensboard';

export interface EventFileWriterOptions {
  /**
   * Period of the background flush in milliseconds; default 1000. At most
   * 2^31 - 1: Node runs any longer timer after 1 ms, so a bigger value would
   * flush a thousand times a second instead of rarely.
   */
  flushIntervalMs?: number;
  /**
   * Bound of the bytes queued in memory; default 64 MiB. An append that would
   * pass it writes the whole queue synchronously first: the caller waits for
   * the disk instead of events being dropped or memory growing without bound.
   */
  maxQueuedBytes?: number;
  /**
   * Receives the first I/O error (an `EventFileError`), and an
   * `EventFileDeletedError` each time a deleted file is replaced; default: a
   * process warning, or one line on stderr on the way out of the process.
   */
  onError?: (error: Error) => void;
}

/** An I/O error of one event file; `code` is the system's (ENOSPC, EACCES, ...). */
export class EventFileError extends Error {
  override readonly name = 'EventFileError';
  readonly code: string | undefined;

  constructor(
    readonly file: string,
    cause: unknown,
    /** Events appended but not written because of this error. */
    readonly lostEvents = 0,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const events = lostEvents === 1 ? 'event was' : 'events were';
    const lost = lostEvents > 0 ? `; ${lostEvents} ${events} not written` : '';
    super(`cannot write event file ${file}: ${reason}${lost}`, { cause });
    this.code = (cause as NodeJS.ErrnoException | undefined)?.code;
  }
}

/**
 * The event file was found deleted (alone or with its run directory) while
 * the writer had it open. Not a failure: the writer has already continued in
 * `replacement`, where it wrote again the events that may have gone to the
 * deleted file since it was last seen in place.
 */
export class EventFileDeletedError extends Error {
  override readonly name = 'EventFileDeletedError';

  constructor(
    readonly file: string,
    readonly replacement: string,
    /** Events written to the deleted file since its last check, written again to the new one. */
    readonly rewrittenEvents: number,
  ) {
    const again =
      rewrittenEvents > 0
        ? `, where the ${rewrittenEvents} events written to it since it was last seen ` +
          'in place are written again'
        : '';
    super(`event file ${file} was deleted while open; continuing in ${replacement}${again}`);
  }
}

/** A record that moves from a deleted event file to its replacement. */
interface CarriedRecord {
  payload: Uint8Array;
  /** Its sequence number before the move. */
  seq: number;
}

/**
 * What a layer above (the summary writer) does when records move to a new
 * file because the old one was deleted: restate what the deleted file held
 * and the records that move do not carry, such as each tag's plugin metadata.
 */
export interface CarryOver {
  /** Events numbered below `seq` are in a file seen in place after their write: none will move. */
  settledBelow(seq: number): void;
  /** A new file replaces a deleted one; the records that move follow through `restate`. */
  startFile(): void;
  /**
   * The payload to write, as event `newSeq` of the new file, for the event
   * that was `oldSeq` (Infinity: one being appended as the file changed).
   */
  restate(payload: Uint8Array, oldSeq: number, newSeq: number): Uint8Array;
}

/** Records that left the queue together, and the file offset they were given. */
interface Batch {
  fd: number;
  offset: number;
  /** Whole records: a record's 12-byte header never spans two chunks, nor does a payload. */
  chunks: Uint8Array[];
  bytes: number;
  /** The sequence number of its first record; the others follow without a gap. */
  firstSeq: number;
  /** Bytes from the start known to be in the file, from any write of the batch. */
  written: number;
  /** Set once the batch is fully in its file. */
  done: boolean;
  /** Set once the batch is fully in the file by a synchronous rewrite. */
  rewritten: boolean;
  /** Set once its records moved to a new file; whatever its own write does no longer counts. */
  moved: boolean;
  /** Set once its unwritten events are counted in `lostEvents`, so they count once. */
  counted: boolean;
}

/** Distinguishes the files one process creates within one second. */
let fileCounter = 0;

export class EventFileWriter implements ExitFlushable {
  readonly runDir: string;

  /** The current file; both change when a deleted file is replaced. */
  private path = '';
  private fd = -1;
  private readonly maxQueuedBytes: number;
  /** The caller's error hook; without one, errors become process warnings. */
  private readonly onError: ((error: Error) => void) | undefined;
  private readonly carryOver: CarryOver | undefined;
  private readonly timer: NodeJS.Timeout;

  /**
   * Framed records not yet given an offset, in append order. `queuedBytes`
   * and `queuedEvents` count them together with the arena's unqueued part.
   */
  private queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private queuedEvents = 0;
  /**
   * Sequence numbers follow the records of the current file in file order:
   * `appendedEvents` is the next one, `takenEvents` that of the first queued
   * record, `fileVersionSeq` that of the current file's first record.
   */
  private appendedEvents = 0;
  private takenEvents = 0;
  private fileVersionSeq = 0;
  /**
   * Small records are framed straight into the arena. Bytes before
   * `arenaEnd` are final and never rewritten (a queued view of them may be
   * in flight); those from `arenaQueuedFrom` on are not in `queue` yet.
   */
  private arena = Buffer.allocUnsafe(0);
  private arenaQueuedFrom = 0;
  private arenaEnd = 0;
  /** Offset the next batch will be written at: the size of the file once all writes finish. */
  private nextOffset = 0;
  /** Batches handed to an asynchronous write that has not finished. */
  private readonly inFlight = new Set<Batch>();
  /**
   * Batches taken from the queue and not yet seen in a file still in place,
   * in sequence order: in flight, or written but not checked since. If the
   * file turns out deleted, their records move to the new file.
   */
  private unconfirmed: Batch[] = [];
  /** Files opened in place of deleted ones. */
  private replacements = 0;
  /** The current file replaced a deleted one and has not yet been seen in place itself. */
  private replacedUnseen = false;
  /** The running background drain, if any; it empties the queue before resolving. */
  private draining: Promise<void> | null = null;
  /** The first I/O error; once set, nothing more is written. */
  private error: EventFileError | null = null;
  /** Events kept out of the file by the error: queued, in a failed batch, or appended after it. */
  private lostEvents = 0;
  /** Reports whose process warning is still to be emitted (on the next tick). */
  private unwarned: Error[] = [];
  private closing: Promise<void> | null = null;

  /** `carryOver` is for the layer above (see SummaryWriter); plain use needs none. */
  constructor(runDir: string, options: EventFileWriterOptions = {}, carryOver?: CarryOver) {
    this.runDir = checkRunDir(runDir);
    checkOptionsObject(options);
    this.maxQueuedBytes = maxQueuedBytesOption(options.maxQueuedBytes);
    const interval = flushIntervalOption(options.flushIntervalMs);
    this.onError = onErrorOption(options.onError);
    this.carryOver = carryOver;

    this.openFile();
    this.timer = setInterval(() => this.flushInBackground(), interval).unref();
    registerForExit(this);
  }

  /** The file being written; a new one once the old one is found deleted. */
  get filePath(): string {
    return this.path;
  }

  /**
   * Encodes, frames and queues one event. Returns its sequence number, or -1
   * when it was dropped (after an I/O error, and counted as lost). Throws only
   * if the writer is closed or the event cannot be encoded.
   */
  write(event: Event): number {
    return this.writePayload(EventType.encode(event as Record<string, unknown>).finish());
  }

  /** Queues one serialized Event as it is (no copy); returns as `write()` does. */
  writePayload(payload: Uint8Array): number {
    if (!this.acceptsWrite()) return -1;
    const replacements = this.replacements;
    if (!this.makeRoom(HEADER_BYTES + payload.length + FOOTER_BYTES)) return -1;
    if (this.replacements !== replacements) payload = this.restated(payload, Infinity);
    return this.queueRecord(payload);
  }

  /**
   * Queues one Event of `payloadSize` bytes that `encode` writes at `out[at..]`.
   * Small events are encoded and framed straight into a shared buffer: no
   * allocation per event, the point of this method.
   */
  writeEncoded(payloadSize: number, encode: (out: Buffer, at: number) => void): number {
    const size = HEADER_BYTES + payloadSize + FOOTER_BYTES;
    if (size > ARENA_BYTES / 4) return this.writePayload(encodedAlone(payloadSize, encode));
    if (!this.acceptsWrite()) return -1;
    const replacements = this.replacements;
    if (!this.makeRoom(size)) return -1;
    if (this.replacements !== replacements) {
      // Encoded for the deleted file: restated like the records that moved.
      return this.queueRecord(this.restated(encodedAlone(payloadSize, encode), Infinity));
    }
    if (this.arenaEnd + size > this.arena.length) this.newArena();
    encode(this.arena, this.arenaEnd + HEADER_BYTES);
    frameInPlace(this.arena, this.arenaEnd, payloadSize);
    this.arenaEnd += size;
    return this.appended(size);
  }

  /** Resolves when every event written so far is in the file (not necessarily on the platter). */
  async flush(): Promise<void> {
    await this.drain();
    this.throwIfFailed();
  }

  /** Flushes, fsyncs and closes the file. Later calls return the same promise. */
  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  flushInBackground(): void {
    void this.drain();
  }

  /**
   * Called on the way out of the process. Batches in flight were accepted
   * before any error, so they are rewritten even after one; errors are
   * reported before returning, as nothing asynchronous will run again.
   */
  flushSync(): void {
    for (const batch of this.inFlight) {
      if (batch.rewritten || batch.moved) continue;
      try {
        writeBatchSync(batch.fd, batch);
        batch.rewritten = batch.done = true;
      } catch (error) {
        this.batchFailed(batch, error, true);
      }
    }
    this.confirmInPlace(true);
    // Twice at most: a replacement queues what it moves, and one deleted in turn is an error.
    while (!this.error && this.queuedBytes > 0) this.writeQueueSync(true);
    for (const report of this.unwarned.splice(0)) this.warnNow(report);
  }

  private async closeOnce(): Promise<void> {
    clearInterval(this.timer);
    try {
      await this.drain();
      if (!this.error) await fsyncAsync(this.fd).catch((error) => this.fail(error, false));
    } finally {
      closeSync(this.fd);
      unregisterForExit(this);
    }
    this.throwIfFailed();
  }

  private drain(): Promise<void> {
    this.draining ??= this.drainQueue().finally(() => (this.draining = null));
    return this.draining;
  }

  private async drainQueue(): Promise<void> {
    while (this.queuedBytes > 0 && !this.error) {
      const batch = this.takeBatch();
      this.inFlight.add(batch);
      try {
        await writeBatch(batch.fd, batch);
        batch.done = true;
        if (!batch.moved) this.confirmInPlace(false);
      } catch (error) {
        // A batch the exit flush rewrote, or one whose records moved, is written elsewhere.
        if (!batch.rewritten && !batch.moved) this.batchFailed(batch, error, false);
      } finally {
        this.inFlight.delete(batch);
        if (batch.fd !== this.fd && !this.writesTo(batch.fd)) closeQuietly(batch.fd);
      }
    }
  }

  private writeQueueSync(exiting = false): void {
    if (this.queuedBytes === 0) return;
    const batch = this.takeBatch();
    try {
      writeBatchSync(batch.fd, batch);
    } catch (error) {
      this.batchFailed(batch, error, exiting);
      return;
    }
    batch.done = true;
    this.confirmInPlace(exiting);
  }

  /**
   * After each write, one fstat tells whether the file is still in place. If
   * it is, every batch written so far is confirmed in it; if it was deleted
   * (with its run directory or alone), the file is replaced and everything not
   * confirmed moves to the new one, as TensorFlow's EventsWriter does.
   */
  private confirmInPlace(exiting: boolean): void {
    if (this.error) return;
    let deleted: boolean;
    try {
      deleted = isDeleted(this.fd, this.path);
    } catch (error) {
      this.fail(error, exiting);
      return;
    }
    if (deleted) {
      this.replaceDeletedFile(exiting);
      return;
    }
    this.replacedUnseen = false;
    this.unconfirmed = this.unconfirmed.filter((batch) => !batch.done);
    this.carryOver?.settledBelow(this.unconfirmed[0]?.firstSeq ?? this.takenEvents);
  }

  /**
   * Opens a new event file in the run directory and queues its first record,
   * file_version. The queue is empty: at construction, or emptied by the move.
   */
  private openFile(): void {
    createRunDirectory(this.runDir);
    [this.path, this.fd] = createEventFile(this.runDir);
    this.nextOffset = 0;
    this.fileVersionSeq = this.takenEvents = this.appendedEvents;
    const fileVersion = {
      wallTime: Date.now() / 1000,
      fileVersion: FILE_VERSION,
      sourceMetadata: { writer: SOURCE_WRITER },
    };
    this.queueRecord(EventType.encode(fileVersion).finish());
  }

  /**
   * Continues in a new file: the records of every unconfirmed batch (those
   * that may have gone to the deleted file) and of the queue move to it, after
   * its own file_version, restated by `carryOver`. A file deleted again before
   * it was once seen in place is an error: the run directory is being removed
   * as fast as it is made, and the writer stops rather than loop.
   */
  private replaceDeletedFile(exiting: boolean): void {
    const deleted = this.path;
    const moving = this.unconfirmed;
    this.unconfirmed = [];
    const records: CarriedRecord[] = [];
    for (const batch of moving) {
      batch.moved = true;
      collectRecords(batch.chunks, batch.firstSeq, records);
    }
    const queuedFrom = this.takenEvents;
    this.sealArena();
    collectRecords(this.queue, queuedFrom, records);
    this.queue = [];
    this.queuedBytes = 0;
    this.queuedEvents = 0;
    // The deleted file's own file_version stays behind: the new file gets one.
    const carried = records.filter((record) => record.seq !== this.fileVersionSeq);
    const rewritten = carried.filter((record) => record.seq < queuedFrom).length;

    const oldFd = this.fd;
    try {
      if (this.replacedUnseen) throw new Error('deleted again before it was once seen in place');
      this.openFile();
    } catch (error) {
      this.lostEvents += carried.length;
      this.fail(error, exiting);
      return;
    }
    if (!this.writesTo(oldFd)) closeQuietly(oldFd);
    this.replacements++;
    this.replacedUnseen = true;

    this.carryOver?.startFile();
    for (const record of carried) {
      this.queueRecord(this.restated(record.payload, record.seq));
    }
    this.report(new EventFileDeletedError(deleted, this.path, rewritten), exiting);
  }

  /** The payload as `carryOver` restates it for the current file, as the next event of it. */
  private restated(payload: Uint8Array, oldSeq: number): Uint8Array {
    if (!this.carryOver) return payload;
    try {
      return this.carryOver.restate(payload, oldSeq, this.appendedEvents);
    } catch {
      // Restating only adds what the deleted file held; the event itself is kept as it is.
      return payload;
    }
  }

  /** Frames and queues a payload after the arena's records; returns its sequence number. */
  private queueRecord(payload: Uint8Array): number {
    this.sealArena();
    const [header, footer] = recordFrame(payload);
    this.queue.push(header, payload, footer);
    return this.appended(header.length + payload.length + footer.length);
  }

  /** Whether an asynchronous write to `fd` has not finished, so `fd` must stay open. */
  private writesTo(fd: number): boolean {
    for (const batch of this.inFlight) if (batch.fd === fd) return true;
    return false;
  }

  private acceptsWrite(): boolean {
    if (this.closing) throw new Error(`event file ${this.filePath} is closed`);
    if (!this.error) return true;
    this.lostEvents++;
    return false;
  }

  /**
   * Applies the queue bound before `size` more bytes are appended. False when
   * writing the queue failed: the event about to be appended is lost too.
   */
  private makeRoom(size: number): boolean {
    if (this.queuedBytes + size > this.maxQueuedBytes) this.writeQueueSync();
    if (!this.error) return true;
    this.lostEvents++;
    return false;
  }

  /** Counts an event just queued; returns its sequence number. */
  private appended(size: number): number {
    this.queuedBytes += size;
    this.queuedEvents++;
    if (this.queuedBytes >= DRAIN_BYTES) this.flushInBackground();
    return this.appendedEvents++;
  }

  /** Moves the arena's framed bytes not yet queued to the queue, keeping append order. */
  private sealArena(): void {
    if (this.arenaEnd === this.arenaQueuedFrom) return;
    this.queue.push(this.arena.subarray(this.arenaQueuedFrom, this.arenaEnd));
    this.arenaQueuedFrom = this.arenaEnd;
  }

  private newArena(): void {
    this.sealArena();
    this.arena = Buffer.allocUnsafe(ARENA_BYTES);
    this.arenaQueuedFrom = 0;
    this.arenaEnd = 0;
  }

  private takeBatch(): Batch {
    this.sealArena();
    const batch: Batch = {
      fd: this.fd,
      offset: this.nextOffset,
      chunks: this.queue,
      bytes: this.queuedBytes,
      firstSeq: this.takenEvents,
      written: 0,
      done: false,
      rewritten: false,
      moved: false,
      counted: false,
    };
    this.nextOffset += this.queuedBytes;
    this.takenEvents += this.queuedEvents;
    this.queue = [];
    this.queuedBytes = 0;
    this.queuedEvents = 0;
    this.unconfirmed.push(batch);
    return batch;
  }

  /** Counts the events of `batch` that did not reach the file, then fails with `cause`. */
  private batchFailed(batch: Batch, cause: unknown, exiting: boolean): void {
    if (!batch.counted) {
      batch.counted = true;
      this.lostEvents += recordsEndingAfter(batch.chunks, batch.written);
    }
    this.fail(cause, exiting);
  }

  // TODO(transient I/O errors): a full disk that frees up later is not retried; the writer stays
  // failed and the caller must open a new one.
  private fail(cause: unknown, exiting: boolean): void {
    if (this.error) return;
    this.lostEvents += this.queuedEvents;
    this.queue = [];
    this.queuedBytes = 0;
    this.queuedEvents = 0;
    this.arenaQueuedFrom = this.arenaEnd;
    this.error = new EventFileError(this.filePath, cause, this.lostEvents);
    this.report(this.error, exiting);
  }

  /**
   * Hands an error or a notice to `onError`, or else to a process warning. A
   * warning prints on a later tick, which never comes on the way out of the
   * process, so there it is written to stderr at once instead.
   */
  private report(report: Error, exiting: boolean): void {
    if (this.onError) {
      try {
        this.onError(report);
      } catch {
        // An onError that throws must not turn an I/O error into a crash of the
        // training loop; the error still surfaces from flush() and close().
      }
      return;
    }
    if (exiting) {
      this.warnNow(report);
      return;
    }
    // Deferred by a tick of our own, so that an exit in between prints it once, at once.
    this.unwarned.push(report);
    process.nextTick(() => {
      const at = this.unwarned.indexOf(report);
      if (at < 0) return;
      this.unwarned.splice(at, 1);
      process.emitWarning(report);
    });
  }

  /** One line on stderr, as Node prints a warning; an I/O error with the events lost by now. */
  private warnNow(report: Error): void {
    const now =
      report instanceof EventFileError
        ? new EventFileError(report.file, report.cause, this.lostEvents)
        : report;
    const code = now instanceof EventFileError && now.code ? `[${now.code}] ` : '';
    try {
      writeSync(2, `(node:${process.pid}) ${code}${now.name}: ${now.message}\n`);
    } catch {
      // No stderr to write to: nothing else can be told either.
    }
  }

  private throwIfFailed(): void {
    if (!this.error) return;
    throw new EventFileError(this.filePath, this.error.cause, this.lostEvents);
  }
}

/**
 * Whether the open file `fd` was unlinked. A link count of 0 says so; the
 * path is asked too, so that a file system reporting no links for a file
 * still in place (some network ones do) is not taken for a deleted file.
 */
function isDeleted(fd: number, path: string): boolean {
  const open = fstatSync(fd);
  if (open.nlink > 0) return false;
  try {
    const named = statSync(path, { throwIfNoEntry: false });
    return named === undefined || named.ino !== open.ino || named.dev !== open.dev;
  } catch {
    return true; // the path no longer leads to a file (ENOTDIR, EACCES): it is gone for us
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // The file was deleted; closing it can only free the descriptor.
  }
}

/** A payload of its own, for an event too large for the arena or encoded before a file change. */
function encodedAlone(size: number, encode: (out: Buffer, at: number) => void): Buffer {
  const payload = Buffer.allocUnsafe(size);
  encode(payload, 0);
  return payload;
}

/** Appends the records of `chunks` to `out`, numbered from `firstSeq`. */
function collectRecords(chunks: Uint8Array[], firstSeq: number, out: CarriedRecord[]): void {
  let seq = firstSeq;
  forEachRecord(chunks, (payload) => out.push({ payload, seq: seq++ }));
}

/** Creates a new event file, never opening one that exists (another process's). */
function createEventFile(runDir: string): [string, number] {
  const seconds = Math.floor(Date.now() / 1000);
  for (;;) {
    const name = `events.out.tfevents.${seconds}.${hostname()}.${process.pid}.${fileCounter++}`;
    const path = join(runDir, name);
    try {
      return [path, openSync(path, 'wx')];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

async function writeBatch(fd: number, batch: Batch): Promise<void> {
  let { chunks, offset } = batch;
  let remaining = batch.bytes;
  while (remaining > 0) {
    const { bytesWritten } = await writevAsync(fd, chunks as NodeJS.ArrayBufferView[], offset);
    if (bytesWritten === 0) throw new Error('write made no progress');
    [chunks, offset, remaining] = advance(chunks, offset, remaining, bytesWritten);
    batch.written = Math.max(batch.written, batch.bytes - remaining);
  }
}

function writeBatchSync(fd: number, batch: Batch): void {
  let { chunks, offset } = batch;
  let remaining = batch.bytes;
  while (remaining > 0) {
    const bytesWritten = writevSync(fd, chunks as NodeJS.ArrayBufferView[], offset);
    if (bytesWritten === 0) throw new Error('write made no progress');
    [chunks, offset, remaining] = advance(chunks, offset, remaining, bytesWritten);
    batch.written = Math.max(batch.written, batch.bytes - remaining);
  }
}

/**
 * How many records of `chunks` end after their first `written` bytes: the
 * events a partial write left out of the file. Each record's length is read
 * from its header, which never spans two chunks.
 */
function recordsEndingAfter(chunks: Uint8Array[], written: number): number {
  let count = 0;
  forEachRecord(chunks, (_, end) => {
    if (end > written) count++;
  });
  return count;
}

/** Calls `visit` with each record's payload and the offset just past it within `chunks`. */
function forEachRecord(
  chunks: Uint8Array[],
  visit: (payload: Uint8Array, end: number) => void,
): void {
  let index = 0;
  let at = 0;
  let position = 0;
  /** Moves `bytes` on, across chunk boundaries. */
  const skip = (bytes: number) => {
    position += bytes;
    while (index < chunks.length && at + bytes >= chunks[index].length) {
      bytes -= chunks[index].length - at;
      index++;
      at = 0;
      if (bytes === 0) return;
    }
    at += bytes;
  };
  while (index < chunks.length) {
    const chunk = chunks[index];
    const length =
      chunk[at] + chunk[at + 1] * 2 ** 8 + chunk[at + 2] * 2 ** 16 + chunk[at + 3] * 2 ** 24;
    skip(HEADER_BYTES);
    const payload = chunks[index].subarray(at, at + length);
    skip(length + FOOTER_BYTES);
    visit(payload, position);
  }
}

/** What is left of a batch after a partial write of `written` bytes. */
function advance(
  chunks: Uint8Array[],
  offset: number,
  remaining: number,
  written: number,
): [Uint8Array[], number, number] {
  if (written >= remaining) return [[], offset + written, 0];
  let skip = written;
  let index = 0;
  while (skip >= chunks[index].length) skip -= chunks[index++].length;
  const rest = [chunks[index].subarray(skip), ...chunks.slice(index + 1)];
  return [rest, offset + written, remaining - written];
}

/** Node's timers hold a signed 32-bit count of milliseconds. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function flushIntervalOption(value: unknown): number {
  if (value === undefined) return DEFAULT_FLUSH_INTERVAL_MS;
  if (typeof value === 'number' && value > 0 && value <= MAX_TIMER_MS) return value;
  throw new RangeError(
    `invalid flushIntervalMs: ${describe(value)} ` +
      `(want milliseconds above 0, at most ${MAX_TIMER_MS})`,
  );
}

function maxQueuedBytesOption(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_QUEUED_BYTES;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  throw new RangeError(`invalid maxQueuedBytes: ${describe(value)} (want an integer >= 1)`);
}

/** Checked now: an `onError` that is not a function would only fail when an error struck. */
function onErrorOption(value: unknown): ((error: Error) => void) | undefined {
  if (value === undefined || typeof value === 'function') {
    return value as ((error: Error) => void) | undefined;
  }
  throw new TypeError(`invalid onError: ${describe(value)} (want a function)`);
}

/**
 * Creates the run directory and any missing parent. A path that runs through
 * a regular file gets an error saying so: mkdir's own (EEXIST or ENOTDIR,
 * "mkdir") names neither the run directory nor the file in the way.
 */
function createRunDirectory(runDir: string): void {
  try {
    mkdirSync(runDir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const file = code === 'EEXIST' || code === 'ENOTDIR' ? fileOnPath(runDir) : null;
    const reason = file ? `${file} is a file, not a directory` : (error as Error).message;
    const failure = new Error(`cannot create run directory ${runDir}: ${reason}`, { cause: error });
    throw Object.assign(failure, { code });
  }
}

/** The first component of `path` that exists and is not a directory, if any. */
function fileOnPath(path: string): string | null {
  const components: string[] = [];
  for (let at = resolve(path); ; at = dirname(at)) {
    components.unshift(at);
    if (dirname(at) === at) break;
  }
  for (const component of components) {
    const stats = statSync(component, { throwIfNoEntry: false });
    if (stats === undefined) return null;
    if (!stats.isDirectory()) return component;
  }
  return null;
}
