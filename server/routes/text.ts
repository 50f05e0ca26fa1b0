/** The text route: each kept step's strings with their tensor shape. */
import { Router } from 'express';
import type { LogdirReader } from '../model.js';
import { queryOf, runParam, tagParam } from '../params.js';
import { requireSeries, sendJson } from '../respond.js';

export function textRoutes(reader: LogdirReader): Router {
  const router = Router();

  router.get('/text', function listText(req, res) {
    const query = queryOf(req);
    const run = runParam(query);
    const tag = tagParam(query);
    const series = requireSeries(reader, 'text', run, tag, (r, t) => reader.text(r, t));
    const entries = series.entries.map(({ step, wallTime, segment, shape, values }) => ({
      step,
      wallTime,
      segment,
      shape,
      values,
    }));
    sendJson(res, { run, tag, total: series.total, entries });
  });

  return router;
}
