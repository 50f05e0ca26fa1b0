/**
 * One run: its event files, each tailed on its own, merged into per-tag
 * sampled series. Restart handling is per file, because every file is one
 * writer: TensorBoard's purge rules apply inside the file that holds the
 * restart marker and never touch another writer's values.
 *
 * Purge (on by default, `purgeOrphanedData`):
 * - a file whose `file_version` is 2 or later purges on `SessionLog.START`:
 *   values of that file at steps >= the START's step are dropped;
 * - an older file (or one without a version) purges when a summary event's
 *   step is below the file's previous summary step: that event's tags lose
 *   the file's values at steps >= the new step.
 * Nothing else is purged: duplicate steps stay, in file order. Each purge is
 * one warning of the run, with the count of values hidden.
 *
 * Segments: a (tag, file) pair starts in its own segment, and a step not
 * greater than the previous step of that tag in that file starts another.
 */
import { basename, join } from 'node:path';
import {
  decodeEvent,
  decodeTensorMetadata,
  LENSBOARD_PLUGIN_NAME,
  SessionStatus,
  toSafeNumber,
  type Event,
  type SummaryMetadata,
  type SummaryValue,
  type TensorMetadata,
} from '../proto/index.js';
import { DataLossError, type FramedRecord } from '../writer/record.js';
import {
  graphValue,
  kindOfPlugin,
  migrateValue,
  toDatum,
  ValueError,
  type BlobSpan,
  type Datum,
} from './data-compat.js';
import { EventFileLoader, type RecordView } from './event-file-loader.js';
import { scanScalarEvent, ScannedScalars } from './scalar-scan.js';
import { ScalarSeries } from './scalar-series.js';
import { TagInterner } from './tag-interner.js';
import { StringPool } from './string-pool.js';
import { decodeTensor } from './values.js';
import {
  FileChangedError,
  type Entry,
  type HistogramEntry,
  type ImageEntry,
  type LoadedTensor,
  type LogdirChange,
  type PayloadAt,
  type PayloadEntry,
  type RunInfo,
  type Series,
  type TagInfo,
  type TagKind,
  type TensorEntry,
  type TextEntry,
} from './model.js';
import { Reservoir, seedOf } from './reservoir.js';

/** Time between two progress reports of one run's reload. */
const PROGRESS_INTERVAL_MS = 200;

/** Where loading reports problems: one line per problem, never per record. */
export interface LoadLogger {
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

export interface RunLoaderOptions {
  /** Items kept per (run, tag) by kind; Infinity keeps every value. */
  capacity: Record<TagKind, number>;
  purgeOrphanedData: boolean;
  logger: LoadLogger;
  /** Bytes read from disk at a time; undefined for the event-file loader's default. */
  chunkBytes?: number;
}

type ItemEntry = ImageEntry | HistogramEntry | TextEntry | TensorEntry;

/** One kept value of a kind other than scalars: its entry plus where its payload lives on disk. */
export interface StoredItem {
  entry: ItemEntry;
  step: number;
  /** The value's ordinal among its tag's values; increasing in reading order. */
  id: number;
  file: FileTail;
  /** File offset and byte length of the whole record holding the value. */
  recordOffset: number;
  recordLength: number;
  /** Image bytes inside the record payload; empty for other kinds. */
  blobs: BlobSpan[];
}

/**
 * The reading state of one event file. A file found changed under its name
 * gets a new FileTail (and id): values are tied to the tail that read them.
 */
export class FileTail {
  readonly loader: EventFileLoader;
  /**
   * Why a payload read found the file changed, or null: the next reload
   * reads it again from the start, as when the tail itself finds a change.
   */
  changed: string | null = null;
  /** Parsed `file_version` (2 for `brain.Event:2`), or null before one is seen. */
  version: number | null = null;
  /** Step of the newest summary event in this file; -1 before any. */
  lastSummaryStep = -1;
  /** Wall time of that event, and its place in the run's reading order (-1 before any). */
  lastSummaryWallTime = 0;
  lastSummaryOrder = -1;
  /** Wall time of the file's first event and its place in the run's reading order. */
  firstEventTime: number | null = null;
  firstEventOrder = -1;

