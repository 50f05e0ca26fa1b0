/**
 * Raw tensor routes: the kept tensor events of a tag with lensboard's
 * metadata, and one step's values. Values go out as little-endian float32
 * bytes with the shape in headers, or as strict JSON with `format=json`.
 */
import { endianness } from 'node:os';
import { Router, type Response } from 'express';
import { HttpError } from '../http-error.js';
import type { LoadedTensor, LogdirReader } from '../model.js';
import { formatParam, queryOf, quote, runParam, stepParam, tagParam } from '../params.js';
import { readPayload, requireSeries, sendJson } from '../respond.js';

export function tensorsRoutes(reader: LogdirReader): Router {
  const router = Router();

  router.get('/tensors', function listTensors(req, res) {
    const query = queryOf(req);
    const run = runParam(query);
    const tag = tagParam(query);
    const series = requireSeries(reader, 'tensors', run, tag, (r, t) => reader.tensors(r, t));
    const metadata = reader.tags(run)?.find((info) => info.tag === tag)?.metadata ?? null;
    const entries = series.entries.map(({ step, wallTime, segment, dtype, shape }) => ({
      step,
      wallTime,
      segment,
      dtype,
      shape,
    }));
    sendJson(res, { run, tag, total: series.total, metadata, entries });
  });

  router.get('/tensor', async function readTensor(req, res) {
    const query = queryOf(req);
    const run = runParam(query);
    const tag = tagParam(query);
    const step = stepParam(query);
    const format = formatParam(query);
    requireSeries(reader, 'tensors', run, tag, (r, t) => reader.tensors(r, t));

    const tensor = await readPayload(() => reader.readTensor(run, tag, step), run, tag, step);
    if (tensor === undefined) {
      throw HttpError.notFound(
        `no tensor at step ${step} of tag ${quote(tag)} in run ${quote(run)}`,
      );
    }
    if (format === 'json') sendTensorJson(res, tensor);
    else sendTensorBytes(res, tensor);
  });

  return router;
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
