/**
 * The Text view honours a link's `tag` as the Scalars view does, in a real
 * browser: the linked tag's panel is outlined and brought into view, the step
 * control follows its steps, a click on a heading focuses that tag, and a tag
 * the runs never logged is reported like a malformed link parameter.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SummaryWriter } from '../../writer/index.js';
import { screenshot } from './harness.js';
import { useViewer } from './viewer-fixture.js';

/** Enough tags that the last one starts below the first screen. */
const TAGS = Array.from({ length: 12 }, (_, i) => `notes/${String(i).padStart(2, '0')}`);
const LAST = TAGS[TAGS.length - 1];

async function writeLogdir(logdir: string): Promise<void> {
  const writer = new SummaryWriter(join(logdir, 'run'));
  for (const tag of TAGS) writer.text(tag, `${tag}\n`.repeat(8), 0);
  // Only the first tag was logged at three steps: the step control shows whose steps it follows.
  for (const step of [1, 2]) writer.text(TAGS[0], `${TAGS[0]} at step ${step}`, step);
  await writer.close();
}

function section(page: Page, tag: string) {
  return page.locator(`lb-text-view section[data-tag="${tag}"]`);
}

describe('the Text view and a linked tag', () => {
  const viewer = useViewer('text-tag', writeLogdir);

  it("outlines the linked tag's panel, brings it into view and follows its steps", async () => {
    await viewer.page.goto(`${viewer.url}/?view=text&tag=${encodeURIComponent(LAST)}`);
    await expect.poll(() => section(viewer.page, LAST).getAttribute('class')).toBe('focused');
    await expect.poll(() => section(viewer.page, LAST).isVisible()).toBe(true);
    await expect.poll(() => inViewport(viewer.page, LAST)).toBe(true);
    expect(await inViewport(viewer.page, TAGS[0])).toBe(false);
    await expect
      .poll(() => viewer.page.locator('lb-step-control .muted').textContent())
      .toContain('all 1 step loaded');
    expect(await viewer.page.locator('lb-text-view section.focused').count()).toBe(1);
    await screenshot(viewer.page, 'text-linked-tag');
  });

  it('focuses a tag whose heading is clicked, and puts it in the link', async () => {
    await viewer.page.goto(`${viewer.url}/?view=text`);
    await section(viewer.page, TAGS[1]).locator('h3 button').click();
    await expect.poll(() => section(viewer.page, TAGS[1]).getAttribute('class')).toBe('focused');
    expect(new URL(viewer.page.url()).searchParams.get('tag')).toBe(TAGS[1]);
  });

  it('reports a linked tag the runs never logged, like a malformed parameter', async () => {
    await viewer.page.goto(`${viewer.url}/?view=text&tag=notes/99`);
    await expect
      .poll(() => viewer.page.locator('[data-testid="link-problem"]').textContent())
      .toContain('Link ignored unknown tag: "notes/99" (want one of notes/00, notes/01');
  });
});

/** Whether the top of a tag's panel is inside the scrolling main area, below the step control. */
function inViewport(page: Page, tag: string): Promise<boolean> {
  return section(page, tag).evaluate((el) => {
    const top = el.getBoundingClientRect().top;
    return top >= 0 && top < window.innerHeight;
  });
}
