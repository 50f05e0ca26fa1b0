/**
 * Checks lensboard's reading of a fixture logdir against `expected.json`, the
 * record of what TensorBoard's own loader returned for it (see the fixture
 * READMEs). Floats there are Python reprs; here they are compared bit for bit.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { exportLogdir } from '../../server/export.js';
import { LogdirLoader } from '../../server/logdir-loader.js';

type Repr = string;

interface ExpectedRun {
  first_event_timestamp: Repr | null;
  most_recent_step: number;
  scalars: Record<string, [number, Repr, Repr][]>;
  images: Record<string, { count: number; events: ExpectedImage[] }>;
  histograms: Record<string, { step: number; wall_time: Repr; buckets: Repr[][] }[]>;
  text: Record<string, { step: number; wall_time: Repr; shape: number[]; values: string[] }[]>;
  other_tensors: Record<string, { events: ExpectedTensor[] }>;
  tag_metadata: Record<
    string,
    { plugin_name: string; display_name: string; summary_description: string }
  >;
}

interface ExpectedImage {
  step: number;
  wall_time: Repr;
  width: string;
  height: string;
  num_images: number;
  png_sha256: string[];
}

interface ExpectedTensor {
  step: number;
  wall_time: Repr;
  dtype: string;
  shape: number[];
}

export interface Expected {
  runs: string[];
  run_data: Record<string, ExpectedRun>;
}

export function readExpected(caseDir: string): Expected {
  return JSON.parse(readFileSync(join(caseDir, 'expected.json'), 'utf8')) as Expected;
}

/** A Python float repr ("nan", "inf", "-0.0", "1e+30") as the double it names. */
export function fromRepr(repr: Repr): number {
  if (repr === 'nan') return NaN;
  if (repr === 'inf') return Infinity;
  if (repr === '-inf') return -Infinity;
  return Number(repr);
}

/** A number from the export JSON, where non-finite values are strings. */
function fromExport(value: number | string): number {
  if (value === 'NaN') return NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  return value as number;
}

/** Same double, NaN equal to NaN and -0 distinct from 0. */
function sameNumbers(actual: (number | string)[], expected: Repr[], where: string): void {
  const got = actual.map(fromExport);
  const want = expected.map(fromRepr);
  const same = got.length === want.length && got.every((value, i) => Object.is(value, want[i]));
  expect(same, `${where}: got [${got}], want [${want}]`).toBe(true);
}

const NUMPY_DTYPE: Record<string, string> = { object: 'string' };

/* eslint-disable @typescript-eslint/no-explicit-any */
export async function checkAgainstOracle(caseDir: string): Promise<void> {
  const expected = readExpected(caseDir);
  const logdir = join(caseDir, 'logdir');
  const exported = JSON.parse(await exportLogdir(logdir, { format: 'json' })) as any;
  expect(Object.keys(exported.runs).sort()).toEqual([...expected.runs].sort());

  const loader = new LogdirLoader(logdir, {
    capacity: { scalars: Infinity, images: Infinity, histograms: Infinity, text: Infinity },
  });
  await loader.reloadOnce();
  for (const run of expected.runs) {
    const want = expected.run_data[run];
    const got = exported.runs[run];
    checkScalars(run, got.scalars, want.scalars);
    checkHistograms(run, got.histograms, want.histograms);
    checkText(run, got.text, want.text, loader);
    checkTensors(run, got.tensors, want.other_tensors);
    await checkImages(run, got.images, want.images, loader);
    checkRunFacts(run, want, loader);
  }
  await loader.close();
}

function checkScalars(run: string, got: any, want: ExpectedRun['scalars']): void {
  expect(Object.keys(got).sort(), `scalar tags of ${run}`).toEqual(Object.keys(want).sort());
  for (const [tag, rows] of Object.entries(want)) {
    const actual = got[tag] as [number, number | string, number | string][];
    const where = `${run} scalars ${tag}`;
    expect(
      actual.map((row) => row[0]),
      `${where} steps`,
    ).toEqual(rows.map((row) => row[0]));
    sameNumbers(
      actual.map((row) => row[1]),
      rows.map((row) => row[1]),
      `${where} wall times`,
    );
    sameNumbers(
      actual.map((row) => row[2]),
      rows.map((row) => row[2]),
      `${where} values`,
    );
  }
}

function checkHistograms(run: string, got: any, want: ExpectedRun['histograms']): void {
  expect(Object.keys(got).sort(), `histogram tags of ${run}`).toEqual(Object.keys(want).sort());
  for (const [tag, events] of Object.entries(want)) {
    const actual = got[tag] as {
      step: number;
      wall_time: number;
      buckets: (number | string)[][];
    }[];
    expect(
      actual.map((e) => e.step),
      `${run} ${tag} steps`,
    ).toEqual(events.map((e) => e.step));
    events.forEach((event, i) => {
      const where = `${run} histogram ${tag} #${i}`;
      sameNumbers([actual[i].wall_time], [event.wall_time], `${where} wall time`);
      sameNumbers(actual[i].buckets.flat(), event.buckets.flat(), `${where} buckets`);
    });
  }
}