  constructor(
    readonly id: number,
    readonly path: string,
    chunkBytes?: number,
  ) {
    this.loader = new EventFileLoader(path, chunkBytes);
  }
}

/** Where a tag's values from one event file went last, and how many there are. */
interface FileCursor {
  file: number;
  step: number;
  segment: number;
  /**
   * Values of the tag from this file still in force: read, less those purged
   * (estimated where the sample had not kept them). The tag's cursors sum to
   * its `total`.
   */
  count: number;
}

class TagSeries {
  /** Scalars live in typed columns; every other kind as stored items. Exactly one is set. */
  readonly points: ScalarSeries | null;
  readonly reservoir: Reservoir<StoredItem> | null;
  /** Segments handed out so far; the next segment is this number. */
  private segments = 0;
  /** Per event file id: the tag's previous step in that file and the segment it went to. */
  private readonly cursors = new Map<number, FileCursor>();
  /** The cursor used last: a run's files are mostly read one after another. */
  private lastCursor: FileCursor | null = null;
  /**
   * Per event file id: the description the tag's metadata stated last in that
   * file. Writers restate metadata only when it changes, so a value without
   * metadata keeps the one stated before it in its file.
   */
  private readonly statedByFile = new Map<number, string>();
  /** Values of this tag that could not be decoded; the first is logged. */
  skipped = 0;
  /**
   * Id of the next value read. Ids are never reused, even after a purge or a
   * removed file, so an id a client holds never names another value.
   */
  nextId = 0;
  /** True while this tag is in its run's list of changed tags. */
  changed = false;

  constructor(
    readonly tag: string,
    readonly kind: TagKind,
    readonly metadata: SummaryMetadata | null,
    readonly lensboard: TensorMetadata | null,
    capacity: number,
  ) {
    const scalars = kind === 'scalars';
    this.points = scalars ? new ScalarSeries(capacity, seedOf(tag)) : null;
    this.reservoir = scalars ? null : new Reservoir(capacity, seedOf(tag));
  }

  get total(): number {
    return this.points?.total ?? this.reservoir!.total;
  }

  /** The tag's description: that of the first metadata kept for it. */
  get description(): string {
    return this.metadata?.summaryDescription ?? '';
  }

  get kept(): number {
    return this.points?.size ?? this.reservoir!.size;
  }

  get firstStep(): number | undefined {
    return this.points ? this.points.firstStep : this.reservoir!.items[0]?.step;
  }

  get lastStep(): number | undefined {
    return this.points ? this.points.lastStep : this.reservoir!.newest?.step;
  }

  /**
   * Counts a value at `step` from `file`, which the caller then offers exactly
   * once, and returns its segment: its file's current one, or a new one.
   */
  admit(file: FileTail, step: number): number {
    let cursor = this.lastCursor;
    if (cursor?.file !== file.id) cursor = this.cursors.get(file.id) ?? null;
    if (!cursor) {
      cursor = { file: file.id, step, segment: this.segments++, count: 0 };
      this.cursors.set(file.id, cursor);
    } else if (step <= cursor.step) {
      cursor.segment = this.segments++;
    }
    cursor.step = step;
    cursor.count += 1;
    this.lastCursor = cursor;
    return cursor.segment;
  }

  /** Drops the values of `file` at steps >= `fromStep`; returns how many were kept. */
  removeFrom(file: FileTail, fromStep: number): number {
    const cursor = this.cursors.get(file.id);
    const [ofFile, dropped] = this.keptOf(file, fromStep);
    if (!cursor || dropped === 0) return 0;
    // The values of the file the sample did not keep are taken to be hidden in
    // the proportion of those it kept, as TensorBoard estimates; exact while
    // the sample holds every value of the file.
    const hidden = Math.round((cursor.count * dropped) / ofFile);
    cursor.count -= hidden;
    if (this.points) return this.points.removeFrom(file.id, fromStep, hidden);
    return this.reservoir!.remove((item) => item.file === file && item.step >= fromStep, hidden);
  }

  /** Kept values of `file`, and how many of them are at steps >= `fromStep`. */
  private keptOf(file: FileTail, fromStep: number): [ofFile: number, fromStepOn: number] {
    if (this.points) return this.points.keptOf(file.id, fromStep);
    let ofFile = 0;
    let fromStepOn = 0;
    for (const item of this.reservoir!.items) {
      if (item.file !== file) continue;
      ofFile += 1;
      if (item.step >= fromStep) fromStepOn += 1;
    }
    return [ofFile, fromStepOn];
  }

