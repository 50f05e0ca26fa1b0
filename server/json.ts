/**
 * Strict JSON for every API body. JSON has no NaN or infinities, and
 * `JSON.stringify` silently turns them into `null`, which would read back as a
 * missing value; lensboard writes them as the strings "NaN", "Infinity" and
 * "-Infinity" instead, so every logged value arrives and decodes back.
 */

/** Serialises `value`, with non-finite numbers as strings and typed arrays as arrays. */
export function toStrictJson(value: unknown): string {
  return JSON.stringify(value, replaceNonJson);
}

/** The inverse for clients and tests: restores the three non-finite strings to numbers. */
export function parseStrictJson(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value === 'NaN') return NaN;
    if (value === 'Infinity') return Infinity;
    if (value === '-Infinity') return -Infinity;
    return value;
  });
}

function replaceNonJson(_key: string, value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return Number(value);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number>);
  }
  return value;
}
