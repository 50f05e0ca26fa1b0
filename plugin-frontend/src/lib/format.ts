/**
 * Numbers as the viewer prints them: short, exact enough to read, never
 * "-1.959e-4" for zero, and compact exponents ("1.1e12") for large and tiny ones.
 */

/** A value in a readout: five significant digits, exponent form for the very small or large. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e6)) return exponential(value, 3);
  return Number(value.toPrecision(5)).toString();
}

/**
 * An axis tick, with as many decimals as the spacing between ticks needs; a
 * tick within float noise of zero prints as 0. Large and tiny ticks are short
 * exponents ("1.1e12", "2.5e-9") with the mantissa digits the spacing needs.
 */
export function formatTick(value: number, spacing: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (!(spacing > 0)) return formatValue(value);
  if (Math.abs(value) < spacing * 1e-6) return '0';
  const decimals = Math.max(0, 1 - Math.floor(Math.log10(spacing)));
  if (decimals > 6 || Math.abs(value) >= 1e6) {
    // One digit past the spacing's own: ticks 2.5e11 apart still read apart.
    const digits = Math.floor(Math.log10(Math.abs(value))) - Math.floor(Math.log10(spacing)) + 1;
    return exponential(value, Math.min(6, Math.max(0, digits)));
  }
  return Number(value.toFixed(decimals)).toString();
}

/** `value` as a short exponent: "1.1e12", "-3.4e38", "2e-9"; trailing zeros dropped. */
export function exponential(value: number, digits: number): string {
  const [mantissa, power] = value.toExponential(digits).split('e');
  const trimmed = mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa;
  return `${trimmed}e${Number(power)}`;
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
