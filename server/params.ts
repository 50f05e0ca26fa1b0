/**
 * Validation of query parameters. Each parameter appears at most once and has
 * one meaning; anything else is a 400 that names the parameter and shows the
 * value received. Run and tag are only ever looked up in the reader's index,
 * so they need no path checks here: they never reach the filesystem.
 */
import type { Request } from 'express';
import { HttpError } from './http-error.js';
import type { PayloadAt } from './model.js';

export type TensorFormat = 'binary' | 'json';

const INTEGER = /^-?\d+$/;
const NON_NEGATIVE_INTEGER = /^\d+$/;

/** The request's query string, parsed without Express's nested-object parser. */
export function queryOf(req: Request): URLSearchParams {
  const url = req.originalUrl;
  const mark = url.indexOf('?');
  return new URLSearchParams(mark < 0 ? '' : url.slice(mark + 1));
}

/** A parameter given at most once; repeated parameters are ambiguous and refused. */
export function optionalParam(query: URLSearchParams, name: string): string | undefined {
  const values = query.getAll(name);
  if (values.length > 1) {
    throw HttpError.badRequest(
      `repeated parameter: ${name} (given ${values.length} times, want once)`,
    );
  }
  return values[0];
}

export function requiredParam(query: URLSearchParams, name: string): string {
  const value = optionalParam(query, name);
  if (value === undefined) throw HttpError.badRequest(`missing parameter: ${name}`);
  return value;
}

/** A run name: a path relative to the logdir, so it can never hold a NUL byte. */
export function runParam(query: URLSearchParams): string {
  const run = requiredParam(query, 'run');
  if (run.includes('\0')) throw invalid('run', run, 'a run name never holds a NUL byte');
  return run;
}

/** A tag is any string a writer chose; it is only compared with the index's tags. */
export function tagParam(query: URLSearchParams): string {
  return requiredParam(query, 'tag');
}

export function stepParam(query: URLSearchParams): number {
  const text = requiredParam(query, 'step');
  const step = INTEGER.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(step)) {
    throw invalid('step', text, 'want an integer in the safe-integer range');
  }
  return step;
}

/**
 * Which value of a tag a payload request means: `id=N` (an entry's id) or
 * `step=S` (the newest value at that step), exactly one of the two.
 */
export function payloadAtParam(query: URLSearchParams): PayloadAt {
  const id = optionalParam(query, 'id');
  const step = optionalParam(query, 'step');
  if (id !== undefined && step !== undefined) {
    throw HttpError.badRequest(
      `conflicting parameters: id=${quote(id)} and step=${quote(step)} (want one of id, step)`,
    );
  }
  if (id !== undefined) return { id: idParam(id) };
  if (step !== undefined) return { step: stepParam(query) };
  throw HttpError.badRequest('missing parameter: id or step (want one of them)');
}

function idParam(text: string): number {
  const id = NON_NEGATIVE_INTEGER.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(id)) throw invalid('id', text, 'want a non-negative integer');
  return id;
}

/** `at` as messages name it: "id 3" or "step 120". */
export function describeAt(at: PayloadAt): string {
  return 'id' in at ? `id ${at.id}` : `step ${at.step}`;
}

export function indexParam(query: URLSearchParams): number {
  const text = requiredParam(query, 'index');
  const index = NON_NEGATIVE_INTEGER.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(index)) {
    throw invalid('index', text, 'want a non-negative integer');
  }
  return index;
}

/** `format` of a tensor: little-endian float32 bytes unless `json` is asked for. */
export function formatParam(query: URLSearchParams): TensorFormat {
  const format = optionalParam(query, 'format') ?? 'binary';
  if (format !== 'binary' && format !== 'json') {
    throw invalid('format', format, 'want "json" or "binary"');
  }
  return format;
}

function invalid(name: string, value: string, want: string): HttpError {
  return HttpError.badRequest(`invalid ${name}: ${quote(value)} (${want})`);
}

/** A value as it appears in messages: JSON-quoted so control bytes show, and cut when long. */
export function quote(value: string): string {
  const limit = 120;
  const shown = value.length > limit ? `${value.slice(0, limit)}…` : value;
  return JSON.stringify(shown);
}
