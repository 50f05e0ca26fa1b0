/**
 * An in-memory LogdirReader for HTTP tests that need exact control over what
 * the index holds (steps missing from the sample, reads that fail, change
 * batches on demand) without writing event files.
 */
import type {
  HistogramEntry,
  ImageEntry,
  JobInfo,
  LoadedTensor,
  LogdirChange,
  LogdirReader,
  PayloadAt,
  RunInfo,
  ScalarPoint,
  Series,
  TagInfo,
  TagKind,
  TensorEntry,
  TextEntry,
} from '../../server/model.js';
import type { TensorMetadata } from '../../proto/index.js';

interface FakeTag {
  info: TagInfo;
  series: Series<ScalarPoint | ImageEntry | HistogramEntry | TextEntry | TensorEntry>;
  /** Image bytes by `${step}/${index}`, tensors by `${step}`; an id names its entry's step. */
  payloads: Map<string, Uint8Array | LoadedTensor | Error>;
}

export class FakeReader implements LogdirReader {
  loading = false;
  private readonly runTags = new Map<string, Map<string, FakeTag>>();
  private readonly listeners = new Set<(changes: LogdirChange[]) => void>();

  constructor(readonly logdir = '/fake/logdir') {}

  addRun(run: string): this {
    if (!this.runTags.has(run)) this.runTags.set(run, new Map());
    return this;
  }

  addScalars(run: string, tag: string, values: number[], total = values.length): this {
    const entries = values.map((value, step) => ({
      step,
      wallTime: 1700000000 + step,
      segment: 0,
      value,
    }));
    return this.addTag(run, tag, 'scalars', 'scalars', { total, entries });
  }

  addImages(
    run: string,
    tag: string,
    images: Map<number, Uint8Array[]>,
    total = images.size,
  ): this {
    const entries = [...images].map(([step, batch], id) => ({
      ...entryAt(step),
      id,
      width: 2,
      height: 2,
      count: batch.length,
    }));
    const fake = this.addTag(run, tag, 'images', 'images', { total, entries }).tag(run, tag);
    for (const [step, batch] of images) {
      batch.forEach((bytes, index) => fake.payloads.set(`${step}/${index}`, bytes));
    }
    return this;
  }

  /** A payload that the index reaches but the listing does not keep (outside the sample). */
  addUnlistedImage(run: string, tag: string, step: number, bytes: Uint8Array): this {
    this.tag(run, tag).payloads.set(`${step}/0`, bytes);
    return this;
  }

  addHistograms(run: string, tag: string, rows: HistogramEntry['buckets'][]): this {
    const entries = rows.map((buckets, step) => ({ ...entryAt(step), buckets }));
    return this.addTag(run, tag, 'histograms', 'histograms', { total: rows.length, entries });
  }

  addText(run: string, tag: string, texts: string[]): this {
    const entries = texts.map((text, step) => ({ ...entryAt(step), shape: [], values: [text] }));
    return this.addTag(run, tag, 'text', 'text', { total: texts.length, entries });
  }

  addTensors(
    run: string,
    tag: string,
    tensors: LoadedTensor[],
    metadata: TensorMetadata | null = null,
  ): this {
    const entries = tensors.map(({ step, wallTime, dtype, shape }, id) => ({
      id,
      step,
      wallTime,
      segment: 0,
      dtype,
      shape,
    }));
    this.addTag(run, tag, 'tensors', 'lensboard', { total: tensors.length, entries }, metadata);
    for (const tensor of tensors) this.tag(run, tag).payloads.set(String(tensor.step), tensor);
    return this;
  }

  /** Makes the read of one payload throw, as a file removed after indexing would. */
  failPayload(run: string, tag: string, key: string, error: Error): this {
    this.tag(run, tag).payloads.set(key, error);
    return this;
  }

  emit(changes: LogdirChange[]): void {
    for (const listener of this.listeners) listener(changes);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  runs(): RunInfo[] {
    return [...this.runTags.keys()].map((name) => ({
      name,
      job: null,
      worker: null,
      status: 'ok',
      fileCount: 1,
      lastStep: null,
      lastWallTime: null,
      warnings: [],
    }));
  }

  jobs(): JobInfo[] {
    return [];
  }

  tags(run: string): TagInfo[] | undefined {
    const tags = this.runTags.get(run);
    return tags && [...tags.values()].map((fake) => fake.info);
  }

  scalars(run: string, tag: string): Series<ScalarPoint> | undefined {
    return this.series(run, tag, 'scalars') as Series<ScalarPoint> | undefined;
  }

  images(run: string, tag: string): Series<ImageEntry> | undefined {
    return this.series(run, tag, 'images') as Series<ImageEntry> | undefined;
  }

  histograms(run: string, tag: string): Series<HistogramEntry> | undefined {
    return this.series(run, tag, 'histograms') as Series<HistogramEntry> | undefined;
  }

  text(run: string, tag: string): Series<TextEntry> | undefined {
    return this.series(run, tag, 'text') as Series<TextEntry> | undefined;
  }

  tensors(run: string, tag: string): Series<TensorEntry> | undefined {
    return this.series(run, tag, 'tensors') as Series<TensorEntry> | undefined;
  }

  async readImage(
    run: string,
    tag: string,
    at: PayloadAt,
    index: number,
  ): Promise<Uint8Array | undefined> {
    const step = this.stepOf(run, tag, at);
    return step === undefined
      ? undefined
      : (this.payload(run, tag, `${step}/${index}`) as Uint8Array);
  }

  async readTensor(run: string, tag: string, at: PayloadAt): Promise<LoadedTensor | undefined> {
    const step = this.stepOf(run, tag, at);
    return step === undefined ? undefined : (this.payload(run, tag, String(step)) as LoadedTensor);
  }

  /** The step an address names: its own, or that of the listed entry with the id. */
  private stepOf(run: string, tag: string, at: PayloadAt): number | undefined {
    if ('step' in at) return at.step;
    const entries = this.runTags.get(run)?.get(tag)?.series.entries ?? [];
    return entries.find((entry) => 'id' in entry && entry.id === at.id)?.step;
  }

  onChange(listener: (changes: LogdirChange[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  warnings(): string[] {
    return [];
  }

  private addTag(
    run: string,
    tag: string,
    kind: TagKind,
    pluginName: string,
    series: FakeTag['series'],
    metadata: TensorMetadata | null = null,
  ): this {
    const steps = series.entries.map((e) => e.step);
    const info: TagInfo = {
      tag,
      kind,
      pluginName,
      displayName: tag,
      description: '',
      total: series.total,
      kept: series.entries.length,
      firstStep: Math.min(...steps),
      lastStep: Math.max(...steps),
      metadata,
    };
    this.addRun(run).runTags.get(run)!.set(tag, { info, series, payloads: new Map() });
    return this;
  }

  private tag(run: string, tag: string): FakeTag {
    const fake = this.runTags.get(run)?.get(tag);
    if (fake === undefined) throw new Error(`fake reader has no tag ${tag} in run ${run}`);
    return fake;
  }

  private series(run: string, tag: string, kind: TagKind): FakeTag['series'] | undefined {
    const fake = this.runTags.get(run)?.get(tag);
    return fake?.info.kind === kind ? fake.series : undefined;
  }

  private payload(run: string, tag: string, key: string): Uint8Array | LoadedTensor | undefined {
    const payload = this.runTags.get(run)?.get(tag)?.payloads.get(key);
    if (payload instanceof Error) throw payload;
    return payload;
  }
}

function entryAt(step: number): { step: number; wallTime: number; segment: number } {
  return { step, wallTime: 1700000000 + step, segment: 0 };
}
