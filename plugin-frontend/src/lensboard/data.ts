/**
 * Raw tensors for the lensboard views, through the shared API client and a
 * cache of decoded payloads. The client caches series answers only; a tensor
 * here is keyed by (run, tag, step, id, wall time) from its series entry, so
 * a value rewritten at the same step by a restarted writer is fetched afresh,
 * and switching probe or step back and forth costs no request.
 */
import { ApiError, api } from '../api.js';
import type { LoadedTensor, TensorSeries } from '../api-types.js';

/** Decoded tensors kept for quick switching; a demo CNN's activations over many steps fit. */
const CACHE_BYTES = 64 * 1024 * 1024;
const cache = new Map<string, LoadedTensor>();
let cachedBytes = 0;

/** The tensor of `series` logged at `step` (the newest if rewritten). */
export async function tensorAt(
  series: TensorSeries,
  step: number,
  signal?: AbortSignal,
): Promise<LoadedTensor> {
  const entry = [...series.entries].reverse().find((e) => e.step === step);
  if (!entry) {
    const where = `tensor ${JSON.stringify(series.tag)} of run ${JSON.stringify(series.run)}`;
    throw new ApiError(404, `${where}: no value at step ${step}`, '/api/tensor');
  }
  const key = JSON.stringify([series.run, series.tag, step, entry.id, entry.wallTime]);
  const cached = cache.get(key);
  if (cached) {
    // Re-inserting keeps the Map's order least recently used first.
    cache.delete(key);
    cache.set(key, cached);
    return cached;
  }
  // The id names exactly this entry; the step would name the newest value at it.
  const at = entry.id === null ? { step } : { id: entry.id };
  const tensor = await api.tensor(series.run, series.tag, at, signal);
  remember(key, tensor);
  return tensor;
}

function remember(key: string, tensor: LoadedTensor): void {
  cache.set(key, tensor);
  cachedBytes += tensor.values.byteLength;
  for (const [oldest, value] of cache) {
    if (cachedBytes <= CACHE_BYTES || oldest === key) break;
    cache.delete(oldest);
    cachedBytes -= value.values.byteLength;
  }
}

/** The logged steps of a series, ascending and distinct. */
export function seriesSteps(series: TensorSeries): number[] {
  return [...new Set(series.entries.map((e) => e.step))].sort((a, b) => a - b);
}
