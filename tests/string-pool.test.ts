/** The bounded pool that lets equal restated descriptions share one string. */
import { describe, expect, it } from 'vitest';
import { StringPool } from '../server/string-pool.js';

describe('StringPool', () => {
  it('answers equal texts with one pooled string, held once', () => {
    const pool = new StringPool();
    const first = pool.intern(['red = -0.2656', 'blue = +0.2656'].join(' ... '));
    expect(pool.intern('red = -0.2656 ... blue = +0.2656')).toBe(first);
    expect(pool.size).toBe(1);
  });

  it('never holds more texts than its limit, however many distinct texts it meets', () => {
    const pool = new StringPool(8);
    for (let i = 0; i < 100; i++) {
      expect(pool.intern(`scale ±${i}`)).toBe(`scale ±${i}`);
      expect(pool.size).toBeLessThanOrEqual(8);
    }
  });

  it('rejects a limit below one, naming it', () => {
    expect(() => new StringPool(0)).toThrow('invalid string pool limit: 0 (want >= 1)');
  });
});
