/**
 * Checks the parts of a link that only the data can judge: a tag, worker,
 * layer, probe or channel the view cannot show. Each is reported in the tone of a
 * malformed link parameter ("invalid probe: 25 (want an integer in [0, 20))")
 * and shown where those are, so no part of a link is silently ignored.
 */
import type { ViewState } from '../view-state.js';

/** What a view can show right now; a part left out is not checked. */
export interface LinkTargets {
  /** The tags of the panels the view draws, when the state's tag names one. */
  tags?: readonly string[];
  /** The runs the view can draw; the state's worker must be one of them. */
  workers?: readonly string[];
  layers?: readonly string[];
  /** Probes in the batch, when the view draws probes. */
  probes?: number;
  /** Channels (or units) of the state's layer, when it is a known layer. */
  channels?: number;
}

type Linked = Pick<ViewState, 'worker' | 'layer' | 'probe' | 'channel'> &
  Partial<Pick<ViewState, 'tag'>>;

/** One sentence per linked value the view cannot show. */
export function linkProblems(state: Linked, targets: LinkTargets): string[] {
  const problems: string[] = [];
  const { tags, workers, layers, probes, channels } = targets;
  if (state.tag != null && tags && !tags.includes(state.tag)) {
    problems.push(unknown('tag', state.tag, tags));
  }
  if (state.worker !== null && workers && !workers.includes(state.worker)) {
    problems.push(unknown('worker', state.worker, workers));
  }
  const layerKnown = state.layer === null || !layers || layers.includes(state.layer);
  if (!layerKnown) problems.push(unknown('layer', state.layer!, layers!));
  if (state.probe !== null && probes !== undefined && state.probe >= probes) {
    problems.push(outOfRange('probe', state.probe, probes));
  }
  if (layerKnown && state.channel !== null && channels !== undefined && state.channel >= channels) {
    problems.push(outOfRange('channel', state.channel, channels, state.layer));
  }
  return problems;
}

function unknown(what: string, value: string, known: readonly string[]): string {
  if (known.length === 0) return `unknown ${what}: ${JSON.stringify(value)} (none logged yet)`;
  const shown = known.length > 6 ? [...known.slice(0, 6), '…'] : known;
  return `unknown ${what}: ${JSON.stringify(value)} (want one of ${shown.join(', ')})`;
}

function outOfRange(what: string, value: number, size: number, layer?: string | null): string {
  const of = layer ? ` for ${layer}` : '';
  return `invalid ${what}: ${value} (want an integer in [0, ${size})${of})`;
}
