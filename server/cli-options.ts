/**
 * Parsers for the command line's option values, in TensorBoard's flag
 * spellings. Each throws commander's InvalidArgumentError with what was
 * wanted; commander adds the option name and the value received.
 */
import { InvalidArgumentError } from 'commander';
import { bindHostWant } from './host-check.js';
import type { TagKind } from './model.js';

/** Kinds `--samples_per_plugin` may bound; `0` keeps every value, as in TensorBoard. */
export const SAMPLED_KINDS = ['scalars', 'images', 'histograms', 'tensors', 'text'] as const;
export type SampledKind = (typeof SAMPLED_KINDS)[number] & TagKind;
export type SamplesPerPlugin = Partial<Record<SampledKind, number>>;

/**
 * A logdir path as given. An empty one would resolve to the current directory
 * and serve whatever it holds, which is never what an empty shell variable
 * meant; the current directory is spelled `.`.
 */
export function parseLogdir(text: string): string {
  if (text === '') {
    throw new InvalidArgumentError(
      'Want a directory (an empty path would mean the current one; pass . for that).',
    );
  }
  return text;
}

/** An address to bind, checked before any socket is opened: see bindHostWant. */
export function parseHost(text: string): string {
  const want = bindHostWant(text);
  if (want !== undefined) throw new InvalidArgumentError(`Want ${want}.`);
  return text;
}

export function parsePort(text: string): number {
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535)) {
    throw new InvalidArgumentError('Want an integer from 0 to 65535 (0 picks a free port).');
  }
  return port;
}

export function parseSeconds(text: string): number {
  const seconds = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(seconds > 0 && seconds <= 86_400)) {
    throw new InvalidArgumentError('Want a number of seconds above 0 and at most 86400.');
  }
  return seconds;
}

export function parseBoolean(text: string): boolean {
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new InvalidArgumentError('Want true or false.');
}

/** `scalars=500,images=0`: a comma-separated list of kind=count; 0 means keep all. */
export function parseSamplesPerPlugin(text: string): SamplesPerPlugin {
  const samples: SamplesPerPlugin = {};
  for (const item of text.split(',').filter((part) => part.trim() !== '')) {
    const [kind, count, ...rest] = item.split('=').map((part) => part.trim());
    if (!isSampledKind(kind) || count === undefined || rest.length > 0) {
      throw new InvalidArgumentError(
        `Bad entry "${item}": want kind=count with kind one of ${SAMPLED_KINDS.join(', ')}.`,
      );
    }
    samples[kind] = parseCount(kind, count);
  }
  return samples;
}

function parseCount(kind: string, text: string): number {
  const count = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(count)) {
    throw new InvalidArgumentError(
      `Bad count for ${kind}: "${text}" (want a non-negative integer; 0 keeps all).`,
    );
  }
  return count === 0 ? Infinity : count;
}

function isSampledKind(kind: string | undefined): kind is SampledKind {
  return (SAMPLED_KINDS as readonly string[]).includes(kind ?? '');
}

/** The defaults as `--help` shows them. */
export function formatSamples(samples: SamplesPerPlugin): string {
  return SAMPLED_KINDS.filter((kind) => samples[kind] !== undefined)
    .map((kind) => `${kind}=${samples[kind] === Infinity ? 0 : samples[kind]}`)
    .join(',');
}