function checkText(run: string, got: any, want: ExpectedRun['text'], loader: LogdirLoader): void {
  expect(Object.keys(got).sort(), `text tags of ${run}`).toEqual(Object.keys(want).sort());
  for (const [tag, events] of Object.entries(want)) {
    const actual = loader.text(run, tag)?.entries ?? [];
    const simplified = events.map((e) => ({ step: e.step, shape: e.shape, values: e.values }));
    expect(actual.map((e) => ({ step: e.step, shape: e.shape, values: e.values }))).toEqual(
      simplified,
    );
    sameNumbers(
      actual.map((e) => e.wallTime),
      events.map((e) => e.wall_time),
      `${run} ${tag}`,
    );
    expect(got[tag].map((e: any) => e.values)).toEqual(events.map((e) => e.values));
  }
}

function checkTensors(run: string, got: any, want: ExpectedRun['other_tensors']): void {
  expect(Object.keys(got).sort(), `tensor tags of ${run}`).toEqual(Object.keys(want).sort());
  for (const [tag, { events }] of Object.entries(want)) {
    const simplify = (e: ExpectedTensor) => ({
      step: e.step,
      dtype: NUMPY_DTYPE[e.dtype] ?? e.dtype,
      shape: e.shape,
    });
    const actual = got[tag].map((e: any) => ({ step: e.step, dtype: e.dtype, shape: e.shape }));
    expect(actual, `${run} tensors ${tag}`).toEqual(events.map(simplify));
    sameNumbers(
      got[tag].map((e: any) => e.wall_time),
      events.map((e) => e.wall_time),
      tag,
    );
  }
}

async function checkImages(
  run: string,
  got: any,
  want: ExpectedRun['images'],
  loader: LogdirLoader,
): Promise<void> {
  expect(Object.keys(got).sort(), `image tags of ${run}`).toEqual(Object.keys(want).sort());
  for (const [tag, { count, events }] of Object.entries(want)) {
    const actual = got[tag] as any[];
    expect(actual.length, `${run} ${tag} image events`).toBe(count);
    const shape = (e: ExpectedImage) => ({
      step: e.step,
      width: Number(e.width),
      height: Number(e.height),
      count: e.num_images,
    });
    const actualShape = actual.map((e) => ({
      step: e.step,
      width: e.width,
      height: e.height,
      count: e.count,
    }));
    expect(actualShape, `${run} images ${tag}`).toEqual(events.map(shape));
    // The loader keeps every image here, so its entries pair with the oracle's events.
    const ids = loader.images(run, tag)!.entries.map((entry) => entry.id);
    expect(ids, `${run} ${tag} ids`).toEqual(events.map((_, i) => i));
    for (const [i, event] of events.entries())
      await checkImageBytes(loader, run, tag, ids[i], event);
  }
}

/** Every listed event is served by its id: the same bytes as the oracle's event. */
async function checkImageBytes(
  loader: LogdirLoader,
  run: string,
  tag: string,
  id: number,
  event: ExpectedImage,
) {
  for (let index = 0; index < event.num_images; index++) {
    const bytes = await loader.readImage(run, tag, { id }, index);
    const where = `${run} ${tag} step ${event.step} id ${id} image ${index}`;
    expect(bytes, where).toBeDefined();
    const digest = createHash('sha256').update(bytes!).digest('hex');
    expect(digest, `${where} sha256`).toBe(event.png_sha256[index]);
  }
}

function checkRunFacts(run: string, want: ExpectedRun, loader: LogdirLoader): void {
  const info = loader.runs().find((candidate) => candidate.name === run)!;
  expect(info.lastStep ?? -1, `most_recent_step of ${run}`).toBe(want.most_recent_step);
  const first = want.first_event_timestamp;
  expect(info.firstEventTime ?? null, `first_event_timestamp of ${run}`).toBe(
    first === null ? null : fromRepr(first),
  );
  for (const [tag, metadata] of Object.entries(want.tag_metadata)) {
    const tagInfo = loader.tags(run)?.find((candidate) => candidate.tag === tag);
    expect(
      {
        plugin: tagInfo?.pluginName,
        display: tagInfo?.displayName,
        description: tagInfo?.description,
      },
      `metadata of ${run} ${tag}`,
    ).toEqual({
      plugin: metadata.plugin_name,
      display: metadata.display_name,
      description: metadata.summary_description,
    });
  }
}
