/** Tags interned by their bytes: one string per distinct tag, whatever order tags come in. */
import { describe, expect, it } from 'vitest';
import { TagInterner } from '../server/tag-interner.js';

const bytes = (text: string) => new Uint8Array(Buffer.from(text));

/** `text` placed inside a larger buffer at `offset`, as a tag sits in a record. */
function inBuffer(text: string, offset: number): [Uint8Array, number, number] {
  const encoded = bytes(text);
  const buffer = new Uint8Array(offset + encoded.length + 5).fill(0x7a);
  buffer.set(encoded, offset);
  return [buffer, offset, offset + encoded.length];
}

describe('TagInterner', () => {
  it('spells each tag as its UTF-8 bytes decode, wherever the bytes sit', () => {
    const interner = new TagInterner();
    expect(interner.intern(...inBuffer('loss', 3)).text).toBe('loss');
    expect(interner.intern(...inBuffer('verlust/ä→ö', 11)).text).toBe('verlust/ä→ö');
    expect(interner.intern(...inBuffer('', 0)).text).toBe('');
  });

  it('tells apart tags of equal length and shared prefixes, in any order', () => {
    const interner = new TagInterner();
    const tags = Array.from({ length: 300 }, (_, i) => `metrics/tag_${String(i).padStart(3, '0')}`);
    const order = [...tags, ...tags, ...[...tags].reverse(), ...tags.filter((_, i) => i % 7 === 0)];
    for (const tag of order)
      expect(interner.intern(...inBuffer(tag, tag.length % 5)).text).toBe(tag);
  });

  it("hands back the same entry for the same bytes, carrying the caller's value", () => {
    const interner = new TagInterner<number>();
    const first = interner.intern(...inBuffer('loss', 1));
    first.value = 42;
    first.version = 7;
    interner.intern(...inBuffer('acc', 0));
    const again = interner.intern(...inBuffer('loss', 9));
    expect(again).toBe(first);
    expect([again.value, again.version]).toEqual([42, 7]);
    expect(interner.intern(...inBuffer('new', 0)).value).toBeUndefined();
  });

  it('keeps its own copy of a tag read from a Buffer, whose slices are views', () => {
    const interner = new TagInterner();
    const chunk = Buffer.from('xxtag_5yy');
    interner.intern(...inBuffer('first', 0));
    expect(interner.intern(chunk, 2, 7).text).toBe('tag_5');
    interner.intern(...inBuffer('first', 0));
    // The chunk is reused for other records; the same spot now spells another tag.
    chunk.write('tag_7', 2);
    expect(interner.intern(chunk, 2, 7).text).toBe('tag_7');
    expect(interner.intern(...inBuffer('tag_5', 1)).text).toBe('tag_5');
  });

  it('does not keep a view of the buffer it was given', () => {
    const interner = new TagInterner();
    const [buffer, start, end] = inBuffer('acc', 2);
    interner.intern(buffer, start, end);
    buffer.fill(0x41);
    expect(interner.intern(...inBuffer('acc', 0)).text).toBe('acc');
    expect(interner.intern(buffer, start, end).text).toBe('AAA');
  });
});
