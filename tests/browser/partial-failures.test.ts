/**
 * One series that cannot be loaded never blanks a view: in a real browser, a
 * tag of 100,000 characters (answered "431 Request Header Fields Too Large")
 * shows its error in words in its own place, in every view, while the other
 * tags of the same runs are drawn.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SummaryWriter } from '../../writer/index.js';
import { inkedPixels, screenshot } from './harness.js';
import { useViewer } from './viewer-fixture.js';

/** Too long for a request line: Node answers 431 before any route sees it. */
const LONG = 'x'.repeat(100_000);
const TOO_LARGE = '431 Request Header Fields Too Large';

function image() {
  return { data: new Uint8Array(8 * 8 * 3).fill(120), width: 8, height: 8, channels: 3 as const };
}

/** A job's worker: two activation layers and two template layers, one of each named `LONG`. */
function writeWorker(writer: SummaryWriter): void {
  const probe = { probeIds: [1, 2], probeLabels: [0, 1] };
  writer.tensor('probes/input', new Float32Array(32).fill(0.5), [2, 4, 4, 1], 0, {
    role: 5,
    ...probe,
  });
  for (const layer of ['ok', LONG]) {
    const meta = { layerName: layer, layerKind: 'Dense', ...probe };
    writer.tensor(`activations/${layer}`, [0.1, 0.9, 0.8, 0.2], [2, 2], 0, { role: 1, ...meta });
    const weights = Float32Array.from({ length: 32 }, (_, i) => Math.sin(i));
    writer.tensor(`templates/${layer}`, weights, [2, 16], 0, { role: 3, layerName: layer });
  }
}

async function writeLogdir(logdir: string): Promise<void> {
  const alpha = new SummaryWriter(join(logdir, 'alpha'));
  const beta = new SummaryWriter(join(logdir, 'beta'));
  for (let step = 0; step < 5; step++) {
    alpha.scalar('loss', 1 / (step + 1), step);
    alpha.scalar(`s${LONG}`, step, step);
    beta.scalar('loss', 2 / (step + 1), step);
  }
  alpha.histogram('weights', [1, 2, 2, 3], 0);
  alpha.histogram(`h${LONG}`, [1, 2, 3], 0);
  alpha.text('notes', 'a note', 0);
  alpha.text(`t${LONG}`, 'never seen', 0);
  alpha.image('sample', image(), 0);
  alpha.image(`i${LONG}`, image(), 0);

  const workers = [0, 1].map(
    (rank) => new SummaryWriter(join(logdir, 'job', `worker-${rank}`), { workerRank: rank }),
  );
  workers.forEach(writeWorker);
  const global = new SummaryWriter(join(logdir, 'job', 'global'));
  for (let step = 0; step < 3; step++) {
    for (const rank of [0, 1]) global.scalar(`divergence/worker-${rank}/ok`, 0.1 * rank, step);
    global.scalar(`divergence/worker-0/${LONG}`, 0.5, step);
  }
  await Promise.all([alpha, beta, global, ...workers].map((writer) => writer.close()));
}

/** The error sentences a view shows, as a person reads them. */
function errors(page: Page, view: string) {
  return page.locator(`${view} .status.error`).allInnerTexts();
}

describe('a series that cannot be loaded', () => {
  const viewer = useViewer('partial', writeLogdir);

  it('shows its error in place of its scalar chart while the other charts draw', async () => {
    await viewer.page.goto(`${viewer.url}/?run=alpha&run=beta`);
    await expect
      .poll(() => errors(viewer.page, 'lb-scalars-view'))
      .toEqual([expect.stringContaining(`Could not load this tag of run "alpha": ${TOO_LARGE}`)]);
    const loss = viewer.page.locator('lb-scalars-view section[data-tag="loss"] lb-scalar-chart');
    await expect
      .poll(async () => (await inkedPixels(viewer.page, 'lb-scalar-chart'))[0])
      .toBeGreaterThan(500);
    expect(await loss.count()).toBe(1);
    // The tag is cut to a few lines, not 100,000 characters filling the page.
    const heading = viewer.page.locator('lb-scalars-view section').nth(1).locator('h3');
    expect((await heading.boundingBox())!.height).toBeLessThan(80);
    await screenshot(viewer.page, 'partial-scalars');
  });

  it('shows its error in place of its histogram while the other histogram draws', async () => {
    await viewer.page.goto(`${viewer.url}/?view=histograms&run=alpha`);
    await expect
      .poll(() => errors(viewer.page, 'lb-histograms-view'))
      .toEqual([expect.stringContaining(`the histograms of run "alpha": ${TOO_LARGE}`)]);
    await expect
      .poll(async () => (await inkedPixels(viewer.page, 'lb-histogram-chart'))[0])
      .toBeGreaterThan(200);
  });

  it('shows its error in place of its text while the other text shows', async () => {
    await viewer.page.goto(`${viewer.url}/?view=text&run=alpha`);
    await expect
      .poll(() => errors(viewer.page, 'lb-text-view'))
      .toEqual([expect.stringContaining(`the text of run "alpha": ${TOO_LARGE}`)]);
    expect(await viewer.page.locator('lb-text-view pre').allTextContents()).toEqual(['a note']);
  });

  it('shows its error in place of its images while the other image shows', async () => {
    await viewer.page.goto(`${viewer.url}/?view=images&run=alpha`);
    await expect
      .poll(() => errors(viewer.page, 'lb-images-view'))
      .toEqual([expect.stringContaining(`the images of run "alpha": ${TOO_LARGE}`)]);
    expect(await viewer.page.locator('lb-images-view img').count()).toBe(1);
  });

  it("shows a layer's error in its place while the other layers' activations draw", async () => {
    await viewer.page.goto(`${viewer.url}/?view=activations&worker=job/worker-0`);
    await expect
      .poll(() => errors(viewer.page, 'lb-activations-view'))
      .toEqual([expect.stringContaining(TOO_LARGE)]);
    const ok = viewer.page.locator('lb-activations-view section[data-layer="ok"] lb-map-grid');
    await expect.poll(() => ok.count()).toBe(1);
    expect(await viewer.page.locator('lb-activations-view lb-probe-strip button').count()).toBe(2);
    await screenshot(viewer.page, 'partial-activations');
  });

  it("shows a template's error in its place while the other templates draw", async () => {
    await viewer.page.goto(`${viewer.url}/?view=weights&worker=job/worker-0`);
    await expect
      .poll(() => errors(viewer.page, 'lb-weights-view'))
      .toEqual([expect.stringContaining(TOO_LARGE)]);
    const ok = viewer.page.locator('lb-weights-view section[data-tag="templates/ok"] figure');
    await expect.poll(() => ok.count()).toBe(2);
  });

  it("shows a divergence tag's error while the job's other charts draw", async () => {
    await viewer.page.goto(
      `${viewer.url}/?view=workers&run=job/global&run=job/worker-0&run=job/worker-1`,
    );
    await expect
      .poll(() => errors(viewer.page, 'lb-workers-view'))
      .toEqual([expect.stringContaining(TOO_LARGE)]);
    await expect.poll(() => viewer.page.locator('lb-line-chart[data-layer="ok"]').count()).toBe(1);
    await screenshot(viewer.page, 'partial-workers');
  });

  it('logs nothing in the page but the refused requests themselves', () => {
    const others = viewer.browser.pageErrors.filter(
      (error) => !/status of 431|ERR_CONNECTION_RESET/.test(error),
    );
    expect(others).toEqual([]);
  });
});
