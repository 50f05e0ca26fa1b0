/**
 * Tag strings looked up by their UTF-8 bytes, so a record whose tag was seen
 * before costs a byte comparison, not a new string: a scalar log names the
 * same hundred tags millions of times. Each interned tag also carries one
 * value for its caller (what the tag maps to), so the caller needs no
 * lookup by string either.
 */

export interface InternedTag<T> {
  readonly text: string;
  /** The caller's value for this tag, valid while `version` is the caller's current one. */
  value: T | undefined;
  version: number;
}

interface Entry<T> extends InternedTag<T> {
  readonly bytes: Uint8Array;
  /** The tag met right after this one last time: the likely next one. */
  next: Entry<T> | null;
}

export class TagInterner<T = unknown> {
  /** FNV-1a hash of a tag's bytes → the tags with that hash (almost always one). */
  private readonly byHash = new Map<number, Entry<T>[]>();
  private last: Entry<T> | null = null;

  /**
   * The tag spelled by `source[start, end)`, decoded once per distinct tag.
   * Loggers write their tags in the same order at every step, so the tag
   * that followed the previous one last time is compared first, unhashed.
   */
  intern(source: Uint8Array, start: number, end: number): InternedTag<T> {
    const guess = this.last?.next;
    const tag =
      guess && sameBytes(guess.bytes, source, start, end) ? guess : this.find(source, start, end);
    if (this.last) this.last.next = tag;
    this.last = tag;
    return tag;
  }

  private find(source: Uint8Array, start: number, end: number): Entry<T> {
    const hash = hashOf(source, start, end);
    const candidates = this.byHash.get(hash);
    if (candidates) {
      for (const candidate of candidates) {
        if (sameBytes(candidate.bytes, source, start, end)) return candidate;
      }
    }
    // A copy: Buffer's slice is a view, and the chunk it views is reused.
    const bytes = new Uint8Array(source.subarray(start, end));
    // Buffer's decoder, as protobufjs uses on Buffers: both paths spell a tag alike.
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
    const tag: Entry<T> = { bytes, text, next: null, value: undefined, version: -1 };
    if (candidates) candidates.push(tag);
    else this.byHash.set(hash, [tag]);
    return tag;
  }
}

function hashOf(source: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ source[i], 0x01000193);
  return hash >>> 0;
}

function sameBytes(known: Uint8Array, source: Uint8Array, start: number, end: number): boolean {
  if (known.length !== end - start) return false;
  for (let i = 0; i < known.length; i++) if (known[i] !== source[start + i]) return false;
  return true;
}