  /**
   * The description in force for a value from `file`: `stated` when the
   * value carried metadata (then remembered for the file), else the one
   * stated last in the file, else the tag's.
   */
  describe(file: FileTail, stated: string | undefined): string {
    if (stated !== undefined) this.statedByFile.set(file.id, stated);
    return this.statedByFile.get(file.id) ?? this.description;
  }

  /** Drops every value of `file`, which counts for nothing in `total` from now on. */
  removeFile(file: FileTail): number {
    this.statedByFile.delete(file.id);
    const read = this.cursors.get(file.id)?.count ?? 0;
    this.cursors.delete(file.id);
    if (this.lastCursor?.file === file.id) this.lastCursor = null;
    if (read === 0) return 0;
    if (this.points) return this.points.removeFile(file.id, read);
    return this.reservoir!.remove((item) => item.file === file, read);
  }
}

export class RunLoader {
  /** Event files by base name; a file stays here while it exists, even after data loss. */
  private readonly files = new Map<string, FileTail>();
  private readonly series = new Map<string, TagSeries>();
  private nextFileId = 0;
  private readOnce = false;
  /**
   * Places in reading order, handed out to each file's first event and to
   * every summary event, so the run's summary (first event, last step) is
   * found among the files it still has.
   */
  private readOrder = 0;
  private readonly problems: string[] = [];
  /**
   * Tags changed since the last `takeChanges` (each with `changed` set);
   * changes are built there.
   */
  private changedTags: TagSeries[] = [];
  private runChanged = false;
  /** Scratch space of the scalar fast path, reused for every record. */
  private readonly scanned = new ScannedScalars();
  private readonly scannedSeries: TagSeries[] = [];
  private readonly tagNames = new TagInterner<TagSeries>();
  /** Values' own descriptions, shared: a restated colour scale repeats across steps. */
  private readonly descriptions = new StringPool();
  /** Bumped whenever `series` changes, which voids the series cached on interned tags. */
  private seriesVersion = 0;

  constructor(
    readonly name: string,
    readonly dir: string,
    private readonly options: RunLoaderOptions,
  ) {}

  /**
   * Adopts the event files now in the directory: new ones are tailed, vanished
   * ones dropped with their values.
   */
  syncFiles(names: string[]): void {
    for (const name of [...names].sort()) {
      if (this.files.has(name)) continue;
      this.files.set(
        name,
        new FileTail(this.nextFileId++, join(this.dir, name), this.options.chunkBytes),
      );
    }
    const present = new Set(names);
    for (const [name, file] of this.files) {
      if (present.has(name)) continue;
      this.files.delete(name);
      this.dropFile(file);
    }
  }

  /**
   * Reads what was appended to every file, in file-name order. A long read
   * calls `onProgress` every so often between chunks, so the changes so far
   * can be taken and shown while the rest loads.
   */
  async reload(onProgress?: () => void): Promise<void> {
    let reported = performance.now();
    const progress = () => {
      if (!onProgress || performance.now() - reported < PROGRESS_INTERVAL_MS) return;
      reported = performance.now();
      onProgress();
    };
    for (const name of [...this.files.keys()].sort()) {
      let file = this.files.get(name);
      if (!file) continue;
      if (file.changed !== null) file = this.readAgain(name, file, file.changed);
      const changed = await this.readFile(file, progress);
      // A new tail has nothing to compare with, so it never finds a change.
      if (changed !== null) await this.readFile(this.readAgain(name, file, changed), progress);
    }
    if (!this.readOnce) this.noteRunChange();
    this.readOnce = true;
  }

  /** Reads what is new in `file`; returns why it changed under its name, or null. */
  private async readFile(file: FileTail, afterChunk: () => void): Promise<string | null> {
    try {
      await file.loader.readNew((record) => this.handleRecord(file, record), afterChunk);
    } catch (error) {
      if (error instanceof FileChangedError) return error.reason;
      if (error instanceof DataLossError) {
        this.warn(`${error.message}; kept the records before it, stopped reading this file`);
      } else if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.options.logger.debug(`event file vanished while reading: ${file.path}`);
      } else {
        this.warn(`cannot read ${file.path}: ${(error as Error).message}`);
      }
    }
    return null;
  }

