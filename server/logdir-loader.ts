/**
 * A whole logdir, kept loaded: runs are discovered as TensorBoard does (any
 * directory below the logdir that directly holds a file whose name contains
 * `tfevents`; the logdir itself is run `.`), each run's files are tailed, and
 * a reload pass repeats on an interval. Runs named `<job>/worker-<rank>` and
 * `<job>/global` are grouped into jobs. Implements the `LogdirReader` that
 * the HTTP layer reads.
 */
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  FileChangedError,
  type HistogramEntry,
  type ImageEntry,
  type JobInfo,
  type LoadedTensor,
  type LogdirChange,
  type LogdirReader,
  type PayloadAt,
  type RunInfo,
  type ScalarPoint,
  type Series,
  type TagInfo,
  type TagKind,
  type TensorEntry,
  type TextEntry,
  type WorkerSlot,
} from './model.js';
import { DEFAULT_CAPACITY } from './reservoir.js';
import { RunLoader, type LoadLogger } from './run-loader.js';

export const DEFAULT_RELOAD_INTERVAL_MS = 5000;

export interface LogdirLoaderOptions {
  /** Time between the end of one reload pass and the start of the next. */
  reloadIntervalMs?: number;
  /** Items kept per (run, tag) by kind; Infinity keeps every value. */
  capacity?: Partial<Record<TagKind, number>>;
  /** Hide values a restart superseded (see run-loader.ts); true by default, as in TensorBoard. */
  purgeOrphanedData?: boolean;
  logger?: LoadLogger;
  /** Bytes read from disk at a time (4 MiB by default); a larger record is read whole. */
  chunkBytes?: number;
}

const quiet: LoadLogger = { warn() {}, info() {}, debug() {} };

const WORKER_RUN = /^(.+)\/worker-(\d+)$/;
const GLOBAL_RUN = /^(.+)\/global$/;

export class LogdirLoader implements LogdirReader {
  private readonly runLoaders = new Map<string, RunLoader>();
  private readonly listeners = new Set<(changes: LogdirChange[]) => void>();
  /** Problems met below the logdir (an unreadable directory); kept for good, newest last. */
  private readonly problems: string[] = [];
  /**
   * Why the logdir itself cannot be listed right now, or null while it can;
   * shown among the warnings only while it lasts, and logged once per change.
   */
  private logdirProblem: string | null = null;
  /** True once the logdir was listed: its absence is then a deletion, not "not yet". */
  private logdirListed = false;
  private readonly logger: LoadLogger;
  private readonly reloadIntervalMs: number;
  /** The pass in flight, or the last one; passes never overlap. */
  private pass: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private firstPassDone = false;
  /** True from a payload read's request for a pass until a pass starts. */
  private requested = false;

  constructor(
    readonly logdir: string,
    private readonly options: LogdirLoaderOptions = {},
  ) {
    checkLogdirPath(logdir);
    this.logger = options.logger ?? quiet;
    this.reloadIntervalMs = options.reloadIntervalMs ?? DEFAULT_RELOAD_INTERVAL_MS;
    if (!(this.reloadIntervalMs > 0)) {
      throw new RangeError(`invalid reload interval: ${options.reloadIntervalMs} ms`);
    }
  }

  get loading(): boolean {
    return !this.firstPassDone;
  }

  /**
   * Starts the first pass and then reloads every interval. The returned
   * promise settles when the first pass is done; the reader answers (with
   * partial data) before that, so a server need not wait for it.
   */
  start(): Promise<void> {
    const first = this.reloadOnce().then(() => undefined);
    void this.pass.then(() => this.schedule());
    return first;
  }

