/**
 * Gives the whole test run one temporary root and removes it afterwards, so
 * the logdirs, event files and child-process outputs that tests make with
 * `mkdtemp(tmpdir())` never pile up in the machine's /tmp. For vitest's
 * `globalSetup`: it runs before the test processes are forked, and they
 * inherit `TMPDIR`, which `os.tmpdir()` reads.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'lensboard-tests-'));
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