  /**
   * Replaces the tail of a file found changed by a new one that reads it from
   * the start, once the old one's values are dropped: what an old offset
   * would read of another file is not a continuation of anything.
   */
  private readAgain(name: string, file: FileTail, reason: string): FileTail {
    this.warn(
      `event file ${file.path} changed under its name (${reason}): ` +
        'dropped its values and read it again from the start',
    );
    this.dropValues(file);
    const fresh = new FileTail(this.nextFileId++, file.path, this.options.chunkBytes);
    this.files.set(name, fresh);
    return fresh;
  }

  // TODO(load-speed): a scalar record costs about 0.5 µs of CPU here (a fifth
  // of it the JavaScript CRC32C of its payload), about 100 MB/s on the shared
  // machine: little margin over the target.
  private handleRecord(file: FileTail, record: RecordView): void {
    const { bytes, payloadStart, payloadEnd } = record;
    if (scanScalarEvent(bytes, payloadStart, payloadEnd, this.scanned)) {
      if (this.addScanned(file, bytes)) return;
    }
    const payload = record.payload;
    let event: Event;
    try {
      event = decodeEvent(payload);
    } catch (error) {
      this.warnOnce(`undecodable event in ${file.path} at offset ${record.offset}`, error);
      return;
    }
    this.handleEvent(file, event, { offset: record.offset, next: record.next, payload });
  }

  /**
   * Adds the scanned scalar event whose tags are all known scalar tags;
   * false (having changed nothing) when a tag is new or of another kind, so
   * the full decoder handles metadata and kinds in one place.
   */
  private addScanned(file: FileTail, bytes: Uint8Array): boolean {
    if (!this.resolveScanned(bytes)) return false;
    const { step, wallTime, count, values } = this.scanned;
    const resolved = this.scannedSeries;
    if (file.firstEventTime === null) this.noteFirstEvent(file, wallTime);
    const v1 = file.version === null || file.version < 2;
    if (this.options.purgeOrphanedData && v1 && step < file.lastSummaryStep) {
      const tags = resolved.slice(0, count).map((series) => series.tag);
      this.purge(file, step, tags);
    }
    for (let i = 0; i < count; i++) {
      const series = resolved[i];
      series.points!.offer(step, wallTime, values[i], series.admit(file, step), file.id);
      this.noteTagChange(series);
    }
    this.noteSummary(file, step, wallTime);
    return true;
  }

  /**
   * Puts the series of each scanned tag in `scannedSeries`; false if one is not
   * a known scalar tag.
   */
  private resolveScanned(bytes: Uint8Array): boolean {
    const { count, tagStarts, tagEnds } = this.scanned;
    for (let i = 0; i < count; i++) {
      const tag = this.tagNames.intern(bytes, tagStarts[i], tagEnds[i]);
      if (tag.version !== this.seriesVersion) {
        tag.value = this.series.get(tag.text);
        tag.version = this.seriesVersion;
      }
      if (!tag.value?.points) return false;
      this.scannedSeries[i] = tag.value;
    }
    return true;
  }

  private noteSummary(file: FileTail, step: number, wallTime: number): void {
    file.lastSummaryStep = step;
    file.lastSummaryWallTime = wallTime;
    file.lastSummaryOrder = this.readOrder++;
  }

  private noteFirstEvent(file: FileTail, wallTime: number): void {
    file.firstEventTime = wallTime;
    file.firstEventOrder = this.readOrder++;
  }

  private handleEvent(file: FileTail, event: Event, record: FramedRecord): void {
    const step = toSafeNumber(event.step);
    const wallTime = event.wallTime ?? 0;
    if (file.firstEventTime === null) this.noteFirstEvent(file, wallTime);
    if (event.fileVersion) file.version = parseFileVersion(event.fileVersion);

    // TensorBoard turns a graph event into a summary event before reading it,
    // so it counts as a summary for the newest step and the purge rules.
    const graph = graphValue(event);
    const values = graph ? [graph] : (event.summary?.value ?? []);
    const isSummary = graph !== null || Boolean(event.summary);
    if (this.options.purgeOrphanedData) this.maybePurge(file, event, step, isSummary, values);

    for (const value of values) {
      const migrated = migrateValue(value);
      const stated = value.metadata ? (value.metadata.summaryDescription ?? '') : undefined;
      if (migrated) this.addValue(file, { step, wallTime, stated }, migrated, record);
    }
    if (isSummary) this.noteSummary(file, step, wallTime);
  }

