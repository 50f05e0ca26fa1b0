/**
 * `lensboard export` keeps what was logged: a text tensor's shape beside its
 * flat values, and the sign of a negative zero in JSON and CSV alike.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataClass, DataType, type Event } from '../proto/index.js';
import { exportLogdir } from '../server/export.js';
import { EVENTS_FILE, fileVersion, scalar, tempLogdir, writeEvents } from './helpers/events.js';

/** A text value of `shape` holding `cells` in row-major order. */
function textTable(tag: string, step: number, shape: number[], cells: string[]): Event {
  const encoder = new TextEncoder();
  return {
    wallTime: 1000 + step,
    step,
    summary: {
      value: [
        {
          tag,
          metadata: { pluginData: { pluginName: 'text' }, dataClass: DataClass.TENSOR },
          tensor: {
            dtype: DataType.STRING,
            tensorShape: { dim: shape.map((size) => ({ size })) },
            stringVal: cells.map((cell) => encoder.encode(cell)),
          },
        },
      ],
    },
  };
}

describe('lensboard export', () => {
  it('gives each text entry its shape, with values still the flat row-major list', async () => {
    const logdir = tempLogdir();
    writeEvents(join(logdir, 'run', EVENTS_FILE), [
      fileVersion(),
      textTable('table', 0, [2, 2], ['a', 'b', 'c', 'd']),
      textTable('line', 1, [], ['one string']),
    ]);
    const exported = JSON.parse(await exportLogdir(logdir, { format: 'json' }));
    expect(exported.runs.run.text).toEqual({
      table: [{ step: 0, wall_time: 1000, shape: [2, 2], values: ['a', 'b', 'c', 'd'] }],
      line: [{ step: 1, wall_time: 1001, shape: [], values: ['one string'] }],
    });
  });

  it('writes a negative zero as -0 in CSV, as JSON does', async () => {
    const logdir = tempLogdir();
    writeEvents(join(logdir, 'run', EVENTS_FILE), [
      fileVersion(),
      scalar('v', 0, -0),
      scalar('v', 1, 0),
    ]);
    const csv = await exportLogdir(logdir, { format: 'csv' });
    expect(csv.split('\n').slice(1, 3)).toEqual(['run,v,0,1000,-0', 'run,v,1,1001,0']);
    const json = await exportLogdir(logdir, { format: 'json' });
    expect(json).toContain('"v":[[0,1000,-0],[1,1001,0]]');
  });
});
