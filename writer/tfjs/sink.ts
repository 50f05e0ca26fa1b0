/**
 * The part of the summary writer (`SummaryWriter` in `writer/index.ts`) that
 * the tfjs adapter logs through. Declared structurally so the adapter accepts
 * the writer and anything shaped like it (a test double, a fan-out writer);
 * calls are awaited, so a writer may answer synchronously or with a promise.
 */
import type { TensorMetadata } from '../../proto/index.js';

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
