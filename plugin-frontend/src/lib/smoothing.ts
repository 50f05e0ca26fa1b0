/**
 * TensorBoard's scalar smoothing: an exponential moving average with the bias
 * of its zero start divided out, so the first points are not dragged to zero.
 * Non-finite values pass through unsmoothed and do not enter the average; a
 * constant series is returned as is, since averaging it can only add float noise.
 *
 * Unlike TensorBoard, whose `classicSmoothing` carries the average across a
 * non-finite value, the average starts afresh after one. The chart breaks the
 * line there, so each finite stretch is drawn on its own, and it is smoothed
 * on its own too: a stretch starts at its own first value, as the series
 * does, and an isolated point (NaN on both sides) is drawn at its value, not
 * at an average of points across the gaps. A series with no non-finite value
 * is smoothed exactly as TensorBoard smooths it.
 */
export function smoothEma(values: ArrayLike<number>, weight: number): number[] {
  if (!(weight >= 0 && weight < 1)) {
    throw new RangeError(`invalid smoothing weight: ${weight} (want a number in [0, 1))`);
  }
  const out = Array.from(values);
  if (weight === 0 || isConstant(out)) return out;

  // Invariant: `average` holds `averaged` finite values since the last non-finite one.
  let average = 0;
  let averaged = 0;
  for (let i = 0; i < out.length; i++) {
    const value = out[i];
    if (!Number.isFinite(value)) {
      average = 0;
      averaged = 0;
      continue;
    }
    average = average * weight + (1 - weight) * value;
    averaged++;
    // The debiased first value is the value itself; dividing would only add float noise.
    if (averaged > 1) out[i] = average / (1 - weight ** averaged);
  }
  return out;
}

function isConstant(values: number[]): boolean {
  return values.every((value) => Object.is(value, values[0]));
}
