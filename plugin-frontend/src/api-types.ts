/**
 * The shapes the server answers with, after decoding (docs/http-api.md). They
 * mirror the server's model; the viewer keeps its own copy because it reaches
 * the server over HTTP only. Non-finite numbers arrive as strings on the wire
 * and are real numbers (NaN, ±Infinity) here.
 */
export type TagKind = 'scalars' | 'images' | 'histograms' | 'text' | 'tensors' | 'other';

/** Where a run sits in lensboard's distributed layout (`<job>/worker-<rank>`, `<job>/global`). */
export type WorkerSlot = { kind: 'worker'; rank: number } | { kind: 'global' };

export interface RunInfo {
  name: string;
  job: string | null;
  worker: WorkerSlot | null;
  status: 'loading' | 'no-data' | 'ok';
  fileCount: number;
  lastStep: number | null;
  lastWallTime: number | null;
  /** Wall time of the first event read, or null before one (absent from older servers). */
  firstEventTime?: number | null;
  warnings: string[];
}

export interface JobInfo {
  name: string;
  /** Worker run names ordered by rank. */
  workers: string[];
  global: string | null;
}

export interface RunsAnswer {
  /** True until the server's first full pass over the logdir has finished. */
  loading: boolean;
  runs: RunInfo[];
  jobs: JobInfo[];
  warnings: string[];
}

/** lensboard's tensor metadata with enums and 64-bit integers as numbers. */
export interface TensorMetadata {
  version?: number;
  role?: number;
  layerName?: string;
  layerKind?: string;
  shape?: number[];
  probeIds?: number[];
  probeLabels?: number[];
  workerRank?: number;
  worldSize?: number;
  weightName?: string;
  statNames?: string[];
  activation?: string;
  probePredictions?: number[];
  /**
   * The class each unit stands for, along the units axis (last for an
   * activation, first for a class template); empty or absent: unit i is class i.
   */
  unitLabels?: string[];
}

export interface TagInfo {
  tag: string;
  kind: TagKind;
  pluginName: string;
  displayName: string;
  description: string;
  total: number;
  kept: number;
  firstStep: number;
  lastStep: number;
  metadata: TensorMetadata | null;
}

/** Entries of different segments are separate launches or writers: never joined by a line. */
export interface Entry {
  step: number;
  wallTime: number;
  segment: number;
}

export interface ScalarPoint extends Entry {
  value: number;
}

/**
 * An entry whose payload is fetched on request. `id` is the value's ordinal
 * among the tag's values as read, so several values at one step stay
 * addressable; null from a server that predates ids (then addressed by step).
 */
export interface PayloadEntry extends Entry {
  id: number | null;
  /** The value's own description when it differs from the tag's (an image's colour scale). */
  description?: string;
}

export interface ImageEntry extends PayloadEntry {
  width: number;
  height: number;
  count: number;
}

export interface HistogramEntry extends Entry {
  /** Rows of [left edge, right edge, count]; any of them may be non-finite in bad data. */
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

/** A bounded series of one (run, tag): `total` values were seen, `entries` are the kept ones. */
export interface Series<T extends Entry> {
  run: string;
  tag: string;
  total: number;
  entries: T[];
}

export interface TensorSeries extends Series<TensorEntry> {
  metadata: TensorMetadata | null;
}

/** Which value of a tag a payload request names: by its id, or the newest at a step. */
export type PayloadAt = { id: number } | { step: number };

/** One tensor value as float32, from the binary or the JSON form of `/api/tensor`. */
export interface LoadedTensor {
  step: number;
  wallTime: number;
  dtype: string;
  shape: number[];
  values: Float32Array;
}

/** One item of a `changes` event; without `tag` the run list or a run's status changed. */
export interface LogdirChange {
  run: string;
  tag?: string;
  kind?: TagKind;
  lastStep?: number;
}
