/**
 * Builds the viewer once before the browser tests when it is not built yet.
 * For vitest's `globalSetup`; the harness makes the same check itself, so the
 * tests also run where this setup is not configured.
 */
import { frontendDir } from './harness.js';

export default function setup(): void {
  frontendDir();
}
