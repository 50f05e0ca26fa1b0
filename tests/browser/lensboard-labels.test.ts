/**
 * What the viewer names, in a real browser, on a logdir written with
 * lensboard's own writer: every image logged at one step with its own
 * description, predictions and class templates named by the output layer's
 * unit labels (an expert that learns classes 5, 6 and 8), probes by their id,
 * and the parts of a link the data cannot show.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Serving } from '../../server/index.js';
import { SummaryWriter } from '../../writer/index.js';
import { REPO_ROOT, launchBrowser, screenshot, tempLogdir, type Browser } from './harness.js';

const FRONTEND = '/tmp/lb-front-labels';
const EXPERT = 'expert/worker-1';
/** The expert's output units stand for these classes, in unit order. */
const UNIT_LABELS = ['5', '6', '8'];
const DIGITS = ['5', '0', '4', '1'];

let logdir: string;
let server: Serving;
let browser: Browser;
let base: string;

/** A 6x6 grey image whose brightness names its index, so the four differ. */
function digitImage(index: number) {
  const data = new Uint8Array(36).fill(40 * (index + 1));
  return { data, width: 6, height: 6, channels: 1 as const };
}

async function writeLogdir(dir: string): Promise<void> {
  const images = new SummaryWriter(join(dir, 'mnist'));
  DIGITS.forEach((digit, i) =>
    images.image('MNIST_group', digitImage(i), 0, { description: `digit ${digit}` }),
  );
  await images.close();

  // A grid whose colour scale moves: each step restates its description.
  const grids = new SummaryWriter(join(dir, 'grids'));
  [1, 2].forEach((white, step) =>
    grids.image('scaled_grid', digitImage(step), step, { description: `white = ${white}` }),
  );
  await grids.close();

  const expert = new SummaryWriter(join(dir, EXPERT), { workerRank: 1, worldSize: 2 });
  const probe = { probeIds: [7, 9, 11], probeLabels: [6, 8, 0] };
  expert.tensor('probes/input', new Float32Array(48).fill(0.5), [3, 4, 4, 1], 0, {
    role: 5,
    ...probe,
  });
  // Probe 7 peaks at unit 1 (class 6, right); probe 9 at unit 0 (class 5, wrong: it is an 8);
  // probe 11 is a 0, a class the expert has no output for, so it cannot be right.
  const outputs = [0.1, 0.8, 0.1, 0.7, 0.2, 0.1, 0.2, 0.2, 0.6];
  const layer = { layerName: 'classes', layerKind: 'Dense', unitLabels: UNIT_LABELS };
  expert.tensor('activations/classes', outputs, [3, 3], 0, {
    role: 1,
    activation: 'softmax',
    ...layer,
    ...probe,
  });
  const templates = Float32Array.from({ length: 96 }, (_, i) => Math.sin(i));
  expert.tensor('templates/classes', templates, [3, 32], 0, { role: 3, ...layer });
  await expert.close();
}

beforeAll(async () => {
  execFileSync(
    join(REPO_ROOT, 'node_modules', '.bin', 'vite'),
    ['build', '--config', 'plugin-frontend/vite.config.ts', '--outDir', FRONTEND, '--emptyOutDir'],
    { cwd: REPO_ROOT, stdio: 'pipe' },
  );
  logdir = tempLogdir('labels');
  await writeLogdir(logdir);
  server = await serve({ logdir, port: 0, staticDir: FRONTEND, reloadIntervalSec: 1 });
  base = server.url.replace(/\/$/, '');
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (logdir) rmSync(logdir, { recursive: true, force: true });
});

