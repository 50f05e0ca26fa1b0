/**
 * Finds what the lensboard views draw among a run's tags, following
 * docs/logged-tags.md: a tensor's role comes from its TensorMetadata when the
 * server has it, and from the documented tag prefix otherwise, so a logdir
 * written by another tool with the same names still opens.
 */
import type { TagInfo } from '../api-types.js';

/** TensorRole's wire numbers from proto/lensboard.proto (the server sends enums as numbers). */
export const Role = {
  ACTIVATION: 1,
  WEIGHT: 2,
  CLASS_TEMPLATE: 3,
  GRADIENT: 4,
  PROBE_INPUT: 5,
  CHANNEL_STATS: 6,
  TOP_PROBES: 7,
  OTHER: 8,
} as const;

const PREFIX_ROLES: [string, number][] = [
  ['activations/', Role.ACTIVATION],
  ['activation_stats/', Role.CHANNEL_STATS],
  ['activation_top/', Role.TOP_PROBES],
  ['templates/', Role.CLASS_TEMPLATE],
  ['weights/', Role.WEIGHT],
  ['probes/input', Role.PROBE_INPUT],
];

/** A layer with logged activations, and the companion tags that describe it. */
export interface ActivationLayer {
  layer: string;
  layerKind: string;
  activation: string;
  tag: string;
  statsTag: string | null;
  topTag: string | null;
  /** The class each unit stands for (a classifier's output); empty: unit i is class i. */
  unitLabels: string[];
}

export interface NamedTensorTag {
  layer: string;
  tag: string;
  /** For class templates: the class each unit stands for; empty: unit i is class i. */
  unitLabels: string[];
  /** The variable's short name for weights (`kernel`, `bias`); empty otherwise. */
  weight: string;
  shape: number[];
}

export function tagRole(info: TagInfo): number {
  if (info.kind !== 'tensors') return 0;
  const role = info.metadata?.role;
  if (role) return Number(role);
  return PREFIX_ROLES.find(([prefix]) => info.tag.startsWith(prefix))?.[1] ?? 0;
}

/**
 * The layer a lensboard tensor belongs to: its metadata's layer name, else the tag
 * after the prefix.
 */
export function tagLayer(info: TagInfo): string {
  if (info.metadata?.layerName) return info.metadata.layerName;
  const slash = info.tag.indexOf('/');
  const rest = slash < 0 ? info.tag : info.tag.slice(slash + 1);
  return info.tag.startsWith('weights/') ? rest.slice(0, rest.lastIndexOf('/')) : rest;
}

export function metadataShape(info: TagInfo): number[] {
  return (info.metadata?.shape ?? []).map(Number);
}

/**
 * Layers with activations in the order the server lists their tags, which is
 * the order they were first written: the adapter logs layers input to output.
 */
export function activationLayers(tags: readonly TagInfo[]): ActivationLayer[] {
  const byRole = (role: number, layer: string) =>
    tags.find((t) => tagRole(t) === role && tagLayer(t) === layer)?.tag ?? null;
  return tags
    .filter((t) => tagRole(t) === Role.ACTIVATION)
    .map((t) => {
      const layer = tagLayer(t);
      return {
        layer,
        layerKind: t.metadata?.layerKind ?? '',
        activation: t.metadata?.activation ?? '',
        tag: t.tag,
        statsTag: byRole(Role.CHANNEL_STATS, layer),
        topTag: byRole(Role.TOP_PROBES, layer),
        unitLabels: t.metadata?.unitLabels ?? [],
      };
    });
}

/**
 * The layer whose argmax is the prediction: the softmax layer when one says
 * so, else the last flat layer logged.
 */
export function outputLayer(
  layers: readonly ActivationLayer[],
  shapes: Map<string, number[]>,
): ActivationLayer | null {
  const softmax = layers.filter((l) => l.activation.toLowerCase() === 'softmax');
  if (softmax.length) return softmax[softmax.length - 1];
  const flat = layers.filter((l) => shapes.get(l.layer)?.length === 2);
  return flat[flat.length - 1] ?? null;
}

export function probeInputTag(tags: readonly TagInfo[]): TagInfo | null {
  return tags.find((t) => tagRole(t) === Role.PROBE_INPUT) ?? null;
}

export function templateTags(tags: readonly TagInfo[]): NamedTensorTag[] {
  return tags
    .filter((t) => tagRole(t) === Role.CLASS_TEMPLATE)
    .map((t) => ({
      layer: tagLayer(t),
      tag: t.tag,
      unitLabels: t.metadata?.unitLabels ?? [],
      weight: '',
      shape: metadataShape(t),
    }));
}

export function weightTags(tags: readonly TagInfo[]): NamedTensorTag[] {
  return tags
    .filter((t) => tagRole(t) === Role.WEIGHT)
    .map((t) => ({
      layer: tagLayer(t),
      tag: t.tag,
      unitLabels: [],
      weight: t.metadata?.weightName || t.tag.slice(t.tag.lastIndexOf('/') + 1),
      shape: metadataShape(t),
    }));
}

/**
 * A per-worker scalar of the job's global run: `divergence/worker-<rank>/<layer>`
 * or `timing/worker-<rank>/<part>`.
 */
export interface WorkerScalarTag {
  tag: string;
  rank: number;
  /** The layer for divergence, the part (compute, communication, waiting) for timing. */
  name: string;
}

export function workerScalarTags(
  tags: readonly TagInfo[],
  prefix: 'divergence' | 'timing',
): WorkerScalarTag[] {
  const pattern = new RegExp(`^${prefix}/worker-(\\d+)/(.+)$`);
  return tags.flatMap((t) => {
    const match = t.kind === 'scalars' ? pattern.exec(t.tag) : null;
    return match ? [{ tag: t.tag, rank: Number(match[1]), name: match[2] }] : [];
  });
}
