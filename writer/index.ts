/**
 * lensboard's writer: TensorBoard event files from TypeScript. The summary
 * API for training scripts, the event-file layer beneath it, and the pure
 * helpers (PNG, histogram buckets) that the tfjs adapter reuses.
 */
export { SummaryWriter, type SummaryWriterOptions } from './summary-writer.js';
export {
  EventFileWriter,
  EventFileError,
  EventFileDeletedError,
  DEFAULT_FLUSH_INTERVAL_MS,
  DEFAULT_MAX_QUEUED_BYTES,
  FILE_VERSION,
  SOURCE_WRITER,
  type CarryOver,
  type EventFileWriterOptions,
} from './event-file-writer.js';
export type { ImageInput, EncodedImage, ImageOptions } from './summaries/image.js';
export {
  histogramBuckets,
  nonFiniteNote,
  DEFAULT_BUCKET_COUNT,
  type HistogramBuckets,
  type HistogramOptions,
} from './summaries/histogram.js';
export { MAX_TENSOR_BYTES, type TensorOptions } from './summaries/tensor.js';
export type { DescribedOptions } from './summaries/common.js';
export {
  encodePng,
  pixelsToUint8,
  type Channels,
  type PixelScaling,
  type RawImage,
  type Uint8Image,
} from './png.js';
export { MAX_STEP } from './arguments.js';
export { TensorRole, type TensorMetadata } from '../proto/index.js';
