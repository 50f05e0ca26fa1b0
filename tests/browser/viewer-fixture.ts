/**
 * The viewer a browser test file drives: a logdir its own code writes with
 * lensboard's writer, the real server on it, and a headless Chromium, made
 * before the file's first test and removed after its last. The fields are
 * set once `beforeAll` has run, so tests read them, never the file's body.
 */
import { rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import {
  launchBrowser,
  startServer,
  tempLogdir,
  type Browser,
  type RunningServer,
} from './harness.js';

export interface Viewer {
  logdir: string;
  /** The server's address, without a trailing slash. */
  url: string;
  browser: Browser;
  page: Page;
}

export function useViewer(name: string, write: (logdir: string) => Promise<void>): Viewer {
  const viewer = {} as Viewer;
  let server: RunningServer | undefined;
  beforeAll(async () => {
    viewer.logdir = tempLogdir(name);
    await write(viewer.logdir);
    server = await startServer(viewer.logdir);
    viewer.url = server.url;
    viewer.browser = await launchBrowser();
    viewer.page = viewer.browser.page;
  });
  afterAll(async () => {
    await viewer.browser?.close();
    await server?.close();
    if (viewer.logdir) rmSync(viewer.logdir, { recursive: true, force: true });
  });
  return viewer;
}
