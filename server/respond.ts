/**
 * Shared pieces of every route: strict JSON responses and the lookups that
 * turn an unknown run or tag into a 404. Payloads are found only through the
 * reader's index by (run, tag), never through a path from the request.
 */
import type { Response } from 'express';
import { HttpError } from './http-error.js';
import {
  FileChangedError,
  type LogdirReader,
  type PayloadAt,
  type TagInfo,
  type TagKind,
} from './model.js';
import { describeAt, quote } from './params.js';
import { toStrictJson } from './json.js';

export function sendJson(res: Response, body: unknown, status = 200): void {
  res.status(status).type('application/json; charset=utf-8').send(toStrictJson(body));
}

/** The tags of `run`, or a 404 naming it. */
export function requireRun(reader: LogdirReader, run: string): TagInfo[] {
  const tags = reader.tags(run);
  if (tags === undefined) throw HttpError.notFound(`unknown run: ${quote(run)}`);
  return tags;
}

/**
 * The series of (run, tag) of one kind, or a 404 that says what is wrong: the
 * run is unknown, the tag is unknown, or the tag holds another kind of data.
 */
export function requireSeries<S>(
  reader: LogdirReader,
  kind: TagKind,
  run: string,
  tag: string,
  lookup: (run: string, tag: string) => S | undefined,
): S {
  const tags = requireRun(reader, run);
  const series = lookup(run, tag);
  if (series !== undefined) return series;
  const other = tags.find((info) => info.tag === tag);
  const where = `${quote(tag)} in run ${quote(run)}`;
  if (other === undefined) throw HttpError.notFound(`unknown tag: ${where}`);
  throw HttpError.notFound(`tag ${where} holds ${other.kind}, not ${kind}`);
}

/**
 * Runs a payload read. An event file that changed since it was indexed
 * (replaced, cut short, rewritten or deleted) makes the listing the client
 * holds out of date, not the server faulty: a 409 naming what was asked,
 * while the reader reads the file again. Any other failure is a fault: a
 * 500. Either way the cause, which names server paths, stays in the log.
 */
export async function readPayload<T>(
  read: () => Promise<T>,
  run: string,
  tag: string,
  at: PayloadAt,
): Promise<T> {
  try {
    return await read();
  } catch (error) {
    const where = `${describeAt(at)} of tag ${quote(tag)} in run ${quote(run)}`;
    if (error instanceof FileChangedError) {
      const message =
        `could not read ${where}: its event file changed since it was listed ` +
        '(replaced, cut short or rewritten) and is being read again; list the tag again';
      throw new HttpError(409, message, { cause: error });
    }
    throw new HttpError(500, `could not read ${where}`, { cause: error });
  }
}
