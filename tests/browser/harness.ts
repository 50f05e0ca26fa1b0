/**
 * The shared harness of the browser tests: the built viewer, the real server on
 * a logdir the test wrote with lensboard's own writer, and a headless Chromium
 * with a fresh profile. Screenshots go to test-output/screenshots/ for a human
 * to look at; tests assert on the page, never on the pictures.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHROMIUM = process.env.LENSBOARD_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOTS = join(REPO_ROOT, 'test-output', 'screenshots');

/**
 * The built viewer: `LENSBOARD_FRONTEND_DIR` when set, else `dist/plugin-frontend`,
 * built once if missing. A lock directory keeps parallel test files from
 * building into the same place at once.
 */
export function frontendDir(): string {
  const override = process.env.LENSBOARD_FRONTEND_DIR;
  if (override) return requireBuilt(override);
  const dir = join(REPO_ROOT, 'dist', 'plugin-frontend');
  if (existsSync(join(dir, 'index.html'))) return dir;
  withLock(join(REPO_ROOT, 'dist', '.plugin-frontend.lock'), () => {
    if (existsSync(join(dir, 'index.html'))) return;
    execFileSync(
      join(REPO_ROOT, 'node_modules', '.bin', 'vite'),
      ['build', '--config', 'plugin-frontend/vite.config.ts'],
      { cwd: REPO_ROOT, stdio: 'inherit' },
    );
  });
  return requireBuilt(dir);
}

function requireBuilt(dir: string): string {
  if (existsSync(join(dir, 'index.html'))) return dir;
  throw new Error(`viewer not built: no index.html in ${dir} (run npm run build)`);
}

/** Runs `body` holding a directory lock; waits (up to 3 minutes) for another holder to finish. */
function withLock(lock: string, body: () => void): void {
  mkdirSync(join(lock, '..'), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`lock still held after 3 minutes: ${lock}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    body();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** The real server (`serve` of server/index.ts) on `logdir`, on a free port. */
export async function startServer(
  logdir: string,
  staticDir = frontendDir(),
): Promise<RunningServer> {
  const { serve } = await import('../../server/index.js');
  const server = await serve({ logdir, port: 0, staticDir, reloadIntervalSec: 0.2 });
  return { url: server.url.replace(/\/$/, ''), close: () => server.close() };
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Errors the page logged, and uncaught exceptions: a test can assert there are none. */
  pageErrors: string[];
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile, one page, errors collected. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (set LENSBOARD_CHROMIUM)`);
  const profile = mkdtempSync(join(tmpdir(), 'lensboard-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  return {
    context,
    page,
    pageErrors,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  writeFileSync(path, await page.screenshot({ fullPage: false }));
  return path;
}

/** A fresh temporary logdir; remove it with `rmSync(dir, {recursive: true})` after the test. */
export function tempLogdir(name: string): string {
  return mkdtempSync(join(tmpdir(), `lensboard-${name}-`));
}

/**
 * Counts pixels of every canvas inside the element matched by `selector`
 * (through shadow roots) that differ from white and transparent.
 */
export async function inkedPixels(page: Page, selector: string): Promise<number[]> {
  return page.locator(selector).evaluateAll((hosts) => {
    const canvases: HTMLCanvasElement[] = [];
    const collect = (root: Element | ShadowRoot) => {
      root.querySelectorAll('canvas').forEach((canvas) => canvases.push(canvas));
      root.querySelectorAll('*').forEach((el) => el.shadowRoot && collect(el.shadowRoot));
    };
    hosts.forEach((host) => collect(host.shadowRoot ?? host));
    return canvases.map((canvas) => {
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let inked = 0;
      for (let i = 0; i < data.length; i += 4) {
        const white = data[i] > 245 && data[i + 1] > 245 && data[i + 2] > 245;
        if (data[i + 3] > 0 && !white) inked++;
      }
      return inked;
    });
  });
}
