// A link's worker, layer, probe and channel are checked against the data, and each one the view
// cannot show is named with the value and what would have worked, like a malformed step.
import { describe, expect, it } from 'vitest';
import { linkProblems } from '../plugin-frontend/src/lensboard/link-check.js';

const linked = { worker: null, layer: null, probe: null, channel: null };
const targets = {
  workers: ['job/worker-0', 'job/worker-1'],
  layers: ['conv1', 'dense'],
  probes: 20,
  channels: 8,
};

describe('linkProblems', () => {
  it('says nothing for a link the data can show, or one that names nothing', () => {
    expect(linkProblems(linked, targets)).toEqual([]);
    const good = { worker: 'job/worker-1', layer: 'conv1', probe: 19, channel: 7 };
    expect(linkProblems(good, targets)).toEqual([]);
  });

  it("names a tag none of the view's panels has, and checks no tag where the view has none", () => {
    const tags = ['loss', 'notes/00'];
    expect(linkProblems({ ...linked, tag: 'notes/99' }, { tags })).toEqual([
      'unknown tag: "notes/99" (want one of loss, notes/00)',
    ]);
    expect(linkProblems({ ...linked, tag: 'loss' }, { tags })).toEqual([]);
    expect(linkProblems({ ...linked, tag: 'anything' }, targets)).toEqual([]);
  });

  it('names an unknown worker and layer with the ones that exist', () => {
    expect(linkProblems({ ...linked, worker: 'job/worker-7', layer: 'conv9' }, targets)).toEqual([
      'unknown worker: "job/worker-7" (want one of job/worker-0, job/worker-1)',
      'unknown layer: "conv9" (want one of conv1, dense)',
    ]);
  });

  it('names a probe past the batch and a channel past the layer with the valid range', () => {
    expect(linkProblems({ ...linked, layer: 'conv1', probe: 25, channel: 8 }, targets)).toEqual([
      'invalid probe: 25 (want an integer in [0, 20))',
      'invalid channel: 8 (want an integer in [0, 8) for conv1)',
    ]);
  });

  it('leaves the channel unjudged when the layer itself is unknown', () => {
    const problems = linkProblems({ ...linked, layer: 'nope', channel: 99 }, targets);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('unknown layer');
  });

  it('checks only what the view says it can show', () => {
    expect(linkProblems({ ...linked, probe: 99, layer: 'x' }, { workers: [] })).toEqual([]);
    expect(linkProblems({ ...linked, layer: 'x' }, { layers: [] })).toEqual([
      'unknown layer: "x" (none logged yet)',
    ]);
  });
});
