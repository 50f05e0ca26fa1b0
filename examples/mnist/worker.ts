/**
 * The entry of a forked worker process: answers the coordinator's requests
 * with its Replica, one at a time, in arrival order. Any error is sent back
 * as an `error` reply naming the request, and the process stays up so the
 * coordinator decides how the job ends. The process exits when the
 * coordinator disconnects: silently after it asked the worker to close, and
 * with one line, its log flushed, when the coordinator died mid-job.
 */
import { loadMnist, type Mnist } from './dataset.js';
import { installFastConvGradient } from './cpu-conv-grad.js';
import type { Reply, Request } from './messages.js';
import type { Envelope } from './process-transport.js';
import { Replica } from './replica.js';
import { quietTfjsAdvice, tf } from './tf.js';

quietTfjsAdvice();

/** A reply before the worker stamps its compute time on it. */
type Body<R = Reply> = R extends Reply ? Omit<R, 'computeMs'> : never;

let replica: Replica | null = null;
let data: Mnist | null = null;

async function handle(request: Request): Promise<Body> {
  if (request.kind === 'init') {
    await tf.ready();
    installFastConvGradient();
    data ??= loadMnist();
    replica = new Replica(request.config, data);
    const weightShapes = replica.model.weights.map((w) => [...w.shape] as number[]);
    return { kind: 'ready', weightNames: replica.weightNames, weightShapes };
  }
  const own = replica;
  if (!own) throw new Error(`got ${request.kind} before init`);
  switch (request.kind) {
    case 'compute-gradients':
      return { kind: 'gradients', ...own.computeGradients() };
    case 'apply-gradients':
      await own.applyGradients(request.gradients);
      return { kind: 'done' };
    case 'train': {
      if (request.weights) own.setWeights(request.weights);
      const stats = await own.train(request.steps);
      return { kind: 'trained', stats, weights: request.returnWeights ? own.weights() : null };
    }
    case 'features':
      return { kind: 'features', ...own.features(request.images, request.count) };
    case 'get-weights':
      return { kind: 'weights', weights: own.weights() };
    case 'log-now':
      await own.logNow();
      return { kind: 'done' };
    case 'close':
      await own.close();
      return { kind: 'done' };
  }
}

/** Requests are handled strictly in order: tfjs state is not re-entrant. */
let queue: Promise<void> = Promise.resolve();
/** True once a `close` is answered: the disconnect that follows is the job's normal end. */
let closed = false;
/** True once the worker is leaving; requests still queued are dropped unanswered. */
let leaving = false;

process.on('message', (message: Envelope<Request>) => {
  queue = queue.then(() => answer(message));
});
process.on('disconnect', () => leave(closed ? null : 'its channel closed'));
// The coordinator owns Ctrl-C: it stops the job and closes every worker in
// order, so a worker must not die from the terminal's SIGINT on its own.
process.on('SIGINT', () => {});

async function answer({ id, body }: Envelope<Request>): Promise<void> {
  if (leaving) return;
  const started = performance.now();
  let reply: Reply;
  try {
    reply = { ...(await handle(body)), computeMs: performance.now() - started } as Reply;
  } catch (error) {
    const message = `${body.kind}: ${(error as Error).message}`;
    reply = { kind: 'error', message, computeMs: performance.now() - started };
  }
  if (body.kind === 'close' && reply.kind === 'done') closed = true;
  send({ id, body: reply });
}

/**
 * A reply that cannot be delivered means the coordinator died (killed, or
 * crashed) while this worker computed: EPIPE if the channel broke under the
 * write, or a channel already closed. Either ends the worker, not as an error.
 */
function send(envelope: Envelope<Reply>): void {
  if (!process.connected) return leave('its channel closed');
  process.send?.(envelope, (error: Error | null) => {
    if (error) leave(`a reply failed: ${error.message}`);
  });
}

/**
 * Exits once the request in hand is done. After a close that is silent; a
 * coordinator gone gets one line, once this worker's events are on disk,
 * since nothing else will report why the worker stopped.
 */
function leave(reason: string | null): void {
  if (leaving) return;
  leaving = true;
  queue = queue.then(async () => {
    if (reason !== null) {
      await replica?.closeLog();
      const who = replica ? `worker ${replica.config.rank}` : 'worker';
      console.error(
        `${who} (pid ${process.pid}): the coordinator is gone (${reason}); ` +
          'its log is flushed, exiting',
      );
    }
    process.exit(0);
  });
}
