import {
  appendFileSync,
  copyFileSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeEvent, toSafeNumber } from '../proto/index.js';
import { EventFileLoader } from '../server/event-file-loader.js';
import { FileChangedError } from '../server/model.js';
import { maskedCrc32c } from '../writer/crc32c.js';
import { DataLossError, HEADER_BYTES } from '../writer/record.js';
import { EVENTS_FILE, fileVersion, record, scalars, tempLogdir } from './helpers/events.js';

/** Reads what is new and returns the steps of the events read. */
async function readSteps(loader: EventFileLoader): Promise<number[]> {
  const steps: number[] = [];
  await loader.readNew((framed) => steps.push(toSafeNumber(decodeEvent(framed.payload).step)));
  return steps;
}

function fileOf(...parts: Buffer[]): string {
  const path = join(tempLogdir(), EVENTS_FILE);
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

describe('EventFileLoader', () => {
  it('reads every record of a complete file once, and nothing on the next call', async () => {
    const events = scalars('loss', [0, 1, 2]);
    const loader = new EventFileLoader(fileOf(...events.map(record)));
    expect(await readSteps(loader)).toEqual([0, 1, 2]);
    expect(await readSteps(loader)).toEqual([]);
  });

  it.each([
    ['inside the length header', 5],
    ['after the header, inside the payload', HEADER_BYTES + 10],
  ])('waits at a record cut %s and reads it once the rest is appended', async (_, cut) => {
    const [first, last] = scalars('loss', [0, 1]).map(record);
    const path = fileOf(first, last.subarray(0, cut));
    const loader = new EventFileLoader(path);

    const firstPass: number[] = [];
    const pass = await loader.readNew((framed) => firstPass.push(framed.offset));
    expect(firstPass).toEqual([0]);
    expect(pass).toMatchObject({ truncated: true, offset: first.length });
    expect(await readSteps(loader)).toEqual([]);

    appendFileSync(path, last.subarray(cut));
    expect(await readSteps(loader)).toEqual([1]);
    expect(await readSteps(loader)).toEqual([]);
  });

  it('reads a file appended one byte at a time without losing or repeating a record', async () => {
    const bytes = Buffer.concat(scalars('loss', [0, 1, 2, 3]).map(record));
    const path = fileOf();
    const loader = new EventFileLoader(path, 16);
    const steps: number[] = [];
    for (const byte of bytes) {
      appendFileSync(path, Buffer.of(byte));
      steps.push(...(await readSteps(loader)));
    }
    expect(steps).toEqual([0, 1, 2, 3]);
  });

  it('reads records larger than its chunk size and records spanning chunks', async () => {
    const events = scalars(
      'loss',
      Array.from({ length: 50 }, (_, i) => i),
    );
    const loader = new EventFileLoader(fileOf(...events.map(record)), 7);
    expect(await readSteps(loader)).toEqual(events.map((_, i) => i));
  });

  it.each([
    ['a payload byte', 'payload', (length: number) => HEADER_BYTES + Math.floor(length / 2)],
    ['a length byte', 'length', () => 1],
  ])(
    'reports a flipped %s as data loss at the record offset, keeps what came before, stops',
    async (_, part, position) => {
      const [a, b, c] = scalars('loss', [0, 1, 2]).map(record);
      const bad = Buffer.from(b);
      const at = position(b.length - HEADER_BYTES - 4);
      bad[at] ^= 0x40;
      const path = fileOf(a, bad, c);
      const loader = new EventFileLoader(path);

      const steps: number[] = [];
      const error = await loader
        .readNew((framed) => steps.push(toSafeNumber(decodeEvent(framed.payload).step)))
        .catch((caught: unknown) => caught);
      expect(steps).toEqual([0]);
      expect(error).toBeInstanceOf(DataLossError);
      expect(error).toMatchObject({ file: path, offset: a.length, part });
      expect(loader.dataLoss).toBe(error);

      // Stopped for good: no retry, even when more records arrive.
      appendFileSync(path, record(fileVersion()));
      expect(await readSteps(loader)).toEqual([]);
    },
  );

  it('reports a length header claiming 2^40 bytes as corrupt without allocating it', async () => {
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeBigUInt64LE(2n ** 40n, 0);
    header.writeUInt32LE(maskedCrc32c(header.subarray(0, 8)), 8);
    const [first] = scalars('loss', [0]).map(record);
    const loader = new EventFileLoader(fileOf(first, header, Buffer.alloc(100, 7)));

    const rssBefore = process.memoryUsage().arrayBuffers;
    const error = await readSteps(loader).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DataLossError);
    expect((error as DataLossError).message).toMatch(/length of 1099511627776 bytes exceeds/);
    expect(process.memoryUsage().arrayBuffers - rssBefore).toBeLessThan(64 << 20);
  });

  it('reads nothing from a 0-byte file and then the records written to it', async () => {
    const path = fileOf();
    const loader = new EventFileLoader(path);
    expect(await readSteps(loader)).toEqual([]);
    appendFileSync(path, Buffer.concat(scalars('loss', [4]).map(record)));
    expect(await readSteps(loader)).toEqual([4]);
  });

  it(
    'calls back after each chunk, ' + 'with the records read so far, so progress shows mid-file',
    async () => {
      const events = scalars(
        'loss',
        Array.from({ length: 40 }, (_, i) => i),
      );
      const bytes = Buffer.concat(events.map(record));
      const loader = new EventFileLoader(fileOf(bytes), Math.ceil(bytes.length / 4));
      const readByChunk: number[] = [];
      let read = 0;
      await loader.readNew(
        () => read++,
        () => readByChunk.push(read),
      );
      expect(readByChunk.length).toBeGreaterThanOrEqual(4);
      expect(readByChunk[0]).toBeGreaterThan(0);
      expect(readByChunk[0]).toBeLessThan(40);
      expect(readByChunk[readByChunk.length - 1]).toBe(40);
    },
  );

  it('starts each chunk at a record boundary, whatever the chunk size', async () => {
    const events = scalars(
      'loss',
      Array.from({ length: 30 }, (_, i) => i),
    );
    const bytes = Buffer.concat(events.map(record));
    for (const chunkBytes of [1, 13, 50, 97, bytes.length - 1, bytes.length + 5]) {
      const loader = new EventFileLoader(fileOf(bytes), chunkBytes);
      expect(await readSteps(loader), `chunk of ${chunkBytes} bytes`).toEqual(
        events.map((_, i) => i),
      );
      expect(loader.offset).toBe(bytes.length);
    }
  });

  it('rereads a record by offset, checking it again', async () => {
    const [a, b] = scalars('loss', [0, 1]).map(record);
    const loader = new EventFileLoader(fileOf(a, b));
    await readSteps(loader);
    const payload = await loader.readRecordAgain(a.length, b.length);
    expect(toSafeNumber(decodeEvent(payload).step)).toBe(1);
  });
});

