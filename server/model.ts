/**
 * The loaded logdir as the HTTP layer sees it: runs, tags and bounded series.
 * Loading (discovery, tailing, sampling) produces these shapes; routes only
 * read them. Large payloads (PNG bytes, raw tensors) are not held here: series
 * entries carry what a list needs, and the bytes are read from disk on request.
 */
import type { TensorMetadata } from '../proto/index.js';

export type TagKind = 'scalars' | 'images' | 'histograms' | 'text' | 'tensors' | 'other';

/** Where a run sits in lensboard's distributed layout (`<job>/worker-<rank>`, `<job>/global`). */
export type WorkerSlot = { kind: 'worker'; rank: number } | { kind: 'global' };

export interface RunInfo {
  /** Path relative to the logdir with `/` separators; `.` for the logdir itself. */
  name: string;
  /** The job a worker or global run belongs to, or null for a plain run. */
  job: string | null;
  worker: WorkerSlot | null;
  /** `loading` until its files were read once; `no-data` when they hold no values yet. */
  status: 'loading' | 'no-data' | 'ok';
  fileCount: number;
  /**
   * Step and wall time of the summary event read last (TensorBoard's most
   * recent step), or null before one. Like every number here, they come from
   * the event files the run holds now: a removed or re-read file's events no
   * longer count.
   */
  lastStep: number | null;
  lastWallTime: number | null;
  /** Wall time of the first event read (usually the `file_version` event), or null before one. */
  firstEventTime?: number | null;
  /** Problems met while reading this run (data loss, skipped values), newest last. */
  warnings: string[];
}

export interface JobInfo {
  name: string;
  /** Worker run names ordered by rank. */
  workers: string[];
  global: string | null;
}

export interface TagInfo {
  tag: string;
  kind: TagKind;
  pluginName: string;
  displayName: string;
  description: string;
  /**
   * Values of this tag in the run's event files, and how many of them the
   * reservoir holds. `total` is exact, except after a restart purge in a file
   * the sample did not hold in full, where the hidden values it had not kept
   * are estimated in proportion (see `docs/http-api.md`).
   */
  total: number;
  kept: number;
  firstStep: number;
  lastStep: number;
  /** lensboard's own metadata, for tags under the `lensboard` plugin. */
  metadata: TensorMetadata | null;
}

/**
 * Every entry has a segment: a run's files are separate writers or launches,
 * and within one file a step that goes backwards starts a new launch. Points of
 * different segments are never joined by a line. Segments are numbered from 0
 * in reading order, per (run, tag).
 */
export interface Entry {
  step: number;
  wallTime: number;
  segment: number;
}

export interface ScalarPoint extends Entry {
  value: number;
}

/**
 * Entries whose payload is read on request carry an id: the value's ordinal
 * among the tag's values in reading order (0 for the first value read),
 * unique per (run, tag) and stable while the server runs, so that several
 * values logged at one step stay separately addressable.
 */
export interface PayloadEntry extends Entry {
  id: number;
  /**
   * The value's own summary description when it differs from the tag's (a
   * writer may restate metadata, e.g. an image's colour scale at each step).
   */
  description?: string;
}

/** Which value of a tag a payload read means: the entry with `id`, or the newest at `step`. */
export type PayloadAt = { step: number } | { id: number };

export interface ImageEntry extends PayloadEntry {
  width: number;
  height: number;
  /** Images in this one event (a batch). */
  count: number;
}

export interface HistogramEntry extends Entry {
  /** Rows of [left edge, right edge, count]; edges may be non-finite in bad data. */
  buckets: [number, number, number][];
}

export interface TextEntry extends Entry {
  shape: number[];
  values: string[];
}

export interface TensorEntry extends PayloadEntry {
  dtype: string;
  shape: number[];
}

/** A bounded series: the kept entries in reading order, and `total` as in `TagInfo`. */
export interface Series<T extends Entry> {
  total: number;
  entries: T[];
}

export interface LoadedTensor {
  step: number;
  wallTime: number;
  dtype: string;
  shape: number[];
  /** Numeric values widened or copied to float32; strings are not served as tensors. */
  values: Float32Array;
}

export interface LogdirChange {
  run: string;
  /** Absent when the run itself appeared, disappeared or changed status. */
  tag?: string;
  kind?: TagKind;
  lastStep?: number;
}

/**
 * The event file a read needed is no longer the one indexed: another file
 * took its name, or it was cut short, rewritten or deleted. Not a fault of
 * the server: the index is out of date, and the file is read again from its
 * start. `reason` says what was found, for the log.
 */
export class FileChangedError extends Error {
  override readonly name = 'FileChangedError';

  constructor(
    readonly path: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${path} changed since it was read: ${reason}`, options);
  }
}

/** The read side of a loaded logdir. Every method answers from memory except the `read*` ones. */
export interface LogdirReader {
  readonly logdir: string;
  /** True until the first full pass over the logdir has finished. */
  readonly loading: boolean;
  runs(): RunInfo[];
  jobs(): JobInfo[];
  tags(run: string): TagInfo[] | undefined;
  scalars(run: string, tag: string): Series<ScalarPoint> | undefined;
  images(run: string, tag: string): Series<ImageEntry> | undefined;
  histograms(run: string, tag: string): Series<HistogramEntry> | undefined;
  text(run: string, tag: string): Series<TextEntry> | undefined;
  tensors(run: string, tag: string): Series<TensorEntry> | undefined;
  /**
   * PNG (or other encoded) bytes of image `index` of one event: the entry
   * with `at.id`, or the newest event at `at.step`.
   */
  readImage(
    run: string,
    tag: string,
    at: PayloadAt,
    index: number,
  ): Promise<Uint8Array | undefined>;
  /**
   * The tensor value with `at.id`, or the newest one at `at.step`. Both `read*`
   * methods throw FileChangedError when the value's event file changed since
   * it was indexed, and have that file read again.
   */
  readTensor(run: string, tag: string, at: PayloadAt): Promise<LoadedTensor | undefined>;
  /**
   * Called with what changed as a reload pass reads: after each run, and
   * every so often while a large run loads. Returns an unsubscribe function.
   */
  onChange(listener: (changes: LogdirChange[]) => void): () => void;
  /** Problems not tied to one run (an unreadable directory), newest last. */
  warnings(): string[];
}
