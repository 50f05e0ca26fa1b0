// The viewer in a real browser against the real server, on a logdir written by lensboard's writer.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SummaryWriter } from '../../writer/index.js';
import { inkedPixels, screenshot } from './harness.js';
import { useViewer } from './viewer-fixture.js';

const WALL = 1_700_000_000;

/** A solid-colour RGB image whose red channel encodes the step, so each step looks different. */
function stepImage(step: number) {
  const data = new Uint8Array(8 * 8 * 3);
  for (let i = 0; i < data.length; i += 3) data.set([step * 5, 80, 160], i);
  return { data, width: 8, height: 8, channels: 3 as const };
}

async function writeLogdir(logdir: string): Promise<void> {
  const alpha = new SummaryWriter(join(logdir, 'alpha'));
  const beta = new SummaryWriter(join(logdir, 'beta'));
  for (let step = 0; step < 50; step++) {
    alpha.scalar('loss', 2 / (step + 1), step, WALL + step);
    alpha.scalar('accuracy', step / 50, step, WALL + step);
    beta.scalar('loss', 3 / (step + 1), step, WALL + step);
  }
  alpha.scalar('single/point', 0.5, 7, WALL + 7);
  [NaN, 2, NaN, 3, Infinity, 4].forEach((value, step) =>
    alpha.scalar('edge/values', value, step, WALL),
  );
  for (const step of [0, 10, 20, 30, 40])
    alpha.image('samples', stepImage(step), step, { wallTime: WALL + step });
  for (let step = 0; step < 5; step++) {
    const values = Array.from({ length: 200 }, (_, i) => Math.sin(i) * (1 + step));
    alpha.histogram('weights/dense', values, step, { wallTime: WALL + step });
  }
  alpha.text('notes', 'first  note\n  indented <b>not bold</b>', 0, { wallTime: WALL });
  const workers = [0, 1].map((rank) => new SummaryWriter(join(logdir, 'job', `worker-${rank}`)));
  const global = new SummaryWriter(join(logdir, 'job', 'global'));
  for (let step = 0; step < 10; step++) {
    workers.forEach((writer, rank) =>
      writer.scalar('batch/loss', 1 / (step + 1 + rank), step, WALL + step),
    );
    global.scalar('test/accuracy', step / 10, step, WALL + step);
  }
  await Promise.all([alpha, beta, global, ...workers].map((writer) => writer.close()));
}

/** Pixels of the canvases under `selector` within a small distance of a CSS `rgb(...)` colour. */
async function pixelsOfColor(page: Page, selector: string, color: string): Promise<number> {
  const [r, g, b] = color.match(/\d+/g)!.map(Number);
  const counts = await page.locator(selector).evaluateAll(
    (hosts, want) =>
      hosts.flatMap((host) =>
        [...(host.shadowRoot ?? host).querySelectorAll('canvas')].map((canvas) => {
          const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
          let near = 0;
          for (let i = 0; i < data.length; i += 4) {
            const distance =
              Math.abs(data[i] - want[0]) +
              Math.abs(data[i + 1] - want[1]) +
              Math.abs(data[i + 2] - want[2]);
            if (data[i + 3] > 200 && distance < 40) near++;
          }
          return near;
        }),
      ),
    [r, g, b],
  );
  return counts.reduce((sum, n) => sum + n, 0);
}

/** The text of an element inside the app, found through shadow roots. */
function stepShown(page: Page) {
  return page.locator('lb-step-control .shown');
}

