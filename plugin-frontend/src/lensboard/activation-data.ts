/**
 * What the activations view loads, apart from drawing: the catalog of a run
 * (its layers, their series, the probe inputs) once per live change, and the
 * frame at one step (every layer's activation tensor, the probe images and
 * the predictions). Switching probe needs neither: a frame holds every probe.
 */
import { api } from '../api.js';
import type { LoadedTensor, TensorSeries } from '../api-types.js';
import { settleEach } from '../lib/settle.js';
import { mergeSteps, shownStep, valueCounts } from '../lib/steps.js';
import { predictions } from './channel-stats.js';
import { seriesSteps, tensorAt } from './data.js';
import {
  activationLayers,
  outputLayer,
  probeInputTag,
  type ActivationLayer,
} from './logged-tags.js';

export interface ActivationCatalog {
  run: string;
  layers: ActivationLayer[];
  /** Series by tag: activations, their stats and top probes, and the probe inputs. */
  series: Map<string, TensorSeries>;
  /**
   * Why a tag's series could not be loaded, by tag. A tag is in `series` or
   * here, never both: one failed layer is shown as its error, the rest drawn.
   */
  failures: Map<string, unknown>;
  probeTag: string | null;
  /** Ids of the probes along the batch axis (their place in the data set); empty if unknown. */
  probeIds: number[];
  /** True labels of the probes, -1 where unknown. */
  probeLabels: number[];
  output: ActivationLayer | null;
  steps: number[];
  /** Values logged and kept by the largest series, for the step control. */
  kept: number;
  total: number;
}

export interface ActivationFrame {
  step: number;
  /** By layer: the layers logged at or before `step` whose tensor could be loaded. */
  tensors: Map<string, LoadedTensor>;
  /** By layer: why its tensor of this step could not be loaded. */
  failures: Map<string, unknown>;
  probes: LoadedTensor | null;
  /** Set when the probe inputs of this step could not be loaded. */
  probeFailure: { error: unknown } | null;
  /** Predicted output unit per probe (argmax of the output layer), empty without one. */
  predictions: number[];
}

export async function loadCatalog(run: string, signal: AbortSignal): Promise<ActivationCatalog> {
  const tags = await api.tags(run, signal);
  const layers = activationLayers(tags);
  const probeInfo = probeInputTag(tags);
  const wanted = [
    ...layers.flatMap((l) => [l.tag, l.statsTag, l.topTag]),
    probeInfo?.tag ?? null,
  ].filter((tag): tag is string => tag !== null);
  const loaded = await settleEach(
    wanted.map((tag) => api.tensors(run, tag, signal)),
    signal,
  );
  const series = new Map<string, TensorSeries>();
  const failures = new Map<string, unknown>();
  wanted.forEach((tag, i) => {
    const result = loaded[i];
    if (result.ok) series.set(tag, result.value);
    else failures.set(tag, result.error);
  });
  const activations = layers.flatMap((l) => series.get(l.tag) ?? []);
  const shapes = new Map(
    layers.map((l) => [l.layer, series.get(l.tag)?.entries[0]?.shape ?? []] as const),
  );
  return {
    run,
    layers,
    series,
    failures,
    probeTag: probeInfo?.tag ?? null,
    probeIds: probeInfo?.metadata?.probeIds ?? [],
    probeLabels: probeInfo?.metadata?.probeLabels ?? [],
    output: outputLayer(layers, shapes),
    steps: mergeSteps(activations.map(seriesSteps)),
    ...valueCounts(activations),
  };
}

/**
 * Every layer's activation at `step`; layers not logged at that step show their
 * newest earlier value.
 */
export async function loadFrame(
  catalog: ActivationCatalog,
  step: number,
  signal: AbortSignal,
): Promise<ActivationFrame> {
  const at = async (tag: string | null) => {
    const series = tag === null ? undefined : catalog.series.get(tag);
    const shown = series ? shownStep(seriesSteps(series), step) : null;
    return series && shown !== null ? tensorAt(series, shown, signal) : null;
  };
  const [probes, ...layerTensors] = await settleEach(
    [at(catalog.probeTag), ...catalog.layers.map((l) => at(l.tag))],
    signal,
  );
  const tensors = new Map<string, LoadedTensor>();
  const failures = new Map<string, unknown>();
  catalog.layers.forEach((l, i) => {
    const result = layerTensors[i];
    if (!result.ok) failures.set(l.layer, result.error);
    else if (result.value) tensors.set(l.layer, result.value);
  });
  const output = catalog.output && tensors.get(catalog.output.layer);
  return {
    step,
    tensors,
    failures,
    probes: probes.ok ? probes.value : null,
    probeFailure: probes.ok ? null : { error: probes.error },
    predictions: output ? predictions(output) : [],
  };
}
