/**
 * The demo's handle on tfjs: the adapter's choice of module (tfjs-node when
 * the user has it, else pure JavaScript), so that models, training and
 * logging share one engine. Types come from `@tensorflow/tfjs`, which both
 * modules implement.
 */
import { tf } from '../../writer/tfjs/backend.js';

export { tf, backendModule } from '../../writer/tfjs/backend.js';

/**
 * Silences tfjs's advice in this process: pure-JS tfjs greets each process
 * with "looks like you are running TensorFlow.js in Node.js", and the job
 * says which backend it uses once, in its own line (main.ts). Every process
 * of the job calls this before its first tensor. In tfjs 4 the PROD flag
 * gates only tfjs-core's console warnings: no computation changes.
 */
export function quietTfjsAdvice(): void {
  tf.enableProdMode();
}
