/**
 * The summary API a training script logs with: one writer per run directory,
 * one method per kind of data, every value a TensorBoard summary.
 *
 * Each tag's metadata (plugin, description, lensboard's TensorMetadata) is
 * written with the tag's first value in the file, and again with any later
 * value whose metadata differs (a histogram's non-finite count, a probe
 * batch's predictions). Readers that keep the first metadata, as TensorBoard
 * does, see a complete tag; readers that look at every value see each change.
 *
 * If the file is deleted under the writer, the values that move to the new
 * file are given the metadata they relied on (see TagMetadataLedger), so the
 * new file is complete in the same way.
 *
 * A tag keeps the kind of its first value for the writer's life: readers keep
 * one plugin per (run, tag), the first one they see, so a scalar tag's later
 * tensor would be read as a scalar or dropped. A value of another kind throws.
 *
 * Argument errors throw at the call, before anything is queued. NaN and
 * infinite values are data, never errors. I/O errors go to `onError` and to
 * the next `flush()`/`close()` (see EventFileWriter).
 */
import { LENSBOARD_PLUGIN_NAME, TensorMetadataType, type TensorMetadata } from '../proto/index.js';
import {
  checkKnownKeys,
  checkOptionalString,
  checkOptionsObject,
  checkRunDir,
  checkStep,
  checkTag,
  checkWallTime,
  describe,
} from './arguments.js';
import { EventFileWriter, type EventFileWriterOptions } from './event-file-writer.js';
import type { DescribedOptions, SummaryPart } from './summaries/common.js';
import { histogramSummary, type HistogramOptions } from './summaries/histogram.js';
import { imageSummary, type ImageInput, type ImageOptions } from './summaries/image.js';
import { lengthOf, toFloat32, toNumbers } from './summaries/numeric.js';
import {
  checkScalarValue,
  SCALAR_METADATA,
  scalarValueLayout,
  writeScalarValue,
} from './summaries/scalar.js';
import { summaryEventSize, writeSummaryEventHead } from './event-encoding.js';
import {
  checkTensorShape,
  completeMetadata,
  tensorSummary,
  type TensorOptions,
} from './summaries/tensor.js';
import { textSummary } from './summaries/text.js';
import { TagMetadataLedger, type Statement } from './tag-metadata.js';

export interface SummaryWriterOptions extends EventFileWriterOptions {
  /** Stamped into every lensboard TensorMetadata that does not set its own. */
  workerRank?: number;
  /** Stamped like `workerRank`; 0 or absent means not distributed. */
  worldSize?: number;
}

export class SummaryWriter {
  readonly runDir: string;

  private readonly file: EventFileWriter;
  private readonly worker: { workerRank?: number; worldSize?: number };
  private readonly metadata = new TagMetadataLedger();
  /**
   * Per tag, the kind of its first queued value. One entry per tag whose value
   * is one of the shared kind names, so its cost is the tag's key. Kept across
   * event files (a deleted file's tags are still the run's tags in a reader).
   */
  private readonly tagKinds = new Map<string, SummaryKind>();
  /** Array types already reported as converted, so each is reported once. */
  private readonly reportedConversions = new Set<string>();

  constructor(runDir: string, options: SummaryWriterOptions = {}) {
    checkRunDir(runDir);
    checkOptionsObject(options);
    this.worker = { workerRank: options.workerRank, worldSize: options.worldSize };
    checkWorker(this.worker);
    this.file = new EventFileWriter(runDir, options, this.metadata);
    this.runDir = this.file.runDir;
  }

  /** The event file being written; a new one if the old one is found deleted. */
  get filePath(): string {
    return this.file.filePath;
  }

  scalar(tag: string, value: number, step: number, wallTime?: number): void {
    checkTag(tag);
    checkStep(step);
    const time = checkWallTime(wallTime);
    checkScalarValue(value);
    this.checkKind(tag, 'scalar');
    const statement = this.metadata.toWrite(tag, SCALAR_METADATA);
    const layout = scalarValueLayout(tag, statement?.metadata);
    const seq = this.file.writeEncoded(summaryEventSize(step, layout.size), (out, at) => {
      writeScalarValue(out, writeSummaryEventHead(out, at, time, step, layout.size), layout, value);
    });
    this.stated(tag, 'scalar', statement, seq);
  }

  image(
    tag: string,
    images: ImageInput | ImageInput[],
    step: number,
    options: ImageOptions = {},
  ): void {
    this.emit(tag, 'image', step, options, IMAGE_OPTIONS, () => imageSummary(images, options));
  }

  /** Values are bucketed at once; non-finite ones are counted apart (see histogram.ts). */
  histogram(
    tag: string,
    values: ArrayLike<number>,
    step: number,
    options: HistogramOptions = {},
  ): void {
    this.emit(tag, 'histogram', step, options, HISTOGRAM_OPTIONS, () => {
      const numbers = toNumbers(values, `histogram values of "${tag}"`);
      this.reportConversion(numbers.convertedFrom, tag, 'float64');
      return histogramSummary(numbers.values, options);
    });
  }

  text(tag: string, text: string | string[], step: number, options: DescribedOptions = {}): void {
    this.emit(tag, 'text', step, options, DESCRIBED_OPTIONS, () => textSummary(text, options));
  }

