/** Numbers as the viewer prints them: short, exact enough to read, never "-1.959e-4" for zero. */

/** A value in a readout: five significant digits, exponent form for the very small or large. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e6)) return value.toExponential(3);
  return Number(value.toPrecision(5)).toString();
}

/**
 * An axis tick, with as many decimals as the spacing between ticks needs; a
 * tick within float noise of zero prints as 0.
 */
export function formatTick(value: number, spacing: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (!(spacing > 0)) return formatValue(value);
  if (Math.abs(value) < spacing * 1e-6) return '0';
  const decimals = Math.max(0, 1 - Math.floor(Math.log10(spacing)));
  if (decimals > 6 || Math.abs(value) >= 1e6) return value.toExponential(2);
  return Number(value.toFixed(decimals)).toString();
}

/**
 * uPlot's `values` for a linear axis: ticks with the decimals their spacing
 * needs, so two ticks 0.0005 apart never both read "0.985".
 */
export function tickLabels(
  _chart: unknown,
  splits: number[],
  _axis: number,
  _space: number,
  spacing: number,
): string[] {
  return splits.map((value) => formatTick(value, spacing));
}
