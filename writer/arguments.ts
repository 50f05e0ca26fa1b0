/**
 * Checks of the arguments every summary call shares (tag, step, wall time).
 * Bad arguments are programming errors in the caller, so they throw at once,
 * before anything is queued, with the argument's name and value in the message.
 */

/** The largest step the writer accepts: any larger int64 could not be read back exactly. */
export const MAX_STEP = Number.MAX_SAFE_INTEGER;

export function checkTag(tag: unknown): string {
  if (typeof tag !== 'string') {
    throw new TypeError(`invalid tag: ${describe(tag)} (want a non-empty string)`);
  }
  if (tag.length === 0) throw new TypeError('invalid tag: "" (want a non-empty string)');
  return tag;
}

/** Steps are non-negative safe integers: int64 on disk, exact as a JavaScript number. */
export function checkStep(step: unknown): number {
  if (typeof step !== 'number' || !Number.isSafeInteger(step) || step < 0) {
    throw new RangeError(`invalid step: ${describe(step)} (want an integer from 0 to ${MAX_STEP})`);
  }
  return step;
}

/** Wall times are seconds since the epoch; the default is now. */
export function checkWallTime(wallTime: unknown): number {
  if (wallTime === undefined) return Date.now() / 1000;
  if (typeof wallTime !== 'number' || !Number.isFinite(wallTime)) {
    throw new RangeError(`invalid wallTime: ${describe(wallTime)} (want finite seconds)`);
  }
  return wallTime;
}

/** Shapes are lists of non-negative safe integers; returns their element count. */
export function checkShape(shape: unknown, name = 'shape'): number {
  if (!Array.isArray(shape)) {
    throw new TypeError(`invalid ${name}: ${describe(shape)} (want an array of sizes)`);
  }
  let count = 1;
  for (const size of shape) {
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
      throw new RangeError(`invalid ${name}: [${shape.join(', ')}] (sizes must be integers >= 0)`);
    }
    count *= size;
  }
  if (!Number.isSafeInteger(count)) {
    throw new RangeError(`invalid ${name}: [${shape.join(', ')}] (too many elements)`);
  }
  return count;
}

/** A short rendering of any value for an error message. */
export function describe(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number' || typeof value === 'boolean' || value == null)
    return String(value);
  if (ArrayBuffer.isView(value))
    return `${value.constructor.name}(${(value as Uint8Array).length})`;
  if (Array.isArray(value)) return `array(${value.length})`;
  return typeof value;
}
