/** Routes that list what a logdir holds: runs with their jobs, and each run's tags. */
import { Router } from 'express';
import type { LogdirReader } from '../model.js';
import { queryOf, runParam } from '../params.js';
import { requireRun, sendJson } from '../respond.js';

export function runsRoutes(reader: LogdirReader): Router {
  const router = Router();

  router.get('/runs', function listRuns(_req, res) {
    sendJson(res, {
      loading: reader.loading,
      runs: reader.runs(),
      jobs: reader.jobs(),
      warnings: reader.warnings(),
    });
  });

  router.get('/tags', function listTags(req, res) {
    const run = runParam(queryOf(req));
    sendJson(res, { run, tags: requireRun(reader, run) });
  });

  return router;
}
