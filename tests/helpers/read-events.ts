/**
 * Test helpers for the writer: read an event file back through the same
 * framing and codecs a reader uses, and run writer code in a child process.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeEvent, toSafeNumber, type Event, type TensorProto } from '../../proto/index.js';
import { readRecord } from '../../writer/record.js';

export const WRITER_ENTRY = fileURLToPath(new URL('../../writer/index.ts', import.meta.url));

/**
 * Every event of a file. A file that ends inside a record throws, unless
 * `allowCutTail` is set: then the events before the cut are returned.
 */
export function readEvents(file: string, { allowCutTail = false } = {}): Event[] {
  const bytes = readFileSync(file);
  const events: Event[] = [];
  let at = 0;
  while (at < bytes.length) {
    const result = readRecord(bytes, at, file);
    if (result.kind === 'truncated' && allowCutTail) break;
    if (result.kind === 'truncated') throw new Error(`${file} ends inside a record at ${at}`);
    events.push(decodeEvent(result.record.payload));
    at = result.record.next;
  }
  return events;
}

/** The only event file in a directory. */
export function onlyEventFile(dir: string): string {
  const names = readdirSync(dir).filter((name) => name.includes('tfevents'));
  if (names.length !== 1) throw new Error(`want one event file in ${dir}, got ${names.join(', ')}`);
  return join(dir, names[0]);
}

/** The summary events of a file (every event after the file_version one). */
export function readSummaries(file: string): Event[] {
  return readEvents(file).filter((event) => event.summary);
}

export function stepOf(event: Event): number {
  return toSafeNumber(event.step);
}

/** The float32 values of a tensor, from `tensor_content` or `float_val`. */
export function floatsOf(tensor: TensorProto): Float32Array {
  if (tensor.tensorContent && tensor.tensorContent.length > 0) {
    return new Float32Array(copyBuffer(tensor.tensorContent));
  }
  return Float32Array.from(tensor.floatVal ?? []);
}

/** The float64 values of a tensor's `tensor_content`. */
export function doublesOf(tensor: TensorProto): Float64Array {
  return new Float64Array(copyBuffer(tensor.tensorContent ?? new Uint8Array()));
}

export function shapeOf(tensor: TensorProto): number[] {
  return (tensor.tensorShape?.dim ?? []).map((dim) => toSafeNumber(dim.size));
}

/** A copy in a buffer of its own (decoded bytes are Buffers that share a pool). */
function copyBuffer(bytes: Uint8Array): ArrayBuffer {
  return new Uint8Array(bytes).buffer;
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `body` as an ES module in a fresh Node process where the writer's
 * exports are in scope as `lb`. `fileSizeLimitKiB` caps the size of any file
 * the child writes (RLIMIT_FSIZE), the way a full disk refuses writes.
 */
export function runChild(
  body: string,
  options: {
    nodeArgs?: string[];
    fileSizeLimitKiB?: number;
    /** Called with each chunk of the child's stdout, and a way to signal it. */
    onStdout?: (text: string, signal: (name: NodeJS.Signals) => void) => void;
  } = {},
): Promise<ChildResult> {
  const source = `import * as lb from ${JSON.stringify(WRITER_ENTRY)};\n${body}`;
  const args = [
    ...(options.nodeArgs ?? []),
    '--import',
    'tsx',
    '--input-type=module',
    '-e',
    source,
  ];
  const [command, commandArgs] =
    options.fileSizeLimitKiB === undefined
      ? [process.execPath, args]
      : [
          '/bin/sh',
          [
            '-c',
            `ulimit -f ${options.fileSizeLimitKiB} && exec "$0" "$@"`,
            process.execPath,
            ...args,
          ],
        ];
  return new Promise((resolve) => {
    const child = execFile(command, commandArgs, (_error, stdout, stderr) => {
      resolve({ code: child.exitCode, signal: child.signalCode, stdout, stderr });
    });
    child.stdout?.on('data', (chunk: Buffer | string) =>
      options.onStdout?.(String(chunk), (name) => child.kill(name)),
    );
  });
}
