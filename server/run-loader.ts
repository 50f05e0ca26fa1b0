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
import { DataLossError, HEADER_BYTES, type FramedRecord } from '../writer/record.js';
import {
  graphValue,
  kindOfPlugin,
  migrateValue,
  toDatum,
  ValueError,
  type BlobSpan,
  type Datum,
} from './data-compat.js';
import { EventFileLoader, readBytesAt } from './event-file-loader.js';
import { scanScalarEvent, type ScannedScalars } from './scalar-scan.js';
import { decodeTensor } from './values.js';
import type {
  Entry,
  HistogramEntry,
  ImageEntry,
  LoadedTensor,
  LogdirChange,
  RunInfo,
  ScalarPoint,
  Series,
  TagInfo,
  TagKind,
  TensorEntry,
  TextEntry,
} from './model.js';
import { Reservoir, seedOf } from './reservoir.js';

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

type AnyEntry = ScalarPoint | ImageEntry | HistogramEntry | TextEntry | TensorEntry;

/** One kept value: its public entry plus where its payload lives on disk. */
export interface StoredItem {
  entry: AnyEntry;
  step: number;
  file: FileTail;
  /** File offset and byte length of the whole record holding the value. */
  recordOffset: number;
  recordLength: number;
  /** Image bytes inside the record payload; empty for other kinds. */
  blobs: BlobSpan[];
}

/** The reading state of one event file. */
export class FileTail {
  readonly loader: EventFileLoader;
  /** Parsed `file_version` (2 for `brain.Event:2`), or null before one is seen. */
  version: number | null = null;
  /** Step of the newest summary event in this file; -1 before any. */
  lastSummaryStep = -1;
  /** Per tag: the previous step of the tag in this file and the segment it went to. */
  readonly lastOfTag = new Map<string, { step: number; segment: number }>();

  constructor(
    readonly id: number,
    readonly path: string,
    chunkBytes?: number,
  ) {
    this.loader = new EventFileLoader(path, chunkBytes);
  }
}

class TagSeries {
  readonly reservoir: Reservoir<StoredItem>;
  /** Segments handed out so far; the next segment is this number. */
  private segments = 0;
  /** Values of this tag that could not be decoded; the first is logged. */
  skipped = 0;

  constructor(
    readonly tag: string,
    readonly kind: TagKind,
    readonly metadata: SummaryMetadata | null,
    readonly lensboard: TensorMetadata | null,
    capacity: number,
  ) {
    this.reservoir = new Reservoir(capacity, seedOf(tag));
  }

  /** The segment of a value at `step` from `file`: its file's current one, or a new one. */
  segmentOf(file: FileTail, step: number): number {
    const previous = file.lastOfTag.get(this.tag);
    const segment =
      previous === undefined || step <= previous.step ? this.segments++ : previous.segment;
    file.lastOfTag.set(this.tag, { step, segment });
    return segment;
  }
}

export class RunLoader {
  /** Event files by base name; a file stays here while it exists, even after data loss. */
  private readonly files = new Map<string, FileTail>();
  private readonly series = new Map<string, TagSeries>();
  private nextFileId = 0;
  private readOnce = false;
  private firstEventTime: number | null = null;
  private newestStep: number | null = null;
  private newestWallTime: number | null = null;
  private readonly problems: string[] = [];
  /** Tags changed since the last `takeChanges`; the change objects are built there. */
  private changedTags = new Set<TagSeries>();
  private runChanged = false;
  /** Scratch space of the scalar fast path, reused for every record. */
  private readonly scanned: ScannedScalars = {
    wallTime: 0,
    step: 0,
    tagStarts: [],
    tagEnds: [],
    values: [],
  };

  constructor(
    readonly name: string,
    readonly dir: string,
    private readonly options: RunLoaderOptions,
  ) {}

  /** Adopts the event files now in the directory: new ones are tailed, vanished ones dropped with their values. */
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

  /** Reads what was appended to every file, in file-name order. */
  async reload(): Promise<void> {
    for (const name of [...this.files.keys()].sort()) {
      const file = this.files.get(name);
      if (file) await this.readFile(file);
    }
    if (!this.readOnce) this.noteRunChange();
    this.readOnce = true;
  }

