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
      throw new RangeError(`invalid ${name}: ${describe(shape)} (sizes must be integers >= 0)`);
    }
    count *= size;
  }
  if (!Number.isSafeInteger(count)) {
    throw new RangeError(`invalid ${name}: ${describe(shape)} (too many elements)`);
  }
  return count;
}

/** A value that is left out or a string, such as a description or a display name. */
export function checkOptionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  throw new TypeError(`invalid ${name}: ${describe(value)} (want a string)`);
}

/** An options argument is an object or left out: `w.text('t', 'x', 0, 'note')` is a slip. */
export function checkOptionsObject(options: unknown, name = 'options'): void {
  if (options === undefined) return;
  if (typeof options === 'object' && options !== null && !Array.isArray(options)) return;
  throw new TypeError(`invalid ${name}: ${describe(options)} (want an object)`);
}

/**
 * An options object (or left out) whose keys are all `known`. An unknown key is
 * a typo or an option given to the wrong argument, and would otherwise be
 * dropped without a word; `hint` may say where a known-elsewhere key belongs.
 */
export function checkKnownKeys(
  object: unknown,
  name: string,
  known: readonly string[],
  hint: (key: string) => string = () => '',
): void {
  checkOptionsObject(object, name);
  if (object === undefined) return;
  for (const key of Object.keys(object as object)) {
    if (known.includes(key)) continue;
    const where = hint(key) || `want keys among ${known.join(', ')}`;
    throw new TypeError(
      `invalid ${name}: ${describe(object)} (unknown key ${JSON.stringify(key)}; ${where})`,
    );
  }
}

/** A run directory is a non-empty path: `''` would be created nowhere (mkdir ENOENT). */
export function checkRunDir(runDir: unknown): string {
  if (typeof runDir === 'string' && runDir.length > 0) return runDir;
  throw new TypeError(
    `invalid runDir: ${describe(runDir)} (want a directory path, e.g. "runs/experiment-1")`,
  );
}

/** Elements of an array shown before "…", and characters of a string. */
const SHOWN_ELEMENTS = 8;
const SHOWN_CHARACTERS = 60;

/**
 * A short rendering of any value for an error message, as it would be
 * written in code: strings quoted, `null` as null, arrays with their
 * elements (`["4"]`, not `4`), typed arrays by type and length.
 */
export function describe(value: unknown, depth = 0): string {
  if (typeof value === 'string') {
    const cut = value.length > SHOWN_CHARACTERS;
    const shown = cut ? `${value.slice(0, SHOWN_CHARACTERS)}…` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value !== 'object' && typeof value !== 'function') return String(value);
  if (value === null) return 'null';
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (ArrayBuffer.isView(value)) {
    return `${value.constructor.name}(${(value as Uint8Array).length})`;
  }
  if (Array.isArray(value)) return describeArray(value, depth);
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (prototype !== Object.prototype && prototype !== null) {
    return `a ${(value as object).constructor?.name ?? 'object'}`;
  }
  return describeObject(value as Record<string, unknown>, depth);
}

function describeArray(array: unknown[], depth: number): string {
  if (depth > 1) return array.length === 0 ? '[]' : '[…]';
  const shown = Array.from(array.slice(0, SHOWN_ELEMENTS), (element) =>
    describe(element, depth + 1),
  );
  if (array.length > SHOWN_ELEMENTS) shown.push(`… ${array.length - SHOWN_ELEMENTS} more`);
  return `[${shown.join(', ')}]`;
}

function describeObject(object: Record<string, unknown>, depth: number): string {
  const keys = Object.keys(object);
  if (keys.length === 0) return '{}';
  if (depth > 1) return '{…}';
  const shown = keys
    .slice(0, 4)
    .map(
      (key) =>
        `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key)}: ` +
        describe(object[key], depth + 1),
    );
  if (keys.length > 4) shown.push('…');
  return `{ ${shown.join(', ')} }`;
}
