/**
 * `lensboard export`: every value of a logdir (no sampling) as one JSON
 * document, or its scalars as CSV. Non-finite numbers are the strings
 * "NaN", "Infinity" and "-Infinity", so the JSON stays strict; -0 keeps its
 * sign in both, so float32 values round-trip bit for bit.
 */
import { LogdirLoader } from './logdir-loader.js';
import type { LoadLogger } from './run-loader.js';
import type { TagKind } from './model.js';

export interface ExportOptions {
  format: 'json' | 'csv';
  /** Hide values a restart superseded (default true, as in TensorBoard). */
  purgeOrphanedData?: boolean;
  logger?: LoadLogger;
}

type JsonNumber = number | 'NaN' | 'Infinity' | '-Infinity';

const KEEP_ALL: Record<TagKind, number> = {
  scalars: Infinity,
  images: Infinity,
  histograms: Infinity,
  text: Infinity,
  tensors: Infinity,
  other: Infinity,
};

/** Loads `logdir` once, keeping every value, and renders it in `options.format`. */
export async function exportLogdir(logdir: string, options: ExportOptions): Promise<string> {
  if (options.format !== 'json' && options.format !== 'csv') {
    throw new RangeError(
      `invalid export format: ${JSON.stringify(options.format)}, want json or csv`,
    );
  }
  const loader = new LogdirLoader(logdir, {
    capacity: KEEP_ALL,
    purgeOrphanedData: options.purgeOrphanedData,
    logger: options.logger,
  });
  await loader.reloadOnce();
  await loader.close();
  return options.format === 'json' ? toJson(exportDocument(loader)) : exportCsv(loader);
}

/** The export document of a loaded logdir (see `exportLogdir`). */
export function exportDocument(loader: LogdirLoader) {
  const runs: Record<string, ReturnType<typeof exportRun>> = {};
  const warnings = [...loader.warnings()];
  for (const run of loader.runs()) {
    runs[run.name] = exportRun(loader, run.name);
    warnings.push(...run.warnings.map((warning) => `${run.name}: ${warning}`));
  }
  return { runs, warnings };
}

function exportRun(loader: LogdirLoader, run: string) {
  const out = {
    scalars: {} as Record<string, [number, JsonNumber, JsonNumber][]>,
    images: {} as Record<string, object[]>,
    histograms: {} as Record<string, object[]>,
    text: {} as Record<string, object[]>,
    tensors: {} as Record<string, object[]>,
  };
  for (const { tag, kind } of loader.tags(run) ?? []) {
    if (kind === 'scalars') out.scalars[tag] = scalarRows(loader, run, tag);
    if (kind === 'images') out.images[tag] = imageRows(loader, run, tag);
    if (kind === 'histograms') out.histograms[tag] = histogramRows(loader, run, tag);
    if (kind === 'text') out.text[tag] = textRows(loader, run, tag);
    if (kind === 'tensors' || kind === 'other') out.tensors[tag] = tensorRows(loader, run, tag);
  }
  return out;
}

function scalarRows(loader: LogdirLoader, run: string, tag: string) {
  const entries = loader.scalars(run, tag)?.entries ?? [];
  return entries.map(
    ({ step, wallTime, value }) =>
      [step, num(wallTime), num(value)] as [number, JsonNumber, JsonNumber],
  );
}

function imageRows(loader: LogdirLoader, run: string, tag: string) {
  return (loader.images(run, tag)?.entries ?? []).map((entry) => ({
    step: entry.step,
    wall_time: num(entry.wallTime),
    width: entry.width,
    height: entry.height,
    count: entry.count,
  }));
}

function histogramRows(loader: LogdirLoader, run: string, tag: string) {
  return (loader.histograms(run, tag)?.entries ?? []).map((entry) => ({
    step: entry.step,
    wall_time: num(entry.wallTime),
    buckets: entry.buckets.map((row) => row.map(num)),
  }));
}

function textRows(loader: LogdirLoader, run: string, tag: string) {
  return (loader.text(run, tag)?.entries ?? []).map((entry) => ({
    step: entry.step,
    wall_time: num(entry.wallTime),
    // `values` stays the flat row-major list; `shape` says how to fold it.
    shape: entry.shape,
    values: entry.values,
  }));
}

function tensorRows(loader: LogdirLoader, run: string, tag: string) {
  return (loader.tensors(run, tag)?.entries ?? []).map((entry) => ({
    step: entry.step,
    wall_time: num(entry.wallTime),
    dtype: entry.dtype,
    shape: entry.shape,
  }));
}

/** A number as strict JSON allows it: finite as is, the rest as their names. */
export function num(value: number): JsonNumber {
  if (Number.isFinite(value)) return value;
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}

/** JSON.stringify, except that -0 stays -0: float32 values round-trip bit for bit. */
export function toJson(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const fields = Object.entries(value).map(
      ([key, item]) => `${JSON.stringify(key)}:${toJson(item)}`,
    );
    return `{${fields.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Scalars as `run,tag,step,wall_time,value` rows under that header. */
function exportCsv(loader: LogdirLoader): string {
  const lines = ['run,tag,step,wall_time,value'];
  for (const run of loader.runs()) {
    for (const { tag, kind } of loader.tags(run.name) ?? []) {
      if (kind !== 'scalars') continue;
      for (const point of loader.scalars(run.name, tag)?.entries ?? []) {
        const numbers = [point.step, point.wallTime, point.value].map(csvNumber);
        lines.push([run.name, tag, ...numbers].map(csvField).join(','));
      }
    }
  }
  return lines.join('\n') + '\n';
}

/** A number as CSV spells it: `num`'s names for non-finite ones, and -0 with its sign. */
function csvNumber(value: number): string {
  return Object.is(value, -0) ? '-0' : String(num(value));
}

/** RFC 4180 quoting: a field with a comma, quote or line break is quoted, quotes doubled. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