describe('EventFileLoader on a file changed under its name', () => {
  /** A file of `steps` whose first record's wall time tells one writer's file from another's. */
  function eventBytes(wallTime: number, steps: number[]): Buffer {
    return Buffer.concat([fileVersion(wallTime), ...scalars('loss', steps)].map(record));
  }

  /** Reads `path` once, then lets `change` act on it, and returns what the next read throws. */
  async function changeAfterRead(path: string, change: () => void) {
    const loader = new EventFileLoader(path, 64);
    await readSteps(loader);
    change();
    const seen: number[] = [];
    const error = await loader.readNew((framed) => seen.push(framed.offset)).catch((e) => e);
    return { loader, error, seen };
  }

  it('throws FileChangedError, reading nothing, when another file is renamed onto it', async () => {
    const path = fileOf(eventBytes(1, [0, 1, 2]));
    const { error, seen } = await changeAfterRead(path, () => {
      writeFileSync(`${path}.tmp`, eventBytes(2, range(0, 40)));
      renameSync(`${path}.tmp`, path);
    });
    expect(error).toBeInstanceOf(FileChangedError);
    expect(error.path).toBe(path);
    expect(error.reason).toMatch(/^its inode is \d+:\d+, not \d+:\d+, and its first \d+ bytes/);
    expect(seen).toEqual([]);
  });

  it('throws FileChangedError when the file is cut below the offset read', async () => {
    const bytes = eventBytes(1, range(0, 20));
    const path = fileOf(bytes);
    const half = Math.floor(bytes.length / 2);
    const { error } = await changeAfterRead(path, () => truncateSync(path, half));
    expect(error).toBeInstanceOf(FileChangedError);
    expect(error.reason).toBe(
      `it holds ${half} bytes, fewer than the ${bytes.length} already read`,
    );
  });

  it.each([
    ['shorter', [0, 1]],
    ['longer', range(0, 40)],
  ])('throws FileChangedError when the file is rewritten in place, %s', async (_, steps) => {
    const path = fileOf(eventBytes(1, range(0, 10)));
    const before = statSync(path).ino;
    const { error } = await changeAfterRead(path, () => writeFileSync(path, eventBytes(2, steps)));
    expect(statSync(path).ino).toBe(before);
    expect(error).toBeInstanceOf(FileChangedError);
  });

  it('reads on from its offset a copy of the same bytes renamed onto it, as rsync leaves one', async () => {
    const path = fileOf(eventBytes(1, [0, 1, 2]));
    const loader = new EventFileLoader(path);
    // The file_version event has no step: it reads as step 0.
    expect(await readSteps(loader)).toEqual([0, 0, 1, 2]);
    copyFileSync(path, `${path}.tmp`);
    appendFileSync(`${path}.tmp`, Buffer.concat(scalars('loss', [3, 4]).map(record)));
    renameSync(`${path}.tmp`, path);
    expect(await readSteps(loader)).toEqual([3, 4]);
    appendFileSync(path, Buffer.concat(scalars('loss', [5]).map(record)));
    expect(await readSteps(loader)).toEqual([5]);
  });

  it('notices the replacement of a file it stopped reading at data loss', async () => {
    const [a, b] = scalars('loss', [0, 1]).map(record);
    const bad = Buffer.from(b);
    bad[bad.length - 6] ^= 1;
    const path = fileOf(record(fileVersion(1)), a, bad);
    const loader = new EventFileLoader(path);
    await expect(readSteps(loader)).rejects.toBeInstanceOf(DataLossError);
    writeFileSync(`${path}.tmp`, eventBytes(2, [0, 1]));
    renameSync(`${path}.tmp`, path);
    await expect(readSteps(loader)).rejects.toBeInstanceOf(FileChangedError);
  });

  it.each([
    ['cut short', (path: string) => truncateSync(path, 30)],
    ['deleted', (path: string) => rmSync(path)],
    ['replaced', (path: string) => writeFileSync(path, eventBytes(2, range(0, 9)))],
    [
      'changed inside the record',
      (path: string) => {
        const bytes = readFileSync(path);
        bytes[bytes.length - 10] ^= 1;
        writeFileSync(path, bytes);
      },
    ],
  ])(
    'refuses to reread a record from a file %s since, with FileChangedError',
    async (_, change) => {
      const path = fileOf(eventBytes(1, range(0, 8)));
      const loader = new EventFileLoader(path);
      const offsets: [number, number][] = [];
      await loader.readNew((framed) => offsets.push([framed.offset, framed.next - framed.offset]));
      change(path);
      const [offset, length] = offsets[offsets.length - 1];
      const error = await loader.readRecordAgain(offset, length).catch((e) => e);
      expect(error).toBeInstanceOf(FileChangedError);
      expect(error.message).toMatch(new RegExp(`^${path}.* changed since it was read: `));
    },
  );
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
