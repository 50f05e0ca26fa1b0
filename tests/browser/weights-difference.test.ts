/**
 * The Weights view's difference from the workers' average, in a real browser:
 * two workers that hold the very same class templates (an averaged model, as
 * federated averaging leaves one) differ by exactly 0, which draws as one
 * blank colour; the view says so in words instead of looking broken.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SummaryWriter } from '../../writer/index.js';
import { screenshot } from './harness.js';
import { useViewer } from './viewer-fixture.js';

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
  const viewer = useViewer('difference', writeLogdir);

  it('says a worker identical to the average is identical, not a blank map', async () => {
    await viewer.page.goto(
      `${viewer.url}/?view=weights&worker=${encodeURIComponent('job/worker-0')}`,
    );
    const heading = viewer.page.locator('lb-weights-view section[data-tag="templates/classes"] h3');
    await expect.poll(() => heading.count()).toBe(1);
    expect(await heading.innerText()).not.toContain('identical');

    await viewer.page.locator('lb-weights-view [data-control="difference"]').check();
    await expect
      .poll(() => heading.innerText())
      .toContain('difference from the workers\u2019 average: identical, every difference is 0');
    await screenshot(viewer.page, 'weights-difference-identical');
  });
});
