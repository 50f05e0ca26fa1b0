/**
 * Checks of the adapter's options, run when a callback is made and when a
 * plain function is called. A bad option is the user's setup, not a failure
 * of training, so it throws at once, before anything is logged, naming the
 * option and its value; left unchecked, `topK: -1` would fail per layer deep
 * in a snapshot and `maxActivationValues: NaN` silently drop every layer.
 */
import { describe } from '../arguments.js';
import type { ReportOptions } from './report.js';

/** `value` is undefined (the default) or an integer from `min` to the largest safe integer. */
export function checkIntegerOption(name: string, value: unknown, min: number): void {
  if (value === undefined) return;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= min) return;
  throw new RangeError(`invalid ${name}: ${describe(value)} (want an integer >= ${min})`);
}

/** `value` is undefined (the default) or a boolean: `'no'` must not read as true. */
export function checkBooleanOption(name: string, value: unknown): void {
  if (value === undefined || typeof value === 'boolean') return;
  throw new TypeError(`invalid ${name}: ${describe(value)} (want true or false)`);
}

export function checkReportOptions(options: ReportOptions): void {
  for (const name of ['onError', 'onWarning'] as const) {
    const hook: unknown = options[name];
    if (hook !== undefined && typeof hook !== 'function') {
      throw new TypeError(`invalid ${name}: ${describe(hook)} (want a function)`);
    }
  }
}

/** `options` itself is an object (or left out): `logWeights(writer, model, step, 5)` is a slip. */
export function checkOptionsObject(options: unknown): void {
  if (typeof options === 'object' && options !== null && !Array.isArray(options)) return;
  throw new TypeError(`invalid options: ${describe(options)} (want an object)`);
}
