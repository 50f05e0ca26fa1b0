/**
 * Reads back what the tfjs adapter wrote, for its tests: every record of a
 * run directory's event files, decoded, with raw tensors as float32 and the
 * lensboard metadata remembered per tag as a reader would.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  decodeEvent,
  decodeTensorMetadata,
  toSafeNumber,
  type SummaryValue,
  type TensorMetadata,
} from '../proto/index.js';
import { readRecord } from '../writer/record.js';

export interface LoggedValue {
  step: number;
  tag: string;
  value: SummaryValue;
}

export function readRun(runDir: string): LoggedValue[] {
  const files = readdirSync(runDir)
    .filter((name) => name.includes('tfevents'))
    .sort();
  return files.flatMap((name) => readEventFile(join(runDir, name)));
}

/** Decodes every record; throws on any framing or decoding failure, or trailing bytes. */
export function readEventFile(file: string): LoggedValue[] {
  const bytes = new Uint8Array(readFileSync(file));
  const values: LoggedValue[] = [];
  let at = 0;
  while (at < bytes.length) {
    const result = readRecord(bytes, at, file);
    if (result.kind === 'truncated') throw new Error(`${file} ends inside a record at ${at}`);
    const event = decodeEvent(result.record.payload);
    for (const value of event.summary?.value ?? []) {
      values.push({ step: toSafeNumber(event.step), tag: value.tag ?? '', value });
    }
    at = result.record.next;
  }
  return values;
}

export function tagsOf(values: LoggedValue[]): Set<string> {
  return new Set(values.map((value) => value.tag));
}

export function valuesOf(values: LoggedValue[], tag: string, step?: number): LoggedValue[] {
  return values.filter((value) => value.tag === tag && (step === undefined || value.step === step));
}

/** The one value of `tag` at `step`; throws when there is not exactly one. */
export function only(values: LoggedValue[], tag: string, step: number): SummaryValue {
  const found = valuesOf(values, tag, step);
  if (found.length !== 1)
    throw new Error(`want one value of ${tag} at step ${step}, got ${found.length}`);
  return found[0].value;
}

export function floatsOf(value: SummaryValue): number[] {
  const content = value.tensor?.tensorContent;
  if (!content || content.length === 0) return value.tensor?.floatVal ?? [];
  const copy = content.slice();
  return Array.from(new Float32Array(copy.buffer, copy.byteOffset, copy.length / 4));
}

export function shapeOf(value: SummaryValue): number[] {
  return (value.tensor?.tensorShape?.dim ?? []).map((dim) => toSafeNumber(dim.size));
}

/** The lensboard metadata of `tag`: from its first value, where the writer puts it. */
export function metadataOf(values: LoggedValue[], tag: string): TensorMetadata {
  const first = values.find((value) => value.tag === tag && value.value.metadata?.pluginData);
  const content = first?.value.metadata?.pluginData?.content;
  if (!content) throw new Error(`no lensboard metadata for ${tag}`);
  return decodeTensorMetadata(content);
}

/** Width, height and PNG bytes of an image value (TensorBoard's `[w, h, png...]` form). */
export function imagesOf(value: SummaryValue): {
  width: number;
  height: number;
  pngs: Uint8Array[];
} {
  const [width, height, ...pngs] = value.tensor?.stringVal ?? [];
  const text = (bytes: Uint8Array) => Number(new TextDecoder().decode(bytes));
  return { width: text(width), height: text(height), pngs };
}

export function descriptionOf(values: LoggedValue[], tag: string): string {
  const withMetadata = values.filter((value) => value.tag === tag && value.value.metadata);
  return withMetadata.at(-1)?.value.metadata?.summaryDescription ?? '';
}