  /** A raw float32 tensor under lensboard's plugin; the values are copied at the call. */
  tensor(
    tag: string,
    values: Float32Array | ArrayLike<number>,
    shape: number[],
    step: number,
    metadata?: TensorMetadata,
    options: TensorOptions = {},
  ): void {
    checkTensorMetadataKeys(metadata);
    this.emit(tag, 'tensor', step, options, DESCRIBED_OPTIONS, () => {
      checkTensorShape(tag, lengthOf(values, `tensor values of "${tag}"`), shape);
      const floats = toFloat32(values, `tensor values of "${tag}"`);
      this.reportConversion(floats.convertedFrom, tag, 'float32');
      const complete = completeMetadata(metadata, shape, this.worker);
      return tensorSummary(floats.values, shape, complete, options);
    });
  }

  flush(): Promise<void> {
    return this.file.flush();
  }

  close(): Promise<void> {
    return this.file.close();
  }

  /**
   * Checks the shared arguments and options before building the value, so bad
   * calls fail cheaply and every kind refuses a bad option alike (an unknown
   * key included: it would be dropped without a word); the tag's metadata
   * counts as stated only once the event is queued.
   */
  private emit(
    tag: string,
    kind: SummaryKind,
    step: number,
    options: DescribedOptions,
    knownOptions: readonly string[],
    build: () => SummaryPart,
  ): void {
    checkTag(tag);
    checkStep(step);
    checkKnownKeys(options, 'options', knownOptions);
    const time = checkWallTime(options.wallTime);
    checkOptionalString(options.description, 'description');
    checkOptionalString(options.displayName, 'displayName');
    this.checkKind(tag, kind);
    const part = build();
    const statement = this.metadata.toWrite(tag, part.metadata);
    const value = { tag, tensor: part.tensor, metadata: statement?.metadata };
    // proto3 leaves zero fields out; so does TensorBoard's writer, for identical bytes.
    const event =
      step === 0
        ? { wallTime: time, summary: { value: [value] } }
        : { wallTime: time, step, summary: { value: [value] } };
    const seq = this.file.write(event);
    this.stated(tag, kind, statement, seq);
  }

  /** Throws when `tag` already holds values of another kind (see the file's comment). */
  private checkKind(tag: string, kind: SummaryKind): void {
    const held = this.tagKinds.get(tag);
    if (held === undefined || held === kind) return;
    throw new TypeError(
      `invalid ${kind} for tag ${describe(tag)}: the tag holds ${held} values ` +
        `(plugin "${PLUGIN_OF[held]}"), and readers keep one kind per tag; ` +
        `log the ${kind} under another tag`,
    );
  }

  /** Records the tag's kind and metadata once its value is queued (seq -1: dropped). */
  private stated(tag: string, kind: SummaryKind, statement: Statement | undefined, seq: number) {
    if (seq < 0) return;
    if (!this.tagKinds.has(tag)) this.tagKinds.set(tag, kind);
    if (statement) this.metadata.stated(statement, seq);
  }

  private reportConversion(from: string | null, tag: string, to: string): void {
    if (from === null || this.reportedConversions.has(from)) return;
    this.reportedConversions.add(from);
    process.emitWarning(
      `values of tag "${tag}" (and any later ${from}) were converted from ${from} to ${to}`,
      { code: 'LENSBOARD_CONVERTED_VALUES', detail: `run directory: ${this.runDir}` },
    );
  }
}

/** The option keys each kind takes; the kind checks its own values (buckets, scaling). */
const DESCRIBED_OPTIONS = ['description', 'displayName', 'wallTime'] as const;
const HISTOGRAM_OPTIONS = [...DESCRIBED_OPTIONS, 'buckets'] as const;
const IMAGE_OPTIONS = [...DESCRIBED_OPTIONS, 'scaling'] as const;

/** TensorMetadata's fields, from the schema, so a field added there is known here. */
const TENSOR_METADATA_KEYS = Object.keys(TensorMetadataType.fields);

/**
 * `tensor(tag, v, shape, step, { description })` puts the option in the
 * metadata, where it would be dropped: say where it goes.
 */
function checkTensorMetadataKeys(metadata: unknown): void {
  checkKnownKeys(metadata, 'metadata', TENSOR_METADATA_KEYS, (key) =>
    (DESCRIBED_OPTIONS as readonly string[]).includes(key)
      ? `${key} is an option: pass it in options, the argument after metadata`
      : '',
  );
}

/** The kinds of value a tag may hold, one per summary method. */
type SummaryKind = 'scalar' | 'image' | 'histogram' | 'text' | 'tensor';

/** The plugin each kind is written under, as readers group tags by it. */
const PLUGIN_OF: Record<SummaryKind, string> = {
  scalar: 'scalars',
  image: 'images',
  histogram: 'histograms',
  text: 'text',
  tensor: LENSBOARD_PLUGIN_NAME,
};

function checkWorker(worker: { workerRank?: number; worldSize?: number }): void {
  for (const [name, value] of Object.entries(worker)) {
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0 && value < 2 ** 31)) {
      throw new RangeError(
        `invalid ${name}: ${describe(value)} (want an integer from 0 to ${2 ** 31 - 1})`,
      );
    }
  }
  // Ranks count from 0, so a job of worldSize n has ranks 0 to n - 1; worldSize 0 means
  // not distributed, where any rank is the caller's own numbering.
  const { workerRank, worldSize } = worker;
  if (workerRank !== undefined && worldSize !== undefined && worldSize > 0) {
    if (workerRank >= worldSize) {
      throw new RangeError(
        `invalid workerRank: ${workerRank} (want an integer from 0 to ${worldSize - 1}, ` +
          `below worldSize ${worldSize})`,
      );
    }
  }
}
