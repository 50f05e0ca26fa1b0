/**
 * What a mode works with while it runs a job: timed rounds of requests to
 * every worker, the coordinator's log, progress reports and the interrupt
 * flag. Each round's time per worker is split into compute (the worker's own
 * report), communication (the rest of its round trip) and waiting (until the
 * slowest worker of the round answered).
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { Examples } from './dataset.js';
import type { GlobalLog, StepTiming } from './job-logging.js';
import type { JobOptions } from './job-options.js';
import type { Reply, ReplyOf, Request } from './messages.js';
import type { Shard } from './partition.js';
import type { Transport } from './transport.js';
import type { ProbeBatch } from '../../writer/tfjs/index.js';

export interface Progress {
  run: string;
  step: number;
  totalSteps: number;
  loss: number;
  samplesPerSecond: number;
}

export interface JobHooks {
  onProgress?: (progress: Progress) => void;
  /** Told once when a mode enters a phase after its training steps (combining experts). */
  onPhase?: (description: string) => void;
  /** Awaited after every round of a mode; tests inspect the workers here. */
  afterRound?: (transport: Transport, step: number) => Promise<void>;
  /** Awaited with the combined model before the workers close. */
  beforeClose?: (transport: Transport, combined: tfjs.LayersModel) => Promise<void>;
  /**
   * Stops the job between rounds; everything logged so far is flushed. When
   * its reason is the name of the signal that stopped the coordinator, a
   * worker killed by that same signal is part of the stop, not a failure.
   */
  signal?: AbortSignal;
}

/** The job was interrupted by its signal; not a failure of any worker. */
export class JobInterrupted extends Error {
  override readonly name = 'JobInterrupted';
}

export class JobContext {
  /** Time per worker since the last `logTiming`, in seconds. */
  private timings: StepTiming[];
  /** When training began (after the workers were ready): the base of samples per second. */
  private started = performance.now();
  private samples = 0;
  /** Per worker over the whole job: milliseconds of compute, and of logging within it. */
  private readonly computeMs: number[] = [];
  private readonly loggingMs: number[] = [];
  /** Names of the worker model's weights, in its order; set once the workers are ready. */
  weightNames: string[] = [];

  constructor(
    readonly options: JobOptions,
    readonly transport: Transport,
    readonly log: GlobalLog,
    readonly shards: Shard[],
    readonly totalSteps: number,
    readonly test: Examples,
    readonly probes: ProbeBatch,
    readonly combineSet: Examples,
    private readonly hooks: JobHooks,
  ) {
    this.timings = shards.map(() => ({ compute: 0, communication: 0, waiting: 0 }));
  }

  /** Starts the throughput clock; called once the workers are ready. */
  startClock(): void {
    this.started = performance.now();
    this.samples = 0;
  }

  /** Sends one request to every worker, waits for all, and books the time. */
  async round<K extends Reply['kind']>(kind: K, make: (rank: number) => Request) {
    if (this.hooks.signal?.aborted) throw new JobInterrupted('interrupted');
    const sent = performance.now();
    const arrived: number[] = [];
    const replies = await Promise.all(
      this.shards.map(async (_, rank) => {
        const reply = await this.transport.request(rank, make(rank));
        arrived[rank] = performance.now();
        return reply;
      }),
    );
    this.book(sent, arrived, replies);
    return replies.map((reply) => expect(reply, kind));
  }

  /** Writes the time booked since the last call, per step, at `step`. */
  logTiming(step: number, steps: number): void {
    const perStep = (s: number) => s / Math.max(steps, 1);
    this.log.timing(
      step,
      this.timings.map((t) => ({
        compute: perStep(t.compute),
        communication: perStep(t.communication),
        waiting: perStep(t.waiting),
      })),
    );
    this.timings = this.timings.map(() => ({ compute: 0, communication: 0, waiting: 0 }));
  }

  /**
   * Reports progress after `step` local steps; `samples` examples were trained
   * on since the last report.
   */
  progress(step: number, loss: number, samples: number): void {
    this.samples += samples;
    const seconds = (performance.now() - this.started) / 1000;
    this.hooks.onProgress?.({
      run: this.options.run,
      step,
      totalSteps: this.totalSteps,
      loss,
      samplesPerSecond: this.samples / Math.max(seconds, 1e-3),
    });
  }

  /** Reports that the mode entered a phase after training, described for a person. */
  phase(description: string): void {
    this.hooks.onPhase?.(description);
  }

  async afterRound(step: number): Promise<void> {
    await this.hooks.afterRound?.(this.transport, step);
  }

  /**
   * The share of the workers' compute time spent logging (metrics and
   * snapshots), over the job so far: what logging costs training.
   */
  loggingShare(): number {
    const compute = this.computeMs.reduce((sum, ms) => sum + ms, 0);
    const logging = this.loggingMs.reduce((sum, ms) => sum + ms, 0);
    return compute > 0 ? logging / compute : 0;
  }

  private book(sent: number, arrived: number[], replies: Reply[]): void {
    const last = Math.max(...arrived);
    replies.forEach((reply, rank) => {
      this.computeMs[rank] = (this.computeMs[rank] ?? 0) + reply.computeMs;
      // Workers report their logging time as a running total.
      if ('stats' in reply) this.loggingMs[rank] = reply.stats.loggingMs;
      const roundTrip = arrived[rank] - sent;
      const timing = this.timings[rank];
      timing.compute += reply.computeMs / 1000;
      timing.communication += Math.max(0, roundTrip - reply.computeMs) / 1000;
      timing.waiting += (last - arrived[rank]) / 1000;
    });
  }
}

function expect<K extends Reply['kind']>(reply: Reply, kind: K): ReplyOf<K> {
  if (reply.kind !== kind) throw new Error(`got a ${reply.kind} reply, want ${kind}`);
  return reply as ReplyOf<K>;
}

/** Mean of the workers' last losses, for progress. */
export function meanLoss(replies: { stats: { loss: number } }[]): number {
  return replies.reduce((sum, r) => sum + r.stats.loss, 0) / replies.length;
}
