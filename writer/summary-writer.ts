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
 * Argument errors throw at the call, before anything is queued. NaN and
 * infinite values are data, never errors. I/O errors go to `onError` and to
 * the next `flush()`/`close()` (see EventFileWriter).
 */
import type { TensorMetadata } from '../proto/index.js';
import {
  checkOptionalString,
  checkOptionsObject,
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
import { TagMetadataLedger } from './tag-metadata.js';

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
  /** Array types already reported as converted, so each is reported once. */
  private readonly reportedConversions = new Set<string>();

  constructor(runDir: string, options: SummaryWriterOptions = {}) {
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
    const statement = this.metadata.toWrite(tag, SCALAR_METADATA);
    const layout = scalarValueLayout(tag, statement?.metadata);
    const seq = this.file.writeEncoded(summaryEventSize(step, layout.size), (out, at) => {
      writeScalarValue(out, writeSummaryEventHead(out, at, time, step, layout.size), layout, value);
    });
    if (statement) this.metadata.stated(statement, seq);
  }

  image(
    tag: string,
    images: ImageInput | ImageInput[],
    step: number,
    options: ImageOptions = {},
  ): void {
    this.emit(tag, step, options, () => imageSummary(images, options));
  }

  /** Values are bucketed at once; non-finite ones are counted apart (see histogram.ts). */
  histogram(
    tag: string,
    values: ArrayLike<number>,
    step: number,
    options: HistogramOptions = {},
  ): void {
    this.emit(tag, step, options, () => {
      const numbers = toNumbers(values, `histogram values of "${tag}"`);
      this.reportConversion(numbers.convertedFrom, tag, 'float64');
      return histogramSummary(numbers.values, options);
    });
  }

  text(tag: string, text: string | string[], step: number, options: DescribedOptions = {}): void {
    this.emit(tag, step, options, () => textSummary(text, options));
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
    this.emit(tag, step, options, () => {
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
   * calls fail cheaply; the tag's metadata counts as stated only once the
   * event is queued.
   */
  private emit(
    tag: string,
    step: number,
    options: DescribedOptions,
    build: () => SummaryPart,
  ): void {
    checkTag(tag);
    checkStep(step);
    checkOptionsObject(options);
    const time = checkWallTime(options.wallTime);
    checkOptionalString(options.description, 'description');
    checkOptionalString(options.displayName, 'displayName');
    const part = build();
    const statement = this.metadata.toWrite(tag, part.metadata);
    const value = { tag, tensor: part.tensor, metadata: statement?.metadata };
    // proto3 leaves zero fields out; so does TensorBoard's writer, for identical bytes.
    const event =
      step === 0
        ? { wallTime: time, summary: { value: [value] } }
        : { wallTime: time, step, summary: { value: [value] } };
    const seq = this.file.write(event);
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

function checkWorker(worker: { workerRank?: number; worldSize?: number }): void {
  for (const [name, value] of Object.entries(worker)) {
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0 && value < 2 ** 31)) {
      throw new RangeError(
        `invalid ${name}: ${describe(value)} (want an integer from 0 to ${2 ** 31 - 1})`,
      );
    }
  }
}
