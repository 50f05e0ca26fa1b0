/**
 * The Weights view's difference from the workers' average, in a real browser:
 * two workers that hold the very same class templates (an averaged model, as
 * federated averaging leaves one) differ by exactly 0, which draws as one
 * blank colour; the view says so in words instead of looking broken.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SummaryWriter } from '../../writer/index.js';
import {
  launchBrowser,
  screenshot,
  startServer,
  tempLogdir,
  type Browser,
  type RunningServer,
} from './harness.js';

const TEMPLATES = Float32Array.from({ length: 3 * 16 }, (_, i) => Math.sin(i));

async function writeLogdir(dir: string): Promise<void> {
  for (const rank of [0, 1]) {
    const writer = new SummaryWriter(join(dir, 'job', `worker-${rank}`), {
      workerRank: rank,
      worldSize: 2,
    });
    writer.tensor('templates/classes', TEMPLATES, [3, 4, 4], 0, {
      role: 3,
      layerName: 'classes',
      layerKind: 'Dense',
    });
    await writer.close();
  }
}

describe('the difference from the workers average', () => {
  let logdir: string;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    logdir = tempLogdir('difference');
    await writeLogdir(logdir);
    server = await startServer(logdir);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (logdir) rmSync(logdir, { recursive: true, force: true });
  });

  it('says a worker identical to the average is identical, not a blank map', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/?view=weights&worker=${encodeURIComponent('job/worker-0')}`);
    const heading = page.locator('lb-weights-view section[data-tag="templates/classes"] h3');
    await expect.poll(() => heading.count()).toBe(1);
    expect(await heading.innerText()).not.toContain('identical');

    await page.locator('lb-weights-view [data-control="difference"]').check();
    await expect
      .poll(() => heading.innerText())
      .toContain('difference from the workers\u2019 average: identical, every difference is 0');
    await screenshot(page, 'weights-difference-identical');
  });
});
