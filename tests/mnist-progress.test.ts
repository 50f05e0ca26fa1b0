/**
 * The MNIST job's progress output off a terminal: no made-up time left
 * before a rate is known, and a phase after training printed once as its
 * own line after the bar's last line.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Progress } from '../examples/mnist/job-context.js';
import { ProgressBar } from '../examples/mnist/progress.js';

/** A non-terminal stream that keeps every line written to it. */
function capture(): { stream: Writable; lines: () => string[] } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, lines: () => text.split('\n').filter((line) => line.trim() !== '') };
}

function at(step: number): Progress {
  return { run: 'r', step, totalSteps: 100, loss: 0.5, samplesPerSecond: 320 };
}

describe('ProgressBar off a terminal', () => {
  it('shows "--" for the time left on its first line, before any rate is known', () => {
    const { stream, lines } = capture();
    const bar = new ProgressBar('cnn/experts', stream);
    bar.update(at(10));
    bar.stop();
    expect(lines()[0]).toContain('10/100 steps');
    expect(lines()[0]).toMatch(/\| -- left$/);
    expect(lines().join('\n')).not.toMatch(/\b0s left/);
  });

  it('shows a time once two updates give a rate', () => {
    const { stream, lines } = capture();
    const bar = new ProgressBar('cnn/experts', stream);
    bar.update(at(10));
    bar.update(at(20));
    bar.stop();
    expect(lines().at(-1)).toMatch(/20\/100 steps .*\| +\d+(s|m\d+s|h\d+m) left$/);
  });

  it('ends the bar at a phase and prints the phase once, as its own line', () => {
    const { stream, lines } = capture();
    const bar = new ProgressBar('cnn/experts', stream);
    bar.update(at(10));
    bar.update(at(100));
    bar.phase('combining 2 experts');
    bar.stop();
    const printed = lines();
    expect(printed.filter((line) => line.includes('100/100 steps'))).toHaveLength(1);
    expect(printed.at(-1)).toBe('cnn/experts: combining 2 experts');
    expect(printed.filter((line) => line.includes('combining'))).toHaveLength(1);
  });
});
