/**
 * Builders for event files in loader tests: framed records of Event protos,
 * written without the project's SummaryWriter so loader tests exercise the
 * wire format directly, byte by byte where a test needs to cut or corrupt.
 */
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  DataClass,
  DataType,
  encodeEvent,
  SessionStatus,
  type Event,
  type SummaryValue,
} from '../../proto/index.js';
import { encodeRecord } from '../../writer/record.js';

export function tempLogdir(prefix = 'lensboard-load-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function record(event: Event): Buffer {
  return encodeRecord(encodeEvent(event));
}

export function records(events: Event[]): Buffer {
  return Buffer.concat(events.map(record));
}

/** Writes (or appends) framed events to `path`, creating its directory. */
export function writeEvents(path: string, events: Event[], append = false): void {
  mkdirSync(dirname(path), { recursive: true });
  (append ? appendFileSync : writeFileSync)(path, records(events));
}

export function fileVersion(wallTime = 1, version = 'brain.Event:2'): Event {
  return { wallTime, fileVersion: version };
}

export function sessionStart(step: number, wallTime = 1): Event {
  return { wallTime, step, sessionLog: { status: SessionStatus.START } };
}

export function scalarValue(tag: string, value: number): SummaryValue {
  return {
    tag,
    metadata: { pluginData: { pluginName: 'scalars' }, dataClass: DataClass.SCALAR },
    tensor: { dtype: DataType.FLOAT, tensorShape: {}, floatVal: [value] },
  };
}

export function scalar(tag: string, step: number, value: number, wallTime = 1000 + step): Event {
  return { wallTime, step, summary: { value: [scalarValue(tag, value)] } };
}

/** Scalar events for `steps`, value = step / 10. */
export function scalars(tag: string, steps: number[], wallTime0 = 1000): Event[] {
  return steps.map((step) => scalar(tag, step, step / 10, wallTime0 + step));
}

export function textEvent(tag: string, step: number, text: string): Event {
  const value: SummaryValue = {
    tag,
    metadata: { pluginData: { pluginName: 'text' }, dataClass: DataClass.TENSOR },
    tensor: {
      dtype: DataType.STRING,
      tensorShape: {},
      stringVal: [new TextEncoder().encode(text)],
    },
  };
  return { wallTime: 1000 + step, step, summary: { value: [value] } };
}

/** An image event holding `pngs` (any bytes stand in for PNG here) of one size. */
export function imageEvent(tag: string, step: number, pngs: Uint8Array[], width = 2, height = 2) {
  const encoder = new TextEncoder();
  const value: SummaryValue = {
    tag,
    metadata: { pluginData: { pluginName: 'images' }, dataClass: DataClass.BLOB_SEQUENCE },
    tensor: {
      dtype: DataType.STRING,
      tensorShape: { dim: [{ size: pngs.length + 2 }] },
      stringVal: [encoder.encode(String(width)), encoder.encode(String(height)), ...pngs],
    },
  };
  return { wallTime: 1000 + step, step, summary: { value: [value] } } satisfies Event;
}

export function histogramEvent(tag: string, step: number, rows: [number, number, number][]) {
  const value: SummaryValue = {
    tag,
    metadata: { pluginData: { pluginName: 'histograms' }, dataClass: DataClass.TENSOR },
    tensor: {
      dtype: DataType.DOUBLE,
      tensorShape: { dim: [{ size: rows.length }, { size: 3 }] },
      doubleVal: rows.flat(),
    },
  };
  return { wallTime: 1000 + step, step, summary: { value: [value] } } satisfies Event;
}

/** A raw float32 tensor under lensboard's plugin, stored as tensor_content. */
export function tensorEvent(tag: string, step: number, shape: number[], values: number[]) {
  const content = new Uint8Array(new Float32Array(values).buffer);
  const value: SummaryValue = {
    tag,
    metadata: { pluginData: { pluginName: 'lensboard' }, dataClass: DataClass.TENSOR },
    tensor: {
      dtype: DataType.FLOAT,
      tensorShape: { dim: shape.map((size) => ({ size })) },
      tensorContent: content,
    },
  };
  return { wallTime: 1000 + step, step, summary: { value: [value] } } satisfies Event;
}

/** A logger that records lines by level, for asserting on what was reported. */
export function captureLogger() {
  const lines = { warn: [] as string[], info: [] as string[], debug: [] as string[] };
  return {
    lines,
    warn: (message: string) => lines.warn.push(message),
    info: (message: string) => lines.info.push(message),
    debug: (message: string) => lines.debug.push(message),
  };
}

export const EVENTS_FILE = 'events.out.tfevents.1700000000.test-host.1.0';
