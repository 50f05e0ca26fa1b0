/**
 * The colour scales of the activations view for the three scale modes: each
 * channel on its own range (shape within a channel), each layer on one range
 * (channels compared), or one range for every layer (layers compared).
 */
import { mergeRanges, scaleFor, type ColorScale } from './color-scale.js';
import { mapRange } from './paint-map.js';
import type { MapRef } from './tensor-maps.js';

export type ScaleMode = 'channel' | 'layer' | 'shared';

export const SCALE_MODES: readonly ScaleMode[] = ['channel', 'layer', 'shared'];

/** Scales of one layer's maps: one per map in channel mode, one for all maps otherwise. */
export interface LayerScales {
  perMap: ColorScale[];
  layer: ColorScale;
}

/** Scales for each layer's maps (keyed like `mapsByLayer`) in `mode`. */
export function layerScales(
  mapsByLayer: Map<string, readonly MapRef[]>,
  mode: ScaleMode,
): Map<string, LayerScales> {
  const ranges = new Map([...mapsByLayer].map(([layer, maps]) => [layer, maps.map(mapRange)]));
  const shared = scaleFor(mergeRanges([...ranges.values()].flat()));
  const scales = new Map<string, LayerScales>();
  for (const [layer, channelRanges] of ranges) {
    const layerScale = mode === 'shared' ? shared : scaleFor(mergeRanges(channelRanges));
    const perMap =
      mode === 'channel' ? channelRanges.map(scaleFor) : channelRanges.map(() => layerScale);
    scales.set(layer, { perMap, layer: layerScale });
  }
  return scales;
}

/** The range of some maps taken together, as a scale: for a channel across workers or probes. */
export function scaleOfMaps(maps: readonly MapRef[]): ColorScale {
  return scaleFor(mergeRanges(maps.map(mapRange)));
}
