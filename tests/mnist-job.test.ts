// The distributed MNIST job end to end, on two real worker processes and a
// few hundred images: what each mode guarantees, what lands on disk, how the
// job stops when a worker dies (or is only part of a stop by the same signal),
// and how a worker ends when its coordinator goes.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { decodeEvent, decodeTensorMetadata, toSafeNumber } from '../proto/index.js';
import { readRecord } from '../writer/record.js';
import { imagesAt, loadMnist } from '../examples/mnist/dataset.js';
import { runJob } from '../examples/mnist/coordinator.js';
import { jobOptions, type JobSettings } from '../examples/mnist/job-options.js';
import type { Reply, ReplyOf, Request, WorkerConfig } from '../examples/mnist/messages.js';
import { CONCAT_LAYER, readWeights } from '../examples/mnist/models.js';
import type { Envelope, ProcessTransport } from '../examples/mnist/process-transport.js';
import { WorkerFailure, type Transport } from '../examples/mnist/transport.js';
import { JobInterrupted } from '../examples/mnist/job-context.js';

function tinyJob(settings: Pick<JobSettings, 'mode' | 'model'> & Partial<JobSettings>) {
  return jobOptions({
    partition: 'by-class',
    workers: 2,
    logdir: mkdtempSync(path.join(tmpdir(), 'mnist-job-')),
    trainSize: 300,
    steps: 4,
    batchSize: 16,
    localSteps: 2,
    logEvery: 2,
    combineSize: 200,
    testSize: 200,
    probesPerClass: 1,
    ...settings,
  });
}

/** False once `pid` has exited and been reaped (a zombie still answers signal 0). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let waited = 0; waited < 20_000; waited += 20) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Every event in a directory's event files, decoded; throws on any bad record. */
function eventsIn(dir: string) {
  return readdirSync(dir)
    .filter((name) => name.includes('tfevents'))
    .flatMap((name) => {
      const bytes = readFileSync(path.join(dir, name));
      const events = [];
      for (let at = 0; at < bytes.length;) {
        const result = readRecord(bytes, at, name);
        if (result.kind !== 'record') throw new Error(`${name}: truncated at ${at}`);
        events.push(decodeEvent(result.record.payload));
        at = result.record.next;
      }
      return events;
    });
}

/** The unit labels in the lensboard metadata of `tag`'s first value in `dir`. */
function unitLabelsIn(dir: string, tag: string): string[] {
  const value = eventsIn(dir)
    .flatMap((e) => e.summary?.value ?? [])
    .find((v) => v.tag === tag && v.metadata?.pluginData?.content);
  if (!value) throw new Error(`no ${tag} with metadata in ${dir}`);
  return decodeTensorMetadata(value.metadata!.pluginData!.content!).unitLabels ?? [];
}

function tagsIn(dir: string): Set<string> {
  return new Set(eventsIn(dir).flatMap((e) => (e.summary?.value ?? []).map((v) => v.tag ?? '')));
}

async function ask<K extends Reply['kind']>(
  transport: Transport,
  kind: K,
  request: Parameters<Transport['request']>[1],
): Promise<ReplyOf<K>[]> {
  const replies = await Promise.all([0, 1].map((rank) => transport.request(rank, request)));
  for (const reply of replies) expect(reply.kind).toBe(kind);
  return replies as ReplyOf<K>[];
}

describe('sync mode', () => {
  it(
    'keeps both workers weights identical after every step ' + 'and logs decodable events',
    async () => {
      const options = tinyJob({ mode: 'sync', model: 'cnn' });
      const checkedSteps: number[] = [];
      const result = await runJob(options, {
        afterRound: async (transport, step) => {
          const [a, b] = await ask(transport, 'weights', { kind: 'get-weights' });
          a.weights.forEach((values, v) => expect(b.weights[v]).toEqual(values));
          checkedSteps.push(step);
        },
      });
      expect(checkedSteps).toEqual([1, 2, 3, 4]);

      const runDir = path.join(options.logdir, options.run);
      for (const rank of [0, 1]) {
        const tags = tagsIn(path.join(runDir, `worker-${rank}`));
        for (const tag of ['batch/loss', 'batch/acc', 'probes/input', 'activations/conv1']) {
          expect(tags).toContain(tag);
        }
        expect(tags).toContain('weights/conv2/kernel');
      }
      const global = tagsIn(path.join(runDir, 'global'));
      for (const tag of [
        'job/description',
        'test/accuracy',
        'divergence/worker-1/conv1',
        'data/class_counts',
        'timing/worker-0/compute',
        'timing/worker-1/waiting',
        'activations/features',
      ]) {
        expect(global).toContain(tag);
      }
      expect(result.test.accuracy).toBeGreaterThanOrEqual(0);
    },
  );
});