  /** Runs one reload pass (after any pass in flight) and returns what it changed. */
  reloadOnce(): Promise<LogdirChange[]> {
    const run = this.pass.then(() => this.reloadPass());
    this.pass = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Stops reloading; resolves when the pass in flight has finished. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.pass;
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      void this.reloadOnce().then(() => this.schedule());
    }, this.reloadIntervalMs);
    this.timer.unref();
  }

  private async reloadPass(): Promise<LogdirChange[]> {
    // Any pass that starts now reads every file a payload read marked.
    this.requested = false;
    const changes: LogdirChange[] = [];
    const found = await this.discover();
    changes.push(...this.syncRuns(found));
    for (const [name, run] of [...this.runLoaders].sort(byKey)) {
      if (this.closed) break;
      run.syncFiles(found.get(name) ?? []);
      // Changes go out while a run loads and once it is read, so a long
      // first load shows values within a second and its runs one by one.
      const publish = () => {
        const runChanges = run.takeChanges();
        this.emit(runChanges);
        changes.push(...runChanges);
      };
      await run.reload(publish);
      publish();
    }
    this.firstPassDone = true;
    return changes;
  }

  private syncRuns(found: Map<string, string[]>): LogdirChange[] {
    const changes: LogdirChange[] = [];
    for (const name of found.keys()) {
      if (this.runLoaders.has(name)) continue;
      const loader = new RunLoader(name, join(this.logdir, name), this.runOptions());
      this.runLoaders.set(name, loader);
      this.logger.debug(`run found: ${name}`);
    }
    for (const name of [...this.runLoaders.keys()]) {
      if (found.has(name)) continue;
      this.runLoaders.delete(name);
      this.logger.info(`run removed: ${name}`);
      changes.push({ run: name });
    }
    this.emit(changes);
    return changes;
  }

  private runOptions() {
    return {
      capacity: { ...DEFAULT_CAPACITY, ...this.options.capacity },
      purgeOrphanedData: this.options.purgeOrphanedData ?? true,
      logger: this.logger,
      chunkBytes: this.options.chunkBytes,
    };
  }

  private emit(changes: LogdirChange[]): void {
    if (changes.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(changes);
      } catch (error) {
        this.logger.warn(`change listener failed: ${(error as Error).message}`);
      }
    }
  }

  // ---- discovery ----

  /** Run name → names of the event files it directly holds. */
  private async discover(): Promise<Map<string, string[]>> {
    const runs = new Map<string, string[]>();
    await this.walk('', runs);
    return runs;
  }

  private async walk(relative: string, runs: Map<string, string[]>): Promise<void> {
    const entries = relative === '' ? await this.listLogdir() : await this.list(relative);
    const events = entries.filter((entry) => isEventFile(entry)).map((entry) => entry.name);
    if (events.length > 0) runs.set(relative || '.', events);
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      await this.walk(relative ? `${relative}/${entry.name}` : entry.name, runs);
    }
  }

  /** A directory below the logdir; one that vanished while walking is simply gone. */
  private async list(relative: string): Promise<Dirent[]> {
    try {
      return await readdir(join(this.logdir, relative), { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') {
        this.warnOnce(`cannot list ${join(this.logdir, relative)}: ${(error as Error).message}`);
      }
      return [];
    }
  }

  /**
   * The logdir itself. While it cannot be listed it holds no runs, and the
   * reason is a warning until it can again; every pass retries, so a logdir
   * deleted and made again (or replaced by a file and back) is read anew.
   */
  private async listLogdir(): Promise<Dirent[]> {
    try {
      const entries = await readdir(this.logdir, { withFileTypes: true });
      if (this.logdirProblem !== null) this.logger.info(`logdir is readable again: ${this.logdir}`);
      this.logdirProblem = null;
      this.logdirListed = true;
      return entries;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && !this.logdirListed) {
        // A logdir a training job has yet to make is normal: not a warning.
        this.logger.info(`logdir does not exist yet: ${this.logdir}`);
      } else {
        const problem =
          code === 'ENOENT'
            ? `logdir was deleted: ${this.logdir} (no runs until it reappears)`
            : `cannot list ${this.logdir}: ${(error as Error).message}`;
        if (problem !== this.logdirProblem) this.logger.warn(problem);
        this.logdirProblem = problem;
      }
      return [];
    }
  }

  private warnOnce(message: string): void {
    if (this.problems.includes(message)) return;
    this.problems.push(message);
    this.logger.warn(message);
  }

  // ---- LogdirReader ----

  runs(): RunInfo[] {
    return [...this.runLoaders]
      .sort(byKey)
      .map(([name, run]) => ({ ...run.info(), ...placeOf(name) }));
  }

  jobs(): JobInfo[] {
    const jobs = new Map<string, { workers: [number, string][]; global: string | null }>();
    for (const name of this.runLoaders.keys()) {
      const { job, worker } = placeOf(name);
      if (!job || !worker) continue;
      const entry = jobs.get(job) ?? { workers: [], global: null };
      if (worker.kind === 'worker') entry.workers.push([worker.rank, name]);
      else entry.global = name;
      jobs.set(job, entry);
    }
    return [...jobs].sort(byKey).map(([name, { workers, global }]) => ({
      name,
      workers: workers.sort((a, b) => a[0] - b[0]).map(([, run]) => run),
      global,
    }));
  }

  tags(run: string): TagInfo[] | undefined {
    return this.runLoaders.get(run)?.tags();
  }

  scalars(run: string, tag: string): Series<ScalarPoint> | undefined {
    return this.runLoaders.get(run)?.seriesOf<ScalarPoint>(tag, 'scalars');
  }

  images(run: string, tag: string): Series<ImageEntry> | undefined {
    return this.runLoaders.get(run)?.seriesOf<ImageEntry>(tag, 'images');
  }

  histograms(run: string, tag: string): Series<HistogramEntry> | undefined {
    return this.runLoaders.get(run)?.seriesOf<HistogramEntry>(tag, 'histograms');
  }

  text(run: string, tag: string): Series<TextEntry> | undefined {
    return this.runLoaders.get(run)?.seriesOf<TextEntry>(tag, 'text');
  }

  /** Raw tensors: lensboard's own and any other plugin's (`other` tags). */
  tensors(run: string, tag: string): Series<TensorEntry> | undefined {
    const loader = this.runLoaders.get(run);
    const kind = loader?.kindOf(tag) === 'other' ? 'other' : 'tensors';
    return loader?.seriesOf<TensorEntry>(tag, kind);
  }

  readImage(run: string, tag: string, at: PayloadAt, index: number) {
    return this.readPayload(this.runLoaders.get(run)?.readImage(tag, at, index));
  }

  readTensor(run: string, tag: string, at: PayloadAt): Promise<LoadedTensor | undefined> {
    return this.readPayload(this.runLoaders.get(run)?.readTensor(tag, at));
  }

  /**
   * A payload read whose file turned out changed has marked that file; a
   * pass now, rather than at the next interval, reads it again, so the
   * client told to list the tag again soon finds it read.
   */
  private async readPayload<T>(read: Promise<T | undefined> | undefined): Promise<T | undefined> {
    try {
      return await read;
    } catch (error) {
      if (error instanceof FileChangedError) this.requestReload();
      throw error;
    }
  }

  /**
   * Queues a pass after the one in flight, which may have passed the marked
   * file already, unless a pass is queued and has yet to start.
   */
  private requestReload(): void {
    if (this.closed || this.requested) return;
    this.requested = true;
    this.reloadOnce().catch((error: unknown) => {
      this.logger.warn(`reload pass failed: ${(error as Error).message}`);
    });
  }

  onChange(listener: (changes: LogdirChange[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  warnings(): string[] {
    return this.logdirProblem === null
      ? [...this.problems]
      : [...this.problems, this.logdirProblem];
  }
}

/** An empty logdir would read the current directory, which nobody means by it. */
export function checkLogdirPath(logdir: string): void {
  if (logdir === '') {
    throw new RangeError('invalid logdir: "" (want a directory; "." for the current one)');
  }
}

function isEventFile(entry: Dirent): boolean {
  return (entry.isFile() || entry.isSymbolicLink()) && entry.name.includes('tfevents');
}

function placeOf(run: string): { job: string | null; worker: WorkerSlot | null } {
  const worker = WORKER_RUN.exec(run);
  if (worker) return { job: worker[1], worker: { kind: 'worker', rank: Number(worker[2]) } };
  const global = GLOBAL_RUN.exec(run);
  if (global) return { job: global[1], worker: { kind: 'global' } };
  return { job: null, worker: null };
}

function byKey<T>(a: [string, T], b: [string, T]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}