describe('viewer shell', () => {
  const viewer = useViewer('shell', writeLogdir);

  it('lists every run and groups a distributed job with its global run and workers', async () => {
    await viewer.page.goto(`${viewer.url}/`);
    const runs = viewer.page.locator('lb-run-sidebar label[data-run]');
    await expect
      .poll(() => runs.evaluateAll((labels) => labels.map((l) => l.getAttribute('data-run'))))
      .toEqual(['job/global', 'job/worker-0', 'job/worker-1', 'alpha', 'beta']);
    await expect
      .poll(() => viewer.page.locator('lb-run-sidebar .job > label').first().textContent())
      .toContain('2 workers');
    await screenshot(viewer.page, 'shell-runs');
  });

  it('draws one chart per scalar tag with every selected run overlaid', async () => {
    await viewer.page.goto(`${viewer.url}/?run=alpha&run=beta`);
    const charts = viewer.page.locator('lb-scalars-view section[data-tag]');
    await expect
      .poll(() => charts.evaluateAll((s) => s.map((e) => e.getAttribute('data-tag'))))
      .toEqual(['accuracy', 'edge/values', 'loss', 'single/point']);
    await expect
      .poll(async () => (await inkedPixels(viewer.page, 'lb-scalar-chart')).every((n) => n > 500))
      .toBe(true);
    await screenshot(viewer.page, 'shell-scalars');
  });

  it('keeps the step control on a step when a tag is focused whose steps are all steps', async () => {
    // loss of alpha and beta spans steps 0..49, as every tag of the two runs together
    // does: the focused tag's report equals the one before the focus.
    await viewer.page.goto(`${viewer.url}/?run=alpha&run=beta`);
    await expect.poll(() => stepShown(viewer.page).textContent()).toContain('showing step 49');
    const slider = viewer.page.locator('lb-step-control input[type="range"]');

    await viewer.page.locator('section[data-tag="loss"] h3 button').click();
    await expect.poll(() => viewer.page.url()).toContain('tag=loss');
    await expect.poll(() => stepShown(viewer.page).textContent()).toContain('showing step 49');
    expect(await slider.isDisabled()).toBe(false);

    // And again when the focus is dropped.
    await viewer.page.locator('section[data-tag="loss"] h3 button').click();
    await expect.poll(() => viewer.page.url()).not.toContain('tag=loss');
    await expect.poll(() => stepShown(viewer.page).textContent()).toContain('showing step 49');
    expect(await slider.isDisabled()).toBe(false);
  });

  it("shows a run's largest step in the sidebar, not the step of text logged last", async () => {
    // alpha's last event is text at step 0; its scalars reach step 49.
    await viewer.page.goto(`${viewer.url}/?run=alpha`);
    const badge = viewer.page.locator('lb-run-sidebar label[data-run="alpha"] .badge');
    await expect.poll(() => badge.textContent()).toBe('step 49');
  });

  it('marks NaN and Infinity apart and names them, never drawing them as 0 (B22)', async () => {
    const note = viewer.page.locator('section[data-tag="edge/values"] lb-scalar-chart .note');
    await expect
      .poll(() => note.textContent())
      .toContain('Not finite: 2 NaN (◆ top), 1 +Infinity (▲ top) at step 0, 2, 4');
  });

  it('draws a one-point series as a marker, also in a reused chart (B22)', async () => {
    await viewer.page.goto(`${viewer.url}/?run=alpha`);
    const charts = viewer.page.locator('lb-scalars-view section[data-tag]');
    await expect.poll(() => charts.count()).toBe(4);
    const swatch = viewer.page.locator('lb-run-sidebar label[data-run="alpha"] .swatch');
    const color = await swatch.evaluate((el) => getComputedStyle(el).backgroundColor);

    // The filter leaves one chart: the element that drew `accuracy` now draws `single/point`.
    await viewer.page
      .locator('lb-scalars-view input[placeholder="regular expression"]')
      .fill('single');
    await expect.poll(() => charts.count()).toBe(1);
    await expect
      .poll(() => pixelsOfColor(viewer.page, 'lb-scalar-chart', color))
      .toBeGreaterThan(12);
    await screenshot(viewer.page, 'shell-single-point');
  });

  it('shows the image of the pinned step and moves one loaded sample per arrow key', async () => {
    await viewer.page.goto(`${viewer.url}/?view=images&run=alpha`);
    const image = viewer.page.locator('lb-images-view img');
    await expect.poll(() => image.getAttribute('alt')).toContain('step 40');
    await expect
      .poll(() => viewer.page.locator('lb-step-control .muted').textContent())
      .toContain('all 5 steps loaded');

    const typed = viewer.page.locator('lb-step-control input[type="text"]');
    await typed.fill('25');
    await typed.press('Enter');
    await expect.poll(() => image.getAttribute('alt')).toContain('step 20');
    await expect.poll(() => stepShown(viewer.page).textContent()).toContain('showing step 20');
    expect(viewer.page.url()).toContain('step=25');

    await viewer.page.locator('lb-step-control input[type="range"]').press('ArrowRight');
    await expect.poll(() => image.getAttribute('alt')).toContain('step 30');
    await screenshot(viewer.page, 'shell-images-step');

    await viewer.page.locator('lb-step-control button').click();
    await expect.poll(() => image.getAttribute('alt')).toContain('step 40');
    expect(viewer.page.url()).not.toContain('step=');
  });

  it('restores a deep link exactly, and again after a reload', async () => {
    await viewer.page.goto(`${viewer.url}/?view=histograms&run=alpha&step=2`);
    const check = async () => {
      await expect
        .poll(() => viewer.page.locator('nav a[aria-current="page"]').textContent())
        .toBe('Histograms');
      await expect.poll(() => stepShown(viewer.page).textContent()).toContain('showing step 2');
      const ticked = viewer.page.locator('lb-run-sidebar label[data-run] input:checked');
      await expect.poll(() => ticked.count()).toBe(1);
      await expect
        .poll(async () =>
          (await inkedPixels(viewer.page, 'lb-histogram-chart')).every((n) => n > 500),
        )
        .toBe(true);
    };
    await check();
    await viewer.page.reload();
    await check();
    await screenshot(viewer.page, 'shell-histograms-deeplink');
  });

  it('shows text as text: markup is not interpreted and whitespace is kept', async () => {
    await viewer.page.goto(`${viewer.url}/?view=text&run=alpha`);
    const pre = viewer.page.locator('lb-text-view pre');
    await expect.poll(() => pre.textContent()).toBe('first  note\n  indented <b>not bold</b>');
    expect(await viewer.page.locator('lb-text-view b').count()).toBe(0);
  });

  it("shows an event appended during the test without a reload, keeping one's place", async () => {
    await viewer.page.goto(`${viewer.url}/?run=alpha&smoothing=0.3`);
    await expect
      .poll(() => viewer.page.locator('lb-scalars-view section[data-tag]').count())
      .toBe(4);
    await viewer.page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

    const late = new SummaryWriter(join(viewer.logdir, 'alpha'));
    for (let step = 50; step < 60; step++) late.scalar('late/metric', step, step, WALL + step);
    await late.close();

    const tag = viewer.page.locator('lb-scalars-view section[data-tag="late/metric"]');
    await expect.poll(() => tag.count(), { timeout: 15_000 }).toBe(1);
    expect(
      await viewer.page.evaluate(() => (window as unknown as { marker?: number }).marker),
    ).toBe(42);
    expect(viewer.page.url()).toContain('smoothing=0.3');
    await screenshot(viewer.page, 'shell-live');
  });

  it('logs no errors in the page', () => {
    expect(viewer.browser.pageErrors).toEqual([]);
  });
});
