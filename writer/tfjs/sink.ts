/**
 * The part of the summary writer (`SummaryWriter` in `writer/index.ts`) that
 * the tfjs adapter logs through. Declared structurally so the adapter accepts
 * the writer and anything shaped like it (a test double, a fan-out writer);
 * calls are awaited, so a writer may answer synchronously or with a promise.
 */
import type { TensorMetadata } from '../../proto/index.js';
import { describe } from '../arguments.js';

/** An already-encoded PNG with its size. */
export interface EncodedImage {
  png: Uint8Array;
  width: number;
  height: number;
}

export interface SummarySink {
  scalar(tag: string, value: number, step: number): unknown;
  image(
    tag: string,
    images: EncodedImage | EncodedImage[],
    step: number,
    options?: { description?: string },
  ): unknown;
  histogram(tag: string, values: Float32Array, step: number): unknown;
  tensor(
    tag: string,
    values: Float32Array,
    shape: number[],
    step: number,
    metadata: TensorMetadata,
  ): unknown;
  flush(): unknown;
}

/** The methods the adapter calls, checked up front: a missing one would fail at every step. */
const SINK_METHODS = ['scalar', 'tensor', 'histogram', 'image', 'flush'] as const;

/**
 * Throws naming the argument when `writer` lacks a method the adapter calls,
 * so a wrong argument (`{}`, a run directory's path) fails where it is given,
 * not as "this.writer.scalar is not a function" once per kind during fit.
 */
export function checkSink(writer: unknown, name = 'writer'): asserts writer is SummarySink {
  const missing =
    typeof writer === 'object' && writer !== null
      ? SINK_METHODS.filter(
          (method) => typeof (writer as Record<string, unknown>)[method] !== 'function',
        )
      : SINK_METHODS;
  if (missing.length === 0) return;
  throw new TypeError(
    `invalid ${name}: ${describe(writer)} (want a SummaryWriter, or an object with ` +
      `${SINK_METHODS.join(', ')} methods; missing ${missing.join(', ')})`,
  );
}
