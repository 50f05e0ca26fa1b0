/**
 * How the coordinator reaches its workers. Training code sees only this
 * interface: a request to one rank, answered once. Process messages implement
 * it today (`process-transport.ts`); a network transport could replace them
 * without touching the modes.
 */
import type { Reply, Request } from './messages.js';

export interface Transport {
  /** Number of workers, ranks 0..size-1. */
  readonly size: number;
  /**
   * Sends `request` to worker `rank` and resolves with its reply. Rejects with
   * WorkerFailure when that worker (or any other: the job cannot continue
   * without it) dies or answers with an error.
   */
  request(rank: number, request: Request): Promise<Reply>;
  /** Asks every worker to flush and exit, then waits for them. */
  close(): Promise<void>;
  /**
   * Stops every worker at once (on failure and on interrupt); resolves when
   * every worker has exited, having flushed what its writer had queued.
   */
  kill(): Promise<void>;
}

/** A worker that stopped answering: its rank, and why. */
export class WorkerFailure extends Error {
  override readonly name = 'WorkerFailure';

  constructor(
    readonly rank: number,
    readonly reason: string,
    /** The signal that ended the worker's process, when one did. */
    readonly signal?: NodeJS.Signals,
  ) {
    super(`worker ${rank} failed: ${reason}`);
  }
}

/** Sends one request to every worker and waits for all replies, in rank order. */
export function requestAll(
  transport: Transport,
  make: (rank: number) => Request,
): Promise<Reply[]> {
  return Promise.all(
    Array.from({ length: transport.size }, (_, rank) => transport.request(rank, make(rank))),
  );
}