  private maybePurge(
    file: FileTail,
    event: Event,
    step: number,
    isSummary: boolean,
    values: SummaryValue[],
  ): void {
    if (file.version !== null && file.version >= 2) {
      if (event.sessionLog?.status === SessionStatus.START) {
        this.purge(file, step, [...this.series.keys()]);
      }
    } else if (isSummary && step < file.lastSummaryStep) {
      this.purge(file, step, values.map(tagOf));
    }
  }

  private purge(file: FileTail, step: number, tags: string[]): void {
    let purged = 0;
    for (const tag of new Set(tags)) {
      const series = this.series.get(tag);
      if (!series) continue;
      const removed = series.removeFrom(file, step);
      if (removed > 0) this.noteTagChange(series);
      purged += removed;
    }
    if (purged > 0) {
      this.warn(
        `restart at step ${step} in ${basename(file.path)}: hid ${purged} values ` +
          `of that file at steps >= ${step}`,
      );
    }
  }

  /**
   * Adds one migrated value; `at.stated` is the description the value's own
   * metadata carried, if it had any before migration (which invents metadata
   * for legacy values).
   */
  private addValue(file: FileTail, at: ValueAt, value: SummaryValue, record: FramedRecord): void {
    const { step, wallTime } = at;
    const tag = tagOf(value);
    const series = this.seriesFor(tag, value.metadata ?? null);
    let datum: Datum;
    try {
      datum = toDatum(value.tensor ?? {}, series.metadata, record.payload);
    } catch (error) {
      if (!(error instanceof ValueError)) throw error;
      if (series.skipped++ === 0) {
        this.warn(`skipped values of tag ${JSON.stringify(tag)} in ${file.path}: ${error.message}`);
      }
      return;
    }
    const segment = series.admit(file, step);
    if (datum.kind === 'scalars') {
      series.points?.offer(step, wallTime, datum.value, segment, file.id);
    } else {
      const id = series.nextId++;
      const description = this.restated(series, series.describe(file, at.stated));
      const entry = entryOf(datum, { step, wallTime, segment, id, description });
      const blobs = datum.kind === 'images' ? datum.blobs : [];
      const recordLength = record.next - record.offset;
      const item = { entry, step, id, file, recordOffset: record.offset, recordLength, blobs };
      series.reservoir?.offer(item);
    }
    this.noteTagChange(series);
  }

  /** A value's description when it differs from its tag's, pooled; else undefined. */
  private restated(series: TagSeries, description: string): string | undefined {
    if (description === series.description) return undefined;
    return this.descriptions.intern(description);
  }

  private seriesFor(tag: string, metadata: SummaryMetadata | null): TagSeries {
    let series = this.series.get(tag);
    if (series && (series.metadata || !metadata || series.total > 0)) return series;
    // TensorBoard keeps the first metadata seen for a tag, even when earlier
    // values had none; a tag with no values yet adopts it here.
    const kind = kindOfPlugin(metadata?.pluginData?.pluginName ?? '');
    const kept = detached(metadata);
    const previous = series;
    series = new TagSeries(
      tag,
      kind,
      kept,
      this.lensboardMetadata(tag, kept),
      this.options.capacity[kind],
    );
    series.nextId = previous?.nextId ?? 0;
    this.series.set(tag, series);
    this.seriesVersion += 1;
    return series;
  }

  private lensboardMetadata(tag: string, metadata: SummaryMetadata | null): TensorMetadata | null {
    const plugin = metadata?.pluginData;
    if (plugin?.pluginName !== LENSBOARD_PLUGIN_NAME || !plugin.content) return null;
    try {
      return decodeTensorMetadata(plugin.content);
    } catch (error) {
      this.warnOnce(`unreadable lensboard metadata of tag ${JSON.stringify(tag)}`, error);
      return null;
    }
  }

