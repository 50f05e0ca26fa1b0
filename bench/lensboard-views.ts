/**
 * How fast the activations view redraws in a real browser on a demo-sized
 * CNN (two conv layers of 32 channels, 8 MNIST-sized probes, 2 workers):
 * switching probe (no request), switching step the first time (tensors
 * fetched) and again (cached). Prints milliseconds; targets are 50 ms for a
 * layer of 32 channels and 150 ms for the whole view.
 *
 *   npx tsx bench/lensboard-views.ts
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { serve } from '../server/index.js';
import { REPO_ROOT, launchBrowser, tempLogdir } from '../tests/browser/harness.js';
import { DEMO_JOB, writeJob } from '../tests/browser/lensboard-job.js';

const FRONTEND = process.env.LENSBOARD_FRONTEND_DIR ?? '/tmp/lb-front-f';
const ROUNDS = 5;

/**
 * Runs in the page: asks the shell for a state change and times it until every
 * layer grid has painted. Kept as source text because tsx's helpers do not
 * exist in the page.
 */
const TIME_SWITCH = `async (change) => {
  const app = document.querySelector('lb-app').shadowRoot;
  const view = app.querySelector('lb-activations-view');
  const selector = 'section[data-layer] > .grid-row > lb-map-grid';
  const grids = () => [...view.shadowRoot.querySelectorAll(selector)];
  const before = grids().map((g) => g.maps);
  performance.clearMeasures('lb-map-grid paint');
  const start = performance.now();
  const event = new CustomEvent('lb-select', { detail: change, bubbles: true, composed: true });
  view.dispatchEvent(event);
  while (grids().some((g, i) => g.maps === before[i])) await new Promise((r) => setTimeout(r, 0));
  await Promise.all(grids().map((g) => g.updateComplete));
  const total = performance.now() - start;
  const layers = performance.getEntriesByName('lb-map-grid paint')
    .filter((m) => String(m.detail.label).includes('32 channels'))
    .map((m) => m.duration);
  return { total, layers };
}`;

function summary(name: string, samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1].toFixed(1);
  return `${name.padEnd(34)} median ${median} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`;
}

async function main(): Promise<void> {
  if (!process.env.LENSBOARD_FRONTEND_DIR) {
    execFileSync(
      join(REPO_ROOT, 'node_modules', '.bin', 'vite'),
      [
        'build',
        '--config',
        'plugin-frontend/vite.config.ts',
        '--outDir',
        FRONTEND,
        '--emptyOutDir',
      ],
      { cwd: REPO_ROOT, stdio: 'pipe' },
    );
  }
  const logdir = tempLogdir('bench-views');
  await writeJob(logdir, DEMO_JOB);
  const server = await serve({ logdir, port: 0, staticDir: FRONTEND, reloadIntervalSec: 60 });
  const browser = await launchBrowser();
  try {
    const [first, second, third] = DEMO_JOB.steps;
    await browser.page.goto(
      `${server.url.replace(/\/$/, '')}/?view=activations&worker=demo%2Fworker-0&step=${third}`,
    );
    await browser.page.locator('section[data-layer="conv2"] lb-map-grid canvas').first().waitFor();

    const probe: number[] = [],
      layer: number[] = [],
      stepCold: number[] = [],
      stepWarm: number[] = [];
    const run = async (change: Record<string, number>, into: number[]) => {
      const { total, layers } = (await browser.page.evaluate(
        `(${TIME_SWITCH})(${JSON.stringify(change)})`,
      )) as { total: number; layers: number[] };
      into.push(total);
      layer.push(...layers);
    };
    for (let i = 0; i < ROUNDS; i++) await run({ probe: (i % (DEMO_JOB.probes - 1)) + 1 }, probe);
    await run({ step: second }, stepCold);
    await run({ step: first }, stepCold);
    for (let i = 0; i < ROUNDS; i++) await run({ step: DEMO_JOB.steps[i % 3] }, stepWarm);

    console.log(
      `activations view of a ${DEMO_JOB.convFilters.length}-conv CNN, ${DEMO_JOB.probes} probes, ` +
        `${DEMO_JOB.side}x${DEMO_JOB.side} inputs`,
    );
    console.log(summary('paint of a 32-channel layer', layer));
    console.log(summary('whole view, switch probe', probe));
    console.log(summary('whole view, switch step (fetch)', stepCold));
    console.log(summary('whole view, switch step (cached)', stepWarm));
  } finally {
    await browser.close();
    await server.close();
    rmSync(logdir, { recursive: true, force: true });
  }
}

await main();
