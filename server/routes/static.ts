/**
 * The built viewer as static files, with `index.html` at `/`. The build
 * output lives at `dist/plugin-frontend/` under the package root, which is
 * found from this module's own location so that the same code works run from
 * `server/` (tsx) and from `dist/server/` (compiled).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

/** The nearest directory above this module whose package.json names lensboard. */
export function packageRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (isLensboardPackage(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no lensboard package.json above ${from}`);
  }
}

export function defaultStaticDir(): string {
  return join(packageRoot(), 'dist', 'plugin-frontend');
}

export function staticRoutes(staticDir: string): Router {
  const router = Router();
  router.use(express.static(staticDir, { index: 'index.html', dotfiles: 'ignore' }));

  // Reached only while the build has no index.html: express.static looks on
  // every request, so a build made while the server runs is picked up.
  router.get('/', function viewerNotBuilt(_req, res) {
    res.status(503).type('text/plain; charset=utf-8');
    res.send(
      `lensboard's viewer is not built: ${join(staticDir, 'index.html')} does not exist.\n` +
        `Run \`npm run build\` in ${safeRoot()} and reload this page. ` +
        'The JSON API under /api/ works without it.\n',
    );
  });
  return router;
}

function isLensboardPackage(path: string): boolean {
  if (!existsSync(path)) return false;
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown }).name === 'lensboard';
  } catch {
    return false;
  }
}

function safeRoot(): string {
  try {
    return packageRoot();
  } catch {
    return 'the lensboard package';
  }
}