  private dropFile(file: FileTail): void {
    this.dropValues(file);
    this.options.logger.info(`event file removed: ${file.path}`);
  }

  private dropValues(file: FileTail): void {
    for (const series of this.series.values()) {
      if (series.removeFile(file) > 0) this.noteTagChange(series);
    }
    // The run's file count and summary change with it.
    this.noteRunChange();
  }

  // ---- what the HTTP layer reads ----

  /** The run's summary, from the files it has now: a removed file takes its part with it. */
  info(): Omit<RunInfo, 'job' | 'worker'> {
    const hasData = [...this.series.values()].some((series) => series.kept > 0);
    let last: FileTail | null = null;
    let first: FileTail | null = null;
    for (const file of this.files.values()) {
      if (file.lastSummaryOrder > (last?.lastSummaryOrder ?? -1)) last = file;
      if (
        file.firstEventOrder >= 0 &&
        file.firstEventOrder < (first?.firstEventOrder ?? Infinity)
      ) {
        first = file;
      }
    }
    return {
      name: this.name,
      status: !this.readOnce ? 'loading' : hasData ? 'ok' : 'no-data',
      fileCount: this.files.size,
      lastStep: last ? last.lastSummaryStep : null,
      lastWallTime: last ? last.lastSummaryWallTime : null,
      warnings: [...this.problems],
      firstEventTime: first ? first.firstEventTime : null,
    };
  }

  tags(): TagInfo[] {
    return [...this.series.values()].map(tagInfo);
  }

  seriesOf<T extends Entry>(tag: string, kind: TagKind): Series<T> | undefined {
    const series = this.series.get(tag);
    if (!series || series.kind !== kind) return undefined;
    const entries = series.points
      ? series.points.points()
      : series.reservoir!.items.map((item) => item.entry);
    return { total: series.total, entries: entries as unknown as T[] };
  }

  /**
   * The kept item of `tag` with `at.id`, or the newest kept one at `at.step`,
   * for kinds that keep items (not scalars).
   */
  itemAt(tag: string, at: PayloadAt): StoredItem | undefined {
    const items = this.series.get(tag)?.reservoir?.items ?? [];
    return 'id' in at ? itemWithId(items, at.id) : newestAtStep(items, at.step);
  }

  /**
   * Bytes of image `index` of the kept event `at` names, read from disk with
   * the rest of its record, so that its checksum vouches for them.
   */
  async readImage(tag: string, at: PayloadAt, index: number): Promise<Uint8Array | undefined> {
    const item = this.kindOf(tag) === 'images' ? this.itemAt(tag, at) : undefined;
    const blob = item?.blobs[index];
    if (!item || !blob) return undefined;
    const payload = await this.payloadOf(item);
    return payload.subarray(blob.offset, blob.offset + blob.length);
  }

  /**
   * The payload of the record holding `item`, read again. A file found
   * changed is marked, so the next reload reads it again from the start.
   */
  private async payloadOf(item: StoredItem): Promise<Uint8Array> {
    try {
      return await item.file.loader.readRecordAgain(item.recordOffset, item.recordLength);
    } catch (error) {
      if (error instanceof FileChangedError) item.file.changed ??= error.reason;
      throw error;
    }
  }

  /** The kept tensor value `at` names, decoded from its record on disk. */
  async readTensor(tag: string, at: PayloadAt): Promise<LoadedTensor | undefined> {
    const kind = this.kindOf(tag);
    const item = kind === 'tensors' || kind === 'other' ? this.itemAt(tag, at) : undefined;
    if (!item) return undefined;
    const event = decodeEvent(await this.payloadOf(item));
    const values = [graphValue(event), ...(event.summary?.value ?? [])];
    const value = values.filter((candidate) => candidate && tagOf(candidate) === tag).pop();
    const tensor = value ? migrateValue(value)?.tensor : undefined;
    const decoded = tensor ? decodeTensor(tensor) : undefined;
    if (!decoded || decoded.kind !== 'numeric') return undefined;
    const { dtype, shape } = decoded;
    return {
      step: item.step,
      wallTime: item.entry.wallTime,
      dtype,
      shape,
      values: Float32Array.from(decoded.values),
    };
  }

