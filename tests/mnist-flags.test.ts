/**
 * The MNIST job's command line, parsed in this process: every flag out of
 * range, and every mix of flags that cannot work, is one line naming the
 * flag, the value and what is allowed, with the usage exit status, before the
 * job starts; `--help` states each flag's range and its defaults per model.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseFlags, USAGE_EXIT, type Flags } from '../examples/mnist/flags.js';

const logdir = mkdtempSync(path.join(tmpdir(), 'mnist-flags-'));

interface Parsed {
  flags: Flags | null;
  exitCode: number | null;
  out: string;
  err: string;
}

/** `npm start -- ...args` as far as the flags go, with a temporary logdir unless given. */
function parse(args: string[]): Parsed {
  let out = '';
  let err = '';
  const output = {
    writeOut: (text: string) => (out += text),
    writeErr: (text: string) => (err += text),
  };
  try {
    const flags = parseFlags(['node', 'main.js', '--logdir', logdir, ...args], output);
    return { flags, exitCode: null, out, err };
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    return { flags: null, exitCode: error.exitCode, out, err };
  }
}

describe('flags out of range', () => {
  const wholeTo10 = 'Want a whole number from 1 to 10.';
  const trainSizes = 'Want a whole number from 1 per worker to 58000.';
  const epochs = 'Want a number above 0 and at most 1000.';
  const seeds = 'Want a whole number from 0 to 4294967295.';
  const ports = 'Want an integer from 0 to 65535 (0 picks a free port).';
  it.each([
    ['--workers', '0', wholeTo10],
    ['--workers', '100', wholeTo10],
    ['--train-size', '0', trainSizes],
    ['--train-size', '100000', trainSizes],
    ['--train-size', '1e3', trainSizes],
    ['--steps', '0', 'Want a whole number from 1 to 10000000.'],
    ['--epochs', '0', epochs],
    ['--epochs', '1001', epochs],
    ['--seed', '-1', seeds],
    ['--seed', '4294967296', seeds],
    ['--port', '99999', ports],
    ['--port', 'http', ports],
  ])('refuse %s %s in one line naming the flag, the value and the range', (flag, value, want) => {
    const { flags, exitCode, err } = parse([flag, value]);
    expect(flags).toBeNull();
    expect(exitCode).toBe(USAGE_EXIT);
    expect(err).toBe(
      `lensboard-mnist: option '${flag} <n>' argument '${value}' is invalid. ${want}\n`,
    );
  });
});

describe('flags that cannot work together', () => {
  it('want at least one training image per worker', () => {
    const { exitCode, err } = parse(['--workers', '4', '--train-size', '3']);
    expect(exitCode).toBe(USAGE_EXIT);
    expect(err).toContain(
      "'--train-size <n>' argument '3' is invalid. " +
        'Want one image per worker at least: from 4 to 58000 with --workers 4.',
    );
  });

  it('name the by-class worker whose digits a small --train-size leaves out', () => {
    const { exitCode, err } = parse(['--workers', '10', '--train-size', '12']);
    expect(exitCode).toBe(USAGE_EXIT);
    expect(err).toMatch(
      /'--train-size <n>' argument '12' is invalid\. Under --partition by-class worker \d \(digit \d\) gets none of that many images: want a larger --train-size, or --partition iid\./,
    );
    expect(
      parse(['--workers', '10', '--train-size', '12', '--partition', 'iid']).flags,
    ).not.toBeNull();
  });

  it('refuse experts of a linear model', () => {
    const { exitCode, err } = parse(['--mode', 'experts', '--model', 'linear']);
    expect(exitCode).toBe(USAGE_EXIT);
    expect(err).toContain("'--model <model>' argument 'linear' is invalid. Experts are combined");
  });

  it('refuse a logdir that is a file', () => {
    const file = path.join(logdir, 'notes.txt');
    writeFileSync(file, 'not a directory');
    const { exitCode, err } = parse(['--logdir', file]);
    expect(exitCode).toBe(USAGE_EXIT);
    expect(err).toContain(`'--logdir <dir>' argument '${file}' is invalid. It is a file`);
  });
});

describe('--host', () => {
  it.each([
    ['', 'Want an address to bind, such as 127.0.0.1 or 0.0.0.0 (every interface).'],
    ['not a host!', 'Want a hostname (letters, digits, hyphens and dots) or an IP address.'],
  ])('refuses %j before the job starts, naming the flag and the value', (host, want) => {
    const { flags, exitCode, err } = parse(['--host', host]);
    expect(flags).toBeNull();
    expect(exitCode).toBe(USAGE_EXIT);
    expect(err).toBe(
      `lensboard-mnist: option '--host <host>' argument '${host}' is invalid. ${want}\n`,
    );
  });

  it('takes a hostname or an IP literal as given', () => {
    expect(parse(['--host', '0.0.0.0']).flags?.host).toBe('0.0.0.0');
    expect(parse(['--host', 'gpu-box.lan']).flags?.host).toBe('gpu-box.lan');
  });
});

describe('flags in range', () => {
  it('are returned as numbers, with the defaults of those not given', () => {
    const { flags, err } = parse(['--workers', '3', '--train-size', '300', '--epochs', '0.5']);
    expect(err).toBe('');
    expect(flags).toMatchObject({ workers: 3, trainSize: 300, epochs: 0.5, port: 6007, seed: 1 });
    expect(parse(['--port', '0', '--seed', '0']).flags).toMatchObject({ port: 0, seed: 0 });
  });
});

describe('--help', () => {
  it("states each numeric flag's range and the per-model defaults", () => {
    const { exitCode, out } = parse(['--help']);
    const help = out.replace(/\s+/g, ' ');
    expect(exitCode).toBe(0);
    for (const text of [
      '--workers <n> worker processes, from 1 to 10 (default: 2)',
      'at most 1000 (default: 1 for either model)',
      '--train-size <n> training images shared among the workers, from 1 per worker to 58000 ' +
        '(default: 10000 for cnn, 50000 for linear)',
      '--steps <n> local steps per worker, from 1 to 10000000',
      '--port <n> viewer port, 0 to 65535; 0 picks a free one (default: 6007)',
      'from 0 to 4294967295 (default: 1)',
      "Exit status: 2 when a flag's value cannot be used.",
    ]) {
      expect(help).toContain(text);
    }
  });
});
