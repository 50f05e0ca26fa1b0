/**
 * The scalar route: a run's series for one tag as compact
 * `[step, wall_time, value, segment]` rows.
 */
import { Router } from 'express';
import type { LogdirReader } from '../model.js';
import { queryOf, runParam, tagParam } from '../params.js';
import { requireSeries, sendJson } from '../respond.js';

export function scalarsRoutes(reader: LogdirReader): Router {
  const router = Router();

  router.get('/scalars', function listScalars(req, res) {
    const query = queryOf(req);
    const run = runParam(query);
    const tag = tagParam(query);
    const series = requireSeries(reader, 'scalars', run, tag, (r, t) => reader.scalars(r, t));
    const entries = series.entries.map((p) => [p.step, p.wallTime, p.value, p.segment]);
    sendJson(res, { run, tag, total: series.total, entries });
  });

  return router;
}