describe('fedavg mode', () => {
  it('makes the combined model the element-wise mean of the workers final weights', async () => {
    const options = tinyJob({ mode: 'fedavg', model: 'linear', steps: 6, localSteps: 3 });
    let checked = false;
    await runJob(options, {
      beforeClose: async (transport, combined) => {
        const replies = await ask(transport, 'weights', { kind: 'get-weights' });
        const combinedWeights = readWeights(combined);
        combinedWeights.forEach((values, v) => {
          const [a, b] = replies.map((r) => r.weights[v]);
          expect(a).not.toEqual(b); // the class halves pull the replicas apart
          const mean = a.map((x, i) => (x + b[i]) / 2);
          for (let i = 0; i < mean.length; i++) expect(values[i]).toBeCloseTo(mean[i], 6);
        });
        checked = true;
      },
    });
    expect(checked).toBe(true);

    const counts = eventsIn(path.join(options.logdir, options.run, 'global')).find(
      (e) => e.summary?.value?.[0]?.tag === 'data/class_counts' && toSafeNumber(e.step) === 6,
    );
    const content = Uint8Array.from(counts!.summary!.value![0].tensor!.tensorContent!);
    const values = new Float32Array(content.buffer);
    // by-class: worker 0 trained only on 0-4, worker 1 only on 5-9, 6 steps of 16 each.
    expect(Array.from(values.slice(5, 10))).toEqual([0, 0, 0, 0, 0]);
    expect(values.slice(0, 10).reduce((s, x) => s + x, 0)).toBe(96);
  });
});

describe('experts mode', () => {
  it(
    'feeds the combining layer the concatenation of the experts features, ' +
      "and labels each expert's output units with its own classes",
    async () => {
      const options = tinyJob({ mode: 'experts', model: 'cnn' });
      const images = imagesAt(loadMnist().test, [0, 1, 2]);
      let checked = false;
      const result = await runJob(options, {
        beforeClose: async (transport, combined) => {
          const [a, b] = await ask(transport, 'features', { kind: 'features', images, count: 3 });
          const joined = tf.model({
            inputs: combined.inputs,
            outputs: combined.getLayer(CONCAT_LAYER).output as tf.SymbolicTensor,
          });
          const seen = (
            joined.predict(tf.tensor4d(images, [3, 28, 28, 1])) as tf.Tensor
          ).arraySync();
          const want = [0, 1, 2].map((i) => [
            ...a.values.slice(i * a.units, (i + 1) * a.units),
            ...b.values.slice(i * b.units, (i + 1) * b.units),
          ]);
          expect((seen as number[][]).map((row) => row.length)).toEqual([64, 64, 64]);
          (seen as number[][]).forEach((row, i) =>
            row.forEach((x, j) => expect(x).toBeCloseTo(want[i][j], 4)),
          );
          checked = true;
        },
      });
      expect(checked).toBe(true);
      expect(result.test.accuracy).toBeGreaterThan(0);

      const runDir = path.join(options.logdir, options.run);
      const digits = (from: number, to: number) =>
        Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
      for (const tag of ['activations/classes', 'templates/classes', 'weights/classes/kernel']) {
        expect(unitLabelsIn(path.join(runDir, 'worker-0'), tag), tag).toEqual(digits(0, 4));
        expect(unitLabelsIn(path.join(runDir, 'worker-1'), tag), tag).toEqual(digits(5, 9));
      }
      expect(unitLabelsIn(path.join(runDir, 'global'), 'templates/combiner')).toEqual(digits(0, 9));
      expect(unitLabelsIn(path.join(runDir, 'global'), 'activations/combiner')).toEqual(
        digits(0, 9),
      );
    },
  );
});

describe('a worker that dies', () => {
  it('stops the job with a message naming the worker, keeping what was logged', async () => {
    const options = tinyJob({ mode: 'fedavg', model: 'linear', steps: 40, localSteps: 2 });
    const job = runJob(options, {
      afterRound: async (transport, step) => {
        if (step === 4) process.kill((transport as ProcessTransport).pids[1], 'SIGKILL');
      },
    });
    await expect(job).rejects.toThrow(/^worker 1 failed: process \d+ killed by SIGKILL$/);
    const global = tagsIn(path.join(options.logdir, options.run, 'global'));
    expect(global).toContain('divergence/worker-1/classes');
    expect(tagsIn(path.join(options.logdir, options.run, 'worker-0'))).toContain('batch/loss');
  });
});

