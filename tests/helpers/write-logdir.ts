/**
 * Logdirs for server tests, written with lensboard's own SummaryWriter so the
 * HTTP layer is checked against the files real training scripts produce.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SummaryWriter, type SummaryWriterOptions } from '../../writer/index.js';

export function tempLogdir(prefix = 'lensboard-http-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Opens a writer for `run` under `logdir`, lets `write` log into it, and closes it. */
export async function writeRun(
  logdir: string,
  run: string,
  write: (writer: SummaryWriter) => void,
  options: SummaryWriterOptions = {},
): Promise<SummaryWriter> {
  const writer = new SummaryWriter(join(logdir, run), options);
  write(writer);
  await writer.close();
  return writer;
}

/** A `width` x `height` grey RGB image whose shade encodes `seed`, so images differ by step. */
export function greyImage(width: number, height: number, seed: number) {
  const data = new Uint8Array(width * height * 3).fill(seed % 256);
  return { data, width, height, channels: 3 as const };
}
