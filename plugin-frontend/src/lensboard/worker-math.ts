/**
 * Arithmetic across the workers of a distributed job: the average of their
 * tensors, and each worker's difference from it.
 */

/** The elementwise mean of same-shaped tensors, one per worker. */
export function elementwiseMean(
  values: readonly Float32Array[],
  names: readonly string[],
): Float32Array {
  if (values.length === 0) throw new Error('cannot average over no workers');
  const length = values[0].length;
  values.forEach((v, i) => {
    if (v.length !== length) {
      throw new Error(`${names[i]}: got ${v.length} values, want ${length} like ${names[0]}`);
    }
  });
  const mean = new Float32Array(length);
  for (const v of values) for (let i = 0; i < length; i++) mean[i] += v[i] / values.length;
  return mean;
}

export function difference(a: Float32Array, b: Float32Array): Float32Array {
  if (a.length !== b.length) throw new Error(`difference of ${a.length} and ${b.length} values`);
  return a.map((v, i) => v - b[i]);
}
