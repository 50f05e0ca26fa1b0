/**
 * The viewer's speed in a real browser: first render of the scalars of 20 runs
 * x 20 tags x 1,000 steps once their data has arrived (target < 1 s), and a
 * change of the global step (target < 50 ms). Figures come from the page's own
 * performance marks (plugin-frontend/src/lib/perf.ts). Prints, never fails on time.
 *
 *   npx tsx bench/frontend.ts [--runs 20] [--tags 20] [--steps 1000] [--step-changes 10]
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SummaryWriter } from '../writer/index.js';
import { launchBrowser, startServer, tempLogdir } from '../tests/browser/harness.js';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    tags: { type: 'string', default: '20' },
    steps: { type: 'string', default: '1000' },
    'step-changes': { type: 'string', default: '10' },
  },
});
const RUNS = Number(args.runs);
const TAGS = Number(args.tags);
const STEPS = Number(args.steps);
const STEP_CHANGES = Number(args['step-changes']);

async function writeLogdir(logdir: string): Promise<void> {
  for (let run = 0; run < RUNS; run++) {
    const writer = new SummaryWriter(join(logdir, `run-${String(run).padStart(2, '0')}`));
    for (let step = 0; step < STEPS; step++) {
      for (let tag = 0; tag < TAGS; tag++) {
        const value = Math.exp(-step / (200 + 10 * run)) + 0.05 * Math.sin(step * 0.1 + tag);
        writer.scalar(`metrics/tag-${String(tag).padStart(2, '0')}`, value, step, 1.7e9 + step);
      }
    }
    await writer.close();
  }
}

/** The viewer is measured on a loaded logdir, not while the server competes for the CPU. */
async function waitForFirstPass(url: string): Promise<void> {
  for (;;) {
    const answer = (await (await fetch(`${url}/api/runs`)).json()) as { loading: boolean };
    if (!answer.loading) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const logdir = tempLogdir('bench-frontend');
  const started = performance.now();
  await writeLogdir(logdir);
  console.log(
    `wrote ${RUNS} runs x ${TAGS} tags x ${STEPS} steps in ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const server = await startServer(logdir);
  const loadStart = performance.now();
  await waitForFirstPass(server.url);
  console.log(`server's first pass: ${((performance.now() - loadStart) / 1000).toFixed(1)} s`);
  const browser = await launchBrowser();
  try {
    const { page } = browser;
    const fetchStart = performance.now();
    await page.goto(`${server.url}/`);
    await page.waitForFunction(
      (count) =>
        document
          .querySelector('lb-app')
          ?.shadowRoot?.querySelector('lb-scalars-view')
          ?.shadowRoot?.querySelectorAll('lb-scalar-chart').length === count,
      TAGS,
      { timeout: 120_000 },
    );
    await page.waitForFunction(
      () => performance.getEntriesByName('lb:scalars first render').length > 0,
    );
    const pageReady = performance.now() - fetchStart;
    // Charts on screen draw once the browser reports them visible, after the
    // elements settled; wait for that, then take the last chart drawn.
    await page.waitForTimeout(1500);
    const first = await page.evaluate(() => {
      const dataArrived = performance.getEntriesByName('lb:scalars data arrived')[0].startTime;
      const drawn = performance.getEntriesByName('lb:chart drawn');
      const elements = performance.getEntriesByName('lb:scalars first render')[0].duration;
      const lastDrawn = Math.max(...drawn.map((entry) => entry.startTime));
      return { elements, charts: drawn.length, untilDrawn: lastDrawn - dataArrived };
    });

    const slider = page.locator('lb-step-control input[type="range"]');
    await slider.focus();
    const changes: number[] = [];
    for (let i = 0; i < STEP_CHANGES; i++) {
      await page.evaluate(() => performance.clearMeasures('lb:step change'));
      await slider.press('ArrowLeft');
      await page.waitForFunction(() => performance.getEntriesByName('lb:step change').length > 0);
      changes.push(
        await page.evaluate(() => performance.getEntriesByName('lb:step change')[0].duration),
      );
    }

    console.log(`page ready (page load + fetch + render): ${pageReady.toFixed(0)} ms`);
    console.log(
      `first render after data arrived: ${first.untilDrawn.toFixed(0)} ms until the last of ` +
        `${first.charts} on-screen charts was drawn ` +
        `(elements settled at ${first.elements.toFixed(0)} ms; target < 1000 ms)`,
    );
    console.log(
      `step change: median ${median(changes).toFixed(1)} ms, ` +
        `max ${Math.max(...changes).toFixed(1)} ms over ${changes.length} (target < 50 ms)`,
    );
    if (browser.pageErrors.length) console.log(`page errors: ${browser.pageErrors.join('; ')}`);
  } finally {
    await browser.close();
    await server.close();
    rmSync(logdir, { recursive: true, force: true });
  }
}

await main();