  kindOf(tag: string): TagKind | undefined {
    return this.series.get(tag)?.kind;
  }

  /** Changes since the previous call. */
  takeChanges(): LogdirChange[] {
    const changes: LogdirChange[] = this.runChanged ? [{ run: this.name }] : [];
    for (const series of this.changedTags) {
      series.changed = false;
      changes.push({
        run: this.name,
        tag: series.tag,
        kind: series.kind,
        lastStep: series.lastStep,
      });
    }
    this.changedTags = [];
    this.runChanged = false;
    return changes;
  }

  // ---- diagnostics ----

  private noteTagChange(series: TagSeries): void {
    if (series.changed) return;
    series.changed = true;
    this.changedTags.push(series);
  }

  private noteRunChange(): void {
    this.runChanged = true;
  }

  private warn(message: string): void {
    this.problems.push(message);
    this.options.logger.warn(`run ${JSON.stringify(this.name)}: ${message}`);
  }

  private readonly warned = new Set<string>();

  private warnOnce(message: string, error: unknown): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.warn(`${message}: ${(error as Error).message}`);
  }
}

/**
 * `metadata` with its plugin content copied: decoded bytes are views into the
 * chunk being read, which the next chunk overwrites, and a tag keeps its
 * metadata for good.
 */
function detached(metadata: SummaryMetadata | null): SummaryMetadata | null {
  const plugin = metadata?.pluginData;
  if (!metadata || !plugin?.content) return metadata;
  return { ...metadata, pluginData: { ...plugin, content: new Uint8Array(plugin.content) } };
}

function tagOf(value: SummaryValue): string {
  return value.tag || value.nodeName || '';
}

/** `brain.Event:2` → 2; anything unparseable reads as version 0 (the old rules). */
function parseFileVersion(text: string): number {
  const version = Number(text.split(':').pop());
  return Number.isFinite(version) ? version : 0;
}

/** Where a value sits in its run, and the description its own metadata stated, if any. */
interface ValueAt {
  step: number;
  wallTime: number;
  stated: string | undefined;
}

/** What every kind of entry starts from; histograms and text drop `id` and `description`. */
interface EntryBase extends Entry {
  id: number;
  description: string | undefined;
}

type ItemDatum = Exclude<Datum, { kind: 'scalars' }>;

function entryOf(datum: ItemDatum, base: EntryBase): ItemEntry {
  const { step, wallTime, segment } = base;
  switch (datum.kind) {
    case 'images': {
      const { width, height } = datum;
      return { ...payloadBase(base), width, height, count: datum.blobs.length };
    }
    case 'histograms':
      return { step, wallTime, segment, buckets: datum.buckets };
    case 'text':
      return { step, wallTime, segment, shape: datum.shape, values: datum.values };
    default:
      return { ...payloadBase(base), dtype: datum.dtype, shape: datum.shape };
  }
}

/** The fields of a payload entry; `description` only when there is one, so lists omit it. */
function payloadBase({ step, wallTime, segment, id, description }: EntryBase): PayloadEntry {
  const entry: PayloadEntry = { id, step, wallTime, segment };
  if (description !== undefined) entry.description = description;
  return entry;
}

/** Items are in reading order, so their ids increase: a binary search finds one. */
function itemWithId(items: readonly StoredItem[], id: number): StoredItem | undefined {
  let low = 0;
  let high = items.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const found = items[middle].id;
    if (found === id) return items[middle];
    if (found < id) low = middle + 1;
    else high = middle - 1;
  }
  return undefined;
}

/** The newest item at `step`: after a restart, the value written last. */
function newestAtStep(items: readonly StoredItem[], step: number): StoredItem | undefined {
  for (let i = items.length - 1; i >= 0; i--) if (items[i].step === step) return items[i];
  return undefined;
}

function tagInfo(series: TagSeries): TagInfo {
  const metadata = series.metadata;
  return {
    tag: series.tag,
    kind: series.kind,
    pluginName: metadata?.pluginData?.pluginName ?? '',
    displayName: metadata?.displayName ?? '',
    description: metadata?.summaryDescription ?? '',
    total: series.total,
    kept: series.kept,
    firstStep: series.firstStep ?? 0,
    lastStep: series.lastStep ?? 0,
    metadata: series.lensboard,
  };
}
