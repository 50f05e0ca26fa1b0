/**
 * Raw tensor routes: the kept tensor events of a tag with lensboard's
 * metadata, and one value's numbers, addressed by id or by step. Values go
 * out as little-endian float32 bytes with the shape in headers, or as strict
 * JSON with `format=json`.
 */
import { endianness } from 'node:os';
import { Router, type Response } from 'express';
import { HttpError } from '../http-error.js';
import type { LoadedTensor, LogdirReader, TensorEntry } from '../model.js';
import {
  describeAt,
  formatParam,
  payloadAtParam,
  queryOf,
  quote,
  runParam,
  tagParam,
} from '../params.js';
import { readPayload, requireSeries, sendJson } from '../respond.js';

export function tensorsRoutes(reader: LogdirReader): Router {
  const router = Router();

  router.get('/tensors', function listTensors(req, res) {
    const query = queryOf(req);
    const run = runParam(query);
    const tag = tagParam(query);
    const series = requireSeries(reader, 'tensors', run, tag, (r, t) => reader.tensors(r, t));
    const metadata = reader.tags(run)?.find((info) => info.tag === tag)?.metadata ?? null;
    const entries = series.entries.map(listed);
    sendJson(res, { run, tag, total: series.total, metadata, entries });
  });

  router.get('/tensor', async function readTensor(req, res) {
    const query = queryOf(req);
    const run = runParam(query);
    const tag = tagParam(query);
    const at = payloadAtParam(query);
    const format = formatParam(query);
    requireSeries(reader, 'tensors', run, tag, (r, t) => reader.tensors(r, t));

    const tensor = await readPayload(() => reader.readTensor(run, tag, at), run, tag, at);
    if (tensor === undefined) {
      throw HttpError.notFound(
        `no tensor at ${describeAt(at)} of tag ${quote(tag)} in run ${quote(run)}`,
      );
    }
    if (format === 'json') sendTensorJson(res, tensor);
    else sendTensorBytes(res, tensor);
  });

  return router;
}

/** An entry as the list sends it: the contract's fields only, `description` when present. */
function listed(entry: TensorEntry) {
  const { id, step, wallTime, segment, dtype, shape, description } = entry;
  const fields = { id, step, wallTime, segment, dtype, shape };
  return description === undefined ? fields : { ...fields, description };
}

function sendTensorJson(res: Response, tensor: LoadedTensor): void {
  const { step, wallTime, dtype, shape, values } = tensor;
  sendJson(res, { step, wallTime, dtype, shape, values });
}

/** `X-Tensor-Shape` is the dimensions joined by commas; empty for a rank-0 tensor. */
function sendTensorBytes(res: Response, tensor: LoadedTensor): void {
  res.status(200);
  res.type('application/octet-stream');
  res.set({
    'Cache-Control': 'no-cache',
    'X-Tensor-Shape': tensor.shape.join(','),
    'X-Tensor-Dtype': tensor.dtype,
    'X-Step': String(tensor.step),
    'X-Wall-Time': String(tensor.wallTime),
  });
  res.send(littleEndianBytes(tensor.values));
}

/** The wire format is little-endian whatever the host; a big-endian host swaps bytes. */
export function littleEndianBytes(values: Float32Array): Buffer {
  if (endianness() === 'LE')
    return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((value, i) => bytes.writeFloatLE(value, i * 4));
  return bytes;
}
