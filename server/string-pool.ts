/**
 * A bounded pool of shared strings: equal texts met again (a value's restated
 * description, repeated at every step while it does not change) become one
 * string held once. The pool forgets everything when full, which only costs
 * sharing: strings already handed out stay valid, and the pool never holds
 * more than `limit` texts whatever a writer logs.
 */
export const DEFAULT_POOL_LIMIT = 1024;

export class StringPool {
  private readonly texts = new Map<string, string>();

  constructor(private readonly limit = DEFAULT_POOL_LIMIT) {
    if (!(limit >= 1)) throw new RangeError(`invalid string pool limit: ${limit} (want >= 1)`);
  }

  get size(): number {
    return this.texts.size;
  }

  /** The pooled string equal to `text`; `text` itself the first time it is met. */
  intern(text: string): string {
    const pooled = this.texts.get(text);
    if (pooled !== undefined) return pooled;
    if (this.texts.size >= this.limit) this.texts.clear();
    this.texts.set(text, text);
    return text;
  }
}
