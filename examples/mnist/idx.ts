/**
 * The IDX file format of the MNIST distribution: a big-endian header of
 * `0x00 0x00 <type> <rank>` followed by one u32 size per dimension, then the
 * values in row-major order. lensboard reads only unsigned-byte files (type
 * 0x08), which is what MNIST ships.
 */
import { readFileSync } from 'node:fs';

/** The value type code of unsigned bytes, the only one MNIST uses. */
const UBYTE = 0x08;

export interface IdxArray {
  /** Sizes of each dimension, outermost first. */
  shape: number[];
  /** The values, `shape` multiplied out, as stored. */
  data: Uint8Array;
}

/** A file that is not the IDX data it claims to be; names the file and what differs. */
export class IdxFormatError extends Error {
  override readonly name = 'IdxFormatError';

  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`invalid IDX file ${file}: ${detail}`);
  }
}

/**
 * Parses IDX bytes whose rank must be `rank` (1 for labels, 3 for images).
 * The magic number is checked against `0x0000_08_<rank>`, and the payload
 * length against the header's sizes; extra trailing bytes are refused too,
 * since they mean the header and the file disagree.
 */
export function parseIdx(bytes: Uint8Array, file: string, rank: number): IdxArray {
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new IdxFormatError(file, `got ${bytes.length} bytes, want a ${headerBytes}-byte header`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const wantMagic = (UBYTE << 8) | rank;
  if (magic !== wantMagic) {
    throw new IdxFormatError(file, `magic number got ${hex(magic)}, want ${hex(wantMagic)}`);
  }

  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const got = bytes.length - headerBytes;
  if (got !== count) {
    const sizes = shape.join('x');
    throw new IdxFormatError(file, `payload got ${got} bytes, want ${count} for shape ${sizes}`);
  }
  return { shape, data: bytes.subarray(headerBytes) };
}

/** Reads and parses one IDX file from disk. */
export function readIdxFile(file: string, rank: number): IdxArray {
  return parseIdx(readFileSync(file), file, rank);
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
