/**
 * Flushing open event files when the process ends without closing them.
 *
 * - `beforeExit` (the event loop ran dry): an asynchronous flush, after which
 *   Node fires `beforeExit` again and finds nothing left to write.
 * - `exit` (including `process.exit()`): only synchronous work can run, so
 *   every queued or still-in-flight byte is written with positional sync writes.
 * - SIGTERM, SIGINT, SIGHUP: everything queued before the signal is written
 *   synchronously. If lensboard's listener is the only one for that signal,
 *   it then removes itself and raises the signal again, so the process ends
 *   exactly as it would have without lensboard. If the program has listeners
 *   of its own, the signal is theirs to act on and lensboard only flushes.
 *
 * Listeners are installed while at least one writer is open, and removed when
 * the last one closes, so a program that closes its writers keeps Node's own
 * signal behaviour.
 */

export interface ExitFlushable {
  /** Starts an asynchronous flush; reports errors itself, never rejects. */
  flushInBackground(): void;
  /**
   * Writes everything not yet on disk, synchronously, and reports any error
   * before returning: nothing asynchronous runs after an exit handler. Never throws.
   */
  flushSync(): void;
}

const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];
const open = new Set<ExitFlushable>();

function onBeforeExit(): void {
  for (const writer of open) writer.flushInBackground();
}

function onExit(): void {
  for (const writer of open) writer.flushSync();
}

function onSignal(signal: NodeJS.Signals): void {
  for (const writer of open) writer.flushSync();
  if (process.listenerCount(signal) > 1) return;
  process.off(signal, onSignal);
  process.kill(process.pid, signal);
}

function install(): void {
  process.on('beforeExit', onBeforeExit);
  process.on('exit', onExit);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function uninstall(): void {
  process.off('beforeExit', onBeforeExit);
  process.off('exit', onExit);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

export function registerForExit(writer: ExitFlushable): void {
  if (open.size === 0) install();
  open.add(writer);
}

export function unregisterForExit(writer: ExitFlushable): void {
  if (!open.delete(writer)) return;
  if (open.size === 0) uninstall();
}