  private async readFile(file: FileTail): Promise<void> {
    try {
      await file.loader.readNew((record) => this.handleRecord(file, record));
    } catch (error) {
      if (error instanceof DataLossError) {
        this.warn(`${error.message}; kept the records before it, stopped reading this file`);
      } else if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.options.logger.debug(`event file vanished while reading: ${file.path}`);
      } else {
        this.warn(`cannot read ${file.path}: ${(error as Error).message}`);
      }
    }
  }

  private handleRecord(file: FileTail, record: FramedRecord): void {
    if (scanScalarEvent(record.payload, this.scanned) && this.addScanned(file, record)) return;
    let event: Event;
    try {
      event = decodeEvent(record.payload);
    } catch (error) {
      this.warnOnce(`undecodable event in ${file.path} at offset ${record.offset}`, error);
      return;
    }
    this.handleEvent(file, event, record);
  }

  /**
   * Adds a scanned scalar event whose tags are all known scalar tags; false
   * (having changed nothing) when a tag is new or of another kind, so the
   * full decoder handles metadata and kinds in one place.
   */
  private addScanned(file: FileTail, record: FramedRecord): boolean {
    const { step, wallTime, tagStarts, tagEnds, values } = this.scanned;
    const tags = tagStarts.map((start, i) => textAt(record.payload, start, tagEnds[i]));
    const series = tags.map((tag) => this.series.get(tag));
    if (series.some((one) => one?.kind !== 'scalars')) return false;

    this.firstEventTime ??= wallTime;
    const v1 = file.version === null || file.version < 2;
    if (this.options.purgeOrphanedData && v1 && step < file.lastSummaryStep) {
      this.purge(file, step, tags);
    }
    series.forEach((one, i) => {
      const entry = { step, wallTime, segment: one!.segmentOf(file, step), value: values[i] };
      one!.reservoir.offer({ entry, step, file, recordOffset: 0, recordLength: 0, blobs: [] });
      this.noteTagChange(one!);
    });
    this.noteSummary(file, step, wallTime);
    return true;
  }

  private noteSummary(file: FileTail, step: number, wallTime: number): void {
    file.lastSummaryStep = step;
    this.newestStep = step;
    this.newestWallTime = wallTime;
  }

  private handleEvent(file: FileTail, event: Event, record: FramedRecord): void {
    const step = toSafeNumber(event.step);
    const wallTime = event.wallTime ?? 0;
    this.firstEventTime ??= wallTime;
    if (event.fileVersion) file.version = parseFileVersion(event.fileVersion);

    // TensorBoard turns a graph event into a summary event before reading it,
    // so it counts as a summary for the newest step and the purge rules.
    const graph = graphValue(event);
    const values = graph ? [graph] : (event.summary?.value ?? []);
    const isSummary = graph !== null || Boolean(event.summary);
    if (this.options.purgeOrphanedData) this.maybePurge(file, event, step, isSummary, values);

    for (const value of values) {
      const migrated = migrateValue(value);
      if (migrated) this.addValue(file, step, wallTime, migrated, record);
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
      const removed = series.reservoir.remove((item) => item.file === file && item.step >= step);
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

  private addValue(
    file: FileTail,
    step: number,
    wallTime: number,
    value: SummaryValue,
    record: FramedRecord,
  ): void {
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
    const segment = series.segmentOf(file, step);
    const entry = entryOf(datum, step, wallTime, segment);
    const blobs = datum.kind === 'images' ? datum.blobs : [];
    const recordLength = record.next - record.offset;
    series.reservoir.offer({ entry, step, file, recordOffset: record.offset, recordLength, blobs });
    this.noteTagChange(series);
  }

  private seriesFor(tag: string, metadata: SummaryMetadata | null): TagSeries {
    let series = this.series.get(tag);
    if (series && (series.metadata || !metadata || series.reservoir.total > 0)) return series;
    // TensorBoard keeps the first metadata seen for a tag, even when earlier
    // values had none; a tag with no values yet adopts it here.
    const kind = kindOfPlugin(metadata?.pluginData?.pluginName ?? '');
    series = new TagSeries(
      tag,
      kind,
      metadata,
      this.lensboardMetadata(tag, metadata),
      this.options.capacity[kind],
    );
    this.series.set(tag, series);
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
    for (const series of this.series.values()) {
      if (series.reservoir.remove((item) => item.file === file) > 0) this.noteTagChange(series);
    }
    this.options.logger.info(`event file removed: ${file.path}`);
  }

  // ---- what the HTTP layer reads ----

  info(): Omit<RunInfo, 'job' | 'worker'> {
    const hasData = [...this.series.values()].some((series) => series.reservoir.items.length > 0);
    return {
      name: this.name,
      status: !this.readOnce ? 'loading' : hasData ? 'ok' : 'no-data',
      fileCount: this.files.size,
      lastStep: this.newestStep,
      lastWallTime: this.newestWallTime,
      warnings: [...this.problems],
      firstEventTime: this.firstEventTime,
    };
  }

  tags(): TagInfo[] {
    return [...this.series.values()].map(tagInfo);
  }

  /** The tag's kept items, or undefined when the tag is unknown or of another kind. */
  items(tag: string, kind: TagKind): readonly StoredItem[] | undefined {
    const series = this.series.get(tag);
    if (!series || series.kind !== kind) return undefined;
    return series.reservoir.items;
  }

  seriesOf<T extends Entry>(tag: string, kind: TagKind): Series<T> | undefined {
    const series = this.series.get(tag);
    if (!series || series.kind !== kind) return undefined;
    const entries = series.reservoir.items.map((item) => item.entry as unknown as T);
    return { total: series.reservoir.total, entries };
  }

  /** The newest kept item of `tag` at `step`, whatever its kind. */
  itemAt(tag: string, step: number): StoredItem | undefined {
    const items = this.series.get(tag)?.reservoir.items ?? [];
    for (let i = items.length - 1; i >= 0; i--) if (items[i].step === step) return items[i];
    return undefined;
  }

  /** Bytes of image `index` of the newest kept event at `step`, read from disk. */
  async readImage(tag: string, step: number, index: number): Promise<Uint8Array | undefined> {
    const item = this.kindOf(tag) === 'images' ? this.itemAt(tag, step) : undefined;
    const blob = item?.blobs[index];
    if (!item || !blob) return undefined;
    const start = item.recordOffset + HEADER_BYTES + blob.offset;
    return readBytesAt(item.file.path, start, blob.length);
  }

  /** The newest kept tensor value at `step`, decoded from its record on disk. */
  async readTensor(tag: string, step: number): Promise<LoadedTensor | undefined> {
    const kind = this.kindOf(tag);
    const item = kind === 'tensors' || kind === 'other' ? this.itemAt(tag, step) : undefined;
    if (!item) return undefined;
    const payload = await EventFileLoader.readRecordAt(
      item.file.path,
      item.recordOffset,
      item.recordLength,
    );
    const event = decodeEvent(payload);
    const values = [graphValue(event), ...(event.summary?.value ?? [])];
    const value = values.filter((candidate) => candidate && tagOf(candidate) === tag).pop();
    const tensor = value ? migrateValue(value)?.tensor : undefined;
    const decoded = tensor ? decodeTensor(tensor) : undefined;
    if (!decoded || decoded.kind !== 'numeric') return undefined;
    const { dtype, shape } = decoded;
    return {
      step,
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
      const items = series.reservoir.items;
      const lastStep = items.length > 0 ? items[items.length - 1].step : undefined;
      changes.push({ run: this.name, tag: series.tag, kind: series.kind, lastStep });
    }
    this.changedTags = new Set();
    this.runChanged = false;
    return changes;
  }

  // ---- diagnostics ----

  private noteTagChange(series: TagSeries): void {
    this.changedTags.add(series);
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

const utf8 = new TextDecoder();

/** UTF-8 text of `bytes[start, end)`; Buffer's own decoder is the fast one. */
function textAt(bytes: Uint8Array, start: number, end: number): string {
  if (Buffer.isBuffer(bytes)) return bytes.toString('utf8', start, end);
  return utf8.decode(bytes.subarray(start, end));
}

function tagOf(value: SummaryValue): string {
  return value.tag || value.nodeName || '';
}

/** `brain.Event:2` → 2; anything unparseable reads as version 0 (the old rules). */
function parseFileVersion(text: string): number {
  const version = Number(text.split(':').pop());
  return Number.isFinite(version) ? version : 0;
}

function entryOf(datum: Datum, step: number, wallTime: number, segment: number): AnyEntry {
  switch (datum.kind) {
    case 'scalars':
      return { step, wallTime, segment, value: datum.value };
    case 'images': {
      const { width, height } = datum;
      return { step, wallTime, segment, width, height, count: datum.blobs.length };
    }
    case 'histograms':
      return { step, wallTime, segment, buckets: datum.buckets };
    case 'text':
      return { step, wallTime, segment, shape: datum.shape, values: datum.values };
    default:
      return { step, wallTime, segment, dtype: datum.dtype, shape: datum.shape };
  }
}

function tagInfo(series: TagSeries): TagInfo {
  const items = series.reservoir.items;
  const metadata = series.metadata;
  return {
    tag: series.tag,
    kind: series.kind,
    pluginName: metadata?.pluginData?.pluginName ?? '',
    displayName: metadata?.displayName ?? '',
    description: metadata?.summaryDescription ?? '',
    total: series.reservoir.total,
    kept: items.length,
    firstStep: items.length > 0 ? items[0].step : 0,
    lastStep: items.length > 0 ? items[items.length - 1].step : 0,
    metadata: series.lensboard,
  };
}
