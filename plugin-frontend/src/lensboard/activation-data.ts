/**
 * What the activations view loads, apart from drawing: the catalog of a run
 * (its layers, their series, the probe inputs) once per live change, and the
 * frame at one step (every layer's activation tensor, the probe images and
 * the predictions). Switching probe needs neither: a frame holds every probe.
 */
import { api } from '../api.js';
import type { LoadedTensor, TensorSeries } from '../api-types.js';
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
  tensors: Map<string, LoadedTensor>;
  probes: LoadedTensor | null;
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
  const loaded = await Promise.all(wanted.map((tag) => api.tensors(run, tag, signal)));
  const series = new Map(wanted.map((tag, i) => [tag, loaded[i]]));
  const activations = layers.map((l) => series.get(l.tag)!);
  const shapes = new Map(layers.map((l, i) => [l.layer, activations[i].entries[0]?.shape ?? []]));
  return {
    run,
    layers,
    series,
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
  const at = (tag: string) => {
    const series = catalog.series.get(tag)!;
    const shown = shownStep(seriesSteps(series), step);
    return shown === null ? Promise.resolve(null) : tensorAt(series, shown, signal);
  };
  const [probes, ...layerTensors] = await Promise.all([
    catalog.probeTag ? at(catalog.probeTag) : Promise.resolve(null),
    ...catalog.layers.map((l) => at(l.tag)),
  ]);
  const tensors = new Map<string, LoadedTensor>();
  catalog.layers.forEach((l, i) => layerTensors[i] && tensors.set(l.layer, layerTensors[i]));
  const output = catalog.output && tensors.get(catalog.output.layer);
  return { step, tensors, probes, predictions: output ? predictions(output) : [] };
}
