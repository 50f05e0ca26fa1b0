/**
 * The demo's handle on tfjs: the adapter's choice of module (tfjs-node when
 * the user has it, else pure JavaScript), so that models, training and
 * logging share one engine. Types come from `@tensorflow/tfjs`, which both
 * modules implement.
 */
export { tf, backendModule } from '../../writer/tfjs/backend.js';
