/**
 * The histogram summary: TensorBoard's `histograms` plugin form, a `[k, 3]`
 * DOUBLE tensor of rows `[left, right, count]`.
 *
 * Buckets follow TensorBoard's own rule so that both tools draw the same
 * thing: k equal buckets from the minimum to the maximum, a value's bucket
 * `floor((v - min) / width)` with the maximum in the last one. Deliberate
 * differences, for input TensorBoard's rule handles badly:
 * - non-finite values are never bucketed (they would make every edge NaN);
 *   they are counted apart and named in the value's description;
 * - a constant input gets k buckets over [v - h, v + h] (h = max(0.5, |v|·1e-6))
 *   with every count in the bucket holding v: a visible spike, where
 *   TensorBoard writes k zero-width buckets;
 * - an input with no finite value is k rows of zeros, a valid empty summary;
 * - a range too wide for `max - min` (values near ±1.8e308) or too narrow for
 *   a normal bucket width (subnormal values) is computed scaled by a power of
 *   two, so edges stay finite and ordered and every value lands in its bucket;
 *   any other range uses TensorBoard's arithmetic unscaled, bit for bit.
 *
 * Two linear scans (range, then counts) with no per-value allocation: memory
 * is the input plus the k rows, whatever the input's size.
 */
import { DataClass, DataType } from '../../proto/index.js';
import { describe } from '../arguments.js';
import {
  bytesOf,
  pluginMetadata,
  tensorShape,
  type DescribedOptions,
  type SummaryPart,
} from './common.js';
import { toLittleEndian } from './little-endian.js';
import type { NumericArray } from './numeric.js';

export const DEFAULT_BUCKET_COUNT = 30;

export interface HistogramBuckets {
  /** k rows `[left, right, count]`, flattened row-major (length 3k). */
  rows: Float64Array;
  bucketCount: number;
  /** Finite values, the sum of the rows' counts. */
  count: number;
  nanCount: number;
  positiveInfinityCount: number;
  negativeInfinityCount: number;
}

export interface HistogramOptions extends DescribedOptions {
  buckets?: number;
}

export function histogramBuckets(
  values: NumericArray,
  bucketCount = DEFAULT_BUCKET_COUNT,
): HistogramBuckets {
  checkBucketCount(bucketCount);
  const scan = scanRange(values);
  const rows = new Float64Array(bucketCount * 3);
  const result = { rows, bucketCount, count: scan.count, ...scan.nonFinite };
  if (scan.count === 0) return result;

  const [low, high] = scan.min === scan.max ? spikeRange(scan.min) : [scan.min, scan.max];
  const scale = rangeScale(low, high, bucketCount);
  writeEdges(rows, bucketCount, low, high, scale);
  countInto(rows, bucketCount, values, low, high, scale);
  return result;
}

export function histogramSummary(
  values: NumericArray,
  options: HistogramOptions = {},
): SummaryPart {
  const buckets = histogramBuckets(values, options.buckets ?? DEFAULT_BUCKET_COUNT);
  const description = joinDescription(options.description, nonFiniteNote(buckets));
  return {
    tensor: {
      dtype: DataType.DOUBLE,
      tensorShape: tensorShape([buckets.bucketCount, 3]),
      tensorContent: bytesOf(toLittleEndian(buckets.rows)),
    },
    metadata: pluginMetadata('histograms', DataClass.TENSOR, { ...options, description }),
  };
}

/**
 * The note a histogram value's description carries when its input held
 * non-finite values, e.g. "non-finite values (not bucketed): NaN 1, +Inf 2, -Inf 0".
 */
export function nonFiniteNote(buckets: HistogramBuckets): string {
  const { nanCount, positiveInfinityCount, negativeInfinityCount } = buckets;
  if (nanCount + positiveInfinityCount + negativeInfinityCount === 0) return '';
  return (
    `non-finite values (not bucketed): NaN ${nanCount}, ` +
    `+Inf ${positiveInfinityCount}, -Inf ${negativeInfinityCount}`
  );
}

function joinDescription(description: string | undefined, note: string): string | undefined {
  if (!note) return description;
  return description ? `${description}\n\n${note}` : note;
}

const MAX_BUCKET_COUNT = 1 << 20;

function checkBucketCount(bucketCount: unknown): void {
  const valid =
    typeof bucketCount === 'number' &&
    Number.isSafeInteger(bucketCount) &&
    bucketCount >= 1 &&
    bucketCount <= MAX_BUCKET_COUNT;
  if (valid) return;
  throw new RangeError(
    `invalid buckets: ${describe(bucketCount)} (want an integer from 1 to ${MAX_BUCKET_COUNT})`,
  );
}

interface RangeScan {
  min: number;
  max: number;
  count: number;
  nonFinite: Pick<HistogramBuckets, 'nanCount' | 'positiveInfinityCount' | 'negativeInfinityCount'>;
}

function scanRange(values: NumericArray): RangeScan {
  let min = Infinity;
  let max = -Infinity;
  let nan = 0;
  let positive = 0;
  let negative = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) nan++;
    else if (v === Infinity) positive++;
    else if (v === -Infinity) negative++;
    else {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const nonFinite = {
    nanCount: nan,
    positiveInfinityCount: positive,
    negativeInfinityCount: negative,
  };
  return { min, max, count: values.length - nan - positive - negative, nonFinite };
}

/** The spike's range, kept within the finite numbers when `value` is near ±MAX_VALUE. */
function spikeRange(value: number): [number, number] {
  const half = Math.max(0.5, Math.abs(value) * 1e-6);
  return [Math.max(value - half, -Number.MAX_VALUE), Math.min(value + half, Number.MAX_VALUE)];
}

/** Bucket widths below this lose precision (subnormal) or become 0. */
const MIN_NORMAL = 2 ** -1022;

/**
 * The power of two the bucketing arithmetic runs at: multiplying by it is
 * exact, so only the ranges that need it see any difference.
 * - 1 for every ordinary range: TensorBoard's own arithmetic, bit for bit;
 * - 1/2 when `high - low` overflows: halves of two finite numbers of opposite
 *   signs always have a finite difference;
 * - 2^600 when the width would be subnormal: such a range only holds values
 *   below about 1e-290, which the scale leaves far from overflow.
 */
function rangeScale(low: number, high: number, k: number): number {
  const width = (high - low) / k;
  if (!Number.isFinite(width)) return 0.5;
  if (width < MIN_NORMAL) return 2 ** 600;
  return 1;
}

/**
 * Edges as numpy's linspace makes them (start + i·step, the last exactly
 * `high`), computed at `scale` and scaled back.
 */
function writeEdges(rows: Float64Array, k: number, low: number, high: number, scale: number): void {
  const lowScaled = low * scale;
  const step = (high * scale - lowScaled) / k;
  for (let i = 0; i < k; i++) {
    rows[i * 3] = (i * step + lowScaled) / scale;
    rows[i * 3 + 1] = i + 1 === k ? high : ((i + 1) * step + lowScaled) / scale;
  }
}

/** Counts each finite value in bucket `floor((v - low) / width)`, at `scale` like the edges. */
function countInto(
  rows: Float64Array,
  k: number,
  values: NumericArray,
  low: number,
  high: number,
  scale: number,
): void {
  const lowScaled = low * scale;
  const width = (high * scale - lowScaled) / k;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v - v !== 0) continue; // NaN and infinities, counted by scanRange
    const bucket = Math.min(Math.floor((v * scale - lowScaled) / width), k - 1);
    rows[bucket * 3 + 2]++;
  }
}
