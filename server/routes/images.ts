/**
 * Image routes: the kept image events of a tag, and one image's encoded bytes
 * addressed by (run, tag, id, index), or by step for the newest event there.
 * Bytes are read from disk on request through the reader, so a step outside
 * the kept sample is still served where the reader's index reaches it.
 */
import { Router, type Response } from 'express';
import { HttpError } from '../http-error.js';
import type { ImageEntry, LogdirReader, PayloadAt } from '../model.js';
import {
  describeAt,
  indexParam,
  payloadAtParam,
  queryOf,
  quote,
  runParam,
  tagParam,
} from '../params.js';
import { readPayload, requireSeries, sendJson } from '../respond.js';

/** Leading bytes of the encodings TensorBoard's image plugin accepts. */
const SIGNATURES: [string, number[]][] = [
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/gif', [0x47, 0x49, 0x46, 0x38]],
  ['image/bmp', [0x42, 0x4d]],
];

export function imagesRoutes(reader: LogdirReader): Router {
  const router = Router();

  router.get('/images', function listImages(req, res) {
    const query = queryOf(req);
    const run = runParam(query);
    const tag = tagParam(query);
    const series = requireSeries(reader, 'images', run, tag, (r, t) => reader.images(r, t));
    sendJson(res, { run, tag, total: series.total, entries: series.entries.map(listed) });
  });

  router.get('/image', async function readImage(req, res) {
    const query = queryOf(req);
    const run = runParam(query);
    const tag = tagParam(query);
    const at = payloadAtParam(query);
    const index = indexParam(query);
    const series = requireSeries(reader, 'images', run, tag, (r, t) => reader.images(r, t));
    checkIndex(series.entries, at, index);

    const bytes = await readPayload(() => reader.readImage(run, tag, at, index), run, tag, at);
    if (bytes === undefined) {
      const where = `${describeAt(at)} of tag ${quote(tag)} in run ${quote(run)}`;
      throw HttpError.notFound(`no image ${index} at ${where}`);
    }
    sendImage(res, bytes);
  });

  return router;
}

/** An entry as the list sends it: the contract's fields only, `description` when present. */
function listed(entry: ImageEntry) {
  const { id, step, wallTime, segment, width, height, count, description } = entry;
  const fields = { id, step, wallTime, segment, width, height, count };
  return description === undefined ? fields : { ...fields, description };
}

/** A listed event knows how many images it holds; an index past them is a clear 404. */
function checkIndex(entries: ImageEntry[], at: PayloadAt, index: number): void {
  const entry = 'id' in at ? entries.find((e) => e.id === at.id) : newestAt(entries, at.step);
  if (entry !== undefined && index >= entry.count) {
    throw HttpError.notFound(
      `no image ${index} at ${describeAt(at)}: ` +
        `the event holds ${entry.count} (indices 0..${entry.count - 1})`,
    );
  }
}

/** The newest event at a step is the one served, as after a restart. */
function newestAt(entries: ImageEntry[], step: number): ImageEntry | undefined {
  for (let i = entries.length - 1; i >= 0; i--) if (entries[i].step === step) return entries[i];
  return undefined;
}

function sendImage(res: Response, bytes: Uint8Array): void {
  res.status(200);
  res.type(imageType(bytes));
  res.set('Cache-Control', 'no-cache');
  res.send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

/** PNG is what lensboard and TensorBoard write; other encodings are named so browsers draw them. */
export function imageType(bytes: Uint8Array): string {
  const match = SIGNATURES.find(([, head]) => head.every((byte, i) => bytes[i] === byte));
  return match === undefined ? 'application/octet-stream' : match[0];
}