describe('what the viewer names', () => {
  it('shows every image logged at one step, each with its own description', async () => {
    const { page } = browser;
    await page.goto(`${base}/?view=images&run=mnist`);
    const images = page.locator('lb-images-view section[data-tag="MNIST_group"] img');
    await expect.poll(() => images.count()).toBe(4);
    const sources = await images.evaluateAll((all) => all.map((img) => img.getAttribute('src')));
    expect(new Set(sources).size).toBe(4);
    await expect
      .poll(() => images.evaluateAll((all) => all.every((img) => img.naturalWidth === 6)))
      .toBe(true);

    const captions = page.locator('lb-images-view section[data-tag="MNIST_group"] .caption');
    const text = (await captions.allTextContents()).join(' | ');
    for (const digit of DIGITS) expect(text).toContain(`digit ${digit}`);
    await expect
      .poll(() => page.locator('lb-step-control .muted').textContent())
      .toContain('all 1 step loaded (4 values)');
    await screenshot(page, 'labels-images-one-step');
  });

  it("captions the shown step with its own description, never the first step's", async () => {
    const { page } = browser;
    await page.goto(`${base}/?view=images&run=grids&tag=scaled_grid&step=1`);
    const panel = page.locator('lb-images-view section[data-tag="scaled_grid"]');
    await expect.poll(() => panel.locator('img').count()).toBe(1);
    const captions = (await panel.locator('.caption').allTextContents()).join(' | ');
    expect(captions).toContain('white = 2');
    expect(captions).not.toContain('white = 1');

    await page.goto(`${base}/?view=images&run=grids&tag=scaled_grid&step=0`);
    await expect
      .poll(async () => (await panel.locator('.caption').allTextContents()).join(' | '))
      .toContain('white = 1');
    expect((await panel.locator('.caption').allTextContents()).join(' | ')).not.toContain(
      'white = 2',
    );
  });

  it("names predictions by the output layer's unit labels and probes by their id", async () => {
    const { page } = browser;
    await page.goto(`${base}/?view=activations&worker=${encodeURIComponent(EXPERT)}`);
    const strip = page.locator('lb-activations-view > lb-probe-strip');
    const probe = (id: number) => strip.locator(`button[data-probe-id="${id}"]`);
    await expect
      .poll(() => probe(7).locator('[data-testid="probe-labels"]').textContent())
      .toContain('true 6 · pred 6');
    const wrong = probe(9).locator('[data-testid="probe-labels"]');
    expect(await wrong.textContent()).toContain('true 8 · pred 5');
    expect(await wrong.getAttribute('class')).toBe('wrong');
    expect(await probe(9).locator('.id').textContent()).toBe('probe 9');
    await screenshot(page, 'labels-probe-strip');
  });

  it("greys a probe whose class is not among the expert's outputs instead of marking it wrong", async () => {
    const { page } = browser;
    await page.goto(`${base}/?view=activations&worker=${encodeURIComponent(EXPERT)}`);
    const strip = page.locator('lb-activations-view > lb-probe-strip');
    const outside = strip.locator('button[data-probe-id="11"] [data-testid="probe-labels"]');
    await expect.poll(() => outside.textContent()).toContain('true 0 · pred 8');
    expect(await outside.getAttribute('class')).toBe('outside');
    expect(await outside.getAttribute('title')).toBe("class 0 is not among this model's outputs");
    expect(await strip.locator('[data-testid="outside-note"]').innerText()).toBe(
      "Class 0 is not among this model's outputs (5, 6, 8): those probes are greyed, not " +
        'counted wrong.',
    );
    const wrong = strip.locator('button[data-probe-id="9"] [data-testid="probe-labels"]');
    expect(await wrong.getAttribute('class')).toBe('wrong');
  });

  it('labels class templates with their classes and draws a vector of 32 readably', async () => {
    const { page } = browser;
    await page.goto(`${base}/?view=weights&worker=${encodeURIComponent(EXPERT)}`);
    const figures = page.locator('lb-class-templates figure');
    await expect.poll(() => figures.count()).toBe(3);
    expect(await figures.locator('figcaption').allTextContents()).toEqual([
      'class 5',
      'class 6',
      'class 8',
    ]);
    const box = (await figures.first().locator('canvas').boundingBox())!;
    // Folded to 4 x 8 weights: a figure about as tall as half its width, never a 1-pixel strip.
    expect(box.height).toBeGreaterThanOrEqual(40);
    expect(box.width / box.height).toBeCloseTo(2, 0);
    await screenshot(page, 'labels-templates');
  });

  it('says plainly that a job of one worker and no global run is not distributed', async () => {
    const { page } = browser;
    await page.goto(`${base}/?view=workers&worker=${encodeURIComponent(EXPERT)}`);
    await expect
      .poll(() => page.locator('lb-workers-view [data-testid="job-name"]').textContent())
      .toBe('Job expert');
    await expect
      .poll(() => page.locator('lb-workers-view .status').textContent())
      .toContain('expert is not a distributed job');
    expect(await page.locator('lb-workers-view').textContent()).not.toContain('the global run');
  });

  it('reports a linked layer and probe the data cannot show, like a malformed step', async () => {
    const { page } = browser;
    const worker = encodeURIComponent(EXPERT);
    await page.goto(`${base}/?view=activations&worker=${worker}&layer=conv9&probe=5&step=x`);
    const problems = page.locator('[data-testid="link-problem"]');
    await expect.poll(() => problems.count()).toBe(3);
    expect(await problems.allTextContents()).toEqual([
      'Link ignored invalid step: "x" (want an integer)',
      'Link ignored unknown layer: "conv9" (want one of classes)',
      'Link ignored invalid probe: 5 (want an integer in [0, 3))',
    ]);
  });

  it('logs no errors in the page', () => {
    expect(browser.pageErrors).toEqual([]);
  });
});
