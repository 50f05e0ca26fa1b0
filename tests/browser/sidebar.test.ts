/**
 * The run sidebar in a real browser: what it says beside each run is true of
 * what the run holds, long names wrap where a person reads a break, and runs
 * whose names are alike still get colours of their own.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SummaryWriter } from '../../writer/index.js';
import { EVENTS_FILE, fileVersion, writeEvents } from '../helpers/events.js';
import { screenshot } from './harness.js';
import { useViewer } from './viewer-fixture.js';

const LONG_NAME = 'a_very_long_run_name_with_underscores/and-dashes-in-it-too/version_12345';
const ODD = ['odd/-dash', 'odd/pct%20x', 'odd/q?x=1'];

/** One hparams summary as PyTorch and Keras write it: plugin metadata, no payload. */
function hparamsEvent(tag: string, wallTime: number) {
  const content = new TextEncoder().encode('hparams');
  const metadata = { pluginData: { pluginName: 'hparams', content } };
  return { wallTime, step: 0, summary: { value: [{ tag, metadata }] } };
}

async function writeLogdir(logdir: string): Promise<void> {
  const writers = [LONG_NAME, ...ODD].map((name) => new SummaryWriter(join(logdir, name)));
  writers.forEach((writer, i) => {
    for (let step = 0; step < 3; step++) writer.scalar('loss', (i + 1) / (step + 1), step);
  });
  await Promise.all(writers.map((writer) => writer.close()));

  // A Keras hparams run: the session summaries of one trial, nothing a view draws.
  writeEvents(join(logdir, 'keras-trial', EVENTS_FILE), [
    fileVersion(100),
    hparamsEvent('_hparams_/session_start_info', 101),
    hparamsEvent('_hparams_/session_end_info', 102),
  ]);
  // PyTorch's add_hparams: the writer's own file holds nothing, the trial is a sub-run.
  writeEvents(join(logdir, 'torch-search', EVENTS_FILE), [fileVersion(200)]);
  writeEvents(join(logdir, 'torch-search', '1771595857.32', EVENTS_FILE), [
    fileVersion(201),
    hparamsEvent('_hparams_/experiment', 202),
  ]);
  // A writer that has started and logged nothing yet.
  writeEvents(join(logdir, 'starting', EVENTS_FILE), [fileVersion(300)]);
}

function badge(page: Page, run: string) {
  return page.locator(`lb-run-sidebar label[data-run="${run}"] .badge`);
}

/**
 * Where the rendered name of `run` wraps: the character before each line
 * break, read from the boxes the browser laid the characters out in.
 */
function breaksOf(page: Page, run: string): Promise<string[]> {
  return page.locator(`lb-run-sidebar label[data-run="${run}"] .name`).evaluate((name) => {
    const chars: { char: string; top: number }[] = [];
    const walker = document.createTreeWalker(name, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      for (let i = 0; i < text.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        chars.push({ char: text[i], top: range.getBoundingClientRect().top });
      }
    }
    return chars.flatMap((c, i) =>
      i > 0 && c.top > chars[i - 1].top + 2 ? [chars[i - 1].char] : [],
    );
  });
}

describe('the run sidebar', () => {
  const viewer = useViewer('sidebar', writeLogdir);

  beforeAll(async () => {
    await viewer.page.goto(`${viewer.url}/`);
    await badge(viewer.page, 'starting').waitFor();
  });

  it('says a run of hparams only holds hparams, not that it has no data yet', async () => {
    await expect.poll(() => badge(viewer.page, 'keras-trial').textContent()).toBe('hparams only');
    expect(await badge(viewer.page, 'keras-trial').getAttribute('title')).toBe(
      'Holds hparams only, which no view of lensboard draws.',
    );
    await screenshot(viewer.page, 'sidebar-badges');
  });

  it('points a run without values of its own to the sub-run that holds its data', async () => {
    await expect
      .poll(() => badge(viewer.page, 'torch-search').textContent())
      .toBe('data in a sub-run');
    expect(await badge(viewer.page, 'torch-search/1771595857.32').textContent()).toBe(
      'hparams only',
    );
  });

  it('says "no data yet" of a run with no values at all, and the step of one with scalars', async () => {
    await expect.poll(() => badge(viewer.page, 'starting').textContent()).toBe('no data yet');
    expect(await badge(viewer.page, 'odd/-dash').textContent()).toBe('step 2');
  });

  it('wraps a long run name only after a /, - or _ and shows it whole as a tooltip', async () => {
    const breaks = await breaksOf(viewer.page, LONG_NAME);
    expect(breaks.length).toBeGreaterThan(0);
    for (const char of breaks) expect('/-_.').toContain(char);
    const name = viewer.page.locator(`lb-run-sidebar label[data-run="${LONG_NAME}"] .name`);
    expect(await name.getAttribute('title')).toBe(LONG_NAME);
  });

  it('gives runs whose names are alike colours of their own', async () => {
    const colors = await Promise.all(
      ODD.map((run) =>
        viewer.page
          .locator(`lb-run-sidebar label[data-run="${run}"] .swatch`)
          .evaluate((swatch) => getComputedStyle(swatch).backgroundColor),
      ),
    );
    expect(new Set(colors).size).toBe(ODD.length);
  });

  it('logs no errors in the page', () => {
    expect(viewer.browser.pageErrors).toEqual([]);
  });
});