describe('a worker killed by a signal', () => {
  it.each([
    [undefined, /^worker 1 failed: process \d+ killed by SIGTERM$/],
    ['SIGINT', /^worker 1 failed: process \d+ killed by SIGTERM$/],
    ['SIGTERM', /^interrupted$/],
  ] as const)(
    'while the coordinator is stopped by %s ends the job with %s',
    async (stop, message) => {
      const options = tinyJob({ mode: 'fedavg', model: 'linear', steps: 40, localSteps: 2 });
      const abort = new AbortController();
      const job = runJob(options, {
        signal: abort.signal,
        afterRound: async (transport, step) => {
          if (step !== 4) return;
          const pid = (transport as ProcessTransport).pids[1];
          process.kill(pid, 'SIGTERM');
          // As with a signal to the process group, the coordinator's handler
          // runs first; the job learns of the worker's death at its next request.
          if (stop) abort.abort(stop);
          await until(() => !isAlive(pid), `worker 1 (pid ${pid}) to be reaped`);
          await transport.request(1, { kind: 'get-weights' });
        },
      });
      await expect(job).rejects.toThrow(message);
      await expect(job).rejects.toBeInstanceOf(stop === 'SIGTERM' ? JobInterrupted : WorkerFailure);
    },
  );
});

describe('a worker whose coordinator disconnects', () => {
  /** worker.ts forked as the transport forks it, with its stderr kept for the test. */
  function forkWorker(): { child: ChildProcess; stderr: () => string } {
    const entry = new URL('../examples/mnist/worker.ts', import.meta.url);
    const child = fork(entry, [], {
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return { child, stderr: () => stderr };
  }

  let nextId = 0;
  function request(child: ChildProcess, body: Request): Promise<Reply> {
    const id = nextId++;
    return new Promise((resolve) => {
      const onMessage = (message: Envelope<Reply>) => {
        if (message.id !== id) return;
        child.off('message', onMessage);
        resolve(message.body);
      };
      child.on('message', onMessage);
      child.send({ id, body } satisfies Envelope<Request>);
    });
  }

  /** The exit code, once stderr has been read to its end too. */
  async function exitCode(child: ChildProcess): Promise<number | null> {
    const [[code]] = await Promise.all([once(child, 'exit'), once(child.stderr!, 'end')]);
    return code as number | null;
  }

  function config(logDir: string): WorkerConfig {
    return {
      rank: 0,
      worldSize: 1,
      mode: 'fedavg',
      model: 'linear',
      seed: 1,
      logDir,
      shard: Array.from({ length: 100 }, (_, i) => i),
      outputClasses: Array.from({ length: 10 }, (_, digit) => digit),
      probes: [0, 1, 2],
      batchSize: 16,
      learningRate: 0.1,
      logEvery: 100,
    };
  }

  it('exits silently with status 0 when the disconnect follows a close', async () => {
    const { child, stderr } = forkWorker();
    const logDir = path.join(mkdtempSync(path.join(tmpdir(), 'mnist-worker-')), 'worker-0');
    const exited = exitCode(child);
    expect((await request(child, { kind: 'init', config: config(logDir) })).kind).toBe('ready');
    expect((await request(child, { kind: 'close' })).kind).toBe('done');
    child.disconnect();
    expect(await exited).toBe(0);
    expect(stderr()).toBe('');
  });

  it('says in one line that the coordinator is gone when it disconnects mid-job, its steps on disk', async () => {
    const { child, stderr } = forkWorker();
    const logDir = path.join(mkdtempSync(path.join(tmpdir(), 'mnist-worker-')), 'worker-0');
    const exited = exitCode(child);
    await request(child, { kind: 'init', config: config(logDir) });
    const train: Request = { kind: 'train', steps: 3, weights: null, returnWeights: false };
    expect((await request(child, train)).kind).toBe('trained');
    child.disconnect();
    expect(await exited).toBe(0);
    expect(stderr()).toMatch(
      /^worker 0 \(pid \d+\): the coordinator is gone \(its channel closed\); its log is flushed, exiting\n$/,
    );
    const steps = eventsIn(logDir)
      .filter((event) => event.summary?.value?.[0]?.tag === 'batch/loss')
      .map((event) => toSafeNumber(event.step));
    expect(steps).toEqual([1, 2, 3]);
  });
});
