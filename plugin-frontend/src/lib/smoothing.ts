/**
 * TensorBoard's scalar smoothing: an exponential moving average with the bias
 * of its zero start divided out, so the first points are not dragged to zero.
 * Non-finite values pass through unsmoothed and do not enter the average; a
 * constant series is returned as is, since averaging it can only add float noise.
 */
export function smoothEma(values: ArrayLike<number>, weight: number): number[] {
  if (!(weight >= 0 && weight < 1)) {
    throw new RangeError(`invalid smoothing weight: ${weight} (want a number in [0, 1))`);
  }
  const out = Array.from(values);
  if (weight === 0 || isConstant(out)) return out;

  let average = 0;
  let finiteSeen = 0;
  for (let i = 0; i < out.length; i++) {
    const value = out[i];
    if (!Number.isFinite(value)) continue;
    average = average * weight + (1 - weight) * value;
    finiteSeen++;
    out[i] = average / (1 - weight ** finiteSeen);
  }
  return out;
}

function isConstant(values: number[]): boolean {
  return values.every((value) => Object.is(value, values[0]));
}
