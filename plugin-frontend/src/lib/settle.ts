/**
 * Loads independent things so that one failure stays one failure: every
 * result is its value or its error, in input order. An abort is no one
 * item's failure: it rejects the whole, as `Promise.all` would, so a task
 * that was superseded is dropped instead of drawn as a wall of errors.
 */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export async function settleEach<T>(
  promises: Iterable<T | PromiseLike<T>>,
  signal?: AbortSignal,
): Promise<Settled<T>[]> {
  const results = await Promise.allSettled(promises);
  signal?.throwIfAborted();
  return results.map((result) =>
    result.status === 'fulfilled'
      ? { ok: true, value: result.value }
      : { ok: false, error: result.reason as unknown },
  );
}
