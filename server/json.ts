/**
 * Strict JSON for every API body. JSON has no NaN or infinities, and
 * `JSON.stringify` silently turns them into `null`, which would read back as a
 * missing value; lensboard writes them as the strings "NaN", "Infinity" and
 * "-Infinity" instead, so every logged value arrives and decodes back.
 */

/** Serialises `value`, with non-finite numbers as strings and typed arrays as arrays. */
export function toStrictJson(value: unknown): string {
  return JSON.stringify(encodeNonFinite(value));
}

/**
 * The inverse, for tests and scripts: restores the three strings to numbers
 * wherever they appear, so it suits bodies whose strings are never those
 * words (a text value "NaN" would come back as a number too).
 */
export function parseStrictJson(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value === 'NaN') return NaN;
    if (value === 'Infinity') return Infinity;
    if (value === '-Infinity') return -Infinity;
    return value;
  });
}

/**
 * Copy-on-write: a container holding no non-finite number is passed on as
 * is, which is the common case. This is about twice as fast as a
 * `JSON.stringify` replacer, which is called for every key of every entry.
 */
function encodeNonFinite(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'object' || value === null) return value;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return encodeItems(Array.from(value as unknown as ArrayLike<number>));
  }
  if (Array.isArray(value)) return encodeItems(value);
  return encodeFields(value as Record<string, unknown>);
}

function encodeItems(items: unknown[]): unknown[] {
  let copy: unknown[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const encoded = encodeNonFinite(items[i]);
    if (encoded !== items[i]) (copy ??= items.slice())[i] = encoded;
  }
  return copy ?? items;
}

function encodeFields(fields: Record<string, unknown>): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(fields)) {
    const encoded = encodeNonFinite(fields[key]);
    if (encoded !== fields[key]) (copy ??= { ...fields })[key] = encoded;
  }
  return copy ?? fields;
}
