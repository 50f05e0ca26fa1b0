/**
 * The lensboard views in a real browser, on a 2-worker job written through
 * the tfjs adapter: what a person sees is the logged data. The value under
 * the cursor is the logged float, template colours follow the sign of the
 * weight, switching worker redraws, and a link restores a channel at a step.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Serving } from '../../server/index.js';
import { REPO_ROOT, launchBrowser, screenshot, tempLogdir, type Browser } from './harness.js';
import { SMALL_JOB, writeJob } from './lensboard-job.js';

const FRONTEND = '/tmp/lb-front-f';
const WORKER_0 = 'job/worker-0';

let logdir: string;
let server: Serving;
let browser: Browser;
let base: string;

beforeAll(async () => {
  execFileSync(
    join(REPO_ROOT, 'node_modules', '.bin', 'vite'),
    ['build', '--config', 'plugin-frontend/vite.config.ts', '--outDir', FRONTEND, '--emptyOutDir'],
    { cwd: REPO_ROOT, stdio: 'pipe' },
  );
  logdir = tempLogdir('views');
  await writeJob(logdir, SMALL_JOB);
  server = await serve({ logdir, port: 0, staticDir: FRONTEND, reloadIntervalSec: 1 });
  base = server.url.replace(/\/$/, '');
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (logdir) rmSync(logdir, { recursive: true, force: true });
});

/** A tensor as the server serves it, values as the exact doubles of the logged float32s. */
async function loggedTensor(run: string, tag: string, step: number) {
  const query = new URLSearchParams({ run, tag, step: String(step), format: 'json' });
  const response = await fetch(`${base}/api/tensor?${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as { shape: number[]; values: (number | string)[] };
}

async function open(page: Page, query: Record<string, string | number>): Promise<void> {
  const search = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  await page.goto(`${base}/?${search}`);
}

/** Moves the pointer to the centre of cell (y, x) of a canvas drawing a rows x cols map. */
async function pointAt(canvas: Locator, rows: number, cols: number, y: number, x: number) {
  const box = (await canvas.boundingBox())!;
  await canvas
    .page()
    .mouse.move(box.x + ((x + 0.5) * box.width) / cols, box.y + ((y + 0.5) * box.height) / rows);
}

function canvasPixels(canvas: Locator): Promise<string> {
  return canvas.evaluate((c: HTMLCanvasElement) => c.toDataURL());
}

/** The flat index of [probe, y, x, channel] in a channels-last activation. */
function activationIndex(shape: number[], probe: number, y: number, x: number, channel: number) {
  const [, h, w, c] = shape;
  return ((probe * h + y) * w + x) * c + channel;
}

describe('lensboard views in the browser', () => {
  it('shows the logged float under the cursor after a channel is clicked', async () => {
    const { page } = browser;
    await open(page, { view: 'activations', worker: WORKER_0, step: 10 });
    const grid = page.locator('section[data-layer="conv1"] > .grid-row > lb-map-grid canvas');
    await grid.waitFor();

    // conv1 has 4 channels of 6x6 in a 2x2 block with 1-pixel gaps: channel 2 is the bottom left.
    const box = (await grid.boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.25, box.y + box.height * 0.75);
    const detail = page.locator('lb-channel-detail');
    await expect.poll(() => detail.locator('h4').first().textContent()).toContain('channel 2');

    const logged = await loggedTensor(WORKER_0, 'activations/conv1', 10);
    const inspector = detail.locator('lb-map-inspector lb-map-grid canvas');
    for (const [y, x] of [
      [0, 0],
      [3, 4],
      [5, 2],
    ]) {
      await pointAt(inspector, 6, 6, y, x);
      const shown = await detail
        .locator('[data-testid="value-readout"] b')
        .getAttribute('data-value');
      const want = Number(logged.values[activationIndex(logged.shape, 0, y, x, 2)]);
      expect(Math.fround(Number(shown))).toBe(Math.fround(want));
    }
    await screenshot(page, 'lensboard-channel-value');
    expect(browser.pageErrors).toEqual([]);
  });

  it('shows a dense unit as its value and a readable strip, the statistics beside it', async () => {
    const { page } = browser;
    await open(page, { view: 'activations', worker: WORKER_0, layer: 'out', channel: 2, step: 10 });
    const detail = page.locator('lb-channel-detail');
    await expect.poll(() => detail.locator('h4').first().innerText()).toContain('out, unit 2');

    // The unit's value for the shown probe is written out: [probes, units], probe 0.
    const logged = await loggedTensor(WORKER_0, 'activations/out', 10);
    const shown = await detail.locator('[data-testid="unit-value"] b').getAttribute('data-value');
    expect(Math.fround(Number(shown))).toBe(Math.fround(Number(logged.values[2])));

    // The strip of the unit across probes stays in its column, clear of the statistics.
    const map = (await detail.locator('lb-map-inspector lb-map-grid canvas').boundingBox())!;
    const column = (await detail.locator('section').first().boundingBox())!;
    expect(map.width).toBeGreaterThanOrEqual(4 * 12);
    expect(map.x + map.width).toBeLessThanOrEqual(column.x + column.width + 0.5);
    expect(map.height).toBeLessThanOrEqual(64);
    const stats = detail.locator('section').nth(1).locator('table');
    await expect.poll(() => stats.isVisible()).toBe(true);
    const table = (await stats.boundingBox())!;
    const overlaps =
      map.x < table.x + table.width &&
      table.x < map.x + map.width &&
      map.y < table.y + table.height &&
      table.y < map.y + map.height;
    expect(overlaps).toBe(false);
    await screenshot(page, 'lensboard-dense-unit');
    expect(browser.pageErrors).toEqual([]);
  });

  it('draws negative template weights red, positive ones blue, each class labelled', async () => {
    const { page } = browser;
    await open(page, { view: 'weights', worker: WORKER_0, step: 20 });
    const section = page.locator('section[data-tag="templates/out"]');
    await section.locator('figure[data-unit="0"] canvas').waitFor();
    expect(await section.locator('figcaption').allTextContents()).toEqual([
      'class 0',
      'class 1',
      'class 2',
    ]);

    // templates/out is [3 classes, 4 channels, 6, 6]: class u is figure u, its 4 channels
    // a 2x2 block of 6x6 tiles with 1-pixel gaps.
    const logged = await loggedTensor(WORKER_0, 'templates/out', 20);
    const values = logged.values.map(Number);
    const [, channels, h, w] = logged.shape;
    const cellOf = (index: number) => {
      const x = index % w;
      const y = Math.floor(index / w) % h;
      const c = Math.floor(index / (w * h)) % channels;
      const unit = Math.floor(index / (w * h * channels));
      return { unit, x: (c % 2) * (w + 1) + x, y: Math.floor(c / 2) * (h + 1) + y };
    };
    const canvasOf = (unit: number) => section.locator(`figure[data-unit="${unit}"] canvas`);
    const rgbAt = ({ unit, x, y }: { unit: number; x: number; y: number }) =>
      canvasOf(unit).evaluate(
        (c: HTMLCanvasElement, p) =>
          Array.from(c.getContext('2d')!.getImageData(p.x, p.y, 1, 1).data),
        { x, y },
      );

    const negative = values.indexOf(Math.min(...values));
    const positive = values.indexOf(Math.max(...values));
    expect(values[negative]).toBeLessThan(0);
    expect(values[positive]).toBeGreaterThan(0);
    const [rn, , bn] = await rgbAt(cellOf(negative));
    const [rp, , bp] = await rgbAt(cellOf(positive));
    expect(rn).toBeGreaterThan(bn + 50);
    expect(bp).toBeGreaterThan(rp + 50);

    // Each class is drawn large: a 13-pixel block is enlarged to at least 100 CSS pixels.
    const box = (await canvasOf(0).boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(100);

    // The weight under the pointer is the logged float.
    const cell = cellOf(positive);
    await pointAt(canvasOf(cell.unit), 2 * h + 1, 2 * w + 1, cell.y, cell.x);
    const shown = await section
      .locator('[data-testid="template-readout"] b')
      .getAttribute('data-value');
    expect(Math.fround(Number(shown))).toBe(Math.fround(values[positive]));
    await screenshot(page, 'lensboard-templates');
  });

  it('draws a worker with data when all runs are selected and global has none', async () => {
    const { page } = browser;
    await open(page, { view: 'activations' });
    const grid = page.locator('section[data-layer="conv1"] > .grid-row > lb-map-grid canvas');
    await grid.waitFor();
    const pressed = page.locator('lb-worker-switch button[aria-pressed="true"]');
    expect(await pressed.getAttribute('data-run')).toBe(WORKER_0);
    expect(await page.locator('lb-worker-switch button[data-run="job/global"]').isDisabled()).toBe(
      true,
    );
    await expect
      .poll(() => page.locator('[data-testid="lacking"]').textContent())
      .toContain('No activations logged yet by global.');
    await screenshot(page, 'lensboard-all-runs-activations');

    await open(page, { view: 'weights' });
    await page.locator('section[data-tag="templates/out"] figure canvas').first().waitFor();
    expect(await pressed.getAttribute('data-run')).toBe(WORKER_0);
  });

  it('redraws the layer when another worker is picked', async () => {
    const { page } = browser;
    await open(page, { view: 'activations', worker: WORKER_0, step: 20 });
    const grid = page.locator('section[data-layer="conv1"] > .grid-row > lb-map-grid canvas');
    await grid.waitFor();
    const before = await canvasPixels(grid);

    await page.locator('lb-worker-switch button[data-run="job/worker-1"]').click();
    await expect.poll(() => page.url()).toContain('worker=job%2Fworker-1');
    await expect.poll(() => canvasPixels(grid)).not.toBe(before);
    await screenshot(page, 'lensboard-worker-1');
  });

  it('restores a channel of a layer at a step from a link', async () => {
    const { page } = browser;
    await open(page, {
      view: 'activations',
      worker: WORKER_0,
      layer: 'conv1',
      channel: 3,
      probe: 1,
      step: 10,
    });
    const detail = page.locator('lb-channel-detail');
    await expect
      .poll(() => detail.locator('h4').first().innerText())
      .toBe('conv1, channel 3, probe 101');

    const logged = await loggedTensor(WORKER_0, 'activations/conv1', 10);
    await pointAt(detail.locator('lb-map-inspector lb-map-grid canvas'), 6, 6, 2, 2);
    const shown = await detail
      .locator('[data-testid="value-readout"] b')
      .getAttribute('data-value');
    expect(Math.fround(Number(shown))).toBe(
      Math.fround(Number(logged.values[activationIndex(logged.shape, 1, 2, 2, 3)])),
    );
    await screenshot(page, 'lensboard-deep-link');
  });
});
