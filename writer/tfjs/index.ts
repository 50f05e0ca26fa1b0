/**
 * `lensboard/tfjs`: log what a TensorFlow.js model does while it trains, as
 * TensorBoard summaries through a lensboard `SummaryWriter`. Use
 * `lensboardCallback` with `model.fit`, or the plain functions in a custom loop.
 */
export { logActivations, DEFAULT_MAX_ACTIVATION_VALUES, DEFAULT_TOP_K } from './activations.js';
export type { ActivationOptions } from './activations.js';
export { backendModule } from './backend.js';
export { LensboardCallback, lensboardCallback, DEFAULT_SNAPSHOT_EVERY } from './callback.js';
export type { CallbackOptions } from './callback.js';
export { STAT_NAMES, SATURATION_MARGIN, channelStats, topProbes } from './channel-stats.js';
export { logGradients } from './gradients.js';
export type { OutputLabelOptions } from './output-labels.js';
export type { ProbeBatch } from './probes.js';
export type { ReportOptions } from './report.js';
export type { EncodedImage, SummarySink } from './sink.js';
export { templateLayout } from './templates.js';
export { logWeights } from './weights.js';
export type { WeightOptions } from './weights.js';
