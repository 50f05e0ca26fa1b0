/**
 * What the coordinator and its workers say to each other. Every payload is
 * plain data and typed arrays, so any transport that can carry structured
 * clones (process messages, a socket with v8 serialisation) can carry it.
 * Each request gets exactly one reply; `computeMs` in a reply is the time the
 * worker spent working on it, which lets the coordinator split a round trip
 * into compute and communication.
 */
import type { ModelKind } from './models.js';
import type { PartitionKind } from './partition.js';

export type Mode = 'sync' | 'fedavg' | 'experts';
export const MODES: readonly Mode[] = ['sync', 'fedavg', 'experts'];

export interface WorkerConfig {
  rank: number;
  worldSize: number;
  mode: Mode;
  model: ModelKind;
  seed: number;
  /** The worker's own log directory, `<logdir>/<run>/worker-<rank>`; null logs nothing. */
  logDir: string | null;
  /** Training-set indices of the worker's shard, in training order. */
  shard: number[];
  /** The classes the worker's model predicts: all ten, or its own under `experts`. */
  outputClasses: number[];
  /** Test-set indices of the probe batch, shared by every worker. */
  probes: number[];
  batchSize: number;
  learningRate: number;
  /** Log activations and weights every this many local steps (and at the end). */
  logEvery: number;
}

export type Request =
  | { kind: 'init'; config: WorkerConfig }
  /** Computes gradients on the next batch without applying them. */
  | { kind: 'compute-gradients' }
  | { kind: 'apply-gradients'; gradients: Float32Array[] }
  /** Optionally replaces the weights, then trains `steps` local steps. */
  | { kind: 'train'; steps: number; weights: Float32Array[] | null; returnWeights: boolean }
  /** The output of the feature layer for `count` images of 784 floats. */
  | { kind: 'features'; images: Float32Array; count: number }
  | { kind: 'get-weights' }
  /** Logs activations and weights now, at the worker's current step. */
  | { kind: 'log-now' }
  | { kind: 'close' };

export interface TrainStats {
  /** Local steps taken so far, and examples of each class trained on. */
  step: number;
  classCounts: number[];
  loss: number;
  accuracy: number;
  /** Milliseconds this worker has spent logging so far, inside its compute time. */
  loggingMs: number;
}

export type Reply = { computeMs: number } & (
  | { kind: 'ready'; weightNames: string[]; weightShapes: number[][] }
  | { kind: 'gradients'; gradients: Float32Array[]; stats: TrainStats }
  | { kind: 'trained'; weights: Float32Array[] | null; stats: TrainStats }
  | { kind: 'features'; values: Float32Array; units: number }
  | { kind: 'weights'; weights: Float32Array[] }
  | { kind: 'done' }
  | { kind: 'error'; message: string }
);

export type ReplyOf<K extends Reply['kind']> = Extract<Reply, { kind: K }>;
