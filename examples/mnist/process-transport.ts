/**
 * The transport over forked Node processes: one child per worker, messages
 * with v8 serialisation so typed arrays cross without copying through JSON.
 * Under vitest and tsx the sources are `.ts`; the child then loads tsx too.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Reply, Request } from './messages.js';
import { WorkerFailure, type Transport } from './transport.js';

/** How long a worker may take to flush and exit after SIGTERM before SIGKILL. */
const KILL_GRACE_MS = 10_000;

/** A request or reply on the wire, matched by `id`. */
export type Envelope<T> = { id: number; body: T };

interface Pending {
  resolve: (reply: Reply) => void;
  reject: (error: Error) => void;
}

export interface ProcessTransportOptions {
  /** Environment of the children; defaults to this process's. */
  env?: NodeJS.ProcessEnv;
  /** Called once when the first worker fails, before pending requests reject. */
  onFailure?: (failure: WorkerFailure) => void;
}

export class ProcessTransport implements Transport {
  readonly size: number;
  /** Children by rank; a child stays listed after it exits. */
  private readonly children: ChildProcess[];
  /** Requests sent and not answered, by id; every one settles exactly once. */
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  /** Set on the first failure; later requests reject with it at once. */
  private failure: WorkerFailure | null = null;
  /** True once close() began: exits from then on are expected. */
  private closing = false;

  constructor(
    workers: number,
    private readonly options: ProcessTransportOptions = {},
  ) {
    this.size = workers;
    this.children = Array.from({ length: workers }, (_, rank) => this.spawn(rank));
  }

  /** Process ids by rank, for messages and tests. */
  get pids(): number[] {
    return this.children.map((child) => child.pid ?? -1);
  }

  request(rank: number, request: Request): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.children[rank].send({ id, body: request } satisfies Envelope<Request>, (error) => {
        if (error)
          this.fail(new WorkerFailure(rank, `cannot send ${request.kind}: ${error.message}`));
      });
    });
  }

  async close(): Promise<void> {
    const exits = this.children.map(exited);
    if (!this.failure) {
      await Promise.allSettled(
        this.children.map((_, rank) => this.request(rank, { kind: 'close' })),
      );
    }
    this.closing = true;
    for (const child of this.children) if (child.connected) child.disconnect();
    await Promise.all(exits);
  }

  async kill(): Promise<void> {
    this.closing = true;
    const stopped = new Error('workers stopped by the coordinator');
    for (const { reject } of this.pending.values()) reject(stopped);
    this.pending.clear();
    const exits = this.children.map(exited);
    for (const child of this.children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    }
    // SIGTERM lets a worker's writer flush what it queued; the job's failure is
    // reported only once that is on disk. A worker stuck past the grace is killed.
    const force = setTimeout(() => {
      for (const child of this.children) if (child.exitCode === null) child.kill('SIGKILL');
    }, KILL_GRACE_MS);
    await Promise.all(exits);
    clearTimeout(force);
  }

  private spawn(rank: number): ChildProcess {
    const child = fork(workerEntry(), [], {
      execArgv: import.meta.url.endsWith('.ts') ? ['--import', 'tsx'] : [],
      serialization: 'advanced',
      env: this.options.env ?? process.env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.on('message', (message: Envelope<Reply>) => this.settle(rank, message));
    child.on('error', (error) => this.fail(new WorkerFailure(rank, error.message)));
    child.on('exit', (code, signal) => {
      if (this.closing && code === 0) return;
      const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
      this.fail(new WorkerFailure(rank, `process ${child.pid} ${how}`, signal ?? undefined));
    });
    return child;
  }

  private settle(rank: number, { id, body }: Envelope<Reply>): void {
    const waiting = this.pending.get(id);
    if (!waiting) return;
    this.pending.delete(id);
    if (body.kind === 'error') {
      const failure = new WorkerFailure(rank, body.message);
      waiting.reject(failure);
      this.fail(failure);
    } else {
      waiting.resolve(body);
    }
  }

  /** The first failure stops the job: every pending request rejects with it. */
  private fail(failure: WorkerFailure): void {
    if (this.failure || this.closing) return;
    this.failure = failure;
    this.options.onFailure?.(failure);
    for (const { reject } of this.pending.values()) reject(failure);
    this.pending.clear();
  }
}

function workerEntry(): string {
  const own = import.meta.url;
  return fileURLToPath(new URL(own.endsWith('.ts') ? './worker.ts' : './worker.js', own));
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}
