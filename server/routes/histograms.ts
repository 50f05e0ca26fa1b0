/** The histogram route: bucket rows `[left, right, count]` per kept step. */
import { Router } from 'express';
import type { LogdirReader } from '../model.js';
import { queryOf, runParam, tagParam } from '../params.js';
import { requireSeries, sendJson } from '../respond.js';

export function histogramsRoutes(reader: LogdirReader): Router {
  const router = Router();

  router.get('/histograms', function listHistograms(req, res) {
    const query = queryOf(req);
    const run = runParam(query);
    const tag = tagParam(query);
    const series = requireSeries(reader, 'histograms', run, tag, (r, t) => reader.histograms(r, t));
    const entries = series.entries.map(({ step, wallTime, segment, buckets }) => ({
      step,
      wallTime,
      segment,
      buckets,
    }));
    sendJson(res, { run, tag, total: series.total, entries });
  });

  return router;
}
